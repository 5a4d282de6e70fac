"""Shared by the selection tests: the example season with two mentors (each holding one idea)
and the office, and submitted applications seeded straight through the repositories."""

from __future__ import annotations

from dataclasses import dataclass

from services.clock import Clock
from services.domain import ApplicationStatus, Role
from services.people import Identity
from storage.models import Invitation, ProjectIdea
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.example_season import import_example

MENTOR_A, MENTOR_B, MENTOR_C, OFFICE = 7001, 7002, 7003, 7009


@dataclass
class World:
    season_id: int
    ideas: dict[str, int]  # code -> id
    people: dict[int, int]  # tg id -> person id


async def identity(uow: UnitOfWork, tg_id: int) -> Identity:
    person = await uow.people.by_tg_id(tg_id)
    assert person is not None
    grants = await uow.people.roles_of(person.id)
    return Identity(person.id, tg_id, "ru", frozenset(r for r, _ in grants), frozenset(grants))


async def build_world(
    factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    mentors: dict[int, str] | None = None,
    capacity: dict[str, int] | None = None,
) -> World:
    """Mentor A holds peat-monitor, B space-sat, C river-clean (by redeeming the invitation)."""
    await import_example(factory, clock)
    mentors = mentors or {MENTOR_A: "peat-monitor", MENTOR_B: "space-sat", MENTOR_C: "river-clean"}
    now = clock.now()
    async with factory() as uow:
        season = await uow.seasons.current()
        assert season is not None
        ideas = {i.code: i for i in await uow.season_config.active(ProjectIdea, season.id)}
        for code, places in (capacity or {}).items():
            ideas[code].capacity_students = places
        people = {}
        for tg_id, code in mentors.items():
            person = await uow.people.ensure(tg_id, "ru", now)
            await uow.people.set_profile(person.id, f"Наставник {tg_id}", None, now)
            invitation = await uow.session.get(Invitation, ideas[code].mentor_invitation_id)
            assert invitation is not None
            invitation.used_at, invitation.used_by = now, person.id
            await uow.people.grant(person.id, Role.MENTOR, season.id, now)
            people[tg_id] = person.id
        office = await uow.people.ensure(OFFICE, "ru", now)
        await uow.people.grant(office.id, Role.OFFICE, None, now)
        people[OFFICE] = office.id
        await uow.commit()
        return World(season.id, {c: i.id for c, i in ideas.items()}, people)


async def add_applicant(
    factory: UnitOfWorkFactory,
    clock: Clock,
    world: World,
    tg_id: int,
    ideas: list[str],
    role: Role = Role.STUDENT,
    *,
    media: bool | str = True,
    answers: dict[str, str] | None = None,
    presentation_text: str | None = None,
) -> int:
    """A submitted application ranking `ideas` (first choice first); returns its id. `media`:
    the self-presentation's kind (True: a video); `answers` add to or replace the few given."""
    now = clock.now()
    given = {"full_name": f"Кандидат {tg_id}", "about": "Люблю физику.", **(answers or {})}
    async with factory() as uow:
        person = await uow.people.ensure(tg_id, "ru", now)
        await uow.people.set_profile(person.id, given["full_name"], None, now)
        application, _ = await uow.applications.ensure(person.id, world.season_id, now)
        await uow.applications.set_role(application.id, role, now)
        for step, value in given.items():
            await uow.applications.save_answer(application.id, step, value, now)
        if presentation_text is not None:
            await uow.applications.save_media(
                application.id, now, kind="text", file_id=None, text=presentation_text
            )
        elif media:
            kind = "video" if media is True else str(media)
            await uow.applications.save_media(
                application.id, now, kind=kind, file_id=f"{kind.upper()}-{tg_id}", text=None
            )
        await uow.applications.set_preferences(application.id, [world.ideas[c] for c in ideas])
        await uow.applications.transition(
            application.id,
            [ApplicationStatus.DRAFT],
            ApplicationStatus.SUBMITTED,
            now,
            number=f"T-{application.id:05d}",
            submitted_at=now,
        )
        world.people[tg_id] = person.id
        await uow.commit()
        return application.id
