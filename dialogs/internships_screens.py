"""The internships' screens: a week of open slots, the directions to filter it by, and the
student's bookings. Pure functions of the views of services.internships and the person's
language."""

from __future__ import annotations

from dialogs.screen import Button, Keyboard, Screen, doing
from services.actions import BookingAction, BookingVerb, InternshipsAction, InternshipsVerb
from services.i18n import Translator
from services.internships import BookingView, SlotView, WeekView

MAX_LISTED = 20
MAX_DIRECTIONS = 30
DIRECTION_LABEL_LIMIT = 60


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


def _week(text: str, week: int, direction: int) -> Button:
    return doing(
        text, InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=week, direction=direction)
    )


def week_screen(view: WeekView, t: Translator) -> Screen:
    """The week's slots, each with its Book (or Waitlist) button, paging by week and the
    direction filter."""
    direction = view.direction or t("int-dir-all")
    lines = [t("int-week-title", first=view.first, last=view.last, direction=direction)]
    rows: Keyboard = []
    if not view.slots:
        lines.append(t("int-week-empty"))
        lines.append(t("int-week-later", date=view.later) if view.later else t("int-week-no-later"))
    for number, slot in enumerate(view.slots[:MAX_LISTED], start=1):
        lines.append(slot_line(number, slot, t))
        if slot.requirements:
            lines.append(t("int-slot-requirements", requirements=slot.requirements))
        key = "int-btn-book" if slot.left else "int-btn-waitlist"
        book = InternshipsAction(verb=InternshipsVerb.BOOK, slot=slot.id)
        rows.append([doing(t(key, n=number), book)])
    if len(view.slots) > MAX_LISTED:
        lines.append(t("int-more", count=len(view.slots) - MAX_LISTED))
    d = view.directions.index(view.direction) if view.direction in view.directions else -1
    pager = [_week(t("int-btn-next-week"), view.offset + 1, d)]
    if view.offset > 0:  # nothing before today is open: the first page has no «earlier»
        pager.insert(0, _week(t("int-btn-prev-week"), view.offset - 1, d))
    rows.append(pager)
    if view.directions:
        pick = InternshipsAction(verb=InternshipsVerb.PICK_DIRECTION, week=view.offset)
        rows.append([doing(t("int-btn-direction", direction=direction), pick)])
    return Screen("\n".join(lines), rows)


def directions_screen(view: WeekView, t: Translator) -> Screen:
    rows = [[_week(t("int-dir-all"), view.offset, -1)]]
    rows.extend(
        [_week(name[:DIRECTION_LABEL_LIMIT], view.offset, index)]
        for index, name in enumerate(view.directions[:MAX_DIRECTIONS])
    )
    return Screen(t("int-pick-direction"), rows)


def bookings_screen(views: list[BookingView], t: Translator) -> Screen:
    """The student's bookings, each with the buttons it allows: answer an offer, cancel."""
    if not views:
        return Screen(t("int-bookings-empty"))
    lines = [t("int-bookings-title")]
    rows: Keyboard = []
    for number, view in enumerate(views[:MAX_LISTED], start=1):
        lines.append(booking_line(number, view, t))
        if view.can_answer_offer:
            rows.append(
                [
                    _booking(t("int-btn-accept-n", n=number), BookingVerb.ACCEPT_OFFER, view),
                    _booking(t("int-btn-refuse-n", n=number), BookingVerb.REFUSE_OFFER, view),
                ]
            )
        if view.can_cancel:
            rows.append([_booking(t("int-btn-cancel", n=number), BookingVerb.CANCEL, view)])
    return Screen("\n".join(lines), rows)


def _booking(text: str, verb: BookingVerb, view: BookingView) -> Button:
    return doing(text, BookingAction(verb=verb, booking=view.id))


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
