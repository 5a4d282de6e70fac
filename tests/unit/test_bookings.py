"""Bookings over a real database (SQLite and PostgreSQL) with a fixed clock: capacity and the
waitlist, confirmation and the ИУП task with its reminders and calendar file, offers and their
expiry, the cut-off, overlaps, auto-confirm, attendance, the sites import."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from services.actions import BookingAction, BookingVerb, build
from services.clock import FixedClock
from services.domain import Attendance, BookingStatus, ReminderStatus, Role, TaskKind, TaskStatus
from services.errors import Conflict, DomainError, InvalidInput, NotAllowed
from services.reminders import ReminderPolicy, event_schedule_for
from storage.models import AuditEntry, OutgoingMessage, PlanTask, Site, Slot
from storage.uow import UnitOfWorkFactory
from tests.bookings_world import (
    CONTACT,
    MSK,
    NOW,
    OTHER_CONTACT,
    SLOT_END,
    SLOT_START,
    STUDENT3,
    STUDENT4,
    STUDENT5,
    BookingWorld,
    build_booking_world,
    sites_data,
)
from tests.databases import ON_BOTH_DATABASES
from tests.plans_world import MENTOR, OUTSIDER, STUDENT, STUDENT2, TEXTS, local, services
from tests.texts import opening, said


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory) -> BookingWorld:
    return await build_booking_world(uow_factory, FixedClock(NOW))


async def act(world: BookingWorld, tg_id: int, method: str, *args: Any) -> Any:
    me = await world.me(tg_id)
    async with world.uow_factory() as uow:
        return await getattr(services(uow, world.clock).internships, method)(me, *args)


async def outbox(world: BookingWorld) -> list[OutgoingMessage]:
    async with world.uow_factory() as uow:
        return list(await uow.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))


async def slot(world: BookingWorld, slot_id: int) -> Slot:
    async with world.uow_factory() as uow:
        found = await uow.slots.get(slot_id)
        assert found is not None
        return found


async def sweep(world: BookingWorld) -> Any:
    async with world.uow_factory() as uow:
        return await services(uow, world.clock).internships.sweep()


def message(error: DomainError) -> str:
    return TEXTS.get(error.key, **error.args_for_text)


async def test_a_full_slot_waitlists_and_deciders_get_buttons(world: BookingWorld) -> None:
    first = await act(world, STUDENT, "book", world.slot_id)
    second = await act(world, STUDENT3, "book", world.slot_id)
    third = await act(world, STUDENT4, "book", world.slot_id)
    assert [first.status, second.status, third.status] == [
        BookingStatus.REQUESTED,
        BookingStatus.REQUESTED,
        BookingStatus.WAITLISTED,
    ]
    assert (await slot(world, world.slot_id)).seats_taken == 2
    assert third.slot.left == 0
    notices = [m for m in await outbox(world) if "Новая запись" in m.payload["text"]]
    # Student 301's team has a mentor: the site contact and the mentor are both asked.
    assert sorted(m.chat_id for m in notices) == [MENTOR, CONTACT, CONTACT]
    buttons = notices[0].payload["buttons"][0]
    assert [build(b["action"], b["args"]) for b in buttons] == [
        BookingAction(verb=BookingVerb.CONFIRM, booking=first.id),
        BookingAction(verb=BookingVerb.DECLINE, booking=first.id),
    ]
    assert notices[0].payload["text"] == said(
        "int-request-notice",
        student="Участник №3",
        kind="стажировка",
        organisation="АО «Завод»",
        when="03.09.2026 10:00–14:00",
    )
    with pytest.raises(Conflict) as again:
        await act(world, STUDENT, "book", world.slot_id)
    assert message(again.value) == said("int-already-booked", status="ждёт подтверждения")
    with pytest.raises(NotAllowed):
        await act(world, OUTSIDER, "book", world.slot_id)  # not a student


async def test_confirmation_adds_the_ilp_task_reminders_and_calendar_file(
    world: BookingWorld,
) -> None:
    booking = await act(world, STUDENT, "book", world.slot_id)
    with pytest.raises(NotAllowed):
        await act(world, STUDENT2, "decide", booking.id, True)  # a student, not a decider
    confirmed = await act(world, CONTACT, "decide", booking.id, True)
    assert confirmed.status is BookingStatus.CONFIRMED
    with pytest.raises(Conflict):
        await act(world, MENTOR, "decide", booking.id, False)  # a second decision: nothing
    async with world.uow_factory() as uow:
        stored = await uow.bookings.get(booking.id)
        assert stored is not None and stored.task_id is not None
        task = await uow.tasks.get(stored.task_id)
        assert task is not None
        assert (task.kind, task.title, task.due_at) == (
            TaskKind.INTERNSHIP,
            said("int-task-title-internship", organisation="АО «Завод»"),
            SLOT_START,
        )
        assert task.team_id == world.team_id
        rows = await uow.reminders.for_task(task.id)
        decisions = await uow.audit.for_object("booking", booking.id)
    assert [(r.kind, r.due_at, r.status) for r in rows] == [
        ("start_1d", local(MSK, 2026, 9, 2, 10, 0), ReminderStatus.PENDING),
        # 08:00 is in quiet hours: the morning's end, still before the start.
        ("start_2h", local(MSK, 2026, 9, 3, 9, 0), ReminderStatus.PENDING),
    ]
    assert [a.action for a in decisions] == ["booking.create", "booking.decide"]
    messages = await outbox(world)
    [ics] = [m for m in messages if m.kind == "file"]
    assert ics.chat_id == STUDENT and ics.payload["filename"] == f"booking-{booking.id}.ics"
    calendar = Calendar.from_ical(ics.payload["content"])
    [event] = calendar.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == MSK
    assert event["dtstart"].dt == SLOT_START
    assert event["dtstart"].dt.strftime("%H:%M") == "10:00"
    assert event["dtend"].dt.strftime("%d.%m.%Y %H:%M") == "03.09.2026 14:00"
    assert str(event["uid"]) == f"booking-{booking.id}@kadry-bot"
    assert str(event["summary"]) == said("int-task-title-internship", organisation="АО «Завод»")
    assert str(event["location"]) == "АО «Завод», ул. Ленина, 1"
    notice = [m for m in messages if m.chat_id == STUDENT and m.kind == "text"]
    assert (
        notice[-1]
        .payload["text"]
        .startswith(
            said(
                "int-confirmed-notice",
                organisation="АО «Завод»",
                address="ул. Ленина, 1",
                when="03.09.2026 10:00–14:00",
            )
        )
    )


def test_event_reminders_respect_quiet_hours() -> None:
    policy = ReminderPolicy(ZoneInfo(MSK))
    start = local(MSK, 2026, 9, 3, 8, 0)  # 2 h before is 06:00: quiet, and 09:00 is too late
    planned = event_schedule_for(1, 2, start, policy, NOW)
    assert [(r.kind, r.due_at) for r in planned] == [("start_1d", local(MSK, 2026, 9, 2, 9, 0))]
    late = local(MSK, 2026, 9, 3, 15, 0)
    assert [(r.kind, r.due_at) for r in event_schedule_for(1, 2, late, policy, NOW)] == [
        ("start_1d", local(MSK, 2026, 9, 2, 15, 0)),
        ("start_2h", local(MSK, 2026, 9, 3, 13, 0)),
    ]


async def test_cancellation_offers_the_seat_and_an_unanswered_offer_passes_on(
    world: BookingWorld,
) -> None:
    holder = await act(world, STUDENT, "book", world.slot_id)
    await act(world, STUDENT2, "book", world.slot_id)
    waiting = await act(world, STUDENT3, "book", world.slot_id)
    last = await act(world, STUDENT4, "book", world.slot_id)
    await act(world, CONTACT, "decide", holder.id, True)
    task_id = (await _booking(world, holder.id)).task_id
    cancelled = await act(world, STUDENT, "cancel", holder.id)
    assert cancelled.status is BookingStatus.CANCELLED
    async with world.uow_factory() as uow:
        assert task_id is not None and await uow.tasks.get(task_id) is None  # deleted
        assert {r.status for r in await uow.reminders.for_task(task_id)} == {
            ReminderStatus.CANCELLED
        }
    offered = await _booking(world, waiting.id)
    assert offered.status is BookingStatus.OFFERED
    # Twelve daytime hours: 11 until 21:00, the night does not count, 1 from 09:00.
    assert offered.offer_expires_at == local(MSK, 2026, 9, 2, 10, 0)
    assert (await slot(world, world.slot_id)).seats_taken == 2  # held for the offered one
    [offer] = [m for m in await outbox(world) if m.chat_id == STUDENT3]
    assert offer.payload["text"] == said(
        "int-offer-notice",
        organisation="АО «Завод»",
        when="03.09.2026 10:00–14:00",
        until="02.09.2026 10:00",
    )
    assert [build(b["action"], b["args"]).verb for b in offer.payload["buttons"][0]] == [
        BookingVerb.ACCEPT_OFFER,
        BookingVerb.REFUSE_OFFER,
    ]
    with pytest.raises(NotAllowed):
        await act(world, STUDENT4, "answer_offer", waiting.id, True)  # not their offer

    world.clock.moment = local(MSK, 2026, 9, 2, 9, 59)
    assert (await sweep(world)).expired == 0
    world.clock.moment = local(MSK, 2026, 9, 2, 10, 0)
    report = await sweep(world)
    assert (report.expired, report.offered) == (1, 1)
    assert (await sweep(world)).expired == 0  # the next sweep finds nothing to do
    assert (await _booking(world, waiting.id)).status is BookingStatus.EXPIRED
    assert (await _booking(world, last.id)).status is BookingStatus.OFFERED
    with pytest.raises(Conflict):
        await act(world, STUDENT3, "answer_offer", waiting.id, True)
    accepted = await act(world, STUDENT4, "answer_offer", last.id, True)
    assert accepted.status is BookingStatus.REQUESTED
    with pytest.raises(Conflict):
        await act(world, STUDENT4, "answer_offer", last.id, True)  # a double tap
    assert (await slot(world, world.slot_id)).seats_taken == 2
    texts = [m.payload.get("text", "") for m in await outbox(world) if m.chat_id == STUDENT3]
    assert any(t.startswith(opening("int-offer-expired-notice")) for t in texts)


async def _booking(world: BookingWorld, booking_id: int) -> Any:
    async with world.uow_factory() as uow:
        return await uow.bookings.get(booking_id)


async def test_declining_an_offer_or_a_request_frees_the_seat(world: BookingWorld) -> None:
    holder = await act(world, STUDENT, "book", world.slot_id)
    await act(world, STUDENT2, "book", world.slot_id)
    waiting = await act(world, STUDENT3, "book", world.slot_id)
    declined = await act(world, MENTOR, "decide", holder.id, False)  # the student's mentor
    assert declined.status is BookingStatus.DECLINED
    assert (await _booking(world, waiting.id)).status is BookingStatus.OFFERED
    refused = await act(world, STUDENT3, "answer_offer", waiting.id, False)
    assert refused.status is BookingStatus.CANCELLED
    assert (await slot(world, world.slot_id)).seats_taken == 1
    with pytest.raises(NotAllowed):
        await act(world, MENTOR, "decide", waiting.id, True)  # not the mentor of student 303


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_cancelling_is_refused_after_the_cut_off(world: BookingWorld) -> None:
    booking = await act(world, STUDENT, "book", world.slot_id)
    world.clock.moment = SLOT_START - timedelta(hours=24, minutes=1)
    [view] = await act(world, STUDENT, "my_bookings")
    assert view.can_cancel
    world.clock.moment = SLOT_START - timedelta(hours=23)
    [view] = await act(world, STUDENT, "my_bookings")
    assert not view.can_cancel
    with pytest.raises(Conflict) as late:
        await act(world, STUDENT, "cancel", booking.id)
    assert message(late.value).startswith(said("int-cancel-too-late", hours=24))
    with pytest.raises(NotAllowed):
        await act(world, STUDENT2, "cancel", booking.id)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).internships.set_settings(
            world.season_id, timedelta(hours=2), timedelta(hours=1)
        )
    assert (await act(world, STUDENT, "cancel", booking.id)).status is BookingStatus.CANCELLED


async def test_an_overlapping_booking_is_refused_naming_the_other_slot(
    world: BookingWorld,
) -> None:
    await act(world, STUDENT, "book", world.slot_id)
    with pytest.raises(Conflict) as clash:
        await act(world, STUDENT, "book", world.lab_slot_id)
    assert message(clash.value) == said(
        "int-overlap", organisation="АО «Завод»", when="03.09.2026 10:00–14:00"
    )
    assert (await slot(world, world.lab_slot_id)).seats_taken == 0
    # Another day is fine, and so is the same time for another student.
    assert (await act(world, STUDENT, "book", world.trial_id)).status is BookingStatus.REQUESTED
    assert (await act(world, STUDENT2, "book", world.lab_slot_id)).status is (
        BookingStatus.REQUESTED
    )


async def test_auto_confirm_sites_confirm_at_once(uow_factory: UnitOfWorkFactory) -> None:
    world = await build_booking_world(uow_factory, FixedClock(NOW), auto_confirm=True)
    booking = await act(world, STUDENT, "book", world.slot_id)
    assert booking.status is BookingStatus.CONFIRMED
    stored = await _booking(world, booking.id)
    assert stored.task_id is not None
    kinds = [m.kind for m in await outbox(world) if m.chat_id == STUDENT]
    assert kinds == ["text", "file"]  # the confirmation (it names the ИУП) and the .ics


async def test_attendance_is_asked_after_the_slot_and_recorded_once(world: BookingWorld) -> None:
    first = await act(world, STUDENT, "book", world.slot_id)
    second = await act(world, STUDENT3, "book", world.slot_id)
    for booking in (first, second):
        await act(world, CONTACT, "decide", booking.id, True)
    with pytest.raises(Conflict):
        await act(world, CONTACT, "mark_attendance", first.id, True)  # not started yet
    world.clock.moment = SLOT_END - timedelta(minutes=1)
    assert (await sweep(world)).attendance_asked == 0
    world.clock.moment = SLOT_END
    assert (await sweep(world)).attendance_asked == 1
    assert (await sweep(world)).attendance_asked == 0
    [ask] = [m for m in await outbox(world) if "Отметьте, кто пришёл" in m.payload.get("text", "")]
    assert ask.chat_id == CONTACT
    assert [[build(b["action"], b["args"]) for b in row] for row in ask.payload["buttons"]] == [
        [
            BookingAction(verb=BookingVerb.ATTENDED, booking=first.id),
            BookingAction(verb=BookingVerb.ABSENT, booking=first.id),
        ],
        [
            BookingAction(verb=BookingVerb.ATTENDED, booking=second.id),
            BookingAction(verb=BookingVerb.ABSENT, booking=second.id),
        ],
    ]
    with pytest.raises(NotAllowed):
        await act(world, STUDENT, "mark_attendance", first.id, True)
    marked = await act(world, CONTACT, "mark_attendance", first.id, True)
    assert marked.attendance is Attendance.ATTENDED
    with pytest.raises(Conflict):
        await act(world, MENTOR, "mark_attendance", first.id, False)  # already marked
    absent = await act(world, CONTACT, "mark_attendance", second.id, False)
    assert absent.attendance is Attendance.NO_SHOW
    async with world.uow_factory() as uow:
        tasks = {
            t.student_id: t.status
            for t in await uow.session.scalars(
                select(PlanTask).where(PlanTask.kind == TaskKind.INTERNSHIP)
            )
        }
    # Attending completes the student's internship task in the ИУП; a no-show leaves it open.
    assert sorted(tasks.values()) == [TaskStatus.ASSIGNED, TaskStatus.DONE]
    async with world.uow_factory() as uow:
        entries = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "booking.attendance")
        )
        assert [(e.object_id, e.details["attendance"]) for e in entries] == [
            (first.id, "attended"),
            (second.id, "no_show"),
        ]
    card = await act(world, CONTACT, "slot_card", world.slot_id)
    names = [f"Участник №{await world.person_id(tg)}" for tg in (STUDENT, STUDENT3)]
    assert [(b.student, b.attendance, b.can_mark) for b in card.bookings] == [
        (names[0], Attendance.ATTENDED, False),
        (names[1], Attendance.NO_SHOW, False),
    ]


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_the_site_contact_manages_only_own_slots(world: BookingWorld) -> None:
    slots = await act(world, CONTACT, "my_slots")
    assert [(s.id, s.taken, s.left) for s in slots] == [
        (world.slot_id, 0, 2),
        (world.trial_id, 0, 5),
    ]
    with pytest.raises(NotAllowed):
        await act(world, CONTACT, "slot_card", world.lab_slot_id)  # another site's slot
    with pytest.raises(NotAllowed):
        await act(world, STUDENT, "my_slots")
    await act(world, STUDENT, "book", world.slot_id)
    await act(world, STUDENT3, "book", world.slot_id)
    waiting = await act(world, STUDENT4, "book", world.slot_id)
    with pytest.raises(InvalidInput) as below:
        await act(world, CONTACT, "set_capacity", world.slot_id, "1")
    assert message(below.value) == said("slot-capacity-below-taken", taken=2)
    for bad, text in (
        ("пять", "Пришлите число мест цифрами, например 5."),
        ("0", "Число мест — от 1 до 500."),
    ):
        with pytest.raises(InvalidInput) as error:
            await act(world, CONTACT, "set_capacity", world.slot_id, bad)
        assert message(error.value) == text
    bigger = await act(world, CONTACT, "set_capacity", world.slot_id, "3")
    assert (bigger.capacity, bigger.taken) == (3, 3)  # the freed seat went to the waitlist
    assert (await _booking(world, waiting.id)).status is BookingStatus.OFFERED
    closed = await act(world, CONTACT, "close_slot", world.slot_id)
    assert closed.status.value == "closed"
    with pytest.raises(Conflict):
        await act(world, CONTACT, "close_slot", world.slot_id)
    with pytest.raises(Conflict):
        await act(world, STUDENT5, "book", world.slot_id)


async def test_adding_a_slot_step_by_step_with_specific_errors(world: BookingWorld) -> None:
    step = await act(world, CONTACT, "slot_begin")
    assert step.step == "kind"  # one site: no need to pick it
    step = await act(world, CONTACT, "slot_pick", "kind", "professional_trial")
    assert step.step == "start"
    for text, key in (
        ("завтра", "slot-start-format"),
        ("31.02.2026 10:00", "slot-date-invalid"),
        ("01.08.2026 10:00", "slot-start-past"),
    ):
        with pytest.raises(InvalidInput) as error:
            await act(world, CONTACT, "slot_text", text)
        assert error.value.key == key
    step = await act(world, CONTACT, "slot_text", "15.09.2026 10:00")
    assert step.step == "end"
    for text, key in (
        ("полдень", "slot-end-format"),
        ("25:00", "slot-time-invalid"),
        ("09:00", "slot-end-before-start"),
    ):
        with pytest.raises(InvalidInput) as error:
            await act(world, CONTACT, "slot_text", text)
        assert error.value.key == key
    step = await act(world, CONTACT, "slot_text", "13:30")
    assert step.data["when"] == "15.09.2026 10:00–13:30"
    step = await act(world, CONTACT, "slot_back")
    assert step.step == "end"
    step = await act(world, CONTACT, "slot_text", "13:00")
    step = await act(world, CONTACT, "slot_text", "4")
    step = await act(world, CONTACT, "slot_skip")
    step = await act(world, CONTACT, "slot_text", "Экология, Транспорт")
    assert step.step == "confirm" and step.data["dirs"] == ["Экология", "Транспорт"]
    created = await act(world, CONTACT, "slot_confirm")
    assert (created.when, created.capacity, created.kind.value) == (
        "15.09.2026 10:00–13:00",
        4,
        "professional_trial",
    )
    with pytest.raises(Conflict):
        await act(world, CONTACT, "slot_confirm")  # a second tap creates nothing
    stored = await slot(world, created.id)
    assert stored.starts_at == local(MSK, 2026, 9, 15, 10, 0)
    with pytest.raises(NotAllowed):
        await act(world, STUDENT, "slot_begin")


async def test_browsing_by_week_and_direction(world: BookingWorld) -> None:
    week = await act(world, STUDENT, "browse")
    assert (week.first, week.last) == ("01.09", "07.09.2026")  # seven days from today
    assert [s.id for s in week.slots] == [world.slot_id, world.lab_slot_id]
    assert week.directions == ["Высокие технологии", "Промышленность", "Экология"]
    ecology = await act(world, STUDENT, "browse", 0, 2)
    assert ecology.direction == "Экология" and [s.id for s in ecology.slots] == [world.slot_id]
    nxt = await act(world, STUDENT, "browse", 1)
    assert [s.id for s in nxt.slots] == [world.trial_id]
    # An «earlier» press of an old message: nothing before today is open, so today's seven days.
    earlier = await act(world, STUDENT, "browse", -1)
    assert (earlier.offset, [s.id for s in earlier.slots]) == (0, [s.id for s in week.slots])


@ON_BOTH_DATABASES  # reaches repository statements only this test runs on PG
async def test_the_import_is_idempotent_and_reports_errors_with_paths(
    world: BookingWorld,
) -> None:
    async with world.uow_factory() as uow:
        report = await services(uow, world.clock).internships.import_sites(sites_data(4))
    assert (report.sites_created, report.sites_updated) == (0, 2)
    assert (report.slots_created, report.slots_updated) == (0, 3)
    contacts = dict(report.contacts)
    assert contacts["zavod"] is None  # bound already
    assert contacts["lab"] == world.lab_invitation  # the same link again, not a new one
    assert (await slot(world, world.slot_id)).capacity == 4
    async with world.uow_factory() as uow:
        assert len(list(await uow.session.scalars(select(Site)))) == 2
        assert len(list(await uow.session.scalars(select(Slot)))) == 3
    bad = sites_data()
    bad["sites"][0]["slots"][0]["capacity"] = 0
    bad["sites"][0]["slots"][1]["end"] = "2026-09-10 09:00"
    bad["sites"][1]["code"] = "лаборатория"
    async with world.uow_factory() as uow:
        report = await services(uow, world.clock).internships.import_sites(bad)
    assert report.errors == [
        ("sites[0].slots[0].capacity", said("file-at-least", ge=1)),
        ("sites[0].slots[1].end", said("file-end-before-start")),
        ("sites[1].code", said("file-site-code")),
    ]


async def test_the_sites_file_refuses_unknown_keys_wrong_types_and_an_early_end_by_path(
    world: BookingWorld,
) -> None:
    bad = sites_data()
    bad["sites"][0]["phone"] = "+7 900 000-00-00"
    bad["sites"][0]["slots"][0]["capacity"] = "пять"
    bad["sites"][0]["slots"][1]["end"] = "2026-09-10 10:00"  # the start: not later
    bad["sites"][1]["auto_confirm"] = "да"
    bad["sites"][1]["slots"][0]["seats"] = 3
    async with world.uow_factory() as uow:
        report = await services(uow, world.clock).internships.import_sites(bad)
    assert report.errors == [
        ("sites[0].slots[0].capacity", said("file-integer")),
        ("sites[0].slots[1].end", said("file-end-before-start")),
        ("sites[0].phone", said("file-unknown-key")),
        ("sites[1].auto_confirm", said("file-bool")),
        ("sites[1].slots[0].seats", said("file-unknown-key")),
    ]
    assert (report.sites_created, report.sites_updated, report.contacts) == (0, 0, [])
    repeated = sites_data()
    repeated["sites"][1]["code"] = "zavod"
    async with world.uow_factory() as uow:
        report = await services(uow, world.clock).internships.import_sites(repeated)
    assert report.errors == [("sites", said("file-site-code-repeated", value="zavod"))]


@ON_BOTH_DATABASES  # a constraint the database enforces: its own check on each dialect
async def test_the_database_itself_refuses_more_seats_than_capacity(world: BookingWorld) -> None:
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    async with world.uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await uow.session.execute(
                update(Slot).where(Slot.id == world.slot_id).values(seats_taken=Slot.capacity + 1)
            )
    async with world.uow_factory() as uow:
        for _ in range(2):
            assert await uow.slots.take_seat(world.slot_id, NOW, only_open=True)
        assert not await uow.slots.take_seat(world.slot_id, NOW, only_open=True)


async def test_an_invitation_labelled_with_a_site_code_binds_its_contact(
    world: BookingWorld,
) -> None:
    async with world.uow_factory() as uow:
        [payload] = await services(uow, world.clock).invitations.create(
            Role.SITE_CONTACT, label="site:lab"
        )
    newcomer = await world.me(OTHER_CONTACT)
    async with world.uow_factory() as uow:
        await services(uow, world.clock).invitations.redeem(newcomer, payload, "Мария")
    slots = await act(world, OTHER_CONTACT, "my_slots")
    assert [s.id for s in slots] == [world.lab_slot_id]
    with pytest.raises(NotAllowed):
        await act(world, OTHER_CONTACT, "slot_card", world.slot_id)
