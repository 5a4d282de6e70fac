"""Applications, their answers, consents, self-presentation media and idea preferences.

Answers are upserted per (application, step): an answer given twice (a double tap, a replayed
update, an edit) is stored once. Status changes are conditional updates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import ApplicationStatus, ConsentKind
from storage.models import (
    Answer,
    Application,
    Consent,
    IdeaPreference,
    Person,
    PresentationMedia,
    Season,
    SeasonSettings,
)
from storage.sql import insert_for, is_postgres, rowcount

# The answer upsert per dialect name (storage/repositories/applications.py `save_answer`).
_ANSWER_UPSERTS: dict[str, Any] = {}


class ApplicationsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, application_id: int) -> Application | None:
        return await self.session.get(Application, application_id)

    async def with_season(
        self, application_id: int
    ) -> tuple[Application, Season, str | None] | None:
        """The application, its season and the season's configuration stamp in one query (the
        questionnaire's hot path)."""
        row = (
            await self.session.execute(
                select(Application, Season, SeasonSettings.stamp)
                .join(Season, Season.id == Application.season_id)
                .outerjoin(SeasonSettings, SeasonSettings.season_id == Season.id)
                .where(Application.id == application_id)
            )
        ).first()
        return None if row is None else (row[0], row[1], row[2])

    async def with_season_and_answers(
        self, application_id: int
    ) -> tuple[Application, Season, str | None, dict[str, str | None]] | None:
        """`with_season` and `answers` in one round trip: the answers come back as one JSON
        object (a step's answer, or null), aggregated by the server."""
        aggregate = func.json_object_agg if is_postgres(self.session) else func.json_group_object
        answers = (
            select(aggregate(Answer.step, Answer.value))
            .where(Answer.application_id == Application.id)
            .scalar_subquery()
        )
        row = (
            await self.session.execute(
                select(Application, Season, SeasonSettings.stamp, answers)
                .join(Season, Season.id == Application.season_id)
                .outerjoin(SeasonSettings, SeasonSettings.season_id == Season.id)
                .where(Application.id == application_id)
            )
        ).first()
        if row is None:
            return None
        raw = row[3]
        loaded = json.loads(raw) if isinstance(raw, str) else raw
        return row[0], row[1], row[2], dict(loaded or {})

    async def of_person(self, person_id: int, season_id: int) -> Application | None:
        return await self.session.scalar(
            select(Application).where(
                Application.person_id == person_id, Application.season_id == season_id
            )
        )

    async def by_number(self, number: str) -> Application | None:
        """The application with this number (TOMSK-2026-00001), any case."""
        return await self.session.scalar(
            select(Application).where(func.upper(Application.number) == number.upper())
        )

    async def all_of_person(self, person_id: int) -> list[Application]:
        rows = await self.session.scalars(
            select(Application).where(Application.person_id == person_id).order_by(Application.id)
        )
        return list(rows)

    async def ensure(
        self, person_id: int, season_id: int, now: datetime
    ) -> tuple[Application, bool]:
        """The person's application to the season, created on first call; safe under races."""
        existing = await self.of_person(person_id, season_id)
        if existing is not None:
            return existing, False
        result = await self.session.execute(
            insert_for(self.session, Application)
            .values(
                season_id=season_id,
                person_id=person_id,
                status=ApplicationStatus.DRAFT,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["season_id", "person_id"])
        )
        created = bool(rowcount(result))
        application = await self.of_person(person_id, season_id)
        assert application is not None
        return application, created

    async def set_role(self, application_id: int, role: Any, now: datetime) -> None:
        await self.session.execute(
            update(Application)
            .where(Application.id == application_id)
            .values(role=role, updated_at=now)
        )

    async def transition(
        self,
        application_id: int,
        expected: Iterable[ApplicationStatus],
        to: ApplicationStatus,
        now: datetime,
        **values: Any,
    ) -> bool:
        """Move the status only if it is one of `expected`: a double tap changes nothing."""
        result = await self.session.execute(
            update(Application)
            .where(Application.id == application_id, Application.status.in_(list(expected)))
            .values(status=to, updated_at=now, **values)
        )
        return bool(rowcount(result))

    async def refresh(self, application: Application) -> None:
        await self.session.refresh(application)

    # Answers

    async def answers(self, application_id: int) -> dict[str, str | None]:
        rows = await self.session.execute(
            select(Answer.step, Answer.value).where(Answer.application_id == application_id)
        )
        return {step: value for step, value in rows}

    async def save_answer(
        self, application_id: int, step: str, value: str | None, now: datetime
    ) -> None:
        # The table, not the mapped class: a plain Core upsert skips the ORM's DML bookkeeping
        # on the questionnaire's hottest statement. Built once per dialect and given its values
        # as parameters: `excluded` alone re-derived every column of the table on each call.
        dialect = self.session.get_bind().dialect.name
        statement = _ANSWER_UPSERTS.get(dialect)
        if statement is None:
            statement = insert_for(self.session, Answer.__table__)
            statement = statement.on_conflict_do_update(
                index_elements=["application_id", "step"],
                set_={
                    "value": statement.excluded.value,
                    "answered_at": statement.excluded.answered_at,
                },
            )
            _ANSWER_UPSERTS[dialect] = statement
        await self.session.execute(
            statement,
            {"application_id": application_id, "step": step, "value": value, "answered_at": now},
        )

    async def forget_answers(self, application_id: int, steps: Iterable[str]) -> None:
        await self.session.execute(
            delete(Answer).where(
                Answer.application_id == application_id, Answer.step.in_(list(steps))
            )
        )

    # Consents

    async def consents(self, application_id: int) -> dict[ConsentKind, Consent]:
        rows = await self.session.scalars(
            select(Consent).where(Consent.application_id == application_id)
        )
        return {row.kind: row for row in rows}

    async def upsert_consent(
        self, application_id: int, person_id: int, kind: ConsentKind, **values: Any
    ) -> None:
        statement = insert_for(self.session, Consent).values(
            application_id=application_id, person_id=person_id, kind=kind, **values
        )
        statement = statement.on_conflict_do_update(
            index_elements=["application_id", "kind"],
            set_={name: getattr(statement.excluded, name) for name in values},
        )
        await self.session.execute(statement)

    async def withdraw_consents(self, person_id: int, now: datetime) -> int:
        result = await self.session.execute(
            update(Consent)
            .where(Consent.person_id == person_id, Consent.withdrawn_at.is_(None))
            .values(withdrawn_at=now, valid=False)
        )
        return rowcount(result)

    async def drop_consents(self, application_id: int, kind: ConsentKind | None = None) -> None:
        """Delete the application's consents (of one kind): for a draft whose path no longer
        asks for them, with the representative's details they carry."""
        statement = delete(Consent).where(Consent.application_id == application_id)
        if kind is not None:
            statement = statement.where(Consent.kind == kind)
        await self.session.execute(statement)

    async def erase_consent_details(self, person_id: int) -> None:
        """What a consent record need not keep once withdrawn: a representative's consent that
        was never confirmed proves nothing and goes whole; a confirmed one keeps who gave it
        (name, relation), for whom, when and which text, but not the representative's phone."""
        await self.session.execute(
            delete(Consent).where(Consent.person_id == person_id, Consent.given_at.is_(None))
        )
        await self.session.execute(
            update(Consent).where(Consent.person_id == person_id).values(representative_phone=None)
        )

    # Self-presentation

    async def media(self, application_id: int) -> PresentationMedia | None:
        return await self.session.get(PresentationMedia, application_id)

    async def save_media(self, application_id: int, now: datetime, **values: Any) -> None:
        statement = insert_for(self.session, PresentationMedia).values(
            application_id=application_id, updated_at=now, **values
        )
        statement = statement.on_conflict_do_update(
            index_elements=["application_id"],
            set_={name: getattr(statement.excluded, name) for name in [*values, "updated_at"]},
        )
        await self.session.execute(statement)

    # Idea preferences

    async def preferences(self, application_id: int) -> list[int]:
        """Idea ids in order of preference."""
        rows = await self.session.scalars(
            select(IdeaPreference.idea_id)
            .where(IdeaPreference.application_id == application_id)
            .order_by(IdeaPreference.rank)
        )
        return list(rows)

    async def set_preferences(self, application_id: int, idea_ids: list[int]) -> None:
        await self.session.execute(
            delete(IdeaPreference).where(IdeaPreference.application_id == application_id)
        )
        if idea_ids:
            await self.session.execute(
                insert_for(self.session, IdeaPreference).values(
                    [
                        {"application_id": application_id, "rank": rank, "idea_id": idea_id}
                        for rank, idea_id in enumerate(idea_ids, start=1)
                    ]
                )
            )

    # Erasure

    async def erase_personal_data(self, application_id: int) -> None:
        """Answers, media and preferences go; the application row and consent records stay."""
        for entity in (Answer, PresentationMedia, IdeaPreference):
            await self.session.execute(
                delete(entity).where(entity.application_id == application_id)
            )

    async def not_accepted_unerased(self, season_id: int) -> list[Application]:
        """The season's applications the retention job has still to erase: not accepted."""
        rows = await self.session.scalars(
            select(Application)
            .where(
                Application.season_id == season_id,
                Application.status != ApplicationStatus.ACCEPTED,
                Application.erased_at.is_(None),
            )
            .order_by(Application.id)
        )
        return list(rows)

    async def has_accepted(self, person_id: int) -> bool:
        found = await self.session.scalar(
            select(Application.id).where(
                Application.person_id == person_id,
                Application.status == ApplicationStatus.ACCEPTED,
            )
        )
        return found is not None

    async def mark_erased(self, application_ids: Iterable[int], now: datetime) -> None:
        await self.session.execute(
            update(Application)
            .where(Application.id.in_(list(application_ids)))
            .values(erased_at=now)
        )

    async def set_person_name(self, person_id: int, full_name: str | None, now: datetime) -> None:
        await self.session.execute(
            update(Person).where(Person.id == person_id).values(full_name=full_name, updated_at=now)
        )
