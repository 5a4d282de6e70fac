"""Telegram's FSM with the lock's pipeline reading ahead (bot/fsm.py): the same keys and values
as aiogram's storage, reads under the lock answered from the pipeline, the update's own writes
read back, nothing kept once the lock is released, and the lock still excludes."""

from __future__ import annotations

import asyncio
import uuid

from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.fsm import PrefetchingIsolation, PrefetchingStorage
from storage.identity_cache import GENERATION_KEY, prefetched_generation

KEYS = DefaultKeyBuilder(prefix="kadry_fsm_test", with_bot_id=True)


def key() -> StorageKey:
    user = uuid.uuid4().int % 10**9
    return StorageKey(bot_id=1, chat_id=user, user_id=user)


async def test_reads_under_the_lock_come_from_its_pipeline(redis: Redis) -> None:
    stock = RedisStorage(redis, key_builder=KEYS)
    storage, isolation = (
        PrefetchingStorage(redis, key_builder=KEYS),
        PrefetchingIsolation(redis, KEYS),
    )
    where = key()
    await stock.set_state(where, "ApplyStates:step")
    await stock.set_data(where, {"app": 3, "step": "phone"})
    async with isolation.lock(where):
        # Changed behind the lock's back (no writer may do this while it is held): the reads
        # show what the pipeline fetched, i.e. they made no round trip of their own.
        await redis.set(KEYS.build(where, "state"), "Other:state")
        assert await storage.get_state(where) == "ApplyStates:step"
        assert await storage.get_data(where) == {"app": 3, "step": "phone"}
        assert prefetched_generation.get() == (await redis.get(GENERATION_KEY) or b"0")
        await storage.set_data(where, {"app": 3, "step": "email"})
        await storage.set_state(where, None)
        assert await storage.get_data(where) == {"app": 3, "step": "email"}
        assert await storage.get_state(where) is None
    # Outside the lock nothing is remembered: Redis answers, in aiogram's own format.
    assert prefetched_generation.get() is None
    assert await stock.get_data(where) == {"app": 3, "step": "email"}
    assert await storage.get_state(where) is None
    await storage.set_state(where, "X:y")
    assert await stock.get_state(where) == "X:y"
    assert await redis.exists(KEYS.build(where, "lock")) == 0


async def test_the_lock_excludes_a_second_holder(redis: Redis) -> None:
    isolation = PrefetchingIsolation(redis, KEYS)
    where, order = key(), []

    async def hold(name: str, seconds: float) -> None:
        async with isolation.lock(where):
            order.append(f"{name} in")
            await asyncio.sleep(seconds)
            order.append(f"{name} out")

    first = asyncio.create_task(hold("a", 0.3))
    await asyncio.sleep(0.05)
    await hold("b", 0)
    await first
    assert order == ["a in", "a out", "b in", "b out"]


async def test_a_task_spawned_under_the_lock_reads_redis_after_it(redis: Redis) -> None:
    storage, isolation = (
        PrefetchingStorage(redis, key_builder=KEYS),
        PrefetchingIsolation(redis, KEYS),
    )
    where = key()
    release = asyncio.Event()

    async def later() -> dict[str, object]:
        await release.wait()
        return await storage.get_data(where)

    async with isolation.lock(where):
        spawned = asyncio.create_task(later())  # copies this context, prefetch included
        await storage.set_data(where, {"n": 1})
    await RedisStorage(redis, key_builder=KEYS).set_data(where, {"n": 2})
    release.set()
    assert await spawned == {"n": 2}
