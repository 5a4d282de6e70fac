"""A broadcast end to end: the office's /broadcast through the bot process against the Bot API
emulator, to 200 accepted students, across a 429 storm (retry_after 5 s) and a `kill -9` of the
bot while it waits the storm out (nothing in flight then). After the restart every student has
exactly one message, the progress message ends at 200 of 200, and the report came once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from services.clock import FixedClock
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.broadcast_world import Someone, add_people
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.example_season import import_example

OFFICE = 7000
STUDENTS = list(range(7100, 7300))
TEXT = "Завтра в 10:00 общий сбор участников в технопарке."


async def _seed(url: str) -> None:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        clock = FixedClock(datetime.now(UTC))
        await import_example(factory, clock)
        await add_people(factory, clock.now(), [Someone(tg) for tg in STUDENTS])
    finally:
        await engine.dispose()


def _press(emulator: BotApiEmulator, message: dict[str, Any], text: str) -> None:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["text"] == text:
                emulator.press_button(OFFICE, message["message_id"], button["callback_data"])
                return
    raise AssertionError(f"no button {text!r} in {message['reply_markup']}")


async def _edited(
    emulator: BotApiEmulator, message: dict[str, Any], contains: str
) -> dict[str, Any]:
    def now() -> dict[str, Any] | None:
        current = emulator.message(OFFICE, message["message_id"])
        return current if current and contains in current.get("text", "") else None

    return dict(await emulator.wait_for(now, 15, f"message edited to contain {contains!r}"))


def _delivered(emulator: BotApiEmulator) -> int:
    return sum(1 for u in STUDENTS if emulator.messages_to(u))


async def _write_and_send(emulator: BotApiEmulator) -> None:
    emulator.send_text(OFFICE, "/broadcast")
    menu = await emulator.wait_for_message(OFFICE, contains="Кому отправить рассылку?")
    _press(emulator, menu, "Зачисленные участники")
    menu = await _edited(emulator, menu, "Сузить круг получателей?")
    _press(emulator, menu, "Всем в сегменте")
    await _edited(emulator, menu, "Пришлите текст рассылки")
    emulator.send_text(OFFICE, TEXT)
    preview = await emulator.wait_for_message(OFFICE, contains="Так увидят сообщение получатели")
    assert "Зачисленные участники — 200 чел." in preview["text"] and TEXT in preview["text"]
    _press(emulator, preview, "Отправить")
    await _edited(emulator, preview, "Рассылка запущена: 200 получателей")


async def test_a_broadcast_to_200_reaches_each_once_across_a_429_storm_and_kill_9(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    for user_id in [OFFICE, *STUDENTS]:
        emulator.user(user_id)
    await _seed(bot_env["DATABASE_URL"])
    env = dict(OFFICE_ADMIN_IDS=OFFICE, OUTBOX_LEASE_SECONDS=4, BROADCAST_PROGRESS_SECONDS=1,
               THROTTLE_RATE_PER_SECOND=1000)  # fmt: skip
    bot = await start_bot(**env)
    emulator.send_text(OFFICE, "/start")
    await emulator.wait_for_message(OFFICE)
    await _write_and_send(emulator)

    await emulator.wait_for(lambda: _delivered(emulator) >= 40, timeout=30)
    window = emulator.flood(retry_after=5)
    await asyncio.sleep(1.5)  # the sends in flight got their 429: the sender waits it out
    await bot.kill()
    before = _delivered(emulator)
    assert 40 <= before < len(STUDENTS)

    await start_bot(**env)
    await emulator.wait_for(lambda: _delivered(emulator) == len(STUDENTS), timeout=90)

    def final() -> dict[str, Any] | None:
        for message in emulator.messages_to(OFFICE):
            if message.get("text", "").startswith("✅ Рассылка завершена."):
                return message
        return None

    progress = await emulator.wait_for(final, timeout=30, message="the final progress")
    assert "Доставлено: 200 из 200" in progress["text"]
    assert "Не подтверждено (сбой во время отправки): 0" in progress["text"]
    assert "reply_markup" not in progress  # the stop button is gone
    await emulator.wait_for_message(OFFICE, contains="Отчёт о рассылке", since=0)
    await asyncio.sleep(1.5)  # a second report or a late duplicate would arrive by now
    for user_id in STUDENTS:
        assert [m.get("text") for m in emulator.messages_to(user_id)] == [TEXT], user_id
    reports = [m for m in emulator.messages_to(OFFICE) if "Отчёт о рассылке" in m.get("text", "")]
    assert len(reports) == 1 and "Доставлено: 200." in reports[0]["text"]
    assert emulator.successful_during(window) == []
