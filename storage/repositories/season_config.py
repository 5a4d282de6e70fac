"""A season's configuration: import upserts by natural key, and loading it for the questionnaire."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ConsentKind
from storage.models import (
    ConsentText,
    Direction,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    SeasonSettings,
    SelectionCriterion,
)

Row = TypeVar("Row", Municipality, Direction, ProjectIdea, MotivationQuestion, SelectionCriterion)


class SeasonConfigRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def settings(self, season_id: int) -> SeasonSettings | None:
        return await self.session.get(SeasonSettings, season_id)

    async def stamp(self, season_id: int) -> str | None:
        return await self.session.scalar(
            select(SeasonSettings.stamp).where(SeasonSettings.season_id == season_id)
        )

    async def add(self, row: Any) -> None:
        self.session.add(row)
        await self.session.flush()

    async def consent_texts(self, season_id: int) -> list[ConsentText]:
        rows = await self.session.scalars(
            select(ConsentText).where(ConsentText.season_id == season_id).order_by(ConsentText.id)
        )
        return list(rows)

    async def make_current(self, season_id: int, kind: ConsentKind, text_id: int) -> None:
        await self.session.execute(
            update(ConsentText)
            .where(ConsentText.season_id == season_id, ConsentText.kind == kind)
            .values(is_current=ConsentText.id == text_id)
        )

    async def all_of(self, entity: type[Row], season_id: int) -> list[Row]:
        """Every row of one kind in the season, active or not, in their order."""
        rows = await self.session.scalars(
            select(entity).where(entity.season_id == season_id).order_by(entity.position, entity.id)
        )
        return list(rows)

    async def active(self, entity: type[Row], season_id: int) -> list[Row]:
        rows = await self.session.scalars(
            select(entity)
            .where(entity.season_id == season_id, entity.active.is_(True))
            .order_by(entity.position, entity.id)
        )
        return list(rows)

    async def deactivate_except(
        self, entity: type[Row], season_id: int, keep: Iterable[int]
    ) -> int:
        result = await self.session.execute(
            update(entity)
            .where(entity.season_id == season_id, entity.id.not_in(list(keep)))
            .values(active=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
