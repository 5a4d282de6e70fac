"""What the office's XLSX exports read (services/exports/): plain rows, a page at a time.

Every query selects columns, not ORM objects, and pages by id (`after`, `limit`), so an export
of ten thousand applications never holds more than one page of rows and fills no identity map.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Answer,
    Application,
    ApplicationScore,
    Booking,
    IdeaPreference,
    Person,
    PlanTask,
    ProjectIdea,
    ReviewNote,
    SelectionCriterion,
    SelectionDecision,
    Site,
    Slot,
    Team,
    TeamMember,
)

Row = tuple[Any, ...]


class ExportsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, statement: Any) -> list[Row]:
        return [tuple(row) for row in (await self.session.execute(statement)).all()]

    async def applications(self, season_id: int, after: int, limit: int) -> list[Row]:
        """(id, person id, number, status, role, created at, submitted at) of the season's
        applications whose data is kept (not erased), by id."""
        return await self._rows(
            select(
                Application.id,
                Application.person_id,
                Application.number,
                Application.status,
                Application.role,
                Application.created_at,
                Application.submitted_at,
            )
            .where(
                Application.season_id == season_id,
                Application.erased_at.is_(None),
                Application.id > after,
            )
            .order_by(Application.id)
            .limit(limit)
        )

    async def answers(self, application_ids: Sequence[int]) -> list[Row]:
        """(application id, step, value) of the applications' answers."""
        return await self._rows(
            select(Answer.application_id, Answer.step, Answer.value).where(
                Answer.application_id.in_(application_ids)
            )
        )

    async def preferences(self, application_ids: Sequence[int]) -> list[Row]:
        """(application id, rank, idea title), first choice first."""
        return await self._rows(
            select(IdeaPreference.application_id, IdeaPreference.rank, ProjectIdea.title)
            .join(ProjectIdea, ProjectIdea.id == IdeaPreference.idea_id)
            .where(IdeaPreference.application_id.in_(application_ids))
            .order_by(IdeaPreference.application_id, IdeaPreference.rank)
        )

    async def decisions(self, application_ids: Sequence[int]) -> list[Row]:
        """(application id, decision, idea title or None, decided at)."""
        return await self._rows(
            select(
                SelectionDecision.application_id,
                SelectionDecision.decision,
                ProjectIdea.title,
                SelectionDecision.decided_at,
            )
            .outerjoin(ProjectIdea, ProjectIdea.id == SelectionDecision.idea_id)
            .where(SelectionDecision.application_id.in_(application_ids))
        )

    async def scores(self, application_ids: Sequence[int]) -> list[Row]:
        """(application id, reviewer id, criterion id, score)."""
        return await self._rows(
            select(
                ApplicationScore.application_id,
                ApplicationScore.reviewer_id,
                ApplicationScore.criterion_id,
                ApplicationScore.score,
            ).where(ApplicationScore.application_id.in_(application_ids))
        )

    async def notes(self, application_ids: Sequence[int]) -> list[Row]:
        """(application id, reviewer id, recommendation, comment)."""
        return await self._rows(
            select(
                ReviewNote.application_id,
                ReviewNote.reviewer_id,
                ReviewNote.recommendation,
                ReviewNote.comment,
            ).where(ReviewNote.application_id.in_(application_ids))
        )

    async def criteria(self, season_id: int) -> list[Row]:
        """(id, title) of the season's selection criteria, in their order."""
        return await self._rows(
            select(SelectionCriterion.id, SelectionCriterion.title)
            .where(SelectionCriterion.season_id == season_id)
            .order_by(SelectionCriterion.position, SelectionCriterion.id)
        )

    async def names(self, person_ids: Iterable[int]) -> dict[int, str | None]:
        ids = sorted(set(person_ids))
        if not ids:
            return {}
        rows = await self._rows(select(Person.id, Person.full_name).where(Person.id.in_(ids)))
        return {person_id: name for person_id, name in rows}

    async def roster(self, season_id: int, after: int, limit: int) -> list[Row]:
        """(member id, team code, team name, person id, name, role, joined at, left at)."""
        return await self._rows(
            select(
                TeamMember.id,
                Team.code,
                Team.name,
                TeamMember.person_id,
                Person.full_name,
                TeamMember.role,
                TeamMember.joined_at,
                TeamMember.left_at,
            )
            .join(Team, Team.id == TeamMember.team_id)
            .join(Person, Person.id == TeamMember.person_id)
            .where(Team.season_id == season_id, TeamMember.id > after)
            .order_by(TeamMember.id)
            .limit(limit)
        )

    async def tasks(self, season_id: int, after: int, limit: int) -> list[Row]:
        """(task id, person id, name, team name, kind, title, status, due at, submitted at,
        decided at) of the season's tasks not deleted."""
        return await self._rows(
            select(
                PlanTask.id,
                PlanTask.student_id,
                Person.full_name,
                Team.name,
                PlanTask.kind,
                PlanTask.title,
                PlanTask.status,
                PlanTask.due_at,
                PlanTask.submitted_at,
                PlanTask.decided_at,
            )
            .join(Person, Person.id == PlanTask.student_id)
            .outerjoin(Team, Team.id == PlanTask.team_id)
            .where(
                PlanTask.season_id == season_id,
                PlanTask.deleted_at.is_(None),
                PlanTask.id > after,
            )
            .order_by(PlanTask.id)
            .limit(limit)
        )

    async def bookings(self, season_id: int, after: int, limit: int) -> list[Row]:
        """(booking id, person id, name, organisation, address, slot kind, starts at, ends at,
        status, attendance, booked at)."""
        return await self._rows(
            select(
                Booking.id,
                Booking.student_id,
                Person.full_name,
                Site.organisation,
                Site.address,
                Slot.kind,
                Slot.starts_at,
                Slot.ends_at,
                Booking.status,
                Booking.attendance,
                Booking.created_at,
            )
            .join(Slot, Slot.id == Booking.slot_id)
            .join(Site, Site.id == Slot.site_id)
            .join(Person, Person.id == Booking.student_id)
            .where(Site.season_id == season_id, Booking.id > after)
            .order_by(Booking.id)
            .limit(limit)
        )
