"""Shared by the /stats tests: the example season (Asia/Tomsk, UTC+7) with the selection world's
mentors, a handful of applications on three local days, a consent, a score, a decision, a team
of mentor A's with stages, tasks, a reminder and a booking — every number /stats shows is known.

What the office sees (`EXPECTED`) and mentor A's share (`EXPECTED_A`) are written out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from services.clock import FixedClock
from services.domain import (
    Attendance,
    BookingStatus,
    ConsentKind,
    Decision,
    ReminderStatus,
    ReviewStatus,
    Role,
    SlotKind,
    TaskKind,
    TaskStatus,
    TeamRole,
)
from storage.models import (
    ApplicationScore,
    Booking,
    Consent,
    ConsentText,
    Municipality,
    PlanTask,
    Reminder,
    RoadmapStage,
    SelectionCriterion,
    SelectionDecision,
    Site,
    Slot,
    Team,
    TeamMember,
)
from storage.uow import UnitOfWorkFactory
from tests.selection_world import MENTOR_A, World, add_applicant, build_world

# 14:00 in Tomsk on 1 September; 01:00 on 2 September (still the 1st in UTC); 10:00 on the 3rd.
DAY1 = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)
DAY2 = datetime(2026, 9, 1, 18, 0, tzinfo=UTC)
DAY3 = datetime(2026, 9, 3, 3, 0, tzinfo=UTC)
# The moment /stats is asked: 4 September, 12:00 in Tomsk.
ASKED = datetime(2026, 9, 4, 5, 0, tzinfo=UTC)

# (tg id, when, role, ideas, municipality, birth date)
APPLICANTS = (
    (9101, DAY1, Role.STUDENT, ["peat-monitor", "space-sat"], "Томск", "2011-03-10"),  # 15
    (9102, DAY1, Role.STUDENT, ["peat-monitor"], "Томск", "2013-09-05"),  # 12
    (9103, DAY2, Role.STUDENT, ["space-sat"], "Северск", "2010-09-04"),  # 16 (birthday today)
    (9104, DAY2, Role.TUTOR, ["peat-monitor"], "Северск", "1990-01-01"),  # 36
    (9105, DAY3, Role.STUDENT, ["river-clean"], "Кедровый", "2009-12-31"),  # 16
)
DRAFT = 9199  # started on day 3, never submitted


@dataclass(frozen=True)
class Expected:
    started: int
    consented: int
    submitted: int
    reviewed: int
    accepted: int
    by_day: list[tuple[date, int, int]]
    by_municipality: list[tuple[str, int]]
    students: int
    tutors: int
    ages: dict[int, int]
    tasks: tuple[int, int, int, int]  # total, done, submitted, overdue
    reminders: int
    holding: int
    attended: int


EXPECTED = Expected(
    started=6,
    consented=2,
    submitted=5,
    reviewed=1,
    accepted=1,
    by_day=[
        (date(2026, 9, 1), 2, 2),
        (date(2026, 9, 2), 2, 2),
        (date(2026, 9, 3), 2, 1),
    ],
    by_municipality=[("Северск", 2), ("Томск", 2), ("Кедровый", 1)],
    students=4,
    tutors=1,
    ages={12: 1, 15: 1, 16: 2, 36: 1},
    tasks=(3, 1, 0, 1),
    reminders=1,
    holding=1,
    attended=1,
)
# Mentor A holds peat-monitor (9101, 9102, 9104) and team «Торф» (student 9101).
EXPECTED_A = Expected(
    started=3,
    consented=2,
    submitted=3,
    reviewed=1,
    accepted=1,
    by_day=[(date(2026, 9, 1), 2, 2), (date(2026, 9, 2), 1, 1)],
    by_municipality=[("Томск", 2), ("Северск", 1)],
    students=2,
    tutors=1,
    ages={12: 1, 15: 1, 36: 1},
    tasks=(2, 1, 0, 1),
    reminders=1,
    holding=1,
    attended=1,
)


async def build_stats_world(factory: UnitOfWorkFactory, clock: FixedClock) -> World:
    clock.moment = DAY1
    world = await build_world(factory, clock)
    async with factory() as uow:
        rows = await uow.season_config.all_of(Municipality, world.season_id)
        municipalities = {m.name: m.id for m in rows}
    applications = {}
    for tg_id, moment, role, ideas, place, born in APPLICANTS:
        clock.moment = moment
        applications[tg_id] = await add_applicant(
            factory,
            clock,
            world,
            tg_id,
            ideas,
            role,
            answers={"municipality": str(municipalities[place]), "birth_date": born},
        )
    clock.moment = DAY3
    async with factory() as uow:
        person = await uow.people.ensure(DRAFT, "ru", DAY3)
        await uow.applications.ensure(person.id, world.season_id, DAY3)
        await uow.commit()
    await _selection(factory, world, applications)
    await _teamwork(factory, world)
    clock.moment = ASKED
    return world


async def _selection(
    factory: UnitOfWorkFactory, world: World, applications: dict[int, int]
) -> None:
    async with factory() as uow:
        session = uow.session
        text = (
            await session.scalars(
                select(ConsentText).where(ConsentText.season_id == world.season_id).limit(1)
            )
        ).one()
        criterion = (
            await session.scalars(
                select(SelectionCriterion)
                .where(SelectionCriterion.season_id == world.season_id)
                .limit(1)
            )
        ).one()
        for tg_id, given in ((9101, DAY1), (9102, None), (9104, DAY2)):
            session.add(
                Consent(
                    application_id=applications[tg_id],
                    person_id=world.people[tg_id],
                    consent_text_id=text.id,
                    kind=ConsentKind.APPLICANT,
                    text_version="1",
                    given_at=given,
                )
            )
        session.add(
            ApplicationScore(
                application_id=applications[9101],
                reviewer_id=world.people[MENTOR_A],
                criterion_id=criterion.id,
                score=4,
                updated_at=DAY3,
            )
        )
        session.add(
            SelectionDecision(
                application_id=applications[9101],
                decision=Decision.ACCEPTED,
                decided_at=DAY3,
            )
        )
        await uow.commit()


async def _teamwork(factory: UnitOfWorkFactory, world: World) -> None:
    """Team «Торф» (mentor A, student 9101): two stages, one approved; 9101's tasks (done, one
    overdue), a sent reminder, an attended booking; 9103's task elsewhere (not A's)."""
    async with factory() as uow:
        session = uow.session
        team = Team(season_id=world.season_id, name="Торф", code="peat", created_at=DAY1)
        other = Team(season_id=world.season_id, name="Спутник", code="sat", created_at=DAY1)
        session.add_all([team, other])
        await session.flush()
        for person, role in (
            (world.people[MENTOR_A], TeamRole.MENTOR),
            (world.people[9101], TeamRole.STUDENT),
        ):
            session.add(TeamMember(team_id=team.id, person_id=person, role=role, joined_at=DAY1))
        for position, status in ((1, ReviewStatus.APPROVED), (2, ReviewStatus.DRAFT)):
            session.add(
                RoadmapStage(
                    team_id=team.id,
                    position=position,
                    title=f"Этап {position}",
                    status=status,
                    created_at=DAY1,
                    updated_at=DAY1,
                )
            )
        tasks = []
        for student, status, due in (
            (9101, TaskStatus.DONE, DAY2),
            (9101, TaskStatus.ASSIGNED, DAY3),  # overdue on 4 September
            (9103, TaskStatus.ASSIGNED, ASKED + timedelta(days=3)),
        ):
            task = PlanTask(
                season_id=world.season_id,
                student_id=world.people[student],
                kind=TaskKind.OTHER,
                title="Задача",
                due_at=due,
                status=status,
                created_at=DAY1,
                updated_at=DAY1,
            )
            session.add(task)
            tasks.append(task)
        await session.flush()
        session.add(
            Reminder(
                task_id=tasks[1].id,
                person_id=world.people[9101],
                kind="overdue",
                due_at=DAY3,
                status=ReminderStatus.SENT,
                dedupe_key=f"stats-test:{tasks[1].id}",
                created_at=DAY1,
                sent_at=DAY3,
            )
        )
        site = Site(
            season_id=world.season_id,
            code="lab",
            organisation="Лаборатория",
            address="Томск",
            direction="ecology",
            created_at=DAY1,
            updated_at=DAY1,
        )
        session.add(site)
        await session.flush()
        slot = Slot(
            site_id=site.id,
            kind=SlotKind.INTERNSHIP,
            starts_at=DAY2,
            ends_at=DAY2 + timedelta(hours=2),
            capacity=3,
            seats_taken=1,
            created_at=DAY1,
            updated_at=DAY1,
        )
        session.add(slot)
        await session.flush()
        session.add(
            Booking(
                slot_id=slot.id,
                student_id=world.people[9101],
                status=BookingStatus.CONFIRMED,
                attendance=Attendance.ATTENDED,
                created_at=DAY1,
                updated_at=DAY2,
            )
        )
        await uow.commit()
