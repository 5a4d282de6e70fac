"""People for the broadcast tests, unit to benchmark: written straight into the tables (ten
thousand of them in seconds), each with a Telegram account whose chat is their user id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from services.domain import ApplicationStatus, Messenger, Role
from storage.models import (
    Account,
    Answer,
    Application,
    IdeaPreference,
    Person,
    RoleGrant,
    Season,
)
from storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Someone:
    tg_id: int
    status: ApplicationStatus | None = ApplicationStatus.ACCEPTED  # None: no application
    role: Role = Role.STUDENT
    municipality: int | None = None
    idea: int | None = None
    age_group: str = "adult"
    grant: Role | None = None  # a role given by the office (tutor, mentor)


async def current_season(uow_factory: UnitOfWorkFactory) -> Season:
    async with uow_factory() as uow:
        season = await uow.seasons.current()
    assert season is not None
    return season


async def add_people(
    uow_factory: UnitOfWorkFactory, now: datetime, people: list[Someone]
) -> dict[int, int]:
    """Person id by Telegram id."""
    season = await current_season(uow_factory)
    async with uow_factory() as uow:
        session = uow.session
        persons = [
            Person(tg_id=p.tg_id, preferred_messenger=Messenger.TELEGRAM, language="ru",
                   is_active=True, full_name=f"Участник {p.tg_id}", created_at=now,
                   updated_at=now)
            for p in people
        ]  # fmt: skip
        session.add_all(persons)
        await session.flush()
        for p, person in zip(people, persons, strict=True):
            session.add(Account(person_id=person.id, messenger=Messenger.TELEGRAM, user_id=p.tg_id,
                                chat_id=p.tg_id, created_at=now, last_seen_at=now,
                                is_active=True))  # fmt: skip
            if p.grant is not None:
                session.add(RoleGrant(person_id=person.id, role=p.grant, season_id=season.id,
                                      granted_at=now))  # fmt: skip
        applications = [
            (p, Application(season_id=season.id, person_id=person.id, role=p.role,
                            status=p.status, created_at=now, updated_at=now, submitted_at=now))
            for p, person in zip(people, persons, strict=True) if p.status is not None
        ]  # fmt: skip
        session.add_all([application for _, application in applications])
        await session.flush()
        for p, application in applications:
            answers = {"age_group": p.age_group}
            if p.municipality is not None:
                answers["municipality"] = str(p.municipality)
            for step, value in answers.items():
                session.add(Answer(application_id=application.id, step=step, value=value,
                                   answered_at=now))  # fmt: skip
            if p.idea is not None:
                session.add(IdeaPreference(application_id=application.id, rank=1, idea_id=p.idea))
        await uow.commit()
        return {p.tg_id: person.id for p, person in zip(people, persons, strict=True)}


async def first_ids(uow_factory: UnitOfWorkFactory, model: type, count: int) -> list[int]:
    """The ids of the season's first municipalities or ideas, in their order."""
    async with uow_factory() as uow:
        rows = await uow.session.scalars(
            select(model.id).order_by(model.position, model.id).limit(count)  # type: ignore[attr-defined]
        )
        return list(rows)
