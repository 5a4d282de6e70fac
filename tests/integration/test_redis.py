"""On real Redis: update dedupe and FSM state survive a new bot process (a new Dispatcher)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from redis.asyncio import Redis

from services.clock import FixedClock
from tests.dispatcher.harness import Harness, build_harness

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


async def test_duplicate_update_is_dropped_via_redis(
    redis_harness: Harness, clock: FixedClock, bot_token: str, postgres_url: str, redis: Redis
) -> None:
    await redis_harness.send(10, "/start", update_id=9001)
    # A second process (same bot, same Redis) receives the same update again.
    other = build_harness(postgres_url, clock, bot_token, redis_url=REDIS)
    try:
        await other.send(10, "/start", update_id=9001)
        await other.send(10, "/start", update_id=9002)
    finally:
        await other.app.engine.dispose()
        await other.app.redis.aclose()  # type: ignore[union-attr]
    assert len(redis_harness.session.texts_to(10)) == 1
    assert len(other.session.texts_to(10)) == 1  # only the new update 9002
    assert await redis.ttl(f"kadry:update:{redis_harness.app.bot.id}:9001") > 3600


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
