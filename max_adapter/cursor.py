"""Where a person stands in a conversation on MAX: a state name and a little data per (chat,
user), as aiogram's FSM keeps it on Telegram (its default "user in chat" strategy). In Redis
when the bot has one, so a restart keeps every cursor; in memory otherwise. Stored as JSON,
like aiogram's RedisStorage, under keys of MAX's own so the two messengers never share one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from redis.asyncio import Redis

from dialogs.screen import Cursor, MemoryCursor

KEY_PREFIX = "kadry_fsm:max"


class Cursors(Protocol):
    def cursor(self, chat_id: int, user_id: int) -> Cursor: ...


class MemoryCursors:
    def __init__(self) -> None:
        self.cursors: dict[tuple[int, int], MemoryCursor] = {}

    def cursor(self, chat_id: int, user_id: int) -> Cursor:
        return self.cursors.setdefault((chat_id, user_id), MemoryCursor())


class RedisCursor:
    """One person's cursor in Redis: the state and the data under two keys, as aiogram keeps
    them; no state means no key (nothing left behind for people who finished)."""

    def __init__(self, redis: Redis, key: str) -> None:
        self.redis = redis
        self.state_key, self.data_key = f"{key}:state", f"{key}:data"

    async def get_state(self) -> str | None:
        value = await self.redis.get(self.state_key)
        return value.decode() if isinstance(value, bytes) else value

    async def set_state(self, state: str | None = None) -> None:
        if state is None:
            await self.redis.delete(self.state_key)
        else:
            await self.redis.set(self.state_key, state)

    async def get_data(self) -> dict[str, Any]:
        value = await self.redis.get(self.data_key)
        if value is None:
            return {}
        data: dict[str, Any] = json.loads(value)
        return data

    async def set_data(self, data: Mapping[str, Any]) -> None:
        if data:
            await self.redis.set(self.data_key, json.dumps(dict(data), ensure_ascii=False))
        else:
            await self.redis.delete(self.data_key)

    async def clear(self) -> None:
        await self.redis.delete(self.state_key, self.data_key)


class RedisCursors:
    def __init__(self, redis: Redis, prefix: str = KEY_PREFIX) -> None:
        self.redis = redis
        self.prefix = prefix

    def cursor(self, chat_id: int, user_id: int) -> Cursor:
        return RedisCursor(self.redis, f"{self.prefix}:{chat_id}:{user_id}")


def cursors_for(redis: Redis | None) -> Cursors:
    return RedisCursors(redis) if redis is not None else MemoryCursors()
