"""The site contact's /slots, for any messenger: own slots with seats taken and left, a slot's
card (its booking buttons are the bookings dialog's, handlers/internships.py), changing the
capacity, closing a slot, and adding a slot — a wizard whose draft services.internships saves
at every step, so the cursor only says that a typed message answers it.
"""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn
from dialogs.slots_screens import (
    capacity_screen,
    card_screen,
    close_screen,
    slots_screen,
    step_screen,
)
from services.actions import SlotAction, SlotAddAction, SlotAddVerb, SlotVerb
from services.errors import InvalidInput
from services.internships import SlotStep
from services.questionnaire import Input

# The cursor's states, named as aiogram named the former StatesGroup, so a saved conversation
# goes on.
SLOT_ADDING = "SlotFlow:adding"
SLOT_CAPACITY = "SlotFlow:capacity"


def typed_text(given: Input) -> str:
    """What was typed; a photo, a sticker or a file is refused."""
    if given.kind != "text" or given.text is None:
        raise InvalidInput("slot-text-expected")
    return given.text


# --- /slots and a slot's card ------------------------------------------------------------------


async def slots_command(turn: Turn, args: str) -> None:
    await turn.chat.show(slots_screen(turn.t, await turn.services.internships.my_slots(turn.me)))


async def list_slots(turn: Turn, action: SlotAction) -> None:
    await turn.cursor.clear()
    slots = await turn.services.internships.my_slots(turn.me)
    await turn.chat.notice()
    await turn.chat.show(slots_screen(turn.t, slots))


async def open_slot(turn: Turn, action: SlotAction) -> None:
    card = await turn.services.internships.slot_card(turn.me, action.slot)
    await turn.chat.notice()
    await turn.chat.show(card_screen(turn.t, card))


async def ask_capacity(turn: Turn, action: SlotAction) -> None:
    card = await turn.services.internships.slot_card(turn.me, action.slot)
    await turn.cursor.set_state(SLOT_CAPACITY)
    await turn.cursor.set_data({**await turn.cursor.get_data(), "slot_id": card.slot.id})
    await turn.chat.notice()
    await turn.chat.show(capacity_screen(turn.t, card.slot))


async def take_capacity(turn: Turn, given: Input) -> None:
    typed = typed_text(given)
    slot_id = int((await turn.cursor.get_data()).get("slot_id", 0))
    slot = await turn.services.internships.set_capacity(turn.me, slot_id, typed)
    await turn.cursor.clear()
    await turn.chat.show(
        Screen(turn.t("slot-capacity-set", capacity=slot.capacity, left=slot.left))
    )


async def ask_close(turn: Turn, action: SlotAction) -> None:
    card = await turn.services.internships.slot_card(turn.me, action.slot)
    await turn.chat.notice()
    await turn.chat.show(close_screen(turn.t, card.slot))


async def close_slot(turn: Turn, action: SlotAction) -> None:
    slot = await turn.services.internships.close_slot(turn.me, action.slot)
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("slot-closed", when=slot.when)))


# --- adding a slot ----------------------------------------------------------------------------


async def adding_moved(turn: Turn, step: SlotStep) -> None:
    """The wizard's next (or previous) step, below the pressed message."""
    await turn.cursor.set_state(SLOT_ADDING)
    await turn.chat.notice()
    await turn.chat.show(step_screen(turn.t, step))


async def begin_adding(turn: Turn, action: SlotAction) -> None:
    await adding_moved(turn, await turn.services.internships.slot_begin(turn.me))


async def add_text(turn: Turn, given: Input) -> None:
    step = await turn.services.internships.slot_text(turn.me, typed_text(given))
    await turn.chat.show(step_screen(turn.t, step))


async def pick_site(turn: Turn, action: SlotAddAction) -> None:
    step = await turn.services.internships.slot_pick(turn.me, "site", str(action.site))
    await adding_moved(turn, step)


async def pick_kind(turn: Turn, action: SlotAddAction) -> None:
    step = await turn.services.internships.slot_pick(turn.me, "kind", action.kind)
    await adding_moved(turn, step)


async def skip_step(turn: Turn, action: SlotAddAction) -> None:
    await adding_moved(turn, await turn.services.internships.slot_skip(turn.me))


async def step_back(turn: Turn, action: SlotAddAction) -> None:
    await adding_moved(turn, await turn.services.internships.slot_back(turn.me))


async def cancel_adding(turn: Turn, action: SlotAddAction) -> None:
    await turn.services.internships.slot_cancel(turn.me)
    await turn.cursor.clear()
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("slot-add-cancelled")))


async def save_slot(turn: Turn, action: SlotAddAction) -> None:
    slot = await turn.services.internships.slot_confirm(turn.me)
    await turn.cursor.clear()
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("slot-created", when=slot.when, capacity=slot.capacity)))


DIALOG = Dialog(
    name="slots",
    action=SlotAction,
    commands={"slots": slots_command},
    states={SLOT_CAPACITY: take_capacity},
    actions={
        SlotVerb.LIST: list_slots,
        SlotVerb.OPEN: open_slot,
        SlotVerb.ASK_CAPACITY: ask_capacity,
        SlotVerb.ASK_CLOSE: ask_close,
        SlotVerb.CLOSE: close_slot,
        SlotVerb.ADD: begin_adding,
    },
)

# The add-slot wizard's buttons carry their own action (services.actions.SlotAddAction), so the
# wizard is a dialog of its own beside /slots, registered right after it.
ADD_SLOT = Dialog(
    name="slot_add",
    action=SlotAddAction,
    states={SLOT_ADDING: add_text},
    actions={
        SlotAddVerb.PICK_SITE: pick_site,
        SlotAddVerb.PICK_KIND: pick_kind,
        SlotAddVerb.SKIP: skip_step,
        SlotAddVerb.BACK: step_back,
        SlotAddVerb.CANCEL: cancel_adding,
        SlotAddVerb.SAVE: save_slot,
    },
)
