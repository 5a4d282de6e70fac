"""Engine and session factory for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

POOL_RECYCLE_SECONDS = 1800


def normalize_url(url: str) -> str:
    """Accept the plain URLs people write (postgresql://, sqlite:///) and pick async drivers."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


@dataclass(frozen=True)
class DatabaseTimeouts:
    """Bounds, in seconds, on waiting for the database: opening a connection, one statement,
    and a free connection from the pool."""

    connect: float
    command: float
    pool: float


def create_engine(url: str, timeouts: DatabaseTimeouts | None = None, **kwargs: Any) -> AsyncEngine:
    """The engine for `url`. The bot passes `timeouts`, so a stalled server costs an update
    seconds, not minutes; migrations and the office's CLI commands wait as long as they need."""
    url = normalize_url(url)
    # Driver errors then never quote bound values, which may be personal data, into logs.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        # One writer at a time is SQLite's nature: wait for the lock (as long as a statement may
        # take) instead of failing at once. A local file does not stall like a server.
        busy_wait = timeouts.command if timeouts is not None else 30
        engine = create_async_engine(url, connect_args={"timeout": busy_wait}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    if timeouts is not None:
        # asyncpg's own bounds: `timeout` on connecting, `command_timeout` on every statement
        # (a connection that stalls past it is dropped, not reused).
        kwargs.setdefault(
            "connect_args", {"timeout": timeouts.connect, "command_timeout": timeouts.command}
        )
        kwargs.setdefault("pool_timeout", timeouts.pool)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    # No pre-ping: it is a round trip on every checkout, i.e. on every update. A connection the
    # server dropped (a restart, a failover) fails the one statement that meets it; SQLAlchemy
    # then sees the disconnect and discards the whole pool, so the next checkout connects
    # afresh (a webhook update is retried by Telegram, a polled one is redelivered). Recycling
    # retires connections before idle-killing middleboxes and server timeouts do.
    kwargs.setdefault("pool_pre_ping", False)
    kwargs.setdefault("pool_recycle", POOL_RECYCLE_SECONDS)
    return create_async_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
