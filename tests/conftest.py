"""Shared fixtures: databases (SQLite and a private PostgreSQL database per test session),
Redis, a fixed clock.

Each test session creates its own PostgreSQL database, so several sessions (or developers) can
run the suite on one server at once.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from services.clock import FixedClock
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Base
from storage.uow import UnitOfWorkFactory

PG_SERVER = os.environ.get("TEST_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


# Slowest tiers first: with `--dist worksteal` the workers then end on short tests, so neither
# waits long for the other at the end of the run.
_TIER_ORDER = {"e2e": 0, "integration": 1, "dispatcher": 2, "unit": 3}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def tier(item: pytest.Item) -> int:
        parts = item.path.relative_to(Path(__file__).parent).parts
        return _TIER_ORDER.get(parts[0], len(_TIER_ORDER)) if len(parts) > 1 else len(_TIER_ORDER)

    items.sort(key=tier)  # stable: the order within a tier stays the files' order


def _pg_admin(statement: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(f"{PG_SERVER}/test")
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    # Session fixtures may be set up while a test's event loop runs: use a loop of our own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    name = f"kadry_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


def _table_names() -> list[str]:
    return [table.name for table in reversed(Base.metadata.sorted_tables)]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind; the tests using it run once per kind.

    tests/unit narrows this to SQLite (see tests/unit/conftest.py and tests/databases.py)."""
    return await database_url(request, tmp_path)


async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database `request.param` names ("sqlite" or "postgres"), migrated and empty."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_url")
    await _truncate_postgres(url)
    return url


async def _truncate_postgres(url: str) -> None:
    """Empty every table and restart every id sequence, as a fresh database would be.

    DELETE in one round trip, not TRUNCATE: on tables this small TRUNCATE's per-table file work
    costs ~0.2 s a test, DELETE ~0.03 s (the suite empties the database before every PG test).
    """
    connection = await asyncpg.connect(url)
    try:
        sequences = await connection.fetch(
            "SELECT quote_ident(sequence_schema) || '.' || quote_ident(sequence_name) AS name "
            "FROM information_schema.sequences"
        )
        statements = [f'DELETE FROM "{name}"' for name in _table_names()]
        statements += [f"ALTER SEQUENCE {row['name']} RESTART" for row in sequences]
        # Simple-query protocol: many statements, one round trip, one transaction.
        await connection.execute("BEGIN; " + "; ".join(statements) + "; COMMIT")
    finally:
        await connection.close()


@pytest.fixture
async def postgres_url(pg_url: str) -> str:
    """An empty PostgreSQL database, for tests that are about PostgreSQL only."""
    await _truncate_postgres(pg_url)
    return pg_url


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(create_session_factory(engine))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 9, 1, 7, 0, tzinfo=UTC))


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    await client.ping()
    yield client
    await client.aclose()


@pytest.fixture
def bot_token() -> str:
    """A bot id of its own per test, so Redis keys (dedupe, FSM) never collide between runs."""
    return f"{uuid.uuid4().int % 10**9 + 10**9}:TEST-token"
