"""Bookings end to end: the bot process against the Bot API emulator, its time moved by a
clock-offset file. Two students book the one seat of a slot; the first cancels, the waitlisted
one is offered the seat and takes it; the site contact confirms; the student gets the calendar
file and, a day before, the reminder; after the slot the contact marks attendance."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar

from services.actions import InternshipsAction, InternshipsVerb, encode
from services.clock import FixedClock
from services.domain import Attendance
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.bookings_world import CONTACT, MSK, NOW, STUDENT3, build_booking_world
from tests.e2e.botapi_emulator import BotApiEmulator, UploadedFile
from tests.e2e.conftest import StartBot
from tests.plans_world import STUDENT, local
from tests.texts import fragment, opening, said


def _callback(message: dict[str, Any], starts: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith(starts):
                return str(button["callback_data"])
    raise AssertionError(f"no button {starts!r} in {message['reply_markup']}")


def _callbacks(message: dict[str, Any]) -> list[str]:
    return [
        str(button["callback_data"])
        for row in message["reply_markup"]["inline_keyboard"]
        for button in row
    ]


def _move_to(offset_file: Path, moment: datetime) -> None:
    offset_file.write_text(str((moment - datetime.now(UTC)).total_seconds()))


async def _seed(database_url: str) -> int:
    await upgrade_async(database_url)
    engine = create_engine(database_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_booking_world(factory, FixedClock(NOW), capacity=1)
        return world.slot_id
    finally:
        await engine.dispose()


async def _attendance(database_url: str) -> list[tuple[int, Attendance | None]]:
    engine = create_engine(database_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        async with factory() as uow:
            person = await uow.people.by_tg_id(STUDENT3)
            assert person is not None
            rows = await uow.bookings.of_student(person.id)
            return [(b.slot_id, b.attendance) for b, _, _ in rows]
    finally:
        await engine.dispose()


async def test_waitlist_offer_confirmation_calendar_reminder_and_attendance(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str], tmp_path: Path
) -> None:
    offset_file = tmp_path / "clock-offset"
    _move_to(offset_file, NOW)
    slot_id = await _seed(bot_env["DATABASE_URL"])
    for user_id in (STUDENT, STUDENT3, CONTACT):
        emulator.user(user_id)
    await start_bot(REMINDER_SWEEP_SECONDS="1", CLOCK_OFFSET_FILE=str(offset_file))

    # Both students open /internships and book the slot's one seat.
    for student in (STUDENT, STUDENT3):
        emulator.send_text(student, "/internships")
        week = await emulator.wait_for_message(student, contains="Стажировки и профпробы", since=0)
        assert fragment("int-slot-line") in week["text"]
        book = encode(InternshipsAction(verb=InternshipsVerb.BOOK, slot=slot_id))
        emulator.press_button(student, week["message_id"], _callback(week, book))
        await emulator.wait_for_message(student, contains="АО «Завод», 03.09.2026", since=0)
    texts = [m.get("text", "") for m in emulator.messages_to(STUDENT3)]
    assert any(t.startswith(opening("int-booked-waitlisted")) for t in texts)
    request = await emulator.wait_for_message(CONTACT, contains="Новая запись", since=0)

    # The first student cancels: the waitlisted one is told and takes the seat.
    emulator.send_text(STUDENT, "/bookings")
    mine = await emulator.wait_for_message(STUDENT, contains="Ваши записи", since=0)
    emulator.press_button(STUDENT, mine["message_id"], _callback(mine, "bk:2:cancel:"))
    await emulator.wait_for_message(STUDENT, contains="Запись отменена", since=0)
    offer = await emulator.wait_for_message(
        STUDENT3, contains="Освободилось место: АО «Завод»", since=0, timeout=20
    )
    emulator.press_button(STUDENT3, offer["message_id"], _callback(offer, "bk:2:acc:"))
    await emulator.wait_for_message(STUDENT3, contains="Спасибо! Место за вами", since=0)

    # The site contact confirms the new request (the old one is decided already).
    emulator.press_button(CONTACT, request["message_id"], _callback(request, "bk:2:ok:"))
    await emulator.wait_for(
        lambda: [
            c
            for c in emulator.calls("answerCallbackQuery")
            if "Эта запись уже не действует" in str(c.params) or "уже есть решение" in str(c.params)
        ]
    )
    second = await emulator.wait_for_message(CONTACT, contains="Новая запись", since=1)
    emulator.press_button(CONTACT, second["message_id"], _callback(second, "bk:2:ok:"))
    await emulator.wait_for_message(CONTACT, contains="Запись подтверждена", since=0)
    await emulator.wait_for_message(STUDENT3, contains="Ваша запись подтверждена", since=0)

    # The calendar file, as the emulator received it.
    [document] = await emulator.wait_for(lambda: emulator.calls("sendDocument"), timeout=20)
    assert int(document.params["chat_id"]) == STUDENT3
    upload = document.params["document"]
    assert isinstance(upload, UploadedFile) and upload.filename.endswith(".ics")
    [event] = Calendar.from_ical(upload.data).walk("VEVENT")
    assert event["dtstart"].params["TZID"] == MSK
    assert event["dtstart"].dt == local(MSK, 2026, 9, 3, 10, 0)
    assert event["dtstart"].dt.strftime("%H:%M") == "10:00"
    assert event["dtend"].dt.strftime("%d.%m.%Y %H:%M") == "03.09.2026 14:00"
    assert str(event["location"]) == "АО «Завод», ул. Ленина, 1"

    # A day before the start (moved forward), the reminder — once.
    _move_to(offset_file, local(MSK, 2026, 9, 2, 10, 0, 2))
    reminder = await emulator.wait_for_message(
        STUDENT3, contains="Напоминание: через", since=0, timeout=20
    )
    # The time left as it is when the reminder goes, not as planned; no «Сдать задачу»: the
    # attendance mark completes a booked internship.
    assert reminder["text"] == said(
        "reminder-start-1d", left="1 день", title="Стажировка: АО «Завод»", due="03.09.2026 10:00"
    )
    assert _callbacks(reminder) == [_callback(reminder, "plan:2:open:")]

    # After the slot the site contact is asked to mark attendance.
    _move_to(offset_file, local(MSK, 2026, 9, 3, 14, 0, 2))
    ask = await emulator.wait_for_message(
        CONTACT, contains="Отметьте, кто пришёл", since=0, timeout=20
    )
    emulator.press_button(CONTACT, ask["message_id"], _callback(ask, "bk:2:att:"))
    await emulator.wait_for_message(CONTACT, contains="посещено", since=0)
    assert await _attendance(bot_env["DATABASE_URL"]) == [(slot_id, Attendance.ATTENDED)]
    reminders = [
        m for m in emulator.messages_to(STUDENT3) if "Напоминание: через" in m.get("text", "")
    ]
    assert len(reminders) == 1
