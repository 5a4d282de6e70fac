"""/slots and the add-slot wizard through the recording messenger (no aiogram): the site
contact opens their slots, adds one step by step (a refused answer, Back, Skip) and saves it;
a replayed Save creates nothing.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

import pytest

from dialogs import slots
from services.clock import FixedClock
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.bookings_world import CONTACT, NOW, BookingWorld, build_booking_world
from tests.plans_world import services
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory) -> BookingWorld:
    return await build_booking_world(uow_factory, FixedClock(NOW))


async def test_a_site_contact_adds_a_slot_through_the_wizard(world: BookingWorld) -> None:
    m = RecordingMessenger([slots.DIALOG, slots.ADD_SLOT], world.uow_factory, world.clock)
    chat = m.chat(CONTACT)
    await m.command(CONTACT, "slots")
    assert chat.last.text.startswith(t("slots-title"))
    await m.press(CONTACT, t("slots-btn-add"))  # one site: the wizard starts at the kind
    assert chat.last.text == t("slot-ask-kind", site="АО «Завод»")
    assert m.cursors[CONTACT].state == "SlotFlow:adding"  # the name saved cursors carry
    await m.press(CONTACT, t("int-kind-internship"))
    await m.type(CONTACT, "16.09.2026 09:00")
    assert chat.last.text.startswith(t("slot-ask-end", start="16.09.2026 09:00"))
    await m.press(CONTACT, t("slot-btn-back"))  # the start again
    await m.type(CONTACT, "16.09.2026 10:00")
    await m.type(CONTACT, "12:00")
    await m.type(CONTACT, "много")  # not a number: refused, the step stays
    assert chat.last.text == t("slot-capacity-format")
    await m.type(CONTACT, "3")
    await m.press(CONTACT, t("slot-btn-skip"))  # no requirements
    await m.press(CONTACT, t("slot-btn-skip"))  # the site's directions
    assert "16.09.2026 10:00–12:00" in chat.last.text
    await m.press(CONTACT, t("slot-btn-save"))
    assert chat.last.text == t("slot-created", when="16.09.2026 10:00–12:00", capacity=3)
    assert m.cursors[CONTACT].state is None
    await m.press_again(CONTACT)  # a replayed Save creates nothing
    assert chat.notices[-1][1] is True

    async with world.uow_factory() as uow:
        me = await world.me(CONTACT)
        mine = await services(uow, world.clock).internships.my_slots(me)
    assert sorted(slot.capacity for slot in mine) == [2, 3, 5]
