"""PostgreSQL's part in running several bot processes: one leader for the background work (a
session advisory lock held on a connection of its own) and a cheap cross-process wake-up for
the outbox sender (LISTEN/NOTIFY).

Both use dedicated asyncpg connections, outside SQLAlchemy's pool: the lock lives as long as its
connection (a leader that dies, or whose connection dies, releases it at once on the server),
and neither holds back a connection the updates need."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from storage.db import normalize_url

logger = logging.getLogger(__name__)

# One fixed key for "the background of this bot's database" (an arbitrary 63-bit number: the
# advisory lock namespace is the database's, shared with nobody else here).
LEADER_LOCK_KEY = 0x6B61_6472_7962_6731
WAKE_CHANNEL = "kadry_outbox"


def _dsn(url: str) -> str:
    return make_url(normalize_url(url)).set(drivername="postgresql").render_as_string(False)


async def _connect(url: str, timeout: float) -> Any:
    return await asyncpg.connect(_dsn(url), timeout=timeout, command_timeout=timeout)


class LeaderConnection:
    """The connection that holds (or waits for) the leader's lock and hears wake-ups.

    `lost` is set when the connection ends (the server closed it, or a heartbeat failed): the
    lock is gone with it, so the holder must stop its background work at once."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self.lost = asyncio.Event()
        self._connection: Any = None

    async def open(self) -> None:
        self._connection = await _connect(self.url, self.timeout)
        self._connection.add_termination_listener(lambda *_: self.lost.set())

    async def try_lock(self) -> bool:
        """Take the leader's lock if nobody holds it (never waits)."""
        taken = await self._connection.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_LOCK_KEY)
        return bool(taken)

    async def listen(self, on_wake: Callable[[], None]) -> None:
        await self._connection.add_listener(WAKE_CHANNEL, lambda *_: on_wake())

    async def heartbeat(self) -> bool:
        """False (and `lost` set) when the connection no longer answers."""
        try:
            await asyncio.wait_for(self._connection.fetchval("SELECT 1"), self.timeout)
        except Exception as error:
            if isinstance(error, asyncio.CancelledError):
                raise
            logger.warning("leader connection lost (%s)", type(error).__name__)
            self.lost.set()
            return False
        return not self.lost.is_set()

    async def close(self) -> None:
        """Closing ends the session, which releases the lock for a standby."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await asyncio.wait_for(connection.close(), self.timeout)
        except Exception:
            connection.terminate()


class WakePublisher:
    """NOTIFY the leader that something may have been queued. Calls are coalesced: however many
    commits arrive meanwhile, at most one NOTIFY is in flight and one more follows it. A failure
    is logged and forgotten (the leader's sender polls anyway)."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self._connection: Any = None
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self.sent = 0

    def publish(self) -> None:
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._send(), name="outbox-notify")

    async def _send(self) -> None:
        while True:
            self._again = False
            try:
                if self._connection is None or self._connection.is_closed():
                    self._connection = await _connect(self.url, self.timeout)
                await self._connection.execute(f"NOTIFY {WAKE_CHANNEL}")
                self.sent += 1
            except Exception as error:
                logger.warning("outbox wake-up not sent (%s)", type(error).__name__)
                await self._drop()
                return
            if not self._again:
                return

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.terminate()

    async def close(self) -> None:
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError, Exception):
                await asyncio.wait_for(asyncio.shield(self._task), self.timeout)
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await asyncio.wait_for(connection.close(), self.timeout)
            except Exception:
                connection.terminate()
