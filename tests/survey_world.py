"""Shared by the survey tests: the selection world's season with a dozen accepted students,
eight in Томск and four in Северск, all ranking peat-monitor first."""

from __future__ import annotations

from services.clock import Clock
from services.domain import ApplicationStatus, Role
from storage.models import Municipality
from storage.uow import UnitOfWorkFactory
from tests.selection_world import World, add_applicant, build_world

TOMSK = tuple(range(9601, 9609))  # eight
SEVERSK = tuple(range(9611, 9615))  # four
STUDENTS = TOMSK + SEVERSK


async def build_survey_world(factory: UnitOfWorkFactory, clock: Clock) -> World:
    world = await build_world(factory, clock)
    async with factory() as uow:
        rows = await uow.season_config.all_of(Municipality, world.season_id)
        places = {m.name: m.id for m in rows}
    for tg_id in STUDENTS:
        place = "Томск" if tg_id in TOMSK else "Северск"
        application = await add_applicant(
            factory, clock, world, tg_id, ["peat-monitor"], Role.STUDENT,
            answers={"municipality": str(places[place])},
        )  # fmt: skip
        async with factory() as uow:
            await uow.applications.transition(
                application, [ApplicationStatus.SUBMITTED], ApplicationStatus.ACCEPTED, clock.now()
            )
            await uow.commit()
    return world
