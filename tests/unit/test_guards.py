"""The guards every update passes on both messengers (services/guards.py)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from services.clock import FixedClock
from services.guards import TokenBucket, UpdateDedupe, UpdateSlots, table_id_of
from storage.health import DatabaseUnavailable
from storage.uow import UnitOfWorkFactory


def test_the_bucket_lets_a_burst_through_then_refills_at_its_rate() -> None:
    now = [100.0]
    bucket = TokenBucket(rate_per_second=2.0, burst=3, monotonic=lambda: now[0])
    assert [bucket.allow("u") for _ in range(4)] == [True, True, True, False]
    assert bucket.allow(("max", 1))  # another user's bucket is full
    now[0] += 0.5  # one token back
    assert bucket.allow("u") and not bucket.allow("u")


def test_a_dropped_user_is_warned_once_in_ten_seconds() -> None:
    now = [0.0]
    bucket = TokenBucket(monotonic=lambda: now[0])
    assert bucket.should_warn(7) and not bucket.should_warn(7)
    now[0] += 10.5
    assert bucket.should_warn(7)


async def test_the_gate_bounds_both_the_updates_and_their_wait() -> None:
    slots = UpdateSlots(limit=1, timeout=0.05)
    async with slots.slot():
        with pytest.raises(DatabaseUnavailable):
            async with slots.slot():
                pass
    async with slots.slot():  # freed: the next one passes
        pass


def test_a_max_key_is_a_stable_negative_row_id() -> None:
    assert table_id_of("max:mid:abc") == table_id_of("max:mid:abc") < 0
    assert table_id_of("max:mid:abc") != table_id_of("max:mid:abd")
    assert table_id_of("max:cb:x") >= -(2**63)


async def test_the_table_dedupe_sees_each_update_once_per_messenger(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dedupe = UpdateDedupe(uow_factory, clock, redis=None, bot_id=1)
    assert await dedupe.first_sighting(42)
    assert not await dedupe.first_sighting(42)
    assert await dedupe.first_sighting_max("mid:42")  # MAX's "42" is not Telegram's
    assert not await dedupe.first_sighting_max("mid:42")
    assert await dedupe.first_sighting_max("cb:42")


async def test_the_redis_dedupe_namespaces_max_keys(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, redis: Redis
) -> None:
    bot_id = uuid.uuid4().int % 10**9  # no collision with an earlier run's keys
    dedupe = UpdateDedupe(uow_factory, clock, redis, bot_id)
    first = await asyncio.gather(*(dedupe.first_sighting_max("mid:m1") for _ in range(5)))
    assert sorted(first) == [False] * 4 + [True]
    assert await dedupe.first_sighting(1)
    assert await redis.exists(f"kadry:update:{bot_id}:max:mid:m1")
