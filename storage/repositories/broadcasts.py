"""The project office's broadcasts: drafts and their transitions, who a segment is (one query
per segment, filtered in SQL), and what became of a broadcast's outbox rows (one aggregate)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import (
    ApplicationStatus,
    BroadcastFilter,
    BroadcastSegment,
    BroadcastStatus,
    OutboxStatus,
    Role,
    TaskStatus,
)
from storage.models import (
    Answer,
    Application,
    Broadcast,
    IdeaPreference,
    Municipality,
    OutgoingMessage,
    Person,
    PlanTask,
    ProjectIdea,
    RoleGrant,
    Site,
    Team,
    TeamMember,
)
from storage.sql import rowcount

# An application that counts as one: submitted at least, not withdrawn, not erased.
NOT_APPLIED = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
OPEN_TASKS = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED)


class BroadcastsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, broadcast: Broadcast) -> Broadcast:
        self.session.add(broadcast)
        await self.session.flush()
        return broadcast

    async def get(self, broadcast_id: int) -> Broadcast | None:
        return await self.session.get(Broadcast, broadcast_id)

    async def fresh(self, broadcast_id: int) -> Broadcast | None:
        """As committed now (a job's second look, after another transaction changed it)."""
        return await self.session.get(Broadcast, broadcast_id, populate_existing=True)

    async def transition(
        self, broadcast_id: int, frm: Iterable[BroadcastStatus], to: BroadcastStatus,
        **values: Any,
    ) -> bool:  # fmt: skip
        """Move a broadcast on only from the states given: a double tap moves it once."""
        result = await self.session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status.in_(list(frm)))
            .values(status=to, **values)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    async def edit_draft(self, broadcast_id: int, **values: Any) -> bool:
        """Change a draft; False once it was sent or cancelled."""
        result = await self.session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.DRAFT)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    async def unfinished(self) -> list[Broadcast]:
        """Broadcasts being sent, or cancelled and not reported yet: the progress job's."""
        rows = await self.session.scalars(
            select(Broadcast)
            .where(
                Broadcast.status.in_([BroadcastStatus.SENDING, BroadcastStatus.CANCELLED]),
                Broadcast.finished_at.is_(None),
            )
            .order_by(Broadcast.id)
        )
        return list(rows)

    async def set_progress_shown(self, broadcast_id: int, shown: str) -> None:
        await self.session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(progress_shown=shown)
            .execution_options(synchronize_session=False)
        )

    # --- who a segment is -------------------------------------------------------------------

    async def recipients(
        self,
        season_id: int,
        segment: BroadcastSegment,
        narrow: tuple[BroadcastFilter, int] | None,
        now: datetime,
    ) -> list[Person]:
        """The people of a segment (and filter), each once, in a stable order."""
        statement = select(Person).where(Person.id.in_(_segment(segment, season_id, now)))
        if narrow is not None:
            statement = statement.where(Person.id.in_(_filtered(narrow, season_id)))
        return list(await self.session.scalars(statement.order_by(Person.id)))

    async def minors(self, season_id: int, groups: Iterable[str]) -> set[int]:
        """The people whose application this season says they are under the adult age."""
        rows = await self.session.scalars(
            select(Application.person_id)
            .join(Answer, Answer.application_id == Application.id)
            .where(
                Application.season_id == season_id,
                Application.erased_at.is_(None),
                Answer.step == "age_group",
                Answer.value.in_(list(groups)),
            )
        )
        return set(rows)

    async def options(self, season_id: int, kind: BroadcastFilter) -> list[tuple[int, str]]:
        """What a filter can be set to in the season: (id, name), in the season's order."""
        statement: Select[int, str]
        match kind:
            case BroadcastFilter.MUNICIPALITY:
                statement = (
                    select(Municipality.id, Municipality.name)
                    .where(Municipality.season_id == season_id, Municipality.active.is_(True))
                    .order_by(Municipality.position, Municipality.id)
                )
            case BroadcastFilter.IDEA:
                statement = (
                    select(ProjectIdea.id, ProjectIdea.title)
                    .where(ProjectIdea.season_id == season_id, ProjectIdea.active.is_(True))
                    .order_by(ProjectIdea.position, ProjectIdea.id)
                )
            case BroadcastFilter.TEAM:
                statement = (
                    select(Team.id, Team.name)
                    .where(Team.season_id == season_id)
                    .order_by(Team.name, Team.id)
                )
            case _:
                return []
        return [(row_id, name) for row_id, name in await self.session.execute(statement)]

    # --- what became of its messages --------------------------------------------------------

    async def outcomes(
        self, subject: str, now: datetime
    ) -> list[tuple[OutboxStatus, str, bool, int]]:
        """The broadcast's outbox rows counted by (status, error, waiting for later)."""
        later = and_(
            OutgoingMessage.status == OutboxStatus.PENDING, OutgoingMessage.not_before > now
        )
        rows = await self.session.execute(
            select(
                OutgoingMessage.status,
                func.coalesce(OutgoingMessage.error, ""),
                later.label("later"),
                func.count(),
            )
            .where(OutgoingMessage.subject == subject)
            .group_by(OutgoingMessage.status, OutgoingMessage.error, later)
        )
        return [(status, error, bool(is_later), count) for status, error, is_later, count in rows]


def _segment(segment: BroadcastSegment, season_id: int, now: datetime) -> Any:
    """The person ids of a segment: a subquery."""
    applications = select(Application.person_id).where(
        Application.season_id == season_id, Application.erased_at.is_(None)
    )
    match segment:
        case BroadcastSegment.STUDENTS:
            return union(
                applications.where(
                    Application.role == Role.STUDENT,
                    Application.status == ApplicationStatus.ACCEPTED,
                ),
                _granted(Role.STUDENT, season_id),
            )
        case BroadcastSegment.APPLICANTS:
            return applications.where(Application.status.not_in(NOT_APPLIED))
        case BroadcastSegment.TUTORS:
            return union(
                applications.where(
                    Application.role == Role.TUTOR,
                    Application.status == ApplicationStatus.ACCEPTED,
                ),
                _granted(Role.TUTOR, season_id),
            )
        case BroadcastSegment.MENTORS:
            return _granted(Role.MENTOR, season_id)
        case BroadcastSegment.SITE_CONTACTS:
            return select(Site.contact_person_id).where(
                Site.season_id == season_id, Site.contact_person_id.is_not(None)
            )
        case BroadcastSegment.OVERDUE:
            return select(PlanTask.student_id).where(
                PlanTask.season_id == season_id,
                PlanTask.deleted_at.is_(None),
                PlanTask.due_at < now,
                PlanTask.status.in_(OPEN_TASKS),
            )


def _granted(role: Role, season_id: int) -> Select[int]:
    return select(RoleGrant.person_id).where(
        RoleGrant.role == role,
        RoleGrant.revoked_at.is_(None),
        or_(RoleGrant.season_id == season_id, RoleGrant.season_id.is_(None)),
    )


def _filtered(narrow: tuple[BroadcastFilter, int], season_id: int) -> Any:
    """The person ids a filter lets through: a subquery."""
    kind, value = narrow
    applications = select(Application.person_id).where(
        Application.season_id == season_id, Application.erased_at.is_(None)
    )
    match kind:
        case BroadcastFilter.MUNICIPALITY:
            return applications.join(Answer, Answer.application_id == Application.id).where(
                Answer.step == "municipality", Answer.value == str(value)
            )
        case BroadcastFilter.IDEA:
            return applications.join(
                IdeaPreference, IdeaPreference.application_id == Application.id
            ).where(IdeaPreference.idea_id == value)
        case BroadcastFilter.TEAM:
            return select(TeamMember.person_id).where(
                TeamMember.team_id == value, TeamMember.left_at.is_(None)
            )
        case BroadcastFilter.STATUS:
            statuses = list(ApplicationStatus)
            status = statuses[value] if 0 <= value < len(statuses) else None
            return applications.where(Application.status == status)
