"""The project passport and roadmap stages on both databases: who may do what, every answer
saved, submitted → returned → resubmitted → approved, double taps and replays change nothing,
decisions reach the tutor and the team chat, dates in the season's time zone."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import delete, select

from services.clock import FixedClock
from services.domain import ReviewStatus
from services.errors import Conflict, DomainError, InvalidInput, NotAllowed
from services.plans import Evidence
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.plans_world import (
    MENTOR,
    OTHER_TUTOR,
    STUDENT,
    TUTOR,
    World,
    build_world,
    local,
    services,
)
from tests.texts import said

MSK, NSK = "Europe/Moscow", "Asia/Novosibirsk"
GROUP = -700


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> World:
    clock.moment = local(NSK, 2026, 9, 1, 10, 0).astimezone(UTC)
    return await build_world(uow_factory, clock, NSK, chat_id=GROUP)


async def sent(world: World) -> list[tuple[int, str]]:
    async with world.uow_factory() as uow:
        rows = await uow.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id))
        result = [(r.chat_id, r.payload.get("text", "")) for r in rows]
        await uow.session.execute(delete(OutgoingMessage))
        await uow.commit()
        return result


async def fill_passport(world: World) -> None:
    tutor = await world.me(TUTOR)
    for field, text in (
        ("goal", "Чистый воздух в городе"),
        ("tasks", "Датчики, карта, отчёт"),
        ("results", "Карта загрязнений"),
        ("resources", "10 датчиков"),
    ):
        async with world.uow_factory() as uow:
            await services(uow, world.clock).roadmap.passport_answer(
                tutor, world.team_id, field, text
            )


async def test_passport_answers_are_saved_one_by_one_and_only_by_a_tutor(world: World) -> None:
    tutor, student = await world.me(TUTOR), await world.me(STUDENT)
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        with pytest.raises(NotAllowed):
            await roadmap.passport_answer(student, world.team_id, "goal", "Моя цель")
        with pytest.raises(InvalidInput) as short:
            await roadmap.passport_answer(tutor, world.team_id, "goal", "ok")
        assert short.value.key == "passport-answer-short"
        view = await roadmap.passport_answer(tutor, world.team_id, "goal", "Чистый воздух")
        assert view.fields["goal"] == "Чистый воздух" and not view.can_submit
        with pytest.raises(InvalidInput) as incomplete:
            await roadmap.passport_submit(tutor, world.team_id)
        assert incomplete.value.key == "passport-incomplete"
    # A student sees it, read-only.
    async with world.uow_factory() as uow:
        seen = await services(uow, world.clock).roadmap.passport(student, world.team_id)
    assert seen.fields["goal"] == "Чистый воздух" and not (seen.can_edit or seen.can_review)


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_passport_submitted_returned_resubmitted_approved(world: World) -> None:
    await fill_passport(world)
    tutor, mentor, student = [await world.me(x) for x in (TUTOR, MENTOR, STUDENT)]
    async with world.uow_factory() as uow:
        view = await services(uow, world.clock).roadmap.passport_submit(tutor, world.team_id)
    assert view.status is ReviewStatus.SUBMITTED
    [(chat, text)] = await sent(world)
    assert chat == MENTOR and text.startswith("Паспорт проекта команды «Альфа» на согласовании.")
    assert "Цель: Чистый воздух в городе" in text
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        with pytest.raises(Conflict):  # a double tap on «Отправить»
            await roadmap.passport_submit(tutor, world.team_id)
        with pytest.raises(Conflict) as locked:
            await roadmap.passport_answer(tutor, world.team_id, "goal", "Другая цель")
        assert locked.value.key == "passport-locked-submitted"
        with pytest.raises(NotAllowed):  # a student forging the mentor's button
            await roadmap.approve_passport(student, view.id)
        with pytest.raises(NotAllowed):  # the tutor is not the reviewer either
            await roadmap.return_passport(tutor, view.id, "Доработать")
        with pytest.raises(InvalidInput):
            await roadmap.return_passport(mentor, view.id, " ")
        await roadmap.return_passport(mentor, view.id, "Уточните задачи")
    assert sorted(await sent(world)) == [
        (
            GROUP,
            said("passport-returned-chat", team="Альфа", comment="Уточните задачи"),
        ),
        (
            TUTOR,
            said("passport-returned-notice", team="Альфа", comment="Уточните задачи"),
        ),
    ]
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        with pytest.raises(Conflict):  # a replayed approve after the return
            await roadmap.approve_passport(mentor, view.id)
        await roadmap.passport_answer(tutor, world.team_id, "tasks", "Датчики, карта, отчёт, сайт")
        await roadmap.passport_submit(tutor, world.team_id)
        await sent(world)
        approved = await roadmap.approve_passport(mentor, view.id)
        with pytest.raises(Conflict):
            await roadmap.approve_passport(mentor, view.id)
    assert approved.status is ReviewStatus.APPROVED
    assert sorted(await sent(world)) == [
        (GROUP, said("passport-approved-chat", team="Альфа")),
        (TUTOR, said("passport-approved-notice", team="Альфа")),
    ]
    async with world.uow_factory() as uow:
        audit = await uow.audit.for_object("passport", view.id)
    assert [(a.action, a.details.get("decision")) for a in audit] == [
        ("passport.submit", None),
        ("passport.decide", "returned"),
        ("passport.submit", None),
        ("passport.decide", "approved"),
    ]


async def test_a_stage_goes_through_review_with_dates_in_the_season_zone(world: World) -> None:
    tutor, mentor, student = [await world.me(x) for x in (TUTOR, MENTOR, STUDENT)]
    other_tutor = await world.me(OTHER_TUTOR)
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        with pytest.raises(NotAllowed):
            await roadmap.add_stage(student, world.team_id, "Сбор данных")
        with pytest.raises(NotAllowed):
            await roadmap.add_stage(other_tutor, world.team_id, "Сбор данных")
        stage = await roadmap.add_stage(tutor, world.team_id, "Сбор данных")
        assert stage.due is None and not stage.can_submit
        with pytest.raises(DomainError) as no_due:
            await roadmap.check_submit_stage(tutor, stage.id)
        assert no_due.value.key == "roadmap-stage-no-due"
        with pytest.raises(InvalidInput) as bad:
            await roadmap.set_stage_due(tutor, stage.id, "31.02.2026")
        assert bad.value.key == "plan-due-invalid"
        stage = await roadmap.set_stage_due(tutor, stage.id, "15.10.2026 18:00")
    assert stage.due == "15.10.2026 18:00"
    async with world.uow_factory() as uow:
        saved = await uow.stages.get(stage.id)
        assert saved is not None and saved.due_at is not None
        assert saved.due_at.astimezone(UTC).hour == 11  # 18:00 in Novosibirsk (UTC+7)
    await sent(world)

    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        await roadmap.submit_stage(tutor, stage.id, Evidence("link", "https://example.org/r1"))
        with pytest.raises(Conflict):
            await roadmap.submit_stage(tutor, stage.id, Evidence("text", "ещё раз"))
        with pytest.raises(NotAllowed):
            await roadmap.approve_stage(student, stage.id)
    [(chat, text)] = await sent(world)
    assert (chat, text) == (
        MENTOR,
        said(
            "roadmap-submitted-notice",
            team="Альфа",
            title="Сбор данных",
            report="https://example.org/r1",
        ),
    )
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        await roadmap.return_stage(mentor, stage.id, "Мало точек замера")
        with pytest.raises(Conflict):
            await roadmap.return_stage(mentor, stage.id, "Мало точек замера")
    assert sorted(await sent(world)) == [
        (
            GROUP,
            said("roadmap-returned-chat", title="Сбор данных", comment="Мало точек замера"),
        ),
        (
            TUTOR,
            said(
                "roadmap-returned-notice",
                title="Сбор данных",
                team="Альфа",
                comment="Мало точек замера",
            ),
        ),
    ]
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        view = await roadmap.stage(tutor, stage.id)
        assert view.can_submit and view.return_comment == "Мало точек замера"
        await roadmap.submit_stage(tutor, stage.id, Evidence("document", None, "DOC-1"))
    to_mentor = await sent(world)
    assert [c for c, _ in to_mentor] == [MENTOR, MENTOR]  # the file, then the buttons
    async with world.uow_factory() as uow:
        roadmap = services(uow, world.clock).roadmap
        approved = await roadmap.approve_stage(mentor, stage.id)
        with pytest.raises(Conflict):
            await roadmap.approve_stage(mentor, stage.id)
        with pytest.raises(Conflict):
            await roadmap.set_stage_due(tutor, stage.id, "20.10.2026")
    assert approved.status is ReviewStatus.APPROVED
    assert sorted(await sent(world)) == [
        (GROUP, said("roadmap-approved-chat", title="Сбор данных")),
        (TUTOR, said("roadmap-approved-notice", title="Сбор данных", team="Альфа")),
    ]
    async with world.uow_factory() as uow:
        decisions = [
            a.details.get("decision")
            for a in await uow.audit.for_object("stage", stage.id)
            if a.action == "roadmap.decide"
        ]
    assert decisions == ["returned", "approved"]
