"""A participant with a path to show in their digital profile: on top of the bookings world
(team «alpha» with its mentor and students, team «beta», the sites), STUDENT gets a name, an
accepted application, an approved roadmap stage of their team, two ИУП tasks done and one not,
and an internship they attended (and a professional trial they missed)."""

from __future__ import annotations

from services.clock import FixedClock
from services.domain import (
    ApplicationStatus,
    Attendance,
    BookingStatus,
    ReviewStatus,
    Role,
    TaskKind,
    TaskStatus,
)
from storage.models import Application, Booking, PlanTask, RoadmapStage
from storage.uow import UnitOfWorkFactory
from tests.bookings_world import BookingWorld, build_booking_world
from tests.plans_world import STUDENT

NAME = "Анна Смирнова"
STAGE = "Прототип датчика влажности"
TASKS_DONE = ("Курс «Основы Python»", "Углублённая физика")
TASK_OPEN = "Курс «Черчение»"
ORGANISATION = "АО «Завод»"


async def build_profile_world(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> BookingWorld:
    world = await build_booking_world(uow_factory, clock)
    student = await world.person_id(STUDENT)
    now = clock.now()
    async with uow_factory() as uow:
        await uow.applications.set_person_name(student, NAME, now)
        uow.session.add(
            Application(
                season_id=world.season_id,
                person_id=student,
                role=Role.STUDENT,
                status=ApplicationStatus.ACCEPTED,
                number="КБ-0007",
                created_at=now,
                updated_at=now,
                submitted_at=now,
            )
        )
        uow.session.add(
            RoadmapStage(
                team_id=world.team_id,
                position=1,
                title=STAGE,
                status=ReviewStatus.APPROVED,
                created_at=now,
                updated_at=now,
            )
        )
        kinds = (TaskKind.ONLINE_COURSE, TaskKind.SCHOOL_SUBJECT, TaskKind.ONLINE_COURSE)
        statuses = (TaskStatus.DONE, TaskStatus.DONE, TaskStatus.ASSIGNED)
        for title, kind, status in zip((*TASKS_DONE, TASK_OPEN), kinds, statuses, strict=True):
            uow.session.add(
                PlanTask(
                    season_id=world.season_id,
                    student_id=student,
                    team_id=world.team_id,
                    kind=kind,
                    title=title,
                    status=status,
                    created_at=now,
                    updated_at=now,
                )
            )
        for slot_id, attendance in (
            (world.slot_id, Attendance.ATTENDED),
            (world.trial_id, Attendance.NO_SHOW),
        ):
            uow.session.add(
                Booking(
                    slot_id=slot_id,
                    student_id=student,
                    status=BookingStatus.CONFIRMED,
                    attendance=attendance,
                    created_at=now,
                    updated_at=now,
                )
            )
        await uow.commit()
    return world
