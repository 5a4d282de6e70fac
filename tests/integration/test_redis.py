"""On real Redis: FSM state survives a new bot process (a new Dispatcher), and an update handled
by one process is not handled again by another (the dedupe itself is PostgreSQL's)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from redis.asyncio import Redis

from services.clock import FixedClock
from tests.applicants import ABOUT
from tests.dispatcher.harness import Harness, build_harness, message_update
from tests.dispatcher.test_exactly_once import UID, answers, at_about
from tests.example_season import import_example

pytestmark = pytest.mark.redis
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def redis_harness(
    postgres_url: str, clock: FixedClock, bot_token: str, redis: Redis
) -> AsyncIterator[Harness]:
    harness = build_harness(postgres_url, clock, bot_token, redis_url=REDIS)
    yield harness
    await harness.app.engine.dispose()
    await harness.app.redis.aclose()  # type: ignore[union-attr]
    keys = [key async for key in redis.scan_iter(f"*{harness.app.bot.id}*")]
    if keys:
        await redis.delete(*keys)


async def test_an_answer_redelivered_to_another_process_is_stored_once(
    clock: FixedClock, bot_token: str, postgres_url: str, redis: Redis
) -> None:
    """Two processes share PostgreSQL and Redis (the cursor, the per-user lock): the second,
    given an answer the first committed, stores nothing and shows the step the shared cursor
    and the database agree on; the applicant's next message answers it."""
    fast = {"redis_url": REDIS, "throttle_rate_per_second": 10_000}
    first = build_harness(postgres_url, clock, bot_token, **fast)
    other = build_harness(postgres_url, clock, bot_token, **fast)
    try:
        await import_example(first.app.uow_factory, clock)
        app = await at_about(first)
        update = message_update(UID, ABOUT)
        await first.feed(update)
        stored = await answers(first, app)
        await other.feed(update)
        assert await answers(first, app) == stored and "presentation" not in stored
        assert other.session.texts_to(UID) == [first.session.texts_to(UID)[-1]]
        await other.send(UID, "Самопрезентация текстом: " + ABOUT)
        assert (await answers(first, app))["presentation"] == "text"
    finally:
        for harness in (first, other):
            await harness.app.engine.dispose()
            await harness.app.redis.aclose()  # type: ignore[union-attr]
        keys = [key async for key in redis.scan_iter(f"*{first.app.bot.id}*")]
        if keys:
            await redis.delete(*keys)


async def test_fsm_state_lives_in_redis(
    redis_harness: Harness, clock: FixedClock, bot_token: str, postgres_url: str
) -> None:
    key = StorageKey(bot_id=redis_harness.app.bot.id, chat_id=10, user_id=10)
    await FSMContext(redis_harness.app.dp.storage, key).set_state("apply:step")
    restarted = build_harness(postgres_url, clock, bot_token, redis_url=REDIS)
    try:
        state = await FSMContext(restarted.app.dp.storage, key).get_state()
        await restarted.send(10, "/cancel")
    finally:
        await restarted.app.engine.dispose()
        await restarted.app.redis.aclose()  # type: ignore[union-attr]
    assert state == "apply:step"
    assert restarted.session.texts_to(10) == [
        "Действие отменено. Всё, что вы уже ввели, сохранено."
    ]
