"""The summer school end to end (the bot process against the Bot API emulator): the office
creates the event with /event_new (YAML after the command), the three invited people (two
accepted students and a tutor, all adults: no quiet hours apply to them, whatever the hour
the test runs at) get invitations, two answer «Буду» (one of them twice) and one «Не смогу».
The event starts 65 minutes ahead, so the day-before reminder is already due and the
hour-before one is five minutes off: each «Буду» person gets exactly one reminder, the
«Не смогу» person none. Two check in with a fresh code; the third, with a code made valid for
0 minutes (expired as soon as it is made), is refused."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.clock import FixedClock
from services.domain import Role
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.models import EventCheckin, OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.broadcast_world import Someone, add_people, current_season
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.example_season import import_example

OFFICE, ANNA, BORIS, TUTOR = 7600, 7601, 7602, 7603
REMINDER = "Напоминание"


async def _seed(url: str) -> tuple[str, dict[int, int]]:
    """The season's zone and person ids by Telegram id."""
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        clock = FixedClock(datetime.now(UTC))
        await import_example(factory, clock)
        ids = await add_people(factory, clock.now(), [
            Someone(ANNA), Someone(BORIS), Someone(TUTOR, status=None, grant=Role.TUTOR),
        ])  # fmt: skip
        return (await current_season(factory)).timezone, ids
    finally:
        await engine.dispose()


async def _rows(url: str, model: type, *where: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return list(await session.scalars(select(model).where(*where)))
    finally:
        await engine.dispose()


def _button(message: dict[str, Any], text: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["text"] == text:
                return str(button["callback_data"])
    raise AssertionError(f"no button {text!r} in {message.get('reply_markup')}")


def _press(emulator: BotApiEmulator, user: int, message: dict[str, Any], text: str) -> None:
    emulator.press_button(user, message["message_id"], _button(message, text))


def _shown(emulator: BotApiEmulator, user: int, message: dict[str, Any]) -> str:
    return str((emulator.message(user, message["message_id"]) or {}).get("text", ""))


def _texts(emulator: BotApiEmulator, chat: int, contains: str) -> list[str]:
    return [m.get("text", "") for m in emulator.messages_to(chat) if contains in m.get("text", "")]


async def _code(emulator: BotApiEmulator, event_id: int, minutes: int) -> str:
    emulator.send_text(OFFICE, f"/checkin_code {event_id} {minutes}")
    made = await emulator.wait_for_message(OFFICE, contains="Код для отметки")
    found = re.search(r"Код для отметки: (\d{6})", made["text"])
    assert found, made["text"]
    return found.group(1)


async def test_summer_school_invitations_one_reminder_and_checkin_by_code(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    for user_id in (OFFICE, ANNA, BORIS, TUTOR):
        emulator.user(user_id)
    url = bot_env["DATABASE_URL"]
    zone, ids = await _seed(url)
    start = (datetime.now(UTC) + timedelta(minutes=65)).astimezone(ZoneInfo(zone))
    later = start + timedelta(hours=3)
    await start_bot(OFFICE_ADMIN_IDS=OFFICE)
    emulator.send_text(OFFICE, "/start")
    await emulator.wait_for_message(OFFICE)

    emulator.send_text(OFFICE, (
        "/event_new\ntitle: Летняя школа\nplace: Технопарк\ninvite: [students, tutors]\n"
        f"agenda:\n  - at: {start:%Y-%m-%d %H:%M}\n    title: Открытие\n    place: Актовый зал\n"
        f"  - at: {later:%Y-%m-%d %H:%M}\n    title: Мастерская проектов\n"
    ))  # fmt: skip
    created = await emulator.wait_for_message(OFFICE, contains="Мероприятие «Летняя школа»")
    assert "приглашено — 3" in created["text"], created["text"]
    event_id = int(re.search(r"№ (\d+)", created["text"]).group(1))  # type: ignore[union-attr]

    invitations = {
        user: await emulator.wait_for_message(user, contains="Приглашение: Летняя школа", since=0)
        for user in (ANNA, BORIS, TUTOR)
    }
    assert "Мастерская проектов" in invitations[ANNA]["text"]
    for user, answer in ((ANNA, "Буду"), (BORIS, "Буду"), (TUTOR, "Не смогу")):
        emulator.press_button(
            user, invitations[user]["message_id"], _button(invitations[user], answer)
        )
    for user in (ANNA, BORIS):
        await emulator.wait_for_message(user, contains=REMINDER, since=0)
    # A second «Буду» (the redrawn invitation keeps its buttons) changes nothing.
    await emulator.wait_for(lambda: "буду ✅" in _shown(emulator, ANNA, invitations[ANNA]))
    _press(emulator, ANNA, invitations[ANNA], "Буду")

    code = await _code(emulator, event_id, 10)
    for user in (ANNA, BORIS):
        emulator.send_text(user, f"/checkin {code}")
        await emulator.wait_for_message(user, contains="Вы отмечены на мероприятии «Летняя школа»")
    emulator.send_text(ANNA, f"/checkin {code}")
    await emulator.wait_for_message(ANNA, contains="Вы уже отмечены")
    expired = await _code(emulator, event_id, 0)
    emulator.send_text(TUTOR, f"/checkin {expired}")
    await emulator.wait_for_message(TUTOR, contains="срок его действия истёк")

    await asyncio.sleep(1)  # a duplicate reminder, were one queued, would be sent by now
    assert len(_texts(emulator, ANNA, REMINDER)) == 1
    assert len(_texts(emulator, BORIS, REMINDER)) == 1
    assert _texts(emulator, TUTOR, REMINDER) == []
    rows = await _rows(url, OutgoingMessage, OutgoingMessage.dedupe_key.like(f"event:{event_id}:%"))
    keys = sorted(r.dedupe_key.split(":", 2)[2] for r in rows)
    assert keys == sorted([
        f"{ids[ANNA]}:day", f"{ids[ANNA]}:hour", f"{ids[BORIS]}:day", f"{ids[BORIS]}:hour",
        f"{ids[ANNA]}:invite", f"{ids[BORIS]}:invite", f"{ids[TUTOR]}:invite",
    ])  # fmt: skip
    hour = next(r for r in rows if r.dedupe_key.endswith(f"{ids[ANNA]}:hour"))
    assert hour.sent_at is None  # five minutes off
    checkins = await _rows(url, EventCheckin, EventCheckin.event_id == event_id)
    assert sorted(c.person_id for c in checkins) == sorted([ids[ANNA], ids[BORIS]])
