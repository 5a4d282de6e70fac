"""ИУП end to end: the bot process against the Bot API emulator, with its time moved by a
clock-offset file. A student gets a reminder, snoozes it, gets it again, submits the task from
it with a photo, and the tutor approves; the team chat gets its morning digest."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from services.actions import PlanAction, PlanVerb, encode
from services.clock import FixedClock
from services.domain import TaskKind
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.plans_world import STUDENT, TUTOR, build_world, local, services
from tests.texts import said

MSK = "Europe/Moscow"
TEAM_CHAT = -100777
START = local(MSK, 2026, 12, 1, 10, 0)  # a Tuesday morning in the region


def _callback(message: dict[str, Any], starts: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith(starts):
                return str(button["callback_data"])
    raise AssertionError(f"no button {starts!r} in {message['reply_markup']}")


async def _seed(database_url: str, clock: FixedClock) -> int:
    await upgrade_async(database_url)
    engine = create_engine(database_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_world(factory, clock, MSK, chat_id=TEAM_CHAT)
        tutor = await world.me(TUTOR)
        student = await world.person_id(STUDENT)
        async with factory() as uow:
            plans = services(uow, clock).plans
            [course] = await plans.assign(
                tutor,
                kind=TaskKind.ONLINE_COURSE,
                title="Курс по экологии",
                # Its "1 day before" reminder falls due a few seconds after the bot starts.
                due_at=START + timedelta(days=1, seconds=6),
                student_id=student,
            )
        async with factory() as uow:
            await services(uow, clock).plans.assign(
                tutor,
                kind=TaskKind.PROFESSIONAL_TRIAL,
                title="Проба на заводе",
                due_at=START + timedelta(hours=5),  # due today: in the digest
                student_id=student,
            )
        return course.id
    finally:
        await engine.dispose()


async def test_reminder_snooze_submit_approve_and_team_digest(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str], tmp_path: Path
) -> None:
    offset_file = tmp_path / "clock-offset"
    offset = (START - datetime.now(UTC)).total_seconds()
    offset_file.write_text(str(offset))
    task_id = await _seed(bot_env["DATABASE_URL"], FixedClock(START))
    emulator.group(TEAM_CHAT, "Команда «Альфа»")
    for user_id in (STUDENT, TUTOR):
        emulator.user(user_id)

    await start_bot(REMINDER_SWEEP_SECONDS="1", CLOCK_OFFSET_FILE=str(offset_file))

    digest = await emulator.wait_for_message(TEAM_CHAT, contains="Сроки ИУП", since=0, timeout=30)
    assert digest["text"] == (
        "Сроки ИУП на 01.12.2026\nСегодня срок:\n• Участник №3 — «Проба на заводе» (15:00)"
    )

    reminder = await emulator.wait_for_message(
        STUDENT, contains="нужно сдать через 1 день", since=0, timeout=30
    )
    assert reminder["text"].startswith("Напоминание: задачу «Курс по экологии»")
    emulator.press_button(STUDENT, reminder["message_id"], _callback(reminder, "rsn:"))
    answer = await emulator.wait_for(
        lambda: [c for c in emulator.calls("answerCallbackQuery") if "напомню" in str(c.params)]
    )
    assert "Хорошо, напомню 01.12.2026 11:0" in str(answer[0].params)

    # An hour later (moved forward), the snoozed reminder comes again — once.
    offset_file.write_text(str(offset + 3600 + 10))
    again = await emulator.wait_for_message(
        STUDENT, contains="Напоминаю о задаче «Курс по экологии»", since=0, timeout=30
    )
    emulator.press_button(
        STUDENT, again["message_id"], encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id))
    )
    await emulator.wait_for_message(STUDENT, contains="Пришлите подтверждение", since=0)
    emulator.send_message(STUDENT, photo={}, caption="Сертификат курса")
    await emulator.wait_for_message(STUDENT, contains="сдана. Тьютор проверит", since=0)

    notice = await emulator.wait_for_message(TUTOR, contains="сдал(а) задачу", since=0, timeout=20)
    photos = [m for m in emulator.messages_to(TUTOR) if m.get("photo")]
    assert [p.get("caption") for p in photos] == [
        said("plan-evidence-caption", title="Курс по экологии")
    ]
    emulator.press_button(
        TUTOR, notice["message_id"], encode(PlanAction(verb=PlanVerb.APPROVE, task=task_id))
    )
    await emulator.wait_for_message(
        STUDENT, contains="Задача «Курс по экологии» принята", since=0, timeout=20
    )
    await asyncio.sleep(1.5)  # a few more sweeps: nothing is sent twice
    texts = [m.get("text", "") for m in emulator.messages_to(STUDENT)]
    assert sum("нужно сдать через 1 день" in t for t in texts) == 1
    assert sum("Напоминаю о задаче" in t for t in texts) == 1
    assert len([m for m in emulator.messages_to(TEAM_CHAT) if "Сроки ИУП" in m["text"]]) == 1
