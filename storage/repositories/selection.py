"""Selection: scores, review notes, decisions and the results publication (never commits).

Scores and notes are upserts on their natural keys; a decision is an insert that does nothing
when the application already has one, and undoing it a DELETE conditional on the very values
the office saw; publication is a conditional update. Each returns whether it changed anything,
which is how the service tells a first press from a double tap.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ApplicationStatus, Decision, Role
from storage.models import (
    Application,
    ApplicationScore,
    IdeaPreference,
    Invitation,
    Person,
    ProjectIdea,
    ResultsPublication,
    ReviewNote,
    RoleGrant,
    SelectionDecision,
)
from storage.sql import insert_for, rowcount

ACTIVE = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
# What publication turns an active application into.
RESULTS = (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.NOT_SELECTED)
# Every application the selection ever saw (not withdrawn): what the office keeps seeing after
# the results are published.
IN_SELECTION = ACTIVE + RESULTS


class SelectionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_ideas(self, idea_ids: Iterable[int]) -> None:
        """Hold the ideas' rows until commit, so counting their accepted places and deciding is
        one step for concurrent office presses (PostgreSQL; SQLite has one writer anyway).
        Locked in id order, so two presses never deadlock."""
        await self.session.execute(
            select(ProjectIdea.id)
            .where(ProjectIdea.id.in_(sorted(set(idea_ids))))
            .order_by(ProjectIdea.id)
            .with_for_update()
        )

    # Who reviews what.

    async def idea_mentors(self, season_id: int) -> dict[int, int]:
        """Idea id -> the person who redeemed its mentor invitation and still holds the role."""
        rows = await self.session.execute(
            select(ProjectIdea.id, Invitation.used_by)
            .join(Invitation, Invitation.id == ProjectIdea.mentor_invitation_id)
            .join(
                RoleGrant,
                and_(
                    RoleGrant.person_id == Invitation.used_by,
                    RoleGrant.role == Role.MENTOR,
                    RoleGrant.revoked_at.is_(None),
                    or_(RoleGrant.season_id.is_(None), RoleGrant.season_id == season_id),
                ),
            )
            .where(ProjectIdea.season_id == season_id, Invitation.used_by.is_not(None))
        )
        return {idea_id: person_id for idea_id, person_id in rows if person_id is not None}

    async def office_people(self) -> list[Person]:
        rows = await self.session.scalars(
            select(Person)
            .join(RoleGrant, RoleGrant.person_id == Person.id)
            .where(RoleGrant.role == Role.OFFICE, RoleGrant.revoked_at.is_(None))
            .distinct()
        )
        return list(rows)

    async def ranked(self, application_ids: Iterable[int]) -> dict[int, list[int]]:
        """Application id -> its idea ids, first choice first."""
        ids = list(application_ids)
        result: dict[int, list[int]] = {i: [] for i in ids}
        if not ids:
            return result
        rows = await self.session.execute(
            select(IdeaPreference.application_id, IdeaPreference.idea_id)
            .where(IdeaPreference.application_id.in_(ids))
            .order_by(IdeaPreference.application_id, IdeaPreference.rank)
        )
        for application_id, idea_id in rows:
            result[application_id].append(idea_id)
        return result

    async def active_applications(
        self,
        season_id: int,
        idea_ids: Iterable[int] | None = None,
        statuses: Iterable[ApplicationStatus] = ACTIVE,
    ) -> list[tuple[Application, Person]]:
        """The season's applications in `statuses` (by default submitted or in review), ranking
        one of `idea_ids`, in submission order."""
        statement = (
            select(Application, Person)
            .join(Person, Person.id == Application.person_id)
            .where(Application.season_id == season_id, Application.status.in_(list(statuses)))
            .order_by(Application.submitted_at, Application.id)
        )
        if idea_ids is not None:
            statement = statement.where(
                Application.id.in_(
                    select(IdeaPreference.application_id).where(
                        IdeaPreference.idea_id.in_(list(idea_ids))
                    )
                )
            )
        rows = await self.session.execute(statement.execution_options(populate_existing=True))
        return [(application, person) for application, person in rows]

    # Scores and notes.

    async def upsert_score(
        self, application_id: int, reviewer_id: int, criterion_id: int, score: int, now: datetime
    ) -> bool:
        """Store the reviewer's score; False when it already had this value (a double tap)."""
        statement = insert_for(self.session, ApplicationScore.__table__).values(
            application_id=application_id,
            reviewer_id=reviewer_id,
            criterion_id=criterion_id,
            score=score,
            updated_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["application_id", "reviewer_id", "criterion_id"],
            set_={"score": statement.excluded.score, "updated_at": statement.excluded.updated_at},
            where=ApplicationScore.__table__.c.score != statement.excluded.score,
        )
        return bool(rowcount(await self.session.execute(statement)))

    async def scores(self, application_ids: Iterable[int]) -> list[tuple[int, int, int, int]]:
        """(application id, reviewer id, criterion id, score) rows."""
        ids = list(application_ids)
        if not ids:
            return []
        rows = await self.session.execute(
            select(
                ApplicationScore.application_id,
                ApplicationScore.reviewer_id,
                ApplicationScore.criterion_id,
                ApplicationScore.score,
            ).where(ApplicationScore.application_id.in_(ids))
        )
        return [(a, r, c, s) for a, r, c, s in rows]

    async def note(self, application_id: int, reviewer_id: int) -> ReviewNote | None:
        return await self.session.get(
            ReviewNote, (application_id, reviewer_id), populate_existing=True
        )

    async def notes(self, application_id: int) -> list[ReviewNote]:
        rows = await self.session.scalars(
            select(ReviewNote).where(ReviewNote.application_id == application_id)
        )
        return list(rows)

    async def set_note(
        self, application_id: int, reviewer_id: int, now: datetime, **values: Any
    ) -> bool:
        """Upsert the reviewer's comment or recommendation; False if nothing changed."""
        statement = insert_for(self.session, ReviewNote.__table__).values(
            application_id=application_id, reviewer_id=reviewer_id, updated_at=now, **values
        )
        table = ReviewNote.__table__.c
        statement = statement.on_conflict_do_update(
            index_elements=["application_id", "reviewer_id"],
            set_={
                **{name: getattr(statement.excluded, name) for name in values},
                "updated_at": statement.excluded.updated_at,
            },
            where=or_(
                *[
                    or_(table[name].is_(None), table[name] != getattr(statement.excluded, name))
                    for name in values
                ]
            ),
        )
        return bool(rowcount(await self.session.execute(statement)))

    async def erase_reviews(self, application_ids: Iterable[int]) -> None:
        """Reviewers' scores, comments and recommendations on the applications: what they say
        about the applicant. The office's decision (a fact of the selection) stays."""
        ids = list(application_ids)
        if not ids:
            return
        for entity in (ApplicationScore, ReviewNote):
            await self.session.execute(
                delete(entity)
                .where(entity.application_id.in_(ids))
                .execution_options(synchronize_session=False)
            )

    # Decisions.

    async def decision(self, application_id: int) -> SelectionDecision | None:
        return await self.session.get(SelectionDecision, application_id, populate_existing=True)

    async def decisions(self, application_ids: Iterable[int]) -> dict[int, SelectionDecision]:
        ids = list(application_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(SelectionDecision)
            .where(SelectionDecision.application_id.in_(ids))
            .execution_options(populate_existing=True)
        )
        return {row.application_id: row for row in rows}

    async def decide(
        self,
        application_id: int,
        decision: Decision,
        idea_id: int | None,
        decided_by: int | None,
        now: datetime,
    ) -> bool:
        """Record the decision unless the application already has one: True if this one won."""
        statement = (
            insert_for(self.session, SelectionDecision.__table__)
            .values(
                application_id=application_id,
                decision=decision.value,
                idea_id=idea_id,
                decided_by=decided_by,
                decided_at=now,
            )
            .on_conflict_do_nothing(index_elements=["application_id"])
        )
        return bool(rowcount(await self.session.execute(statement)))

    async def undecide(
        self,
        application_id: int,
        decision: Decision,
        idea_id: int | None,
        decided_at: datetime,
    ) -> bool:
        """Remove the application's decision if it is still exactly this one (same decision,
        idea and time): True if it was removed, False if it was already gone or replaced."""
        idea = SelectionDecision.idea_id
        result = await self.session.execute(
            delete(SelectionDecision)
            .where(
                SelectionDecision.application_id == application_id,
                SelectionDecision.decision == decision,
                idea.is_(None) if idea_id is None else idea == idea_id,
                SelectionDecision.decided_at == decided_at,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    # Publication.

    async def publication(self, season_id: int) -> ResultsPublication | None:
        return await self.session.get(ResultsPublication, season_id, populate_existing=True)

    async def hold_unpublished(self, season_id: int) -> bool:
        """Lock the season's publication row until commit (creating it unpublished if missing)
        and say whether results are still unpublished. A concurrent `claim_publication` waits
        for this transaction, so a change made under the hold is seen by the publication."""
        await self.session.execute(
            insert_for(self.session, ResultsPublication.__table__)
            .values(season_id=season_id, published_at=None, published_by=None)
            .on_conflict_do_nothing(index_elements=["season_id"])
        )
        published_at = await self.session.scalar(
            select(ResultsPublication.published_at)
            .where(ResultsPublication.season_id == season_id)
            .with_for_update()
        )
        return published_at is None

    async def publications(self) -> list[tuple[int, datetime]]:
        """Every season whose results are published, with when."""
        rows = await self.session.execute(
            select(ResultsPublication.season_id, ResultsPublication.published_at).where(
                ResultsPublication.published_at.is_not(None)
            )
        )
        return [(season_id, published_at) for season_id, published_at in rows if published_at]

    async def claim_publication(self, season_id: int, person_id: int, now: datetime) -> bool:
        """Mark the season's results published; False if they already were."""
        await self.session.execute(
            insert_for(self.session, ResultsPublication.__table__)
            .values(season_id=season_id, published_at=None, published_by=None)
            .on_conflict_do_nothing(index_elements=["season_id"])
        )
        result = await self.session.execute(
            update(ResultsPublication)
            .where(
                ResultsPublication.season_id == season_id,
                ResultsPublication.published_at.is_(None),
            )
            .values(published_at=now, published_by=person_id)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))
