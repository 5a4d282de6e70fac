"""Internships for students: /internships (open slots by week and direction, booking) and
/bookings (own bookings, cancel, answer an offer); the booking buttons of site contacts and
mentors (confirm, decline, attendance)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Id, Small
from handlers.replies import answer, button, keyboard, send_below
from services.container import Services
from services.i18n import Translator
from services.internships import BOOKING_ACTION, BookingView, SlotView, WeekView
from services.people import Identity

MAX_LISTED = 20


class InternshipsCD(CallbackData, prefix="int"):
    act: str  # wk: show seven days, dirs: pick a direction, book: book a slot
    w: Small = 0  # which seven days: 0 from today, 1 the next seven…
    d: Small = -1
    id: Id = 0


class BookingCD(CallbackData, prefix=BOOKING_ACTION):
    act: str  # cancel, acc, rej (the student); ok, no, att, abs (contact or mentor)
    id: Id


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
        rows.append([button(t(key, n=number), InternshipsCD(act="book", id=slot.id))])
    if len(view.slots) > MAX_LISTED:
        lines.append(t("int-more", count=len(view.slots) - MAX_LISTED))
    d = view.directions.index(view.direction) if view.direction in view.directions else -1
    pager = [button(t("int-btn-next-week"), InternshipsCD(act="wk", w=view.offset + 1, d=d))]
    if view.offset > 0:  # nothing before today is open: the first page has no «earlier»
        pager.insert(
            0, button(t("int-btn-prev-week"), InternshipsCD(act="wk", w=view.offset - 1, d=d))
        )
    rows.append(pager)
    if view.directions:
        rows.append(
            [
                button(
                    t("int-btn-direction", direction=direction),
                    InternshipsCD(act="dirs", w=view.offset),
                )
            ]
        )
    return "\n".join(lines), keyboard(rows)


def render_directions(view: WeekView, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    rows = [[button(t("int-dir-all"), InternshipsCD(act="wk", w=view.offset, d=-1))]]
    rows.extend(
        [button(name[:60], InternshipsCD(act="wk", w=view.offset, d=index))]
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
                    button(t("int-btn-accept-n", n=number), BookingCD(act="acc", id=view.id)),
                    button(t("int-btn-refuse-n", n=number), BookingCD(act="rej", id=view.id)),
                ]
            )
        if view.can_cancel:
            rows.append(
                [button(t("int-btn-cancel", n=number), BookingCD(act="cancel", id=view.id))]
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
    callback_data: InternshipsCD,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    view = await services.internships.browse(me, callback_data.w, callback_data.d)
    text, markup = render_week(view, t)
    await query.answer()
    await send_below(query, text, markup)


async def pick_direction(
    query: CallbackQuery,
    callback_data: InternshipsCD,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    view = await services.internships.browse(me, callback_data.w)
    text, markup = render_directions(view, t)
    await query.answer()
    await send_below(query, text, markup)


async def book(
    query: CallbackQuery,
    callback_data: InternshipsCD,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    view = await services.internships.book(me, callback_data.id)
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


async def booking_button(
    query: CallbackQuery,
    callback_data: BookingCD,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    internships = services.internships
    act, booking_id = callback_data.act, callback_data.id
    if act == "cancel":
        view = await internships.cancel(me, booking_id)
        key = "int-cancelled"
    elif act in ("acc", "rej"):
        view = await internships.answer_offer(me, booking_id, act == "acc")
        key = f"int-offer-answered-{view.status.value}"
    elif act in ("ok", "no"):
        view = await internships.decide(me, booking_id, act == "ok")
        key = f"int-decided-{view.status.value}"
    elif act in ("att", "abs"):
        view = await internships.mark_attendance(me, booking_id, act == "att")
        key = f"int-marked-{view.attendance.value if view.attendance else 'none'}"
    else:
        await query.answer(t("error-not-allowed"), show_alert=True)
        return
    text = t(key, organisation=view.slot.organisation, when=view.slot.when, student=view.student)
    await query.answer(text)
    await send_below(query, text, None)


def create_router() -> Router:
    router = Router(name="internships")
    private = F.chat.type == "private"
    router.message.register(internships_command, Command("internships"), private)
    router.message.register(bookings_command, Command("bookings"), private)
    router.callback_query.register(show_week, InternshipsCD.filter(F.act == "wk"))
    router.callback_query.register(pick_direction, InternshipsCD.filter(F.act == "dirs"))
    router.callback_query.register(book, InternshipsCD.filter(F.act == "book"))
    router.callback_query.register(booking_button, BookingCD.filter())
    return router
