"""The season's statistics as a few aggregate queries (never commits, reads only).

Each method is one GROUP BY (or one row of conditional counts) over the season's rows, so
/stats costs the same handful of round trips for ten applications or ten thousand; the service
(services/stats.py) turns the grouped rows into numbers. A scope narrows every query to a
mentor's ideas and teams; `None` means the whole season (the office).

Times are grouped by the UTC hour (PostgreSQL's date_trunc, SQLite's strftime): the service
moves each hour into the season's zone, so days are local without time-zone support in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import (
    ApplicationStatus,
    Decision,
    ReminderStatus,
    ReviewStatus,
    Role,
    TaskStatus,
    TeamRole,
)
from storage.models import (
    Answer,
    Application,
    ApplicationScore,
    Booking,
    Consent,
    IdeaPreference,
    Invitation,
    Municipality,
    PlanTask,
    ProjectIdea,
    Reminder,
    ReviewNote,
    RoadmapStage,
    RoleGrant,
    SelectionDecision,
    Site,
    Slot,
    Team,
    TeamMember,
)
from storage.sql import is_postgres


@dataclass(frozen=True)
class StatsScope:
    """What a mentor sees: applications ranking one of `idea_ids`; the teams `team_ids` and
    their students' tasks, bookings and reminders."""

    idea_ids: tuple[int, ...]
    team_ids: tuple[int, ...]


@dataclass(frozen=True)
class FunnelRow:
    started: int
    consented: int
    submitted: int
    reviewed: int
    accepted: int


class StatsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Who sees what.

    async def mentor_scope(self, season_id: int, person_id: int) -> StatsScope:
        """The ideas whose mentor invitation `person_id` redeemed (holding the role still) and
        the season's teams they mentor now."""
        ideas = await self.session.scalars(
            select(ProjectIdea.id)
            .join(Invitation, Invitation.id == ProjectIdea.mentor_invitation_id)
            .where(
                ProjectIdea.season_id == season_id,
                Invitation.used_by == person_id,
                exists().where(
                    RoleGrant.person_id == person_id,
                    RoleGrant.role == Role.MENTOR,
                    RoleGrant.revoked_at.is_(None),
                    or_(RoleGrant.season_id.is_(None), RoleGrant.season_id == season_id),
                ),
            )
            .order_by(ProjectIdea.id)
        )
        teams = await self.session.scalars(
            select(Team.id)
            .join(TeamMember, TeamMember.team_id == Team.id)
            .where(
                Team.season_id == season_id,
                TeamMember.person_id == person_id,
                TeamMember.role == TeamRole.MENTOR,
                TeamMember.left_at.is_(None),
            )
            .order_by(Team.id)
        )
        return StatsScope(tuple(ideas), tuple(teams))

    async def names(self, season_id: int) -> tuple[dict[int, str], dict[int, str]]:
        """(municipality id -> name, idea id -> title) of the season, inactive ones too."""
        municipalities = await self.session.execute(
            select(Municipality.id, Municipality.name).where(Municipality.season_id == season_id)
        )
        ideas = await self.session.execute(
            select(ProjectIdea.id, ProjectIdea.title).where(ProjectIdea.season_id == season_id)
        )
        return dict(municipalities.all()), dict(ideas.all())

    # Applications.

    def _applications(self, season_id: int, scope: StatsScope | None) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [Application.season_id == season_id]
        if scope is not None:
            where.append(
                Application.id.in_(
                    select(IdeaPreference.application_id).where(
                        IdeaPreference.idea_id.in_(scope.idea_ids)
                    )
                )
            )
        return where

    async def funnel(self, season_id: int, scope: StatsScope | None) -> FunnelRow:
        """Started (any application), consented (a consent given and not withdrawn: the
        applicant's own or their parent's), submitted (ever), reviewed (a score or a note from
        any reviewer), accepted (the office's decision, or the published result)."""
        consented = exists().where(
            Consent.application_id == Application.id,
            Consent.given_at.is_not(None),
            Consent.withdrawn_at.is_(None),
            Consent.valid.is_(True),
        )
        reviewed = or_(
            exists().where(ApplicationScore.application_id == Application.id),
            exists().where(ReviewNote.application_id == Application.id),
        )
        accepted = or_(
            Application.status == ApplicationStatus.ACCEPTED,
            exists().where(
                SelectionDecision.application_id == Application.id,
                SelectionDecision.decision == Decision.ACCEPTED,
            ),
        )
        row = (
            await self.session.execute(
                select(
                    func.count(),
                    _count_if(consented),
                    _count_if(Application.submitted_at.is_not(None)),
                    _count_if(reviewed),
                    _count_if(accepted),
                ).where(*self._applications(season_id, scope))
            )
        ).one()
        return FunnelRow(*(int(value or 0) for value in row))

    async def by_hour(
        self, season_id: int, scope: StatsScope | None
    ) -> tuple[list[tuple[datetime, int]], list[tuple[datetime, int]]]:
        """(started per UTC hour, submitted per UTC hour)."""
        where = self._applications(season_id, scope)
        started = await self._per_hour(Application.created_at, where)
        submitted = await self._per_hour(
            Application.submitted_at, [*where, Application.submitted_at.is_not(None)]
        )
        return started, submitted

    async def _per_hour(
        self, column: Any, where: Sequence[ColumnElement[bool]]
    ) -> list[tuple[datetime, int]]:
        if is_postgres(self.session):
            # In UTC whatever the session's TimeZone: a naive UTC hour.
            bucket: Any = func.date_trunc("hour", func.timezone("UTC", column))
        else:
            bucket = func.strftime("%Y-%m-%d %H:00:00", column)
        rows = await self.session.execute(
            select(bucket, func.count()).where(*where).group_by(bucket).order_by(bucket)
        )
        return [(_utc(hour), int(count)) for hour, count in rows]

    async def by_answer(
        self, season_id: int, scope: StatsScope | None, step: str
    ) -> list[tuple[str | None, int]]:
        """Submitted applications by their answer to `step` (None: not answered)."""
        value = (
            select(Answer.value)
            .where(Answer.application_id == Application.id, Answer.step == step)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(value, func.count())
            .where(*self._applications(season_id, scope), Application.submitted_at.is_not(None))
            .group_by(value)
        )
        return [(answer, int(count)) for answer, count in rows]

    async def by_role(
        self, season_id: int, scope: StatsScope | None
    ) -> list[tuple[Role | None, int]]:
        """Submitted applications per role."""
        rows = await self.session.execute(
            select(Application.role, func.count())
            .where(*self._applications(season_id, scope), Application.submitted_at.is_not(None))
            .group_by(Application.role)
        )
        return [(role, int(count)) for role, count in rows]

    async def by_idea_and_role(
        self, season_id: int, scope: StatsScope | None
    ) -> list[tuple[int, Role | None, int]]:
        """(idea id, role, submitted applications that picked the idea at any rank)."""
        statement = (
            select(IdeaPreference.idea_id, Application.role, func.count())
            .join(Application, Application.id == IdeaPreference.application_id)
            .where(*self._applications(season_id, None), Application.submitted_at.is_not(None))
            .group_by(IdeaPreference.idea_id, Application.role)
        )
        if scope is not None:
            statement = statement.where(IdeaPreference.idea_id.in_(scope.idea_ids))
        rows = await self.session.execute(statement)
        return [(idea, role, int(count)) for idea, role, count in rows]

    # Teams and their work.

    async def team_stages(
        self, season_id: int, scope: StatsScope | None
    ) -> list[tuple[int, str, ReviewStatus | None, int]]:
        """(team id, name, stage status, stages); a team without stages comes once with None."""
        statement = (
            select(Team.id, Team.name, RoadmapStage.status, func.count(RoadmapStage.id))
            .outerjoin(RoadmapStage, RoadmapStage.team_id == Team.id)
            .where(*self._teams(season_id, scope))
            .group_by(Team.id, Team.name, RoadmapStage.status)
            .order_by(Team.name, Team.id)
        )
        rows = await self.session.execute(statement)
        return [(team, name, status, int(count)) for team, name, status, count in rows]

    def _teams(self, season_id: int, scope: StatsScope | None) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [Team.season_id == season_id]
        if scope is not None:
            where.append(Team.id.in_(scope.team_ids))
        return where

    def _students(self, scope: StatsScope) -> Any:
        return select(TeamMember.person_id).where(
            TeamMember.team_id.in_(scope.team_ids),
            TeamMember.role == TeamRole.STUDENT,
            TeamMember.left_at.is_(None),
        )

    async def tasks(
        self, season_id: int, scope: StatsScope | None, now: datetime
    ) -> tuple[list[tuple[TaskStatus, int]], int]:
        """(tasks per status, overdue: due passed and not done); deleted tasks left out."""
        where = self._tasks(season_id, scope)
        overdue = and_(
            PlanTask.due_at.is_not(None),
            PlanTask.due_at < now,
            PlanTask.status != TaskStatus.DONE,
        )
        rows = await self.session.execute(
            select(PlanTask.status, func.count(), _count_if(overdue))
            .where(*where)
            .group_by(PlanTask.status)
        )
        per_status, late = [], 0
        for status, count, status_overdue in rows:
            per_status.append((status, int(count)))
            late += int(status_overdue or 0)
        return per_status, late

    def _tasks(self, season_id: int, scope: StatsScope | None) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [
            PlanTask.season_id == season_id,
            PlanTask.deleted_at.is_(None),
        ]
        if scope is not None:
            where.append(PlanTask.student_id.in_(self._students(scope)))
        return where

    async def bookings(
        self, season_id: int, scope: StatsScope | None
    ) -> list[tuple[str, str | None, int]]:
        """(booking status, attendance or None, bookings) at the season's sites."""
        statement = (
            select(Booking.status, Booking.attendance, func.count())
            .join(Slot, Slot.id == Booking.slot_id)
            .join(Site, Site.id == Slot.site_id)
            .where(Site.season_id == season_id)
            .group_by(Booking.status, Booking.attendance)
        )
        if scope is not None:
            statement = statement.where(Booking.student_id.in_(self._students(scope)))
        rows = await self.session.execute(statement)
        return [
            (str(status), None if attendance is None else str(attendance), int(count))
            for status, attendance, count in rows
        ]

    async def reminders_sent(self, season_id: int, scope: StatsScope | None) -> int:
        """Reminders sent about the season's tasks and to its teams' chats."""
        tasks = select(PlanTask.id).where(*self._tasks(season_id, scope))
        teams = select(Team.id).where(*self._teams(season_id, scope))
        count = await self.session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(
                Reminder.status == ReminderStatus.SENT,
                or_(Reminder.task_id.in_(tasks), Reminder.team_id.in_(teams)),
            )
        )
        return int(count or 0)


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _utc(value: datetime | str) -> datetime:
    """An hour bucket as an aware UTC datetime (SQLite gives text, PostgreSQL a datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
