"""Update middlewares: unknown update types, dedupe, per-user throttling, a bounded wait for the
database, the unit of work, and who is writing.

Registered as outer middlewares on `update`, after aiogram's own (which resolve the user and
take the per-user event-isolation lock), so one user's flood waits only on that user's lock.
No business rules live here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from aiogram.types.update import UpdateTypeLookupError
from redis.asyncio import Redis

from services.clock import Clock
from services.container import ServiceConfig, Services
from services.i18n import Texts
from storage.health import DatabaseUnavailable
from storage.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

DEDUPE_TTL_SECONDS = 24 * 3600


class UnknownUpdateTypeMiddleware(BaseMiddleware):
    """Skip an update of no type we know, logging its id only.

    Left to aiogram, such an update is dumped whole into a warning: whatever it carries, up to
    the webhook's size limit, would land in the logs.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        try:
            event.event_type  # noqa: B018 - resolving the type is the check
        except UpdateTypeLookupError:
            logger.info("update %s has no known type: skipped", event.update_id)
            return None
        return await handler(event, data)


class UpdateDedupeMiddleware(BaseMiddleware):
    """Handle each update_id once, even when Telegram delivers it again (a webhook retry, or
    getUpdates after a crash before the offset was confirmed)."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, redis: Redis | None, bot_id: int
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.redis = redis
        self.bot_id = bot_id

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        if not await self._first_sighting(event.update_id):
            logger.info("update %s seen before: skipped", event.update_id)
            return None
        return await handler(event, data)

    async def _first_sighting(self, update_id: int) -> bool:
        if self.redis is not None:
            key = f"kadry:update:{self.bot_id}:{update_id}"
            return bool(await self.redis.set(key, 1, nx=True, ex=DEDUPE_TTL_SECONDS))
        async with self.uow_factory() as uow:
            first = await uow.updates.first_sighting(update_id, self.clock.now())
            await uow.commit()
            return first


class DatabaseGate(BaseMiddleware):
    """At most `limit` updates use the database at once; the rest wait in arrival order.

    SQLAlchemy's async pool hands a returned connection to whoever asks first, so with more
    concurrent updates than connections a waiting update can lose every race until the pool's
    timeout and fail (seen with a hundred applicants at once). A fair semaphore in front, sized
    below the pool, means an update that gets through always finds a connection.

    The wait is bounded like the pool's own: when the database stalls, the updates holding the
    slots wait out their statement timeouts, and those queued behind them get the apology after
    `timeout` seconds instead of queueing for minutes.
    """

    def __init__(self, limit: int, timeout: float | None = None) -> None:
        self._slots = asyncio.Semaphore(max(1, limit))
        self._timeout = timeout

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        try:
            async with asyncio.timeout(self._timeout):
                await self._slots.acquire()
        except TimeoutError:
            raise DatabaseUnavailable(f"no database connection free in {self._timeout} s") from None
        try:
            return await handler(event, data)
        finally:
            self._slots.release()


class ThrottlingMiddleware(BaseMiddleware):
    """A token bucket per user: a flood is dropped early, before any database work."""

    def __init__(
        self,
        rate_per_second: float = 5.0,
        burst: int = 10,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate_per_second
        self.burst = burst
        self.monotonic = monotonic  # a test freezes it: a slow machine refills no tokens
        self._buckets: dict[int, tuple[float, float]] = {}  # user id -> (tokens, updated)
        self._warned: dict[int, float] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or self._allow(user.id):
            return await handler(event, data)
        now = self.monotonic()
        if now - self._warned.get(user.id, 0.0) > 10.0:
            self._warned[user.id] = now
            assert isinstance(event, Update)
            texts: Texts = data["texts"]
            if event.message is not None:
                await event.message.answer(texts.get("throttled"))
            elif event.callback_query is not None:
                await event.callback_query.answer(texts.get("throttled"))
        return None

    def _allow(self, user_id: int) -> bool:
        now = self.monotonic()
        tokens, updated = self._buckets.get(user_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[user_id] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > 100_000:  # idle users have full buckets: forgetting them is exact
            self._buckets = {u: b for u, b in self._buckets.items() if now - b[1] < 60.0}
        return allowed


class ServicesMiddleware(BaseMiddleware):
    """One unit of work per update, the services over it, and the current person (`me`)."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, texts: Texts, config: ServiceConfig
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.texts = texts
        self.config = config

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.uow_factory() as uow:
            services = Services(uow, self.clock, self.texts, self.config)
            data["uow"] = uow
            data["services"] = services
            user: User | None = data.get("event_from_user")
            if user is not None and not user.is_bot:
                me = await services.people.identify(user.id, user.language_code)
                data["me"] = me
                data["t"] = self.texts.for_language(me.language)
            else:
                data["t"] = self.texts.for_language(None)
            return await handler(event, data)
