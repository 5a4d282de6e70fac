"""Exactly once, end to end: the bot process (`python -m bot run`, long polling the Bot API
emulator) dies at each point of a questionnaire step — before the handler, after the write
(before the commit), after the commit (before the reply), after the reply (before the update is
confirmed) — through the test-only fault points (storage/faults.py), and is started again. The
emulator delivers the unconfirmed update again; the answer is then stored exactly once, the
applicant sees the step they stand at, and their next answers land on the right steps.

On the embedded defaults (SQLite, the in-memory cursor: lost with the process) and on
PostgreSQL with Redis (the cursor survives, pointing at the step already answered). And by
webhook (`python -m bot webhook`): the process answers the request only once the update is
handled, so the one it dies on is not confirmed, and the emulator delivers it again to the
process started after."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from services.clock import SystemClock
from services.season_import import SeasonImportService
from storage.db import create_engine, create_session_factory
from storage.faults import FAULT_POINT_VARIABLE, FAULT_POINTS, KILLED_EXIT_CODE
from storage.migrate import upgrade_async
from storage.models import Answer, Application, PresentationMedia
from storage.uow import UnitOfWorkFactory
from tests.applicants import ABOUT, WHY
from tests.conftest import REDIS_URL, _truncate_postgres
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot, free_port
from tests.e2e.test_apply import FAST, Applicant, _born, _rows, _season_file
from tests.texts import said

PRESENTATION = ABOUT + " Ещё я веду блог о науке."


@pytest.fixture(params=["sqlite", pytest.param("postgres+redis", marks=pytest.mark.postgres)])
async def store(
    request: pytest.FixtureRequest, bot_env: dict[str, str], tmp_path: Path
) -> dict[str, str]:
    """The settings of the store under test, with the example season imported."""
    env = {key: str(value) for key, value in FAST.items()}
    url = bot_env["DATABASE_URL"]
    if request.param != "sqlite":
        url = request.getfixturevalue("pg_url")
        await _truncate_postgres(url)
        # Redis keys are the bot's own (a bot id per test: tests/conftest.py `bot_token`).
        env["REDIS_URL"] = REDIS_URL
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            text = _season_file(tmp_path).read_text(encoding="utf-8")
            await SeasonImportService(uow, SystemClock()).import_text(text)
    finally:
        await engine.dispose()
    return env | {"DATABASE_URL": url}


async def at_about(kid: Applicant) -> None:
    """A 15-year-old through the consents and the steps up to "about" (step 15 of 20)."""
    await kid.through_consents("от 14 до 17")
    await kid.say(_born(15), "Шаг 6 из 20")
    await kid.say("Сидоров Иван Андреевич", "Шаг 7 из 20")
    await kid.say("Северск", "Шаг 8 из 20")
    await kid.press("колледж", "Шаг 9 из 20")
    await kid.say("Северский промышленный колледж", "Шаг 10 из 20")
    await kid.say("2", "Шаг 11 из 20")
    await kid.say("+7 913 555-44-33", "Шаг 12 из 20")
    for step in (13, 14, 15):
        await kid.press("Пропустить", f"Шаг {step} из 20")


@pytest.mark.parametrize("point", FAULT_POINTS)
async def test_killed_at_each_point_of_a_step_the_answer_is_stored_exactly_once(
    emulator: BotApiEmulator, start_bot: StartBot, store: dict[str, str], point: str
) -> None:
    await killed_and_started_again(emulator, start_bot, store, point)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
@pytest.mark.parametrize("point", FAULT_POINTS)
async def test_by_webhook_the_update_killed_mid_handling_is_delivered_again_stored_once(
    emulator: BotApiEmulator, start_bot: StartBot, store: dict[str, str], point: str
) -> None:
    port = free_port()
    webhook = {
        "WEBHOOK_BASE_URL": f"http://127.0.0.1:{port}",
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": "exactly-Once_1",
    }
    update_id = await killed_and_started_again(emulator, start_bot, store | webhook, point)
    deliveries = [d for d in emulator.webhook_deliveries if d.update_id == update_id]
    # The request the process died on was never answered; a later one, to the process started
    # again, was.
    assert deliveries[0].status is None and deliveries[0].error is not None, deliveries
    assert deliveries[-1].status == 200, deliveries


async def killed_and_started_again(
    emulator: BotApiEmulator, start_bot: StartBot, store: dict[str, str], point: str
) -> int:
    """The answer to "about" reaches a process that dies at `point`; started again, the bot
    stores it once and the next answers land on the next steps. Returns the update's id."""
    bot = await start_bot(**store)
    kid = Applicant(emulator, 805)
    await at_about(kid)
    assert await bot.stop() == 0

    # The answer to "about" reaches a process that dies at `point`.
    doomed = await start_bot(**store, **{FAULT_POINT_VARIABLE: point})
    since = len(emulator.messages_to(kid.uid))
    update_id = int(emulator.send_text(kid.uid, ABOUT)["update_id"])
    assert doomed.process is not None
    assert await asyncio.wait_for(doomed.process.wait(), 15) == KILLED_EXIT_CODE
    assert f"fault point {point}: exiting" in doomed.log()
    replied = [m["text"] for m in emulator.messages_to(kid.uid)[since:]]
    if "REDIS_URL" in store:
        # The dead process held the applicant's event-isolation lock in Redis, which expires
        # after aiogram's 60 s; the test lets it go at once instead of waiting.
        redis = Redis.from_url(REDIS_URL)
        try:
            bot_id = emulator.token.split(":")[0]
            locks = [key async for key in redis.scan_iter(f"*{bot_id}*lock*")]
            assert locks, "the killed process held no lock"
            await redis.delete(*locks)
        finally:
            await redis.aclose()
    assert any("Шаг 16 из 20" in text for text in replied) == (point == "after-reply")

    # Started again, the bot is given the unconfirmed update once more.
    await start_bot(**store)
    await emulator.wait_for_message(kid.uid, "Шаг 16 из 20", since=since)
    await kid.say(PRESENTATION, "Шаг 17 из 20")
    await kid.say(WHY, "Шаг 18 из 20")

    url = store["DATABASE_URL"]
    answers = dict(await _rows(url, select(Answer.step, Answer.value)))
    assert answers["about"] == ABOUT
    assert answers["presentation"] == "text" and answers["q-why"] == WHY
    assert "q-experience" not in answers  # nothing stored one step too far
    [(texts,)] = await _rows(url, select(func.count()).select_from(PresentationMedia))
    assert texts == 1
    [(applications,)] = await _rows(url, select(func.count()).select_from(Application))
    assert applications == 1
    texts_after = [m["text"] for m in emulator.messages_to(kid.uid)[since:]]
    assert said("error-unexpected") not in texts_after
    return update_id
