"""Telegram's FSM in Redis with one round trip where aiogram makes three.

aiogram's `RedisEventIsolation` takes the per-user lock (SET NX), then its FSM middleware reads
the state (GET), then a handler reads the data (GET), and the services read the identity
generation (GET, storage/identity_cache.py): four round trips before any work. Here the lock
is taken in a pipeline that also reads the state, the data and the generation: the reads run
after the SET on the same connection, so once the lock is ours they are what any writer holding
it left. What was read is kept in a context variable for this update only (the task that holds
the lock); writes through the storage update it, so the update reads back what it wrote. Keys,
values, lock token and release are aiogram's and redis-py's own: a cursor saved by the stock
storage reads the same, and both may run side by side during a rolling restart.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockNotOwnedError

from storage.identity_cache import GENERATION_KEY, prefetched_generation

# Redis key -> its value as read under this update's lock (None: no such key).
_prefetched: ContextVar[dict[str, bytes | None] | None] = ContextVar("fsm_prefetch", default=None)

LOCK_TIMEOUT_SECONDS = 60  # aiogram's DEFAULT_REDIS_LOCK_KWARGS
RETRY_SLEEP_SECONDS = 0.1  # redis-py's Lock


def _cached(key: str) -> tuple[bool, bytes | None]:
    prefetched = _prefetched.get()
    if prefetched is None or key not in prefetched:
        return False, None
    return True, prefetched[key]


def _remember(key: str, value: bytes | None) -> None:
    prefetched = _prefetched.get()
    if prefetched is not None:
        prefetched[key] = value


class PrefetchingStorage(RedisStorage):
    """aiogram's RedisStorage, answering reads from what the lock's pipeline fetched."""

    async def get_state(self, key: StorageKey) -> str | None:
        redis_key = self.key_builder.build(key, "state")
        hit, value = _cached(redis_key)
        if not hit:
            return await super().get_state(key)
        return value.decode("utf-8") if value is not None else None

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        redis_key = self.key_builder.build(key, "data")
        hit, value = _cached(redis_key)
        if not hit:
            return await super().get_data(key)
        if value is None:
            return {}
        return cast(dict[str, Any], self.json_loads(value.decode("utf-8")))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await super().set_state(key, state)
        value = state.state if isinstance(state, State) else state
        _remember(self.key_builder.build(key, "state"), None if value is None else value.encode())

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await super().set_data(key, data)
        encoded = self.json_dumps(data).encode() if data else None
        _remember(self.key_builder.build(key, "data"), encoded)


class PrefetchingIsolation(RedisEventIsolation):
    """The per-user lock (redis-py's token and release script), taken in one pipeline with
    the reads the update is about to make."""

    def __init__(self, redis: Redis, key_builder: KeyBuilder) -> None:
        super().__init__(redis, key_builder)
        self._release = redis.register_script(Lock.LUA_RELEASE_SCRIPT)
        # Updates of one user in this process queue here, in arrival order, and only the
        # first asks Redis: aiogram's lock makes each waiter poll Redis every 0.1 s, which a
        # burst of one user's updates turned into most of the process's CPU.
        self._local: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock_key = self.key_builder.build(key, "lock")
        local, waiting = self._local.get(lock_key, (None, 0))
        if local is None:
            local = asyncio.Lock()
        self._local[lock_key] = (local, waiting + 1)
        try:
            async with local, self._shared(key, lock_key):
                yield None
        finally:
            local, waiting = self._local[lock_key]
            if waiting == 1:
                del self._local[lock_key]  # nobody else waits: 10 000 users leave no locks
            else:
                self._local[lock_key] = (local, waiting - 1)

    @asynccontextmanager
    async def _shared(self, key: StorageKey, lock_key: str) -> AsyncGenerator[None, None]:
        """The lock other processes see, taken in one pipeline with this update's reads."""
        reads = [
            self.key_builder.build(key, "state"),
            self.key_builder.build(key, "data"),
            GENERATION_KEY,
        ]
        token = uuid.uuid1().hex.encode()
        while True:
            pipe = self.redis.pipeline(transaction=False)
            pipe.set(lock_key, token, nx=True, px=LOCK_TIMEOUT_SECONDS * 1000)
            for name in reads:
                pipe.get(name)
            acquired, *values = await pipe.execute()
            if acquired:
                break
            await asyncio.sleep(RETRY_SLEEP_SECONDS)
        prefetched = dict(zip(reads, values, strict=True))
        generation = prefetched.pop(GENERATION_KEY)
        reset = _prefetched.set(prefetched)
        reset_generation = prefetched_generation.set(generation or b"0")
        try:
            yield None
        finally:
            # A task the handler spawned copied this context: it must not read stale values.
            prefetched.clear()
            _prefetched.reset(reset)
            prefetched_generation.reset(reset_generation)
            if not await self._release(keys=[lock_key], args=[token]):
                raise LockNotOwnedError(  # type: ignore[no-untyped-call]
                    "Cannot release a lock that's no longer owned"
                )
