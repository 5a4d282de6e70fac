"""The start and end surveys: open waves, one answer per press, and what the shift is counted
from (each respondent's group and answers)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ApplicationStatus, Role
from storage.models import Answer, Application, IdeaPreference, SurveyAnswer, SurveyWave
from storage.sql import insert_for, rowcount


class SurveyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_wave(self, season_id: int, wave: str, now: datetime) -> bool:
        """Open a wave once; True if this call opened it."""
        statement = insert_for(self.session, SurveyWave.__table__).values(
            season_id=season_id, wave=wave, opened_at=now
        )
        result = await self.session.execute(
            statement.on_conflict_do_nothing(index_elements=["season_id", "wave"])
        )
        return rowcount(result) == 1

    async def waves(self, season_id: int) -> set[str]:
        rows = await self.session.scalars(
            select(SurveyWave.wave).where(SurveyWave.season_id == season_id)
        )
        return set(rows)

    async def answers_of(self, person_id: int, season_id: int, wave: str) -> dict[str, str | None]:
        rows = await self.session.execute(
            select(SurveyAnswer.question, SurveyAnswer.value).where(
                SurveyAnswer.person_id == person_id,
                SurveyAnswer.season_id == season_id,
                SurveyAnswer.wave == wave,
            )
        )
        return {question: value for question, value in rows}

    async def answer(
        self,
        person_id: int,
        season_id: int,
        wave: str,
        question: str,
        value: str | None,
        now: datetime,
    ) -> bool:
        """Record an answer unless one is there already; True if this call recorded it."""
        statement = insert_for(self.session, SurveyAnswer.__table__).values(
            person_id=person_id,
            season_id=season_id,
            wave=wave,
            question=question,
            value=value,
            answered_at=now,
        )
        result = await self.session.execute(
            statement.on_conflict_do_nothing(
                index_elements=["person_id", "season_id", "wave", "question"]
            )
        )
        return rowcount(result) == 1

    async def participant(self, person_id: int, season_id: int) -> Role | None:
        """The role of the person's accepted application this season (None: not accepted)."""
        role: Role | None = await self.session.scalar(
            select(Application.role).where(
                Application.person_id == person_id,
                Application.season_id == season_id,
                Application.status == ApplicationStatus.ACCEPTED,
                Application.erased_at.is_(None),
            )
        )
        return role

    async def all_answers(self, season_id: int) -> list[tuple[int, str, str, str | None]]:
        """(person, wave, question, value) of every answer of the season."""
        rows = await self.session.execute(
            select(
                SurveyAnswer.person_id,
                SurveyAnswer.wave,
                SurveyAnswer.question,
                SurveyAnswer.value,
            ).where(SurveyAnswer.season_id == season_id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]

    async def groups(
        self, season_id: int, person_ids: list[int]
    ) -> list[tuple[int, Role | None, str | None, int | None]]:
        """(person, role, municipality answer, first-choice idea) of their application."""
        if not person_ids:
            return []
        municipality = (
            select(Answer.value)
            .where(Answer.application_id == Application.id, Answer.step == "municipality")
            .scalar_subquery()
        )
        first_idea = (
            select(IdeaPreference.idea_id)
            .where(IdeaPreference.application_id == Application.id)
            .order_by(IdeaPreference.rank)
            .limit(1)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(Application.person_id, Application.role, municipality, first_idea).where(
                Application.season_id == season_id,
                Application.erased_at.is_(None),
                Application.person_id.in_(person_ids),
            )
        )
        return [tuple(row) for row in rows]

    async def count_of_person(self, person_id: int) -> int:
        return int(
            await self.session.scalar(
                select(func.count()).where(SurveyAnswer.person_id == person_id)
            )
            or 0
        )

    async def erase_of_person(self, person_id: int) -> int:
        result = await self.session.execute(
            delete(SurveyAnswer).where(SurveyAnswer.person_id == person_id)
        )
        return rowcount(result)
