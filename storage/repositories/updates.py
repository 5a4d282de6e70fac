"""Processed update ids: an update's row is written in the transaction of its effect, so "this
update was handled" is durable exactly when what it did is (storage/uow.py `claim_update`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate
from storage.sql import insert_for, rowcount


class UpdatesRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_sighting(self, update_id: int, now: datetime) -> bool:
        """Record the update id; True only the first time it is seen."""
        statement = (
            insert_for(self.session, ProcessedUpdate)
            .values(update_id=update_id, received_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
        result = await self.session.execute(statement)
        return bool(rowcount(result))

    async def forget_before(self, moment: datetime) -> int:
        result = await self.session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.received_at < moment)
        )
        return rowcount(result)
