"""Each update's effect exactly once, through the real Dispatcher on SQLite and PostgreSQL
(storage/uow.py `claim_update`, bot/middlewares.py `ServicesMiddleware`, dialogs/apply.py
`show_again`): a questionnaire answer delivered again after its commit is not stored again — not
even as the answer to the next step — and the person sees the step they stand at, whatever state
the cursor was left in; an answer whose commit never happened is stored on redelivery; an update
that wrote nothing is simply answered again; two processes given one update store it once.

The bot process killed at each point of a step is tests/e2e/test_exactly_once.py."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from sqlalchemy import func, select

from dialogs.apply import STEP
from services.actions import ApplyVerb
from services.clock import FixedClock
from storage.models import ProcessedUpdate
from storage.uow import UnitOfWork
from tests.applicants import ABOUT, cd, municipality_id, start_application
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness, message_update
from tests.example_season import import_example
from tests.texts import fragment, said

PRESENTATION = ABOUT + " Ещё я веду блог о науке."
UID = 10


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    await import_example(harness.app.uow_factory, clock)
    yield harness
    await harness.app.engine.dispose()


async def at_about(harness: Harness, uid: int = UID) -> int:
    """An applicant whose questionnaire stands at "about" (a free text step followed by another:
    an answer taken twice would be stored as the next step's too)."""
    app = await start_application(harness, uid)
    for typed in ("15.01.2013", "Иванов Пётр Алексеевич"):
        await harness.send(uid, typed)
    tomsk = await municipality_id(harness, "Томск")
    await harness.press(uid, cd(ApplyVerb.PICK_MUNICIPALITY, app, item=tomsk))
    await harness.press(uid, cd(ApplyVerb.CHOOSE, app, "edu_type", "school"))
    for typed in ("МАОУ СОШ № 32 г. Томска", "7", "8 (913) 555-44-33", "petr@example.ru"):
        await harness.send(uid, typed)
    await harness.press(uid, cd(ApplyVerb.SKIP, app, "leader_id"))
    await harness.send(uid, "petr.ivanov")
    assert await cursor_step(harness, uid) == "about"
    return app


async def answers(harness: Harness, app: int) -> dict[str, str | None]:
    async with harness.app.uow_factory() as uow:
        return await uow.applications.answers(app)


async def processed(harness: Harness) -> set[int]:
    async with harness.app.uow_factory() as uow:
        return set(await uow.session.scalars(select(ProcessedUpdate.update_id)))


def cursor_of(harness: Harness, uid: int = UID) -> FSMContext:
    key = StorageKey(bot_id=harness.app.bot.id, chat_id=uid, user_id=uid)
    return FSMContext(harness.app.dp.storage, key)


async def cursor_step(harness: Harness, uid: int = UID) -> Any:
    return (await cursor_of(harness, uid).get_data()).get("step")


def texts(harness: Harness, uid: int = UID) -> list[str]:
    return harness.session.texts_to(uid)


def presentation_screen(harness: Harness) -> str:
    """The step after "about", as the harness's last question showed it."""
    [screen] = [text for text in texts(harness) if fragment("apply-step-presentation") in text][-1:]
    return screen


@ON_BOTH_DATABASES
async def test_an_answer_delivered_again_is_stored_once_and_the_step_shown_again(
    harness: Harness,
) -> None:
    app = await at_about(harness)
    update = message_update(UID, ABOUT)
    await harness.feed(update)
    stored = await answers(harness, app)
    assert stored["about"] == ABOUT and "presentation" not in stored
    presentation_screen, count = texts(harness)[-1], len(texts(harness))
    assert update.update_id in await processed(harness)

    # Telegram delivers it again (the bot stopped after its reply, before the offset moved on):
    # the cursor already stands at "presentation", which would take the text as its answer.
    await harness.feed(update)
    assert await answers(harness, app) == stored
    assert texts(harness)[count:] == [presentation_screen]
    assert await cursor_step(harness) == "presentation"

    await harness.send(UID, PRESENTATION)  # the next message answers the step on the screen
    assert (await answers(harness, app))["presentation"] == "text"  # its kind; the text aside


@ON_BOTH_DATABASES
@pytest.mark.parametrize("cursor", ["lost", "stale"])
async def test_a_redelivery_after_the_commit_shows_where_the_database_stands(
    harness: Harness, cursor: str
) -> None:
    """The bot stopped after the commit, before it moved the cursor and replied: on the
    in-memory FSM the restart lost the cursor; on Redis it still points at the answered step."""
    app = await at_about(harness)
    update = message_update(UID, ABOUT)
    await harness.feed(update)
    stored = await answers(harness, app)
    presentation_screen, count = texts(harness)[-1], len(texts(harness))
    if cursor == "lost":
        storage = harness.app.dp.storage
        assert isinstance(storage, MemoryStorage)
        storage.storage.clear()
    else:
        await cursor_of(harness).set_state(STEP)
        await cursor_of(harness).set_data({"app": app, "step": "about", "edit": False})

    await harness.feed(update)
    assert await answers(harness, app) == stored
    assert texts(harness)[count:] == [presentation_screen]
    assert await cursor_step(harness) == "presentation"
    await harness.send(UID, PRESENTATION)
    assert (await answers(harness, app))["presentation"] == "text"  # its kind; the text aside


@ON_BOTH_DATABASES
async def test_an_answer_whose_commit_failed_is_stored_on_redelivery(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marked seen before the handler (as the Redis SET NX once did), this answer was lost."""
    app = await at_about(harness)
    commit = UnitOfWork.commit

    async def fail_once(uow: UnitOfWork) -> None:
        monkeypatch.setattr(UnitOfWork, "commit", commit)
        raise ConnectionResetError("the database went away before the commit")

    monkeypatch.setattr(UnitOfWork, "commit", fail_once)
    update = message_update(UID, ABOUT)
    await harness.feed(update)
    assert texts(harness)[-1] == said("error-unexpected")
    assert "about" not in await answers(harness, app)
    assert update.update_id not in await processed(harness)

    await harness.feed(update)
    stored = await answers(harness, app)
    assert stored["about"] == ABOUT and "presentation" not in stored
    assert await cursor_step(harness) == "presentation"


@ON_BOTH_DATABASES
async def test_an_update_that_writes_nothing_is_answered_again_and_records_nothing(
    harness: Harness,
) -> None:
    """No commit for a read-only update: its redelivery (after a crash only) sends its answer
    once more, as any update's reply may be; storing a row for every /help would not be free."""
    update = message_update(UID, "/help")
    await harness.feed(update)
    await harness.feed(update)
    first, second = texts(harness)
    assert first == second and first.startswith(said("help-intro"))
    assert update.update_id not in await processed(harness)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_processes_given_one_answer_at_once_store_it_once(
    harness: Harness,
    db_url: str,
    clock: FixedClock,
    bot_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two bot processes (own engines, own in-memory cursors) get the same update together: the
    second's claim waits for the first's transaction, then finds it committed and writes
    nothing; both show the next step."""
    app = await at_about(harness)
    other = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    try:
        update = message_update(UID, ABOUT)
        caplog.set_level(logging.INFO, logger="bot.middlewares")
        await asyncio.gather(harness.feed(update), other.feed(update))
        stored = await answers(harness, app)
        assert stored["about"] == ABOUT and "presentation" not in stored
        assert caplog.text.count(f"update {update.update_id} handled before") == 1
        assert texts(harness)[-1] == texts(other)[-1]
        assert texts(other)[-1] == presentation_screen(harness)
    finally:
        await other.app.engine.dispose()
    async with harness.app.uow_factory() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert count == len(await processed(harness))
