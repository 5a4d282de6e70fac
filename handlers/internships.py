"""Internships for students: /internships (open slots by week and direction, booking) and
/bookings (own bookings, cancel, answer an offer); the booking buttons of site contacts and
mentors (confirm, decline, attendance)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import answer, button, keyboard, send_below
from services.actions import (
    BookingAction,
    BookingVerb,
    InternshipsAction,
    InternshipsVerb,
)
from services.container import Services
from services.i18n import Translator
from services.internships import BookingView, SlotView, WeekView
from services.people import Identity

MAX_LISTED = 20


def slot_line(number: int, slot: SlotView, t: Translator) -> str:
    return t(
        "int-slot-line",
        n=number,
        organisation=slot.organisation,
        kind=t(f"int-kind-{slot.kind.value}"),
        when=slot.when,
        address=slot.address,
        direction=", ".join(dict.fromkeys([slot.direction, *slot.directions])),
        left=slot.left,
        capacity=slot.capacity,
    )


def render_week(view: WeekView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    direction = view.direction or t("int-dir-all")
    lines = [t("int-week-title", first=view.first, last=view.last, direction=direction)]
    rows: list[list[InlineKeyboardButton]] = []
    if not view.slots:
        lines.append(t("int-week-empty"))
        lines.append(t("int-week-later", date=view.later) if view.later else t("int-week-no-later"))
    for number, slot in enumerate(view.slots[:MAX_LISTED], start=1):
        lines.append(slot_line(number, slot, t))
        if slot.requirements:
            lines.append(t("int-slot-requirements", requirements=slot.requirements))
        key = "int-btn-book" if slot.left else "int-btn-waitlist"
        rows.append(
            [
                button(
                    t(key, n=number),
                    InternshipsAction(verb=InternshipsVerb.BOOK, slot=slot.id),
                )
            ]
        )
    if len(view.slots) > MAX_LISTED:
        lines.append(t("int-more", count=len(view.slots) - MAX_LISTED))
    d = view.directions.index(view.direction) if view.direction in view.directions else -1
    pager = [
        button(
            t("int-btn-next-week"),
            InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=view.offset + 1, direction=d),
        )
    ]
    if view.offset > 0:  # nothing before today is open: the first page has no «earlier»
        pager.insert(
            0,
            button(
                t("int-btn-prev-week"),
                InternshipsAction(
                    verb=InternshipsVerb.SHOW_WEEK, week=view.offset - 1, direction=d
                ),
            ),
        )
    rows.append(pager)
    if view.directions:
        rows.append(
            [
                button(
                    t("int-btn-direction", direction=direction),
                    InternshipsAction(verb=InternshipsVerb.PICK_DIRECTION, week=view.offset),
                )
            ]
        )
    return "\n".join(lines), keyboard(rows)


def render_directions(view: WeekView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    rows = [
        [
            button(
                t("int-dir-all"),
                InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=view.offset, direction=-1),
            )
        ]
    ]
    rows.extend(
        [
            button(
                name[:60],
                InternshipsAction(
                    verb=InternshipsVerb.SHOW_WEEK, week=view.offset, direction=index
                ),
            )
        ]
        for index, name in enumerate(view.directions[:30])
    )
    return t("int-pick-direction"), keyboard(rows)


def render_bookings(
    views: list[BookingView], t: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not views:
        return t("int-bookings-empty"), None
    lines = [t("int-bookings-title")]
    rows: list[list[InlineKeyboardButton]] = []
    for number, view in enumerate(views[:MAX_LISTED], start=1):
        lines.append(booking_line(number, view, t))
        if view.can_answer_offer:
            rows.append(
                [
                    button(
                        t("int-btn-accept-n", n=number),
                        BookingAction(verb=BookingVerb.ACCEPT_OFFER, booking=view.id),
                    ),
                    button(
                        t("int-btn-refuse-n", n=number),
                        BookingAction(verb=BookingVerb.REFUSE_OFFER, booking=view.id),
                    ),
                ]
            )
        if view.can_cancel:
            rows.append(
                [
                    button(
                        t("int-btn-cancel", n=number),
                        BookingAction(verb=BookingVerb.CANCEL, booking=view.id),
                    )
                ]
            )
    return "\n".join(lines), keyboard(rows)


def booking_line(number: int, view: BookingView, t: Translator) -> str:
    status = t(f"int-status-{view.status.value}")
    if view.offer_until:
        status = t("int-status-offered-until", until=view.offer_until)
    if view.attendance is not None:
        status = t(f"int-attendance-{view.attendance.value}")
    return t(
        "int-booking-line",
        n=number,
        organisation=view.slot.organisation,
        kind=t(f"int-kind-{view.slot.kind.value}"),
        when=view.slot.when,
        status=status,
    )


async def internships_command(
    message: Message, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_week(await services.internships.browse(me), t)
    await answer(message, text, markup)


async def show_week(
    query: CallbackQuery,
    action: InternshipsAction,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    view = await services.internships.browse(me, action.week, action.direction)
    text, markup = render_week(view, t)
    await query.answer()
    await send_below(query, text, markup)


async def pick_direction(
    query: CallbackQuery,
    action: InternshipsAction,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    view = await services.internships.browse(me, action.week)
    text, markup = render_directions(view, t)
    await query.answer()
    await send_below(query, text, markup)


async def book(
    query: CallbackQuery,
    action: InternshipsAction,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    view = await services.internships.book(me, action.slot)
    text = t(
        f"int-booked-{view.status.value}",
        organisation=view.slot.organisation,
        when=view.slot.when,
    )
    await query.answer()
    await send_below(query, text, None)


async def bookings_command(
    message: Message, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_bookings(await services.internships.my_bookings(me), t)
    await answer(message, text, markup)


async def _booking_answered(
    query: CallbackQuery, view: BookingView, key: str, t: Translator
) -> None:
    text = t(key, organisation=view.slot.organisation, when=view.slot.when, student=view.student)
    await query.answer(text)
    await send_below(query, text, None)


async def cancel_booking(
    query: CallbackQuery, action: BookingAction, me: Identity, services: Services, t: Translator
) -> None:
    view = await services.internships.cancel(me, action.booking)
    await _booking_answered(query, view, "int-cancelled", t)


async def answer_offer(
    query: CallbackQuery, action: BookingAction, me: Identity, services: Services, t: Translator
) -> None:
    accepted = action.verb is BookingVerb.ACCEPT_OFFER
    view = await services.internships.answer_offer(me, action.booking, accepted)
    await _booking_answered(query, view, f"int-offer-answered-{view.status.value}", t)


async def decide_booking(
    query: CallbackQuery, action: BookingAction, me: Identity, services: Services, t: Translator
) -> None:
    confirmed = action.verb is BookingVerb.CONFIRM
    view = await services.internships.decide(me, action.booking, confirmed)
    await _booking_answered(query, view, f"int-decided-{view.status.value}", t)


async def mark_attendance(
    query: CallbackQuery, action: BookingAction, me: Identity, services: Services, t: Translator
) -> None:
    attended = action.verb is BookingVerb.ATTENDED
    view = await services.internships.mark_attendance(me, action.booking, attended)
    mark = view.attendance.value if view.attendance else "none"
    await _booking_answered(query, view, f"int-marked-{mark}", t)


def create_router() -> Router:
    router = Router(name="internships")
    private = F.chat.type == "private"
    router.message.register(internships_command, Command("internships"), private)
    router.message.register(bookings_command, Command("bookings"), private)
    for verb, handler in (
        (InternshipsVerb.SHOW_WEEK, show_week),
        (InternshipsVerb.PICK_DIRECTION, pick_direction),
        (InternshipsVerb.BOOK, book),
    ):
        router.callback_query.register(handler, Pressed(InternshipsAction, F.verb == verb))
    # Each pair (yes / no) is one use case with its answer as the verb.
    for booking_verb, booking_handler in (
        (BookingVerb.CANCEL, cancel_booking),
        (BookingVerb.ACCEPT_OFFER, answer_offer),
        (BookingVerb.REFUSE_OFFER, answer_offer),
        (BookingVerb.CONFIRM, decide_booking),
        (BookingVerb.DECLINE, decide_booking),
        (BookingVerb.ATTENDED, mark_attendance),
        (BookingVerb.ABSENT, mark_attendance),
    ):
        router.callback_query.register(
            booking_handler, Pressed(BookingAction, F.verb == booking_verb)
        )
    return router
