"""Long polling that confirms an update to Telegram only once it is handled.

aiogram's polling handles each update as a task and asks for the next batch at once, with an
offset that confirms the batch just taken: a crash while those updates are in flight loses them
for good (Telegram never delivers a confirmed update again). Here the next getUpdates waits for
the updates in flight (at most `CONFIRM_WAIT_SECONDS`: a slow export must not stall everyone),
so a crash leaves them unconfirmed and the restarted bot is given them again; the unit of work's
processed mark (storage/uow.py `claim_update`) makes that redelivery store nothing twice. A
batch's updates still run concurrently (one person's in order, by the event isolation).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.dispatcher import DEFAULT_BACKOFF_CONFIG
from aiogram.methods import GetUpdates
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig

logger = logging.getLogger(__name__)

CONFIRM_WAIT_SECONDS = 10.0


class ConfirmingDispatcher(Dispatcher):
    """aiogram's Dispatcher, whose polling confirms what it has handled, not what it has taken.

    It replaces aiogram's `_listen_updates` (aiogram>=3.20,<4; the exactly-once e2e test fails
    if a new aiogram stops calling it) and reads its set of update tasks in flight."""

    async def _listen_updates(  # type: ignore[override]  # needs the instance: its tasks
        self,
        bot: Bot,
        polling_timeout: int = 30,
        backoff_config: BackoffConfig = DEFAULT_BACKOFF_CONFIG,
        allowed_updates: list[str] | None = None,
    ) -> AsyncGenerator[Update, None]:
        backoff = Backoff(config=backoff_config)
        get_updates = GetUpdates(timeout=polling_timeout, allowed_updates=allowed_updates)
        kwargs = {}
        if bot.session.timeout:  # as aiogram: the request outlives the long poll
            kwargs["request_timeout"] = int(bot.session.timeout + polling_timeout)
        confirmed = get_updates.offset
        try:
            while True:
                await self._in_flight_handled()
                try:
                    updates = await bot(get_updates, **kwargs)
                except Exception as error:  # as aiogram: polling never stops on one failure
                    logger.error("failed to fetch updates: %s", type(error).__name__)
                    await backoff.asleep()
                    continue
                confirmed = get_updates.offset
                backoff.reset()
                for update in updates:
                    yield update
                    get_updates.offset = update.update_id + 1
        finally:
            # Stopping (SIGTERM): confirm the last batch once it is handled, or a restart would
            # be given it again and show its screens a second time.
            if get_updates.offset is not None and get_updates.offset != confirmed:
                await self._confirm_on_stop(bot, get_updates.offset)

    async def _in_flight_handled(self) -> bool:
        """Wait (bounded) for the updates in flight; True when none is left."""
        in_flight = set(self._handle_update_tasks)
        if in_flight:
            _, pending = await asyncio.wait(in_flight, timeout=CONFIRM_WAIT_SECONDS)
            return not pending
        return True

    async def _confirm_on_stop(self, bot: Bot, offset: int) -> None:
        if not await self._in_flight_handled():
            return  # left unconfirmed: the next start is given them again
        try:
            await bot(GetUpdates(offset=offset, limit=1, timeout=0))
        except Exception as error:  # the last batch comes again: its claims stop any writes
            logger.warning("could not confirm the last updates: %s", type(error).__name__)
