"""Seasons."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Season


class SeasonsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, season_id: int) -> Season | None:
        return await self.session.get(Season, season_id)

    async def by_code(self, code: str) -> Season | None:
        return await self.session.scalar(select(Season).where(Season.code == code))

    async def current(self) -> Season | None:
        """The season being run: the most recently created one."""
        return await self.session.scalar(select(Season).order_by(Season.id.desc()).limit(1))

    async def add(self, season: Season) -> Season:
        self.session.add(season)
        await self.session.flush()
        return season
