"""Internships for students, for any messenger: /internships (open slots by week and
direction, booking) and /bookings (own bookings, cancel, answer an offer), with the booking
buttons of site contacts and mentors (confirm, decline, attendance) that the notifications carry.

Two dialogs, one per kind of button: browsing the slots (`DIALOG`) and a booking's buttons
(`BOOKINGS`). Each press is one call of `services.internships` (which checks who may do it) and
a new message below the pressed one, which stays as history.
"""

from __future__ import annotations

from dialogs.internships_screens import bookings_screen, directions_screen, week_screen
from dialogs.screen import Dialog, Screen, Turn
from services.actions import BookingAction, BookingVerb, InternshipsAction, InternshipsVerb
from services.internships import BookingView

# --- browsing and booking slots ----------------------------------------------------------------


async def internships_command(turn: Turn, args: str) -> None:
    await turn.chat.show(week_screen(await turn.services.internships.browse(turn.me), turn.t))


async def show_week(turn: Turn, action: InternshipsAction) -> None:
    view = await turn.services.internships.browse(turn.me, action.week, action.direction)
    await turn.chat.notice()
    await turn.chat.show(week_screen(view, turn.t))


async def pick_direction(turn: Turn, action: InternshipsAction) -> None:
    view = await turn.services.internships.browse(turn.me, action.week)
    await turn.chat.notice()
    await turn.chat.show(directions_screen(view, turn.t))


async def book(turn: Turn, action: InternshipsAction) -> None:
    view = await turn.services.internships.book(turn.me, action.slot)
    text = turn.t(
        f"int-booked-{view.status.value}", organisation=view.slot.organisation, when=view.slot.when
    )
    await turn.chat.notice()
    await turn.chat.show(Screen(text))


DIALOG = Dialog(
    name="internships",
    action=InternshipsAction,
    commands={"internships": internships_command},
    actions={
        InternshipsVerb.SHOW_WEEK: show_week,
        InternshipsVerb.PICK_DIRECTION: pick_direction,
        InternshipsVerb.BOOK: book,
    },
)

# --- bookings: the student's list and every booking's buttons ----------------------------------


async def bookings_command(turn: Turn, args: str) -> None:
    views = await turn.services.internships.my_bookings(turn.me)
    await turn.chat.show(bookings_screen(views, turn.t))


async def _answered(turn: Turn, view: BookingView, key: str) -> None:
    """The outcome both as the press's answer and as a message that stays in the chat."""
    text = turn.t(
        key, organisation=view.slot.organisation, when=view.slot.when, student=view.student
    )
    await turn.chat.notice(text)
    await turn.chat.show(Screen(text))


async def cancel_booking(turn: Turn, action: BookingAction) -> None:
    view = await turn.services.internships.cancel(turn.me, action.booking)
    await _answered(turn, view, "int-cancelled")


async def answer_offer(turn: Turn, action: BookingAction) -> None:
    accepted = action.verb is BookingVerb.ACCEPT_OFFER
    view = await turn.services.internships.answer_offer(turn.me, action.booking, accepted)
    await _answered(turn, view, f"int-offer-answered-{view.status.value}")


async def decide_booking(turn: Turn, action: BookingAction) -> None:
    confirmed = action.verb is BookingVerb.CONFIRM
    view = await turn.services.internships.decide(turn.me, action.booking, confirmed)
    await _answered(turn, view, f"int-decided-{view.status.value}")


async def mark_attendance(turn: Turn, action: BookingAction) -> None:
    attended = action.verb is BookingVerb.ATTENDED
    view = await turn.services.internships.mark_attendance(turn.me, action.booking, attended)
    mark = view.attendance.value if view.attendance else "none"
    await _answered(turn, view, f"int-marked-{mark}")


BOOKINGS = Dialog(
    name="bookings",
    action=BookingAction,
    commands={"bookings": bookings_command},
    # Each pair (yes / no) is one use case with its answer as the verb.
    actions={
        BookingVerb.CANCEL: cancel_booking,
        BookingVerb.ACCEPT_OFFER: answer_offer,
        BookingVerb.REFUSE_OFFER: answer_offer,
        BookingVerb.CONFIRM: decide_booking,
        BookingVerb.DECLINE: decide_booking,
        BookingVerb.ATTENDED: mark_attendance,
        BookingVerb.ABSENT: mark_attendance,
    },
)
