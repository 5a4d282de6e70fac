"""The site contact's /slots: own slots with seats taken and left, a slot's card (bookings to
confirm, attendance to mark), changing the capacity, closing a slot, and adding a slot (a short
dialogue saved at every step)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import answer, button, keyboard, send_below
from services.actions import (
    BookingAction,
    BookingVerb,
    SlotAction,
    SlotAddAction,
    SlotAddVerb,
    SlotVerb,
)
from services.container import Services
from services.domain import SlotKind
from services.errors import InvalidInput
from services.i18n import Translator
from services.internships import SlotCard, SlotStep, SlotView
from services.people import Identity

MAX_LISTED = 30


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
    add = [button(t("slots-btn-add"), SlotAction(verb=SlotVerb.ADD))]
    if not slots:
        return t("slots-empty"), keyboard([add])
    lines = [t("slots-title")]
    rows: list[list[InlineKeyboardButton]] = []
    for number, slot in enumerate(slots[:MAX_LISTED], start=1):
        lines.append(_slot_line(number, slot, t))
        rows.append(
            [button(t("slots-btn-open", n=number), SlotAction(verb=SlotVerb.OPEN, slot=slot.id))]
        )
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
                        t("int-btn-confirm-who", student=name),
                        BookingAction(verb=BookingVerb.CONFIRM, booking=booking.id),
                    ),
                    button(
                        t("int-btn-decline-who", student=name),
                        BookingAction(verb=BookingVerb.DECLINE, booking=booking.id),
                    ),
                ]
            )
        if booking.can_mark:
            rows.append(
                [
                    button(
                        t("int-btn-attended", student=name),
                        BookingAction(verb=BookingVerb.ATTENDED, booking=booking.id),
                    ),
                    button(
                        t("int-btn-no-show", student=name),
                        BookingAction(verb=BookingVerb.ABSENT, booking=booking.id),
                    ),
                ]
            )
    manage: list[InlineKeyboardButton] = []
    if not slot.ended:
        manage.append(
            button(t("slot-btn-capacity"), SlotAction(verb=SlotVerb.ASK_CAPACITY, slot=slot.id))
        )
        if slot.status.value == "open":
            manage.append(
                button(t("slot-btn-close"), SlotAction(verb=SlotVerb.ASK_CLOSE, slot=slot.id))
            )
    return "\n".join(lines), keyboard(
        [*rows, manage, [button(t("slot-btn-list"), SlotAction(verb=SlotVerb.LIST))]]
    )


async def slots_command(message: Message, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_slots(await services.internships.my_slots(me), t)
    await answer(message, text, markup)


async def list_slots(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    await state.clear()
    text, markup = render_slots(await services.internships.my_slots(me), t)
    await query.answer()
    await send_below(query, text, markup)


async def open_slot(
    query: CallbackQuery, action: SlotAction, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_card(await services.internships.slot_card(me, action.slot), t)
    await query.answer()
    await send_below(query, text, markup)


async def ask_capacity(
    query: CallbackQuery,
    action: SlotAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    card = await services.internships.slot_card(me, action.slot)
    await state.set_state(SlotFlow.capacity)
    await state.update_data(slot_id=card.slot.id)
    back = button(t("slot-btn-back"), SlotAction(verb=SlotVerb.OPEN, slot=card.slot.id))
    await query.answer()
    await send_below(query, t("slot-capacity-ask", taken=card.slot.taken), keyboard([[back]]))


async def ask_close(
    query: CallbackQuery, action: SlotAction, me: Identity, services: Services, t: Translator
) -> None:
    card = await services.internships.slot_card(me, action.slot)
    markup = keyboard(
        [
            [
                button(t("slot-btn-close-sure"), SlotAction(verb=SlotVerb.CLOSE, slot=action.slot)),
                button(t("slot-btn-back"), SlotAction(verb=SlotVerb.OPEN, slot=action.slot)),
            ]
        ]
    )
    await query.answer()
    await send_below(query, t("slot-close-ask", when=card.slot.when), markup)


async def close_slot(
    query: CallbackQuery, action: SlotAction, me: Identity, services: Services, t: Translator
) -> None:
    slot = await services.internships.close_slot(me, action.slot)
    await query.answer()
    await send_below(query, t("slot-closed", when=slot.when), None)


async def begin_adding(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    step = await services.internships.slot_begin(me)
    await state.set_state(SlotFlow.adding)
    text, markup = render_step(step, t)
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
    back = button(t("slot-btn-back"), SlotAddAction(verb=SlotAddVerb.BACK))
    cancel = button(t("slot-btn-cancel"), SlotAddAction(verb=SlotAddVerb.CANCEL))
    skip = button(t("slot-btn-skip"), SlotAddAction(verb=SlotAddVerb.SKIP))
    data = step.data
    if step.step == "site":
        rows = [
            [button(name[:60], SlotAddAction(verb=SlotAddVerb.PICK_SITE, site=site_id))]
            for site_id, name in step.sites
        ]
        return t("slot-ask-site"), keyboard([*rows, [cancel]])
    if step.step == "kind":
        rows = [
            [
                button(
                    t(f"int-kind-{kind.value}"),
                    SlotAddAction(verb=SlotAddVerb.PICK_KIND, kind=kind.value),
                )
            ]
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
    return text, keyboard(
        [[button(t("slot-btn-save"), SlotAddAction(verb=SlotAddVerb.SAVE))], [back, cancel]]
    )


async def cancel_adding(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    await services.internships.slot_cancel(me)
    await state.clear()
    await query.answer()
    await send_below(query, t("slot-add-cancelled"), None)


async def save_slot(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    slot = await services.internships.slot_confirm(me)
    await state.clear()
    await query.answer()
    await send_below(query, t("slot-created", when=slot.when, capacity=slot.capacity), None)


async def _adding_moved(
    query: CallbackQuery, step: SlotStep, t: Translator, state: FSMContext
) -> None:
    """The dialogue's next (or previous) step, below the pressed message."""
    await state.set_state(SlotFlow.adding)
    await query.answer()
    text, markup = render_step(step, t)
    await send_below(query, text, markup)


async def pick_site(
    query: CallbackQuery,
    action: SlotAddAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    step = await services.internships.slot_pick(me, "site", str(action.site))
    await _adding_moved(query, step, t, state)


async def pick_kind(
    query: CallbackQuery,
    action: SlotAddAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    step = await services.internships.slot_pick(me, "kind", action.kind)
    await _adding_moved(query, step, t, state)


async def skip_step(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    await _adding_moved(query, await services.internships.slot_skip(me), t, state)


async def step_back(
    query: CallbackQuery, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    await _adding_moved(query, await services.internships.slot_back(me), t, state)


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
    for verb, handler in (
        (SlotVerb.LIST, list_slots),
        (SlotVerb.OPEN, open_slot),
        (SlotVerb.ASK_CAPACITY, ask_capacity),
        (SlotVerb.ASK_CLOSE, ask_close),
        (SlotVerb.CLOSE, close_slot),
        (SlotVerb.ADD, begin_adding),
    ):
        router.callback_query.register(handler, Pressed(SlotAction, F.verb == verb))
    for add_verb, add_handler in (
        (SlotAddVerb.PICK_SITE, pick_site),
        (SlotAddVerb.PICK_KIND, pick_kind),
        (SlotAddVerb.SKIP, skip_step),
        (SlotAddVerb.BACK, step_back),
        (SlotAddVerb.CANCEL, cancel_adding),
        (SlotAddVerb.SAVE, save_slot),
    ):
        router.callback_query.register(add_handler, Pressed(SlotAddAction, F.verb == add_verb))
    return router
