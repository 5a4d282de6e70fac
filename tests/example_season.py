"""The example season (examples/season.yaml) for the tests that start from it: imported through
the season import service once per test process and database kind, then copied into each
test's own database as the rows that import wrote.

Importing parses and validates the YAML and writes ~70 rows over dozens of round trips (0.1–0.4 s
a test, in more than a hundred tests); copying the rows is one multi-row INSERT per table. Rows,
not a template file or database: it works the same on SQLite and PostgreSQL, inside the database
each test already has (the dispatcher harness opens it before the test imports), and a test that
imports the season into a database where it cannot be copied gets the real import, as before.
Each test still owns its database, so a test that changes the season changes only its copy.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, exists, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.clock import Clock
from services.season_import import ImportReport, SeasonImportService
from storage.models import Base, SeasonSettings
from storage.uow import UnitOfWorkFactory

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "season.yaml"


@dataclass(frozen=True)
class _Snapshot:
    rows: dict[Table, list[dict[str, Any]]]  # in the order of the foreign keys
    report: ImportReport


# Per process (each xdist worker has its own), by database kind and the import's clock reading:
# the import stamps rows with the clock's time, so another time needs another import.
_snapshots: dict[tuple[str, datetime], _Snapshot] = {}


async def import_example(uow_factory: UnitOfWorkFactory, clock: Clock) -> ImportReport:
    """The example season in this database, as `SeasonImportService` imports it at `clock`."""
    async with uow_factory() as uow:
        session = uow.session
        key = (session.get_bind().dialect.name, clock.now())
        empty = await _empty_tables(session)
        snapshot = _snapshots.get(key)
        if snapshot is not None and snapshot.rows.keys() <= empty:
            await _restore(session, snapshot)
            await uow.commit()
            return copy.deepcopy(snapshot.report)
        report = await SeasonImportService(uow, clock).import_text(
            EXAMPLE.read_text(encoding="utf-8")
        )
        # Only an import into an empty database wrote every row the season's rows refer to.
        if snapshot is None and len(empty) == len(Base.metadata.tables):
            _snapshots[key] = _Snapshot(await _rows(session), copy.deepcopy(report))
        return report


async def _empty_tables(session: AsyncSession) -> set[Table]:
    tables = Base.metadata.sorted_tables
    flags = (await session.execute(select(*(exists().select_from(t) for t in tables)))).one()
    return {table for table, filled in zip(tables, flags, strict=True) if not filled}


async def _rows(session: AsyncSession) -> dict[Table, list[dict[str, Any]]]:
    rows = {}
    for table in Base.metadata.sorted_tables:
        found = [dict(row._mapping) for row in await session.execute(select(table))]
        if found:
            rows[table] = found
    return rows


async def _restore(session: AsyncSession, snapshot: _Snapshot) -> None:
    for table, rows in snapshot.rows.items():
        if table is SeasonSettings.__table__:
            # The stamp keys the per-process season configuration cache: a copy with the same
            # stamp would be served another test's (maybe changed) season.
            rows = [{**row, "stamp": uuid.uuid4().hex} for row in rows]
        await session.execute(insert(table).values(rows))
    if session.get_bind().dialect.name == "postgresql":
        # Explicit ids do not move PostgreSQL's sequences; the import's inserts would have.
        setvals = ", ".join(
            f"setval(pg_get_serial_sequence('{t.name}', 'id'), (SELECT max(id) FROM {t.name}))"
            for t in snapshot.rows
            if "id" in t.columns
        )
        await session.execute(text(f"SELECT {setvals}"))
