"""Small dialect-portable SQL helpers (PostgreSQL and SQLite share the ON CONFLICT syntax)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, entity: Any) -> Any:
    """The dialect's own INSERT, which knows `on_conflict_do_nothing` / `_do_update`."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(entity)


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE/DELETE/INSERT touched: how conditional transitions learn if they won."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"
