"""On real Redis: a MAX cursor survives a new process (new `RedisCursors`), per (chat, user),
under keys of MAX's own, and leaves no key behind once cleared."""

from __future__ import annotations

import uuid

import pytest
from redis.asyncio import Redis

from max_adapter.cursor import RedisCursors

pytestmark = pytest.mark.redis


async def test_a_cursor_in_redis(redis: Redis) -> None:
    prefix = f"test_max_fsm:{uuid.uuid4().hex}"
    cursor = RedisCursors(redis, prefix).cursor(700_000_001, 4242)
    await cursor.set_state("ApplyStates:step")
    await cursor.set_data({"app": 12, "name": "Пётр"})

    again = RedisCursors(redis, prefix).cursor(700_000_001, 4242)
    assert await again.get_state() == "ApplyStates:step"
    assert await again.get_data() == {"app": 12, "name": "Пётр"}
    assert await RedisCursors(redis, prefix).cursor(700_000_001, 1).get_state() is None

    await again.clear()
    assert await again.get_state() is None and await again.get_data() == {}
    assert [key async for key in redis.scan_iter(f"{prefix}:*")] == []
