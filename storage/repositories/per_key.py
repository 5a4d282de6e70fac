"""Two shapes several features share: a season's settings row, and a dialogue's draft that is
saved at every step (one row per author), so a restart or /cancel loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.sql import insert_for

S = TypeVar("S")
D = TypeVar("D")


class SeasonSettingsRepo(Generic[S]):
    """Rows keyed by season id; a missing row means the programme's defaults."""

    def __init__(self, session: AsyncSession, model: type[S]) -> None:
        self.session = session
        self.model = model

    async def get(self, season_id: int) -> S | None:
        return await self.session.get(self.model, season_id)

    async def put(self, settings: S) -> None:
        await self.session.merge(settings)


class DraftsRepo(Generic[D]):
    """Drafts keyed by `author_id`, with `step`, `data` and `updated_at` columns."""

    def __init__(self, session: AsyncSession, model: type[D]) -> None:
        self.session = session
        self.model: Any = model

    async def get(self, author_id: int) -> D | None:
        draft: D | None = await self.session.scalar(
            select(self.model)
            .where(self.model.author_id == author_id)
            .execution_options(populate_existing=True)
        )
        return draft

    async def save(self, author_id: int, step: str, data: dict[str, Any], now: datetime) -> None:
        statement = insert_for(self.session, self.model).values(
            author_id=author_id, step=step, data=data, updated_at=now
        )
        statement = statement.on_conflict_do_update(
            index_elements=["author_id"],
            set_={
                "step": statement.excluded.step,
                "data": statement.excluded.data,
                "updated_at": statement.excluded.updated_at,
            },
        )
        await self.session.execute(statement)

    async def drop(self, author_id: int) -> None:
        await self.session.execute(delete(self.model).where(self.model.author_id == author_id))
