"""The site contact's /slots: own slots with seats taken and left, a slot's card (bookings to
confirm, attendance to mark), changing the capacity, closing a slot, and adding a slot (a short
dialogue saved at every step)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Id
from handlers.internships import BookingCD
from handlers.replies import answer, button, keyboard, send_below
from services.container import Services
from services.errors import InvalidInput, NotAllowed
from services.i18n import Translator
from services.internships import SLOT_ACTION, SlotCard, SlotStep, SlotView
from services.people import Identity
from storage.models import SlotKind

MAX_LISTED = 30


class SlotCD(CallbackData, prefix=SLOT_ACTION):
    act: str  # list, open, cap, close, closeok, add
    id: Id = 0


class SlotAddCD(CallbackData, prefix="sla"):
    act: str  # site, kind, skip, back, cancel, ok
    v: str = ""


class SlotFlow(StatesGroup):
    adding = State()
    capacity = State()


def _slot_line(number: int, slot: SlotView, t: Translator) -> str:
    return t(
        "slots-line",
        n=number,
        organisation=slot.organisation,
        kind=t(f"int-kind-{slot.kind.value}"),
        when=slot.when,
        taken=slot.taken,
        left=slot.left,
        capacity=slot.capacity,
        waitlisted=slot.waitlisted,
        status=t(f"slot-status-{'ended' if slot.ended else slot.status.value}"),
    )


def render_slots(slots: list[SlotView], t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    add = [button(t("slots-btn-add"), SlotCD(act="add"))]
    if not slots:
        return t("slots-empty"), keyboard([add])
    lines = [t("slots-title")]
    rows: list[list[InlineKeyboardButton]] = []
    for number, slot in enumerate(slots[:MAX_LISTED], start=1):
        lines.append(_slot_line(number, slot, t))
        rows.append([button(t("slots-btn-open", n=number), SlotCD(act="open", id=slot.id))])
    return "\n".join(lines), keyboard([*rows, add])


def render_card(card: SlotCard, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    slot = card.slot
    lines = [_slot_line(1, slot, t).removeprefix("1. ")]
    if slot.requirements:
        lines.append(t("int-slot-requirements", requirements=slot.requirements))
    if card.bookings:
        lines.append(t("slot-card-bookings"))
    rows: list[list[InlineKeyboardButton]] = []
    for booking in card.bookings:
        status = t(f"int-status-{booking.status.value}")
        if booking.attendance is not None:
            status = t(f"int-attendance-{booking.attendance.value}")
        lines.append(t("slot-card-booking", student=booking.student, status=status))
        name = booking.student[:30]
        if booking.can_decide:
            rows.append(
                [
                    button(
                        t("int-btn-confirm-who", student=name), BookingCD(act="ok", id=booking.id)
                    ),
                    button(
                        t("int-btn-decline-who", student=name), BookingCD(act="no", id=booking.id)
                    ),
                ]
            )
        if booking.can_mark:
            rows.append(
                [
                    button(
                        t("int-btn-attended", student=name), BookingCD(act="att", id=booking.id)
                    ),
                    button(t("int-btn-no-show", student=name), BookingCD(act="abs", id=booking.id)),
                ]
            )
    manage: list[InlineKeyboardButton] = []
    if not slot.ended:
        manage.append(button(t("slot-btn-capacity"), SlotCD(act="cap", id=slot.id)))
        if slot.status.value == "open":
            manage.append(button(t("slot-btn-close"), SlotCD(act="close", id=slot.id)))
    return "\n".join(lines), keyboard(
        [*rows, manage, [button(t("slot-btn-list"), SlotCD(act="list"))]]
    )


async def slots_command(message: Message, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_slots(await services.internships.my_slots(me), t)
    await answer(message, text, markup)


async def slot_button(
    query: CallbackQuery,
    callback_data: SlotCD,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    internships = services.internships
    act, slot_id = callback_data.act, callback_data.id
    if act == "list":
        await state.clear()
        text, markup = render_slots(await internships.my_slots(me), t)
    elif act == "open":
        text, markup = render_card(await internships.slot_card(me, slot_id), t)
    elif act == "cap":
        card = await internships.slot_card(me, slot_id)
        await state.set_state(SlotFlow.capacity)
        await state.update_data(slot_id=card.slot.id)
        back = button(t("slot-btn-back"), SlotCD(act="open", id=card.slot.id))
        text, markup = t("slot-capacity-ask", taken=card.slot.taken), keyboard([[back]])
    elif act == "close":
        card = await internships.slot_card(me, slot_id)
        text = t("slot-close-ask", when=card.slot.when)
        markup = keyboard(
            [
                [
                    button(t("slot-btn-close-sure"), SlotCD(act="closeok", id=slot_id)),
                    button(t("slot-btn-back"), SlotCD(act="open", id=slot_id)),
                ]
            ]
        )
    elif act == "closeok":
        slot = await internships.close_slot(me, slot_id)
        text, markup = t("slot-closed", when=slot.when), None
    elif act == "add":
        step = await internships.slot_begin(me)
        await state.set_state(SlotFlow.adding)
        text, markup = render_step(step, t)
    else:
        raise NotAllowed()
    await query.answer()
    await send_below(query, text, markup)


async def take_capacity(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    slot_id = int((await state.get_data()).get("slot_id", 0))
    slot = await services.internships.set_capacity(me, slot_id, message.text or "")
    await state.clear()
    await message.answer(t("slot-capacity-set", capacity=slot.capacity, left=slot.left))


# Adding a slot.


def render_step(step: SlotStep, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    back = button(t("slot-btn-back"), SlotAddCD(act="back"))
    cancel = button(t("slot-btn-cancel"), SlotAddCD(act="cancel"))
    skip = button(t("slot-btn-skip"), SlotAddCD(act="skip"))
    data = step.data
    if step.step == "site":
        rows = [
            [button(name[:60], SlotAddCD(act="site", v=str(site_id)))]
            for site_id, name in step.sites
        ]
        return t("slot-ask-site"), keyboard([*rows, [cancel]])
    if step.step == "kind":
        rows = [
            [button(t(f"int-kind-{kind.value}"), SlotAddCD(act="kind", v=kind.value))]
            for kind in SlotKind
        ]
        return t("slot-ask-kind", site=data.get("site", "")), keyboard([*rows, [back, cancel]])
    if step.step in ("start", "end", "capacity"):
        return t(f"slot-ask-{step.step}", start=data.get("start_text", "")), keyboard(
            [[back, cancel]]
        )
    if step.step in ("reqs", "dirs"):
        return t(f"slot-ask-{step.step}"), keyboard([[skip], [back, cancel]])
    none = t("slot-none")
    text = t(
        "slot-confirm",
        site=data.get("site", none),
        kind=t(f"int-kind-{data.get('kind', 'internship')}"),
        when=data.get("when", none),
        capacity=data.get("capacity", none),
        requirements=data.get("reqs") or none,
        directions=", ".join(data.get("dirs") or []) or t("slot-dirs-site"),
    )
    return text, keyboard([[button(t("slot-btn-save"), SlotAddCD(act="ok"))], [back, cancel]])


async def add_button(
    query: CallbackQuery,
    callback_data: SlotAddCD,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    internships = services.internships
    act = callback_data.act
    if act == "cancel":
        await internships.slot_cancel(me)
        await state.clear()
        await query.answer()
        await send_below(query, t("slot-add-cancelled"), None)
        return
    if act == "ok":
        slot = await internships.slot_confirm(me)
        await state.clear()
        await query.answer()
        await send_below(query, t("slot-created", when=slot.when, capacity=slot.capacity), None)
        return
    if act in ("site", "kind"):
        step = await internships.slot_pick(me, act, callback_data.v)
    elif act == "skip":
        step = await internships.slot_skip(me)
    elif act == "back":
        step = await internships.slot_back(me)
    else:
        raise NotAllowed()
    await state.set_state(SlotFlow.adding)
    await query.answer()
    text, markup = render_step(step, t)
    await send_below(query, text, markup)


async def add_text(message: Message, me: Identity, services: Services, t: Translator) -> None:
    step = await services.internships.slot_text(me, message.text or "")
    text, markup = render_step(step, t)
    await answer(message, text, markup)


async def wrong_input(message: Message) -> None:
    raise InvalidInput("slot-text-expected")


def create_router() -> Router:
    router = Router(name="slots")
    private = F.chat.type == "private"
    router.message.register(slots_command, Command("slots"), private)
    not_command = ~F.text.startswith("/")
    router.message.register(take_capacity, SlotFlow.capacity, private, F.text, not_command)
    router.message.register(add_text, SlotFlow.adding, private, F.text, not_command)
    router.message.register(
        wrong_input, StateFilter(SlotFlow.capacity, SlotFlow.adding), private, ~F.text
    )
    router.callback_query.register(slot_button, SlotCD.filter())
    router.callback_query.register(add_button, SlotAddCD.filter())
    return router
