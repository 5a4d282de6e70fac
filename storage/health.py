"""Whether the database and Redis answer: the checks behind GET /healthz, and telling an outage
(a timeout, a refused or lost connection) from a bug when an update fails."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, Literal

from redis import exceptions as redis_errors
from redis.asyncio import Redis
from sqlalchemy import exc as sa_errors
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

Dependency = Literal["database", "redis"]
Status = Literal["ok", "down"]


class DatabaseUnavailable(Exception):
    """No database connection became free in time: the server is stalled or overloaded."""


def unavailable_dependency(error: BaseException) -> Dependency | None:
    """Which dependency `error` says is down or stalled, or None when it is not an outage.

    asyncpg raises the plain `TimeoutError` and `OSError` (refused, reset) on connecting and on
    a statement's timeout; SQLAlchemy wraps what reaches the driver as Operational/Interface
    errors. Redis raises its own. Every other error is a bug and is logged as one.
    """
    if isinstance(error, redis_errors.ConnectionError | redis_errors.TimeoutError):
        return "redis"
    if isinstance(
        error,
        DatabaseUnavailable
        | sa_errors.OperationalError
        | sa_errors.InterfaceError
        | sa_errors.TimeoutError
        | sa_errors.DisconnectionError
        | TimeoutError
        | OSError,
    ):
        return "database"
    if isinstance(error, sa_errors.DBAPIError) and error.connection_invalidated:
        return "database"  # the connection broke under a statement
    return None


# Checks given up on, kept referenced until their cancellation has finished in the background.
_abandoned: set[asyncio.Task[None]] = set()


async def _within(check: Coroutine[Any, Any, None], timeout: float) -> None:
    """Run `check`, raising TimeoutError after `timeout` seconds at the latest.

    Cancelling a database connect is not instant (the driver closes the half-open connection
    politely, with its own timeout), so the check is cancelled and left to finish in the
    background rather than awaited: the answer's time is bounded by `timeout` alone.
    """
    task = asyncio.ensure_future(check)
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        task.cancel()
        _abandoned.add(task)
        task.add_done_callback(_forget)
        raise TimeoutError
    task.result()


def _forget(task: asyncio.Task[None]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved


async def database_status(engine: AsyncEngine, timeout: float) -> Status:
    async def select_one() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    try:
        await _within(select_one(), timeout)
    except Exception as error:
        logger.warning("health check: the database is down (%s)", type(error).__name__)
        return "down"
    return "ok"


async def redis_status(redis: Redis, timeout: float) -> Status:
    async def ping() -> None:
        await redis.ping()

    try:
        await _within(ping(), timeout)
    except Exception as error:
        logger.warning("health check: Redis is down (%s)", type(error).__name__)
        return "down"
    return "ok"
