"""Project passports and roadmap stages: queries and conditional transitions (never commits)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ReviewStatus
from storage.models import ProjectPassport, RoadmapStage
from storage.sql import insert_for, rowcount


class PassportsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_team(self, team_id: int, *, fresh: bool = False) -> ProjectPassport | None:
        statement = select(ProjectPassport).where(ProjectPassport.team_id == team_id)
        if fresh:
            statement = statement.execution_options(populate_existing=True)
        return await self.session.scalar(statement)

    async def get(self, passport_id: int, *, fresh: bool = False) -> ProjectPassport | None:
        return await self.session.get(ProjectPassport, passport_id, populate_existing=fresh)

    async def ensure(self, team_id: int, now: datetime) -> ProjectPassport:
        statement = insert_for(self.session, ProjectPassport).values(
            team_id=team_id, status=ReviewStatus.DRAFT, updated_at=now
        )
        await self.session.execute(statement.on_conflict_do_nothing(index_elements=["team_id"]))
        passport = await self.of_team(team_id, fresh=True)
        assert passport is not None
        return passport

    async def set_field(
        self,
        passport_id: int,
        field: str,
        value: str,
        editable: Iterable[ReviewStatus],
        now: datetime,
    ) -> bool:
        result = await self.session.execute(
            update(ProjectPassport)
            .where(ProjectPassport.id == passport_id, ProjectPassport.status.in_(list(editable)))
            .values({field: value, "updated_at": now})
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def transition(
        self,
        passport_id: int,
        frm: Iterable[ReviewStatus],
        to: ReviewStatus,
        now: datetime,
        **values: Any,
    ) -> bool:
        result = await self.session.execute(
            update(ProjectPassport)
            .where(ProjectPassport.id == passport_id, ProjectPassport.status.in_(list(frm)))
            .values(status=to, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))


class StagesRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, stage: RoadmapStage) -> RoadmapStage:
        self.session.add(stage)
        await self.session.flush()
        return stage

    async def get(self, stage_id: int, *, fresh: bool = False) -> RoadmapStage | None:
        return await self.session.get(RoadmapStage, stage_id, populate_existing=fresh)

    async def of_team(self, team_id: int) -> list[RoadmapStage]:
        rows = await self.session.scalars(
            select(RoadmapStage)
            .where(RoadmapStage.team_id == team_id)
            .order_by(RoadmapStage.position, RoadmapStage.id)
        )
        return list(rows)

    async def next_position(self, team_id: int) -> int:
        last = await self.session.scalar(
            select(func.max(RoadmapStage.position)).where(RoadmapStage.team_id == team_id)
        )
        return int(last or 0) + 1

    async def set_due(
        self, stage_id: int, due_at: datetime, editable: Iterable[ReviewStatus], now: datetime
    ) -> bool:
        result = await self.session.execute(
            update(RoadmapStage)
            .where(RoadmapStage.id == stage_id, RoadmapStage.status.in_(list(editable)))
            .values(due_at=due_at, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def erase_reports_by(self, person_id: int) -> list[int]:
        """The reports the person submitted lose their text, file and the mentor's comment on
        them; the stage keeps its title, status and times. Returns the stages' ids."""
        ids = list(
            await self.session.scalars(
                select(RoadmapStage.id).where(RoadmapStage.submitted_by == person_id)
            )
        )
        if ids:
            await self.session.execute(
                update(RoadmapStage)
                .where(RoadmapStage.id.in_(ids))
                .values(report_text=None, report_file_id=None, return_comment=None)
                .execution_options(synchronize_session=False)
            )
        return ids

    async def transition(
        self,
        stage_id: int,
        frm: Iterable[ReviewStatus],
        to: ReviewStatus,
        now: datetime,
        **values: Any,
    ) -> bool:
        result = await self.session.execute(
            update(RoadmapStage)
            .where(RoadmapStage.id == stage_id, RoadmapStage.status.in_(list(frm)))
            .values(status=to, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))
