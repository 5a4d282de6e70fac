"""Free text typed into the bot, on both databases: an answer of invisible characters only
(zero-width spaces, joiners, fillers) is empty, and invisible characters do not count towards a
minimum, in every free-text field beyond the questionnaire (tests/unit/test_questionnaire.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from services.clock import FixedClock
from services.container import Services
from services.domain import TaskKind
from services.errors import InvalidInput
from services.plans import Evidence
from storage.uow import UnitOfWorkFactory
from tests import plans_world, selection_world
from tests.plans_world import MENTOR, STUDENT, TUTOR, World, build_world, local, services

# 44 characters, none of them visible.
INVISIBLE = " \u200b\u200c\u200d\u2060\ufeff\u00ad\u3164\u2800\u115f\u200e " * 4


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> World:
    clock.moment = local("Europe/Moscow", 2026, 9, 1, 10, 0)
    return await build_world(uow_factory, clock, "Europe/Moscow")


async def _refused(world: World, key: str, action: Callable[[Services], Awaitable[object]]) -> None:
    async with world.uow_factory() as uow:
        with pytest.raises(InvalidInput) as refused:
            await action(services(uow, world.clock))
    assert refused.value.key == key


async def test_invisible_text_is_empty_in_the_passport_roadmap_plan_and_announcements(
    world: World,
) -> None:
    tutor, mentor, student = await world.me(TUTOR), await world.me(MENTOR), await world.me(STUDENT)
    team = world.team_id
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        stage = await roadmap.add_stage(tutor, team, "Сбор данных")
        await roadmap.set_stage_due(tutor, stage.id, "15.10.2026")
        await roadmap.submit_stage(tutor, stage.id, Evidence("text", "Собрали 40 замеров"))
        [task] = await services(uow, world.clock).plans.assign(
            tutor,
            kind=TaskKind.ONLINE_COURSE,
            title="Курс",
            due_at=local("Europe/Moscow", 2026, 9, 10, 18, 0),
            student_id=student.person_id,
        )
        await services(uow, world.clock).plans.assign_begin(tutor)
    # Two letters and zero-width spaces: five characters, two of them count (at least three).
    await _refused(world, "passport-answer-short", lambda s: s.roadmap.passport_answer(
        tutor, team, "goal", "а\u200b\u200b\u200bб"))  # fmt: skip
    await _refused(world, "roadmap-title-short", lambda s: s.roadmap.add_stage(
        tutor, team, INVISIBLE))  # fmt: skip
    await _refused(world, "roadmap-comment-short", lambda s: s.roadmap.return_stage(
        mentor, stage.id, INVISIBLE))  # fmt: skip
    await _refused(world, "team-announce-empty", lambda s: s.team_chat.announce(
        mentor, team, INVISIBLE))  # fmt: skip
    await _refused(world, "plan-evidence-empty", lambda s: s.plans.submit(
        student, task.id, Evidence("text", INVISIBLE)))  # fmt: skip
    await _refused(world, "plan-comment-short", lambda s: s.plans.return_task(
        tutor, task.id, INVISIBLE))  # fmt: skip


async def test_invisible_text_is_empty_in_the_assign_dialogue(world: World) -> None:
    tutor, student = await world.me(TUTOR), await world.me(STUDENT)
    async with world.uow_factory() as uow:
        plans = services(uow, world.clock).plans
        await plans.assign_begin(tutor)
        await plans.assign_target(tutor, "student", student.person_id)
        await plans.assign_kind(tutor, TaskKind.ONLINE_COURSE.value)
    await _refused(world, "plan-title-short", lambda s: s.plans.assign_text(tutor, INVISIBLE))
    async with world.uow_factory() as uow:
        plans = services(uow, world.clock).plans
        await plans.assign_text(tutor, "Курс по экологии")
        await plans.assign_text(tutor, "10.09.2026")
        await plans.assign_skip(tutor)  # no link
    await _refused(world, "plan-desc-empty", lambda s: s.plans.assign_text(tutor, INVISIBLE))


async def test_invisible_text_is_empty_in_a_review_comment(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await selection_world.build_world(uow_factory, clock)
    app = await selection_world.add_applicant(uow_factory, clock, world, 9401, ["peat-monitor"])
    async with uow_factory() as uow:
        mentor = await selection_world.identity(uow, selection_world.MENTOR_A)
        with pytest.raises(InvalidInput) as refused:
            await plans_world.services(uow, clock).selection.comment(mentor, app, INVISIBLE)
    assert refused.value.key == "sel-comment-short"
