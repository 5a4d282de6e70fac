"""Internships through the messenger with no aiogram (tests/recording_messenger.py): a student
browses the weeks and directions and books a slot, the site contact confirms it from the
notification's button (once), and the student sees and cancels the booking in /bookings.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dialogs import internships
from dialogs.screen import Screen
from services.clock import FixedClock
from services.i18n import Texts
from services.notify import Button
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.bookings_world import CONTACT, NOW, build_booking_world
from tests.plans_world import STUDENT
from tests.recording_messenger import RecordingMessenger, TurnChat

t = Texts().for_language("ru")
ZAVOD, LAB = "АО «Завод»", "Лаборатория «Кванториум»"
WHEN = "\x00"


def opening(key: str, **args: Any) -> str:
    """What a text says before the slot's time or the student (which the test does not spell
    out)."""
    return t(key, **{"when": WHEN, "student": WHEN, **args}).split(WHEN)[0]


async def deliver_notifications(m: RecordingMessenger, person: int) -> None:
    """What the outbox holds for `person` arrives in their chat, buttons and all."""
    async with m.uow_factory() as uow:
        rows = await uow.session.scalars(
            select(OutgoingMessage).where(OutgoingMessage.chat_id == person)
        )
        payloads = [row.payload for row in rows]
    chat = TurnChat(m.chat(person), None)
    for payload in payloads:
        buttons = [[Button(**button) for button in row] for row in payload.get("buttons", [])]
        await chat.show(Screen(payload["text"], buttons))


async def test_a_student_books_a_slot_the_contact_confirms_and_the_student_cancels(
    uow_factory: UnitOfWorkFactory,
) -> None:
    world = await build_booking_world(uow_factory, FixedClock(NOW))
    m = RecordingMessenger([internships.DIALOG, internships.BOOKINGS], uow_factory, world.clock)
    student = m.chat(STUDENT)

    await m.command(STUDENT, "internships")
    week = student.last.text
    assert ZAVOD in week and LAB in week and t("int-kind-professional_trial") not in week
    assert t("int-btn-prev-week") not in [b.text for row in student.last.rows for b in row]
    await m.press(STUDENT, t("int-btn-next-week"))
    assert t("int-kind-professional_trial") in student.last.text
    await m.press(STUDENT, t("int-btn-prev-week"))
    await m.press(STUDENT, t("int-btn-direction", direction=t("int-dir-all")))
    assert student.last.text == t("int-pick-direction")
    await m.press(STUDENT, "Высокие технологии")
    assert LAB in student.last.text and ZAVOD not in student.last.text
    await m.press(STUDENT, t("int-btn-direction", direction="Высокие технологии"))
    await m.press(STUDENT, t("int-dir-all"))
    assert student.last.text == week  # every press drew a new message below
    assert len(student.messages) == 7

    await m.press(STUDENT, t("int-btn-book", n=1))
    assert student.last.text.startswith(opening("int-booked-requested", organisation=ZAVOD))

    await deliver_notifications(m, CONTACT)
    await m.press(CONTACT, t("int-btn-confirm"))
    decided = m.chat(CONTACT).last.text
    assert decided.startswith(opening("int-decided-confirmed", organisation=ZAVOD))
    assert m.chat(CONTACT).notices[-1] == (decided, False)  # the press answered with it too
    await m.press_again(CONTACT)  # decided already: refused with an alert
    assert m.chat(CONTACT).notices[-1][1] is True and m.chat(CONTACT).last.text == decided

    await m.command(STUDENT, "bookings")
    assert student.last.text.startswith(t("int-bookings-title"))
    assert t("int-status-confirmed") in student.last.text
    await m.press(STUDENT, t("int-btn-cancel", n=1))
    assert student.last.text.startswith(opening("int-cancelled", organisation=ZAVOD))
    await m.command(STUDENT, "bookings")
    assert t("int-status-cancelled") in student.last.text
