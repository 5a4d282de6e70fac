"""The access audit (who on the staff opened whose data) and the person's data export: every
row of every table that refers to a person or to their applications."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Table, and_, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import AccessKind, Address
from storage.models import AccessRecord, Base

# What a person's data hangs on: their row and their applications.
OWNERS = ("people", "applications")


class AccessAuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        at: datetime,
        staff_id: int,
        kind: AccessKind,
        subject_person_id: int,
        application_id: int | None,
    ) -> None:
        self.session.add(
            AccessRecord(
                at=at,
                staff_id=staff_id,
                kind=kind,
                subject_person_id=subject_person_id,
                application_id=application_id,
            )
        )

    async def record_many(
        self,
        at: datetime,
        staff_id: int | None,
        kind: AccessKind,
        subjects: Sequence[tuple[int, int | None]],
    ) -> None:
        """One row of `kind` per (person id, application id), in one
        statement."""
        if not subjects:
            return
        await self.session.execute(
            insert(AccessRecord),
            [
                {
                    "at": at,
                    "staff_id": staff_id,
                    "kind": kind,
                    "subject_person_id": person_id,
                    "application_id": application_id,
                }
                for person_id, application_id in subjects
            ],
        )

    async def about(self, subject_person_id: int) -> list[AccessRecord]:
        rows = await self.session.scalars(
            select(AccessRecord)
            .where(AccessRecord.subject_person_id == subject_person_id)
            .order_by(AccessRecord.id)
        )
        return list(rows)

    async def everything(self) -> list[AccessRecord]:
        return list(await self.session.scalars(select(AccessRecord).order_by(AccessRecord.id)))

    async def erase_about(self, subject_person_id: int) -> int:
        result = await self.session.execute(
            delete(AccessRecord)
            .where(AccessRecord.subject_person_id == subject_person_id)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def referring_tables(metadata: MetaData | None = None) -> dict[str, tuple[str, ...]]:
    """Every table with a foreign key to a person or an application, and those columns: read
    from the schema, so a table added later is listed without touching this code."""
    found: dict[str, tuple[str, ...]] = {}
    for table in (metadata or Base.metadata).sorted_tables:
        columns = [
            key.parent.name
            for key in table.foreign_keys
            if key.column.table.name in OWNERS and key.column.name == "id"
        ]
        if table.name == "people":
            columns.append("id")
        if table.name == "applications" and "id" not in columns:
            columns.append("id")
        if columns:
            found[table.name] = tuple(sorted(set(columns)))
    return found


def _target_of(table: Table, column_name: str) -> str:
    """Which owner a referring column points at ("people" or "applications")."""
    if column_name == "id":
        return table.name
    key = next(iter(table.c[column_name].foreign_keys))
    return str(key.column.table.name)


class PersonDataRepo:
    """Reads, as plain dicts, every row that refers to one person or their applications."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rows(
        self, table_name: str, person_id: int, application_ids: list[int]
    ) -> list[dict[str, Any]]:
        table: Table = Base.metadata.tables[table_name]
        conditions: list[ColumnElement[bool]] = []
        for name in referring_tables()[table_name]:
            column = table.c[name]
            target = _target_of(table, name)
            if target == "applications":
                if application_ids:
                    conditions.append(column.in_(application_ids))
            else:
                conditions.append(column == person_id)
        if not conditions:
            return []
        order = list(table.primary_key.columns)
        result = await self.session.execute(select(table).where(or_(*conditions)).order_by(*order))
        return [dict(row._mapping) for row in result]

    async def messages_to(self, chats: Sequence[Address]) -> list[dict[str, Any]]:
        """Outbox rows addressed to these chats (a person's private chats), whoever queued them."""
        if not chats:
            return []
        table: Table = Base.metadata.tables["outgoing_messages"]
        to_chat = [
            and_(table.c.messenger == chat.messenger.value, table.c.chat_id == chat.chat_id)
            for chat in chats
        ]
        result = await self.session.execute(
            select(table).where(table.c.kind != "retract", or_(*to_chat)).order_by(table.c.id)
        )
        return [dict(row._mapping) for row in result]
