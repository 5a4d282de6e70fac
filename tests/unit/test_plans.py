"""ИУП and reminders over a real database (SQLite and PostgreSQL) with a fixed clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.actions import PlanAction, PlanVerb, SnoozeAction, SnoozeVerb, build
from services.clock import FixedClock
from services.domain import ReminderStatus, TaskKind, TaskStatus, TeamRole
from services.errors import Conflict, InvalidInput, NotAllowed
from services.plans import Evidence
from storage.models import AuditEntry, OutgoingMessage, Reminder
from storage.uow import UnitOfWorkFactory
from tests.databases import ON_BOTH_DATABASES
from tests.plans_world import (
    MENTOR,
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
from tests.texts import said

MSK = "Europe/Moscow"
NOW = local(MSK, 2026, 9, 1, 10, 0)  # a Tuesday morning
DUE = local(MSK, 2026, 9, 10, 18, 0)


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory) -> World:
    return await build_world(uow_factory, FixedClock(NOW), MSK)


async def assign(world: World, actor: int = TUTOR, **kwargs: Any) -> list[int]:
    me = await world.me(actor)
    options: dict[str, Any] = dict(kind=TaskKind.ONLINE_COURSE, title="Курс по Python", due_at=DUE)
    options.update(kwargs)
    if "student_id" not in options and "team_id" not in options:
        options["student_id"] = await world.person_id(STUDENT)
    async with world.uow_factory() as uow:
        tasks = await services(uow, world.clock).plans.assign(me, **options)
        return [task.id for task in tasks]


async def reminders(world: World, task_id: int) -> list[tuple[str, Any, ReminderStatus]]:
    async with world.uow_factory() as uow:
        rows = await uow.reminders.for_task(task_id)
        return [(r.kind, r.due_at, r.status) for r in rows]


async def outbox(world: World) -> list[OutgoingMessage]:
    async with world.uow_factory() as uow:
        rows = await uow.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id))
        return list(rows)


async def act(world: World, tg_id: int, method: str, *args: Any) -> Any:
    me = await world.me(tg_id)
    async with world.uow_factory() as uow:
        return await getattr(services(uow, world.clock).plans, method)(me, *args)


async def sweep(world: World) -> Any:
    async with world.uow_factory() as uow:
        svc = services(uow, world.clock).reminders
        await svc.plan_digests()
        return await svc.sweep_all()


async def test_assigning_to_a_team_plans_reminders_in_the_same_transaction(world: World) -> None:
    ids = await assign(world, team_id=world.team_id)
    assert len(ids) == 2
    pending = await reminders(world, ids[0])
    assert [(k, d.astimezone(DUE.tzinfo), s) for k, d, s in pending] == [
        ("before_3d", local(MSK, 2026, 9, 7, 18, 0), ReminderStatus.PENDING),
        ("before_1d", local(MSK, 2026, 9, 9, 18, 0), ReminderStatus.PENDING),
        ("due_morning", local(MSK, 2026, 9, 10, 9, 0), ReminderStatus.PENDING),
        ("overdue", local(MSK, 2026, 9, 10, 18, 0), ReminderStatus.PENDING),
        ("escalation", local(MSK, 2026, 9, 12, 18, 0), ReminderStatus.PENDING),
        ("escalation_tutor", local(MSK, 2026, 9, 12, 18, 0), ReminderStatus.PENDING),
    ]
    notices = [(m.chat_id, m.payload["text"]) for m in await outbox(world)]
    assert notices == [
        (STUDENT, said("plan-assigned-notice", title="Курс по Python", due="10.09.2026 18:00")),
        (STUDENT2, said("plan-assigned-notice", title="Курс по Python", due="10.09.2026 18:00")),
    ]
    async with world.uow_factory() as uow:
        audit = await uow.audit.for_object("plan_task", ids[0])
    assert [a.action for a in audit] == ["plan.assign"]


async def test_only_the_students_tutor_or_the_office_assigns(world: World) -> None:
    for actor in (OTHER_TUTOR, MENTOR, STUDENT, OUTSIDER):
        with pytest.raises(NotAllowed):
            await assign(world, actor)
    with pytest.raises(NotAllowed):
        await assign(world, OTHER_TUTOR, team_id=world.team_id)
    with pytest.raises(InvalidInput):
        await assign(world, due_at=NOW - timedelta(minutes=1))
    assert await outbox(world) == []


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_moving_the_due_date_moves_the_unsent_reminders(world: World) -> None:
    [task_id] = await assign(world)
    world.clock.moment = local(MSK, 2026, 9, 7, 18, 1)
    assert (await sweep(world)).sent == 1  # the 3-days reminder went out
    await act(world, TUTOR, "move_due", task_id, "20.09.2026 12:00")
    rows = await reminders(world, task_id)
    pending = [(k, d.astimezone(DUE.tzinfo)) for k, d, s in rows if s is ReminderStatus.PENDING]
    assert pending == [
        ("before_3d", local(MSK, 2026, 9, 17, 12, 0)),
        ("before_1d", local(MSK, 2026, 9, 19, 12, 0)),
        ("due_morning", local(MSK, 2026, 9, 20, 9, 0)),
        ("overdue", local(MSK, 2026, 9, 20, 12, 0)),
        ("escalation", local(MSK, 2026, 9, 22, 12, 0)),
        ("escalation_tutor", local(MSK, 2026, 9, 22, 12, 0)),
    ]
    statuses = sorted(s.value for k, _, s in rows)
    assert statuses.count("sent") == 1 and statuses.count("cancelled") == 5
    # Nothing for the old date fires any more.
    world.clock.moment = local(MSK, 2026, 9, 12, 18, 1)
    assert (await sweep(world)).sent == 0
    with pytest.raises(NotAllowed):
        await act(world, MENTOR, "move_due", task_id, "21.09.2026 12:00")  # mentors review only
    with pytest.raises(InvalidInput) as error:
        await act(world, TUTOR, "move_due", task_id, "31.09.2026")
    assert error.value.key == "plan-due-invalid"


async def test_a_task_completed_before_its_reminders_cancels_them(world: World) -> None:
    [task_id] = await assign(world)
    await act(world, STUDENT, "start", task_id)
    await act(world, STUDENT, "submit", task_id, Evidence("link", "https://stepik.org/cert/1"))
    assert {s for _, _, s in await reminders(world, task_id)} == {ReminderStatus.CANCELLED}
    task = await act(world, MENTOR, "approve", task_id)
    assert task.status is TaskStatus.DONE
    world.clock.moment = local(MSK, 2026, 9, 30, 12, 0)
    result = await sweep(world)
    assert result.sent == 0
    texts = [m.payload.get("text") for m in await outbox(world)]
    assert not any("Напоминание" in (t or "") for t in texts)


async def test_the_sweep_sends_each_due_reminder_once_with_its_buttons(world: World) -> None:
    [task_id] = await assign(world)
    world.clock.moment = local(MSK, 2026, 9, 7, 18, 0)
    first = await sweep(world)
    again = await sweep(world)
    assert (first.sent, again.sent) == (1, 0)
    [message] = [m for m in await outbox(world) if m.dedupe_key == f"reminder:{first.ids[0]}"]
    assert message.chat_id == STUDENT
    assert message.payload["text"] == said(
        "reminder-before", title="Курс по Python", left="3 дня", due="10.09.2026 18:00"
    )
    actions = [[build(b["action"], b["args"]) for b in row] for row in message.payload["buttons"]]
    reminder = first.ids[0]
    assert actions == [
        [
            PlanAction(verb=PlanVerb.OPEN, task=task_id),
            PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id),
        ],
        [
            SnoozeAction(verb=SnoozeVerb.AN_HOUR, reminder=reminder),
            SnoozeAction(verb=SnoozeVerb.TILL_TOMORROW, reminder=reminder),
        ],
    ]


async def test_quiet_hours_are_checked_again_at_send_time(world: World) -> None:
    [task_id] = await assign(world)
    # The bot was down from before the 3-days reminder until 23:30 local: it waits for 09:00.
    world.clock.moment = local(MSK, 2026, 9, 7, 23, 30)
    result = await sweep(world)
    assert (result.sent, result.postponed) == (0, 1)
    rows = await reminders(world, task_id)
    assert rows[0][0] == "before_3d" and rows[0][2] is ReminderStatus.PENDING
    assert rows[0][1] == local(MSK, 2026, 9, 8, 9, 0)
    world.clock.moment = local(MSK, 2026, 9, 8, 9, 0)
    assert (await sweep(world)).sent == 1


async def test_snooze_plans_one_reminder_again_and_only_for_its_owner(world: World) -> None:
    [task_id] = await assign(world)
    world.clock.moment = local(MSK, 2026, 9, 7, 18, 0)
    [rid] = (await sweep(world)).ids
    student = await world.me(STUDENT)
    async with world.uow_factory() as uow:
        at, shown = await services(uow, world.clock).reminders.snooze(student, rid, "h")
    async with world.uow_factory() as uow:  # a double tap plans nothing more
        again, _ = await services(uow, world.clock).reminders.snooze(student, rid, "h")
    assert at == again == local(MSK, 2026, 9, 7, 19, 0) and shown == "07.09.2026 19:00"
    other = await world.me(STUDENT2)
    async with world.uow_factory() as uow:
        with pytest.raises(NotAllowed):
            await services(uow, world.clock).reminders.snooze(other, rid, "t")
    kinds = [k for k, _, s in await reminders(world, task_id) if s is ReminderStatus.PENDING]
    assert kinds.count("snooze") == 1
    world.clock.moment = local(MSK, 2026, 9, 7, 19, 0)
    result = await sweep(world)
    assert result.sent == 1
    last = (await outbox(world))[-1]
    assert last.payload["text"] == said(
        "reminder-snoozed", title="Курс по Python", due="10.09.2026 18:00"
    )
    # Snoozing that one "until tomorrow" in the evening: the next morning, never the night.
    async with world.uow_factory() as uow:
        at, _ = await services(uow, world.clock).reminders.snooze(student, result.ids[0], "t")
    assert at == local(MSK, 2026, 9, 8, 9, 0)


async def test_review_returns_with_a_comment_and_approves_once(world: World) -> None:
    [task_id] = await assign(world)
    with pytest.raises(NotAllowed):
        await act(world, STUDENT2, "submit", task_id, Evidence("text", "чужая задача"))
    await act(world, STUDENT, "submit", task_id, Evidence("photo", None, "AgAD-photo"))
    sent = await outbox(world)
    to_tutor = [m for m in sent if m.chat_id == TUTOR]
    assert [m.kind for m in to_tutor] == ["media", "text"]
    assert to_tutor[0].payload["file_id"] == "AgAD-photo"
    assert to_tutor[1].payload["text"].startswith(f"Участник №{await world.person_id(STUDENT)}")
    with pytest.raises(NotAllowed):
        await act(world, OTHER_TUTOR, "approve", task_id)
    with pytest.raises(InvalidInput):
        await act(world, TUTOR, "return_task", task_id, " ")
    returned = await act(world, TUTOR, "return_task", task_id, "Нужен сертификат целиком")
    assert returned.status is TaskStatus.RETURNED
    assert returned.return_comment == "Нужен сертификат целиком"
    with pytest.raises(Conflict):
        await act(world, TUTOR, "approve", task_id)  # returned, not submitted
    # Returned: the reminders for the deadline are planned again.
    assert any(s is ReminderStatus.PENDING for _, _, s in await reminders(world, task_id))
    await act(world, STUDENT, "submit", task_id, Evidence("document", "вот", "BQAD-doc"))
    done = await act(world, TUTOR, "approve", task_id)
    assert done.status is TaskStatus.DONE
    with pytest.raises(Conflict):
        await act(world, TUTOR, "approve", task_id)  # a double tap changes nothing
    async with world.uow_factory() as uow:
        decisions = await uow.session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "plan.decide")
        )
        assert [d["decision"] for d in decisions] == ["returned", "done"]


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_plan_is_grouped_by_status_nearest_deadline_first(world: World) -> None:
    student = await world.person_id(STUDENT)
    later = await assign(world, title="Стажировка", kind=TaskKind.INTERNSHIP, due_at=DUE)
    sooner = await assign(world, title="Проба", due_at=local(MSK, 2026, 9, 3, 12, 0))
    third = await assign(world, title="Предмет", due_at=local(MSK, 2026, 9, 2, 12, 0))
    await act(world, STUDENT, "start", later[0])
    await act(world, STUDENT, "start", later[0])  # a double tap: still in progress
    world.clock.moment = local(MSK, 2026, 9, 2, 13, 0)
    view = await act(world, STUDENT, "plan_of")
    assert [(s.value, [t.title for t in ts]) for s, ts in view.groups] == [
        ("in_progress", [said("plan-kind-internship")]),
        ("assigned", ["Предмет", "Проба"]),
    ]
    assert [t.overdue for t in view.groups[1][1]] == [True, False]
    tutor_view = await act(world, TUTOR, "plan_of")
    assert tutor_view.reviewer and {t.student for _, ts in tutor_view.groups for t in ts} == {
        f"Участник №{student}"
    }
    with pytest.raises(NotAllowed):
        await act(world, OTHER_TUTOR, "task", sooner[0])
    await act(world, TUTOR, "delete", third[0])
    assert {s for _, _, s in await reminders(world, third[0])} == {ReminderStatus.CANCELLED}


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_team_chat_gets_a_weekday_digest_once(world: World) -> None:
    async with world.uow_factory() as uow:
        person = await uow.people.by_tg_id(STUDENT)
        assert person is not None
        person.full_name = "Анна Петрова"
        await uow.commit()
    await assign(world, title="Курс", due_at=local(MSK, 2026, 9, 2, 18, 0))
    await assign(world, title="Проба", due_at=local(MSK, 2026, 9, 1, 12, 0))
    await assign(world, title="Потом", due_at=local(MSK, 2026, 9, 20, 12, 0))
    world.clock.moment = local(MSK, 2026, 9, 2, 8, 59)  # Wednesday, before the digest
    await sweep(world)
    assert not [m for m in await outbox(world) if m.chat_id == -100500]
    world.clock.moment = local(MSK, 2026, 9, 2, 9, 0)
    await sweep(world)
    await sweep(world)
    [digest] = [m for m in await outbox(world) if m.chat_id == -100500]
    assert digest.payload["text"] == (
        "Сроки ИУП на 02.09.2026\n"
        "Сегодня срок:\n• Анна Петрова — «Курс» (18:00)\n"
        "Просрочено:\n• Анна Петрова — «Проба» (01.09.2026 12:00)"
    )
    # Saturday: no digest; Monday: the next one.
    world.clock.moment = local(MSK, 2026, 9, 5, 10, 0)
    await sweep(world)
    assert len([m for m in await outbox(world) if m.chat_id == -100500]) == 1
    world.clock.moment = local(MSK, 2026, 9, 7, 9, 1)
    await sweep(world)
    assert len([m for m in await outbox(world) if m.chat_id == -100500]) == 2


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_assign_dialogue_saves_every_step_and_explains_bad_input(world: World) -> None:
    student = await world.person_id(STUDENT)

    async def step(method: str, *args: Any) -> Any:
        return await act(world, TUTOR, method, *args)

    first = await step("assign_begin")
    assert first.step == "target"
    assert [(t.kind, t.label) for t in first.targets] == [
        ("team", "Альфа"),
        ("student", f"Участник №{student}"),
        ("student", f"Участник №{await world.person_id(STUDENT2)}"),
    ]
    with pytest.raises(NotAllowed):
        await step("assign_target", "team", world.other_team_id)
    assert (await step("assign_target", "student", student)).step == "kind"
    assert (await step("assign_kind", "school_subject")).step == "title"
    with pytest.raises(InvalidInput) as error:
        await step("assign_text", "ok")
    assert error.value.key == "plan-title-short"
    assert (await step("assign_text", "Геометрия: углублённо")).step == "due"
    for text, key in (
        ("завтра", "plan-due-format"),
        ("30.02.2026", "plan-due-invalid"),
        ("01.08.2026 10:00", "plan-due-past"),
    ):
        with pytest.raises(InvalidInput) as error:
            await step("assign_text", text)
        assert error.value.key == key
    assert (await step("assign_text", "15.10.2026")).step == "link"
    assert (await step("assign_back")).step == "due"  # a way back, answers kept
    assert (await step("assign_text", "15.10.2026 18:30")).step == "link"
    with pytest.raises(InvalidInput):
        await step("assign_text", "не ссылка")
    assert (await step("assign_skip")).step == "desc"
    confirm = await step("assign_text", "Решить 20 задач из сборника")
    assert confirm.step == "confirm"
    assert confirm.data["due"] == "15.10.2026 18:30" and "link" not in confirm.data
    count, label, title = await step("assign_confirm")
    assert (count, label, title) == (1, f"Участник №{student}", "Геометрия: углублённо")
    with pytest.raises(Conflict):
        await step("assign_confirm")  # a second tap creates nothing
    view = await act(world, STUDENT, "plan_of")
    [(_, [task])] = view.groups
    assert task.kind is TaskKind.SCHOOL_SUBJECT and task.due == "15.10.2026 18:30"
    async with world.uow_factory() as uow:
        count_rows = len(list(await uow.session.scalars(select(Reminder.id))))
    assert count_rows == 6


async def test_deadline_reminders_state_the_time_left_when_they_are_sent(world: World) -> None:
    # Due at 08:00: «3 days» and «1 day» before fall at 08:00, in quiet hours, and go at 09:00.
    [task_id] = await assign(world, due_at=local(MSK, 2026, 9, 10, 8, 0))

    async def sent_at(*moment: int) -> list[tuple[int, str]]:
        world.clock.moment = local(MSK, *moment)
        result = await sweep(world)
        return [
            (m.chat_id, m.payload["text"])
            for m in await outbox(world)
            if m.dedupe_key in {f"reminder:{rid}" for rid in result.ids} and m.chat_id > 0
        ]

    assert await sent_at(2026, 9, 7, 9, 0) == [
        (
            STUDENT,
            said(
                "reminder-before",
                title="Курс по Python",
                left="2 дня 23 часа",
                due="10.09.2026 08:00",
            ),
        )
    ]
    # The bot was down from before the «1 day» reminder until after the deadline: that one
    # would say «через 23 часа» about a deadline already past, so only the overdue one goes.
    assert await sent_at(2026, 9, 10, 10, 0) == [
        (
            STUDENT,
            said("reminder-overdue", title="Курс по Python", due="10.09.2026 08:00"),
        )
    ]
    assert ("before_1d", ReminderStatus.CANCELLED) in [
        (kind, status) for kind, _, status in await reminders(world, task_id)
    ]
    # Two days after 08:00 is 08:00 again, quiet: the escalation says how late it really is.
    assert sorted(await sent_at(2026, 9, 12, 9, 0)) == [
        (
            TUTOR,
            f"Задача «Курс по Python» обучающегося Участник №{await world.person_id(STUDENT)} "
            "просрочена на 2 дня 1 час (срок был 10.09.2026 08:00).",
        ),
        (
            STUDENT,
            said(
                "reminder-escalation",
                title="Курс по Python",
                late="2 дня 1 час",
                due="10.09.2026 08:00",
            ),
        ),
    ]


async def test_the_due_day_reminder_says_how_many_hours_are_left(world: World) -> None:
    await assign(world)  # due 10.09 18:00
    for day, hour in ((7, 18), (9, 18)):  # «3 days» and «1 day» before
        world.clock.moment = local(MSK, 2026, 9, day, hour, 0)
        await sweep(world)
    before = len(await outbox(world))
    world.clock.moment = local(MSK, 2026, 9, 10, 9, 0)
    await sweep(world)
    [message] = [m for m in (await outbox(world))[before:] if m.chat_id == STUDENT]
    assert message.payload["text"] == said(
        "reminder-due-today", title="Курс по Python", due="10.09.2026 18:00", left="9 часов"
    )


async def test_a_submission_is_announced_only_to_those_who_may_decide_it(world: World) -> None:
    newcomer = 303
    async with world.uow_factory() as uow:
        await services(uow, world.clock).teams.add_member("beta", newcomer, TeamRole.STUDENT)
    [task_id] = await assign(world, OTHER_TUTOR, student_id=await world.person_id(newcomer))
    async with world.uow_factory() as uow:  # the tutor who assigned it leaves the team
        await services(uow, world.clock).teams.remove_member("beta", OTHER_TUTOR)
    before = len(await outbox(world))
    await act(world, newcomer, "submit", task_id, Evidence("text", "Готово"))
    with pytest.raises(NotAllowed):
        await act(world, OTHER_TUTOR, "approve", task_id)
    # Before, the notice with «Принять» and «Вернуть» went to them all the same.
    assert [m.chat_id for m in (await outbox(world))[before:] if m.payload.get("buttons")] == []
