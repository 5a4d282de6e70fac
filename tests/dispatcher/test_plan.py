"""ИУП through the real Dispatcher: /plan, the card, submit with a photo, approve and return by
buttons, /assign, snooze; forged and repeated callbacks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.types import Chat, Message, PhotoSize, Update

from scheduler.jobs import Jobs
from services.actions import (
    AssignAction,
    AssignVerb,
    PlanAction,
    PlanVerb,
    SnoozeAction,
    SnoozeVerb,
    encode,
)
from services.clock import FixedClock
from services.domain import TaskKind
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness, user
from tests.plans_world import (
    OTHER_TUTOR,
    OUTSIDER,
    STUDENT,
    STUDENT2,
    TUTOR,
    World,
    build_world,
    local,
    services,
)
from tests.texts import fragment, said

MSK = "Europe/Moscow"
NOT_ALLOWED = "Недостаточно прав для этого действия."


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    # These dialogues click faster than a person: no per-user throttling here.
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=1000)
    yield harness
    await harness.app.engine.dispose()


@pytest.fixture
async def world(harness: Harness, clock: FixedClock) -> World:
    clock.moment = local(MSK, 2026, 9, 1, 10, 0).astimezone(UTC)
    return await build_world(harness.app.uow_factory, clock, MSK)


async def give_task(world: World, title: str = "Курс по экологии", **kwargs: Any) -> int:
    me = await world.me(TUTOR)
    async with world.uow_factory() as uow:
        [task] = await services(uow, world.clock).plans.assign(
            me,
            kind=kwargs.get("kind", TaskKind.ONLINE_COURSE),
            title=title,
            due_at=kwargs.get("due_at", local(MSK, 2026, 9, 10, 18, 0)),
            student_id=await world.person_id(STUDENT),
        )
        return task.id


def buttons(harness: Harness, chat_id: int) -> list[str]:
    """Callback data of the buttons of the last message to the chat."""
    sent = [m for m in harness.session.of("SendMessage") if int(m.chat_id) == chat_id]
    markup = sent[-1].reply_markup
    return [b.callback_data for row in markup.inline_keyboard for b in row] if markup else []


def photo_update(user_id: int, file_id: str) -> Update:
    return Update(
        update_id=int(datetime.now(UTC).timestamp() * 1000) % 10**9,
        message=Message(
            message_id=77,
            date=datetime.now(UTC),
            chat=Chat(id=user_id, type="private"),
            from_user=user(user_id),
            photo=[PhotoSize(file_id=file_id, file_unique_id="u1", width=90, height=90)],
            caption="сертификат",
        ),
    )


async def test_plan_lists_tasks_grouped_with_a_button_each(harness: Harness, world: World) -> None:
    first = await give_task(world, "Стажировка на заводе", kind=TaskKind.INTERNSHIP)
    second = await give_task(world, "Проба", due_at=local(MSK, 2026, 9, 3, 12, 0))
    await harness.send(STUDENT, "/plan")
    assert harness.session.texts_to(STUDENT)[-1] == (
        "Ваш ИУП (ближайшие сроки — первыми):\n\nНазначены:\n"
        "• Проба — до 03.09.2026 12:00\n• Стажировка на заводе — до 10.09.2026 18:00"
    )
    assert buttons(harness, STUDENT) == [
        encode(PlanAction(verb=PlanVerb.OPEN, task=second)),
        encode(PlanAction(verb=PlanVerb.OPEN, task=first)),
    ]
    await harness.send(STUDENT2, "/plan")
    assert harness.session.texts_to(STUDENT2) == [said("plan-empty")]


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_student_submits_a_photo_and_the_tutor_approves_once(
    harness: Harness, world: World
) -> None:
    task_id = await give_task(world)
    await harness.press(STUDENT, encode(PlanAction(verb=PlanVerb.OPEN, task=task_id)))
    assert harness.session.texts_to(STUDENT)[-1].startswith("Онлайн-курс: «Курс по экологии»")
    assert buttons(harness, STUDENT) == [
        encode(PlanAction(verb=PlanVerb.START, task=task_id)),
        encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id)),
        encode(PlanAction(verb=PlanVerb.LIST)),
    ]
    await harness.press(STUDENT, encode(PlanAction(verb=PlanVerb.START, task=task_id)))
    await harness.press(STUDENT, encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id)))
    assert fragment("plan-submit-ask") in harness.session.texts_to(STUDENT)[-1]
    await harness.feed(photo_update(STUDENT, "AgAD-cert"))
    assert harness.session.texts_to(STUDENT)[-1] == said("plan-submitted", title="Курс по экологии")
    await harness.deliver()
    [photo] = [m for m in harness.session.of("SendPhoto") if int(m.chat_id) == TUTOR]
    assert photo.photo == "AgAD-cert"
    assert buttons(harness, TUTOR) == [
        encode(PlanAction(verb=PlanVerb.APPROVE, task=task_id)),
        encode(PlanAction(verb=PlanVerb.ASK_RETURN_COMMENT, task=task_id)),
        encode(PlanAction(verb=PlanVerb.OPEN, task=task_id)),
    ]
    # Only reviewers of this team may decide: the other student and another team's tutor not.
    await harness.press(STUDENT2, encode(PlanAction(verb=PlanVerb.APPROVE, task=task_id)))
    await harness.press(OTHER_TUTOR, encode(PlanAction(verb=PlanVerb.APPROVE, task=task_id)))
    await harness.press(STUDENT, encode(PlanAction(verb=PlanVerb.APPROVE, task=task_id)))
    assert harness.session.alerts() == [NOT_ALLOWED] * 3
    await harness.press(TUTOR, encode(PlanAction(verb=PlanVerb.APPROVE, task=task_id)))
    await harness.press(
        TUTOR, encode(PlanAction(verb=PlanVerb.APPROVE, task=task_id))
    )  # a double tap
    assert harness.session.alerts()[-1] == said("plan-already-decided")
    assert (
        harness.session.texts_to(TUTOR).count(said("plan-approved", title="Курс по экологии")) == 1
    )
    await harness.deliver()
    assert harness.session.texts_to(STUDENT)[-1] == said(
        "plan-approved-notice", title="Курс по экологии"
    )


async def test_tutor_returns_with_a_comment(harness: Harness, world: World) -> None:
    task_id = await give_task(world)
    await harness.press(STUDENT, encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id)))
    await harness.send(STUDENT, "https://stepik.org/cert/42")
    await harness.press(TUTOR, encode(PlanAction(verb=PlanVerb.ASK_RETURN_COMMENT, task=task_id)))
    assert fragment("plan-return-ask") in harness.session.texts_to(TUTOR)[-1]
    await harness.send(TUTOR, "Прикрепите сертификат")
    assert harness.session.texts_to(TUTOR)[-1] == said("plan-returned", title="Курс по экологии")
    await harness.deliver()
    assert harness.session.texts_to(STUDENT)[-1] == said(
        "plan-returned-notice", title="Курс по экологии", comment="Прикрепите сертификат"
    )
    await harness.press(
        TUTOR, encode(PlanAction(verb=PlanVerb.ASK_RETURN_COMMENT, task=task_id))
    )  # already decided
    assert harness.session.alerts()[-1].startswith(said("plan-already-decided"))


async def test_forged_callbacks_are_refused(harness: Harness, world: World) -> None:
    task_id = await give_task(world)
    await harness.press(OUTSIDER, encode(PlanAction(verb=PlanVerb.OPEN, task=task_id)))
    await harness.press(STUDENT2, encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id)))
    await harness.press(STUDENT, encode(PlanAction(verb=PlanVerb.ASK_DELETE, task=task_id)))
    await harness.press(STUDENT2, encode(SnoozeAction(verb=SnoozeVerb.AN_HOUR, reminder=1)))
    assert harness.session.alerts() == [NOT_ALLOWED] * 4
    # A verb the plan has no button for is forged: the codec refuses it before any handler.
    await harness.press(STUDENT, f"plan:2:hack:{task_id}")
    assert harness.session.alerts()[-1].startswith(said("fallback-button-malformed"))
    await harness.press(STUDENT, encode(PlanAction(verb=PlanVerb.OPEN, task=999)))
    assert harness.session.alerts()[-1] == said("plan-task-unknown")
    await harness.send(STUDENT, "/assign")
    assert harness.session.texts_to(STUDENT)[-1] == NOT_ALLOWED


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_assign_dialogue_with_errors_and_back(harness: Harness, world: World) -> None:
    await harness.send(TUTOR, "/assign")
    assert harness.session.texts_to(TUTOR)[-1].startswith(said("assign-pick-target"))
    assert buttons(harness, TUTOR)[0] == encode(
        AssignAction(verb=AssignVerb.PICK_TARGET, kind="team", target=world.team_id)
    )
    await harness.press(
        TUTOR, encode(AssignAction(verb=AssignVerb.PICK_TARGET, kind="team", target=world.team_id))
    )
    await harness.send(TUTOR, "какой-то текст")
    assert harness.session.texts_to(TUTOR)[-1] == said("plan-assign-expect-kind")
    await harness.press(
        TUTOR, encode(AssignAction(verb=AssignVerb.PICK_KIND, kind="professional_trial"))
    )
    await harness.send(TUTOR, "Проба в IT-компании")
    await harness.send(TUTOR, "32.09.2026 10:00")
    assert harness.session.texts_to(TUTOR)[-1].startswith(said("plan-due-invalid"))
    await harness.send(TUTOR, "20.09.2026 15:00")
    await harness.press(TUTOR, encode(AssignAction(verb=AssignVerb.BACK)))
    assert harness.session.texts_to(TUTOR)[-1].startswith(said("assign-ask-due"))
    await harness.send(TUTOR, "21.09.2026 15:00")
    await harness.press(TUTOR, encode(AssignAction(verb=AssignVerb.SKIP)))
    await harness.press(TUTOR, encode(AssignAction(verb=AssignVerb.SKIP)))
    assert harness.session.texts_to(TUTOR)[-1] == said(
        "assign-confirm",
        target="Альфа",
        kind="Профессиональная проба",
        title="Проба в IT-компании",
        due="21.09.2026 15:00",
        link="—",
        description="—",
    )
    await harness.press(TUTOR, encode(AssignAction(verb=AssignVerb.CONFIRM)))
    await harness.press(TUTOR, encode(AssignAction(verb=AssignVerb.CONFIRM)))  # a double tap
    assert harness.session.texts_to(TUTOR)[-1] == said(
        "assign-done", title="Проба в IT-компании", target="Альфа", count=2
    )
    assert harness.session.alerts() == [said("plan-assign-stale")]
    await harness.deliver()
    for student in (STUDENT, STUDENT2):
        assert harness.session.texts_to(student) == [
            said("plan-assigned-notice", title="Проба в IT-компании", due="21.09.2026 15:00")
        ]


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_a_reminder_is_snoozed_by_its_button_once(
    harness: Harness, world: World, clock: FixedClock
) -> None:
    task_id = await give_task(world)
    await harness.deliver()
    clock.moment = local(MSK, 2026, 9, 7, 18, 0).astimezone(UTC)
    jobs = Jobs(harness.app.uow_factory, clock, harness.app.texts)
    await jobs.sweep_reminders()
    await harness.deliver()
    assert harness.session.texts_to(STUDENT)[-1].startswith(
        "Напоминание: задачу «Курс по экологии»"
    )
    snooze_hour = buttons(harness, STUDENT)[2]
    assert buttons(harness, STUDENT)[:2] == [
        encode(PlanAction(verb=PlanVerb.OPEN, task=task_id)),
        encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id)),
    ]
    await harness.press(STUDENT, snooze_hour)
    await harness.press(STUDENT, snooze_hour)
    assert harness.session.alerts() == [said("reminder-snoozed-until", when="07.09.2026 19:00")] * 2
    clock.moment = local(MSK, 2026, 9, 7, 19, 0).astimezone(UTC)
    await jobs.sweep_reminders()
    await jobs.sweep_reminders()
    await harness.deliver()
    reminders = [t for t in harness.session.texts_to(STUDENT) if "Напоминаю о задаче" in t]
    assert reminders == [said("reminder-snoozed", title="Курс по экологии", due="10.09.2026 18:00")]
