"""The digital profile: what it shows of a participant's path, who may see it, and the PDF
portfolio (opened by pypdf: the name in Cyrillic, the tasks and the internship are there)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from services.clock import FixedClock
from services.domain import SlotKind, TaskKind, TeamRole
from services.errors import NotAllowed
from services.file_payload import file_bytes
from services.i18n import Texts
from services.portfolio_pdf import render_portfolio
from services.profile import (
    ApplicationLine,
    StageLine,
    TaskLine,
    TeamLine,
    VisitLine,
    profile_sections,
)
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.bookings_world import NOW, STUDENT3, BookingWorld
from tests.plans_world import MENTOR, OTHER_TUTOR, STUDENT, STUDENT2, services
from tests.profile_world import (
    NAME,
    ORGANISATION,
    STAGE,
    TASK_OPEN,
    TASKS_DONE,
    build_profile_world,
)

t = Texts().for_language("ru")


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory) -> BookingWorld:
    return await build_profile_world(uow_factory, FixedClock(NOW))


async def view_as(world: BookingWorld, viewer: int, person: int | None = None):  # type: ignore[no-untyped-def]
    me = await world.me(viewer)
    target = None if person is None else await world.person_id(person)
    async with world.uow_factory() as uow:
        return await services(uow, world.clock).profile.view(me, target)


async def test_the_profile_shows_the_participants_path(world: BookingWorld) -> None:
    view = await view_as(world, STUDENT)
    assert view.name == NAME
    assert view.applications == [ApplicationLine("Набор 2026", "КБ-0007", "accepted")]
    assert view.teams == [TeamLine("Альфа", TeamRole.STUDENT)]
    assert view.stages == [StageLine("Альфа", STAGE)]
    assert view.tasks == [
        TaskLine(TASKS_DONE[0], TaskKind.ONLINE_COURSE),
        TaskLine(TASKS_DONE[1], TaskKind.SCHOOL_SUBJECT),
    ]  # the task not done yet is not part of the path
    # Only the internship attended; the professional trial missed is not.
    assert view.visits == [VisitLine(SlotKind.INTERNSHIP, ORGANISATION, "03.09.2026")]
    assert view.defence is None
    sections = dict(profile_sections(view, t))
    assert sections[t("profile-section-defence")] == [t("profile-defence-pending")]
    assert sections[t("profile-section-tasks")][0] == t(
        "profile-task-line", title=TASKS_DONE[0], kind=t("plan-kind-online_course")
    )


async def test_a_mentor_sees_their_team_members_profile_and_no_one_elses(
    world: BookingWorld,
) -> None:
    assert (await view_as(world, MENTOR, STUDENT)).name == NAME
    with pytest.raises(NotAllowed):  # a student of team «beta»
        await view_as(world, MENTOR, STUDENT3)
    with pytest.raises(NotAllowed):  # the tutor of another team
        await view_as(world, OTHER_TUTOR, STUDENT)
    with pytest.raises(NotAllowed):  # a student, even of the same team
        await view_as(world, STUDENT2, STUDENT)


async def test_only_a_teams_staff_lists_its_members(world: BookingWorld) -> None:
    mentor, student = await world.me(MENTOR), await world.me(STUDENT)
    async with world.uow_factory() as uow:
        profile = services(uow, world.clock).profile
        members = await profile.team_members(mentor, world.team_id)
        assert len(members) == 2 and NAME in [m.name for m in members]  # students only
        with pytest.raises(NotAllowed):
            await profile.team_members(mentor, world.other_team_id)
        with pytest.raises(NotAllowed):
            await profile.team_members(student, world.team_id)


async def test_the_portfolio_pdf_opens_with_the_name_tasks_and_internships(
    world: BookingWorld,
) -> None:
    me = await world.me(STUDENT)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).profile.send_portfolio(me)
        await uow.commit()
    async with world.uow_factory() as uow:
        [row] = await uow.session.scalars(
            select(OutgoingMessage).where(OutgoingMessage.kind == "file")
        )
    assert row.chat_id == STUDENT and row.payload["filename"] == "portfolio.pdf"
    content = file_bytes(row.payload)  # binary, kept as base64 in the row
    assert content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert NAME in text
    for title in TASKS_DONE:
        assert title in text
    assert TASK_OPEN not in text
    assert ORGANISATION in text and "стажировка" in text


def test_the_pdf_draws_cyrillic_without_any_system_font() -> None:
    content = render_portfolio("Портфолио", "Ёжикова Юлия", [("Раздел", ["строка ъЪ ёЁ"])])
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Ёжикова Юлия" in text and "строка ъЪ ёЁ" in text
