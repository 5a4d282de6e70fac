"""Processed update ids: an update's row is written in the transaction of its effect, so "this
update was handled" is durable exactly when what it did is (storage/uow.py `claim_update`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate
from storage.sql import rowcount

# Built once per dialect, on the table: this runs in every committing update, and building an
# ORM insert per call (its cache key included) cost twice the round trip itself (0.4 ms of CPU
# against 0.18 ms on PostgreSQL).
_RECORD: dict[str, Any] = {
    name: module.insert(ProcessedUpdate.__table__)
    .values(update_id=bindparam("update_id"), received_at=bindparam("received_at"))
    .on_conflict_do_nothing(index_elements=["update_id"])
    for name, module in (("postgresql", postgresql), ("sqlite", sqlite))
}


class UpdatesRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_sighting(self, update_id: int, now: datetime) -> bool:
        """Record the update id; True only the first time it is seen."""
        statement = _RECORD[self.session.get_bind().dialect.name]
        result = await self.session.execute(statement, {"update_id": update_id, "received_at": now})
        return bool(rowcount(result))

    async def forget_before(self, moment: datetime) -> int:
        result = await self.session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.received_at < moment)
        )
        return rowcount(result)
