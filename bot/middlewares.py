"""Update middlewares: unknown update types, per-user throttling, a bounded wait for the
database, the unit of work (which handles each update once), and who is writing.

Registered as outer middlewares on `update`, after aiogram's own (which resolve the user and
take the per-user event-isolation lock), so one user's flood waits only on that user's lock.
No business rules live here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from aiogram.types.update import UpdateTypeLookupError

from services.clock import Clock
from services.container import ServiceConfig, Services
from services.guards import TokenBucket, UpdateDedupe, UpdateSlots
from services.i18n import Texts
from storage.faults import fault_point
from storage.uow import UnitOfWorkFactory, UpdateAlreadyHandled

logger = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
Replay = Callable[[Update, dict[str, Any]], Awaitable[Any]]


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


class DatabaseGate(BaseMiddleware):
    """At most `limit` updates use the database at once; the rest wait in arrival order, for at
    most `timeout` seconds (services/guards.py `UpdateSlots`, shared with the MAX adapter: one
    pool, one gate)."""

    def __init__(
        self, limit: int = 1, timeout: float | None = None, slots: UpdateSlots | None = None
    ) -> None:
        self.slots = slots or UpdateSlots(limit, timeout)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.slots.slot():
            return await handler(event, data)


class ThrottlingMiddleware(BaseMiddleware):
    """A token bucket per user (services/guards.py, shared with the MAX adapter): a flood is
    dropped early, before any database work."""

    def __init__(
        self,
        rate_per_second: float = 5.0,
        burst: int = 10,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bucket = TokenBucket(rate_per_second, burst, monotonic)

    @property
    def monotonic(self) -> Callable[[], float]:
        return self.bucket.monotonic

    @monotonic.setter
    def monotonic(self, clock: Callable[[], float]) -> None:
        self.bucket.monotonic = clock  # a test freezes it: a slow machine refills no tokens

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or self.bucket.allow(user.id):
            return await handler(event, data)
        if self.bucket.should_warn(user.id):
            assert isinstance(event, Update)
            texts: Texts = data["texts"]
            if event.message is not None:
                await event.message.answer(texts.get("throttled"))
            elif event.callback_query is not None:
                await event.callback_query.answer(texts.get("throttled"))
        return None


class ServicesMiddleware(BaseMiddleware):
    """One unit of work per update, the services over it, and the current person (`me`).

    The unit of work claims the update (services/guards.py `UpdateDedupe`): its commit records
    the update as processed together with its effect. When a delivery of the update already
    committed, the handler's commit is rolled back and `replay` runs instead: the person's
    current screen, nothing stored. The claim comes after `identify`, whose registration commits
    on its own (it must stick even when the action fails) and is idempotent."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        texts: Texts,
        config: ServiceConfig,
        replay: Replay | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.texts = texts
        self.config = config
        self.dedupe = UpdateDedupe(clock)
        self.replay = replay

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
            assert isinstance(event, Update)
            self.dedupe.claim(uow, event.update_id)
            fault_point("before-handler")
            try:
                result = await handler(event, data)
            except UpdateAlreadyHandled:
                logger.info("update %s handled before: not again", event.update_id)
                return None if self.replay is None else await self.replay(event, data)
            fault_point("after-reply")
            return result
