"""Migrations: every revision upgrades, downgrades and upgrades again (the stairway), on SQLite
and PostgreSQL; and the models agree with what the migrations build."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage.db import create_engine
from storage.migrate import alembic_config, downgrade, upgrade
from storage.models import Base


def _revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stairway.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    downgrade(url, "base")  # this test owns the session database while it runs
    return url


def test_stairway(empty_url: str) -> None:
    revisions = _revisions(empty_url)
    assert revisions[0] == "0001_foundation"
    previous = "base"
    for revision in revisions:
        upgrade(empty_url, revision)
        downgrade(empty_url, previous)
        upgrade(empty_url, revision)
        previous = revision


async def test_models_match_migrations(empty_url: str) -> None:
    upgrade(empty_url, "head")
    engine = create_engine(empty_url)
    try:
        async with engine.connect() as connection:

            def diff(sync_connection):  # type: ignore[no-untyped-def]
                context = MigrationContext.configure(sync_connection, opts={"compare_type": True})
                return compare_metadata(context, Base.metadata)

            differences = await connection.run_sync(diff)
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables
