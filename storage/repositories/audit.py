"""The audit log."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        at: datetime,
        actor_id: int | None,
        action: str,
        object_type: str,
        object_id: int | None,
        **details: Any,
    ) -> None:
        self.session.add(
            AuditEntry(
                at=at,
                actor_id=actor_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                details=details,
            )
        )

    async def erase_details(self, actor_id: int, objects: dict[str, Collection[int]]) -> None:
        """Entries by a person or about their objects keep who, what, which object and when;
        their details (scores, kinds, whatever a later change adds) go."""
        about = [
            (AuditEntry.object_type == object_type) & AuditEntry.object_id.in_(list(ids))
            for object_type, ids in objects.items()
            if ids
        ]
        await self.session.execute(
            update(AuditEntry)
            .where(or_(AuditEntry.actor_id == actor_id, *about))
            .values(details={})
            .execution_options(synchronize_session=False)
        )

    async def for_object(self, object_type: str, object_id: int) -> list[AuditEntry]:
        rows = await self.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
            .order_by(AuditEntry.id)
        )
        return list(rows)
