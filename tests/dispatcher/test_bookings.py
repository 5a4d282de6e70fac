"""Bookings through the real Dispatcher: /internships with its week pager and direction filter,
booking, the site contact's confirmation button, the calendar file, /bookings with cancel,
/slots with the add-a-slot dialogue; forged and repeated callbacks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC

import pytest
from icalendar import Calendar

from scheduler.jobs import Jobs
from services.actions import (
    BookingAction,
    BookingVerb,
    InternshipsAction,
    InternshipsVerb,
    PlanAction,
    PlanVerb,
    SlotAction,
    SlotAddAction,
    SlotAddVerb,
    SlotVerb,
    decode,
    encode,
)
from services.clock import FixedClock
from services.domain import Role
from tests.bookings_world import (
    CONTACT,
    MSK,
    NOW,
    STUDENT3,
    STUDENT4,
    BookingWorld,
    build_booking_world,
)
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness
from tests.plans_world import STUDENT, STUDENT2, local
from tests.texts import opening, said

NOT_ALLOWED = "Недостаточно прав для этого действия."


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=1000)
    yield harness
    await harness.app.engine.dispose()


@pytest.fixture
async def world(harness: Harness, clock: FixedClock) -> BookingWorld:
    clock.moment = NOW.astimezone(UTC)
    return await build_booking_world(harness.app.uow_factory, clock)


def buttons(harness: Harness, chat_id: int) -> list[str]:
    sent = [m for m in harness.session.of("SendMessage") if int(m.chat_id) == chat_id]
    markup = sent[-1].reply_markup
    return [b.callback_data for row in markup.inline_keyboard for b in row] if markup else []


def last_text(harness: Harness, chat_id: int) -> str:
    return harness.session.texts_to(chat_id)[-1]


async def test_browse_book_confirm_and_get_the_calendar_file(
    harness: Harness, world: BookingWorld
) -> None:
    await harness.send(STUDENT, "/internships")
    text = last_text(harness, STUDENT)
    assert text.startswith(
        "Стажировки и профпробы с 01.09 по 07.09.2026 (направление: все):\n"
        "1. АО «Завод» — стажировка\n   03.09.2026 10:00–14:00, ул. Ленина, 1\n"
        "   Направления: Промышленность, Экология. Свободно мест: 2 из 2\n"
        "   Требования: Сменная обувь\n2. Лаборатория «Кванториум»"
    )
    book = encode(InternshipsAction(verb=InternshipsVerb.BOOK, slot=world.slot_id))
    assert buttons(harness, STUDENT) == [
        book,
        encode(InternshipsAction(verb=InternshipsVerb.BOOK, slot=world.lab_slot_id)),
        encode(
            InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=1)
        ),  # no «earlier» from today: nothing there is open
        encode(InternshipsAction(verb=InternshipsVerb.PICK_DIRECTION)),
    ]
    await harness.press(STUDENT, encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=1)))
    assert "Профпроба" not in last_text(harness, STUDENT)
    assert "профессиональная проба\n   10.09.2026 10:00–12:00" in last_text(harness, STUDENT)
    await harness.press(STUDENT, encode(InternshipsAction(verb=InternshipsVerb.PICK_DIRECTION)))
    assert buttons(harness, STUDENT)[1:] == [
        encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, direction=0)),
        encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, direction=1)),
        encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, direction=2)),
    ]
    await harness.press(
        STUDENT, encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, direction=0))
    )
    assert "(направление: Высокие технологии)" in last_text(harness, STUDENT)
    assert "АО «Завод»" not in last_text(harness, STUDENT)

    await harness.press(STUDENT, book)
    assert last_text(harness, STUDENT).startswith(
        said("int-booked-requested", organisation="АО «Завод»", when="03.09.2026 10:00–14:00")
    )
    await harness.deliver()
    request = last_text(harness, CONTACT)
    assert request.startswith("Новая запись: Участник №")
    [confirm, decline] = buttons(harness, CONTACT)
    assert [decode(confirm), decode(decline)] == [
        BookingAction(verb=verb, booking=decode(confirm).booking)
        for verb in (BookingVerb.CONFIRM, BookingVerb.DECLINE)
    ]

    await harness.press(STUDENT, confirm)  # the student cannot confirm their own booking
    assert harness.session.alerts()[-1] == NOT_ALLOWED
    await harness.press(CONTACT, confirm)
    assert last_text(harness, CONTACT).startswith("Запись подтверждена: Участник №")
    await harness.press(CONTACT, decline)  # too late: decided
    assert harness.session.alerts()[-1].startswith(opening("int-already-decided"))
    await harness.deliver()
    assert last_text(harness, STUDENT).startswith(
        said(
            "int-confirmed-notice",
            organisation="АО «Завод»",
            address="ул. Ленина, 1",
            when="03.09.2026 10:00–14:00",
        )
    )
    [document] = harness.session.of("SendDocument")
    assert int(document.chat_id) == STUDENT
    assert document.caption.startswith(said("int-ics-caption"))
    calendar = Calendar.from_ical(document.document.data)
    [event] = calendar.walk("VEVENT")
    assert event["dtstart"].dt.strftime("%d.%m.%Y %H:%M %Z") == "03.09.2026 10:00 MSK"


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_bookings_cancel_and_the_waitlisted_student_is_offered(
    harness: Harness, world: BookingWorld
) -> None:
    for student in (STUDENT, STUDENT2, STUDENT3):
        await harness.press(
            student, encode(InternshipsAction(verb=InternshipsVerb.BOOK, slot=world.slot_id))
        )
    assert last_text(harness, STUDENT3).startswith(opening("int-booked-waitlisted"))
    await harness.send(STUDENT, "/bookings")
    assert last_text(harness, STUDENT) == (
        "Ваши записи на стажировки и профпробы:\n"
        "1. АО «Завод» — стажировка, 03.09.2026 10:00–14:00: ждёт подтверждения"
    )
    [cancel] = buttons(harness, STUDENT)
    await harness.press(STUDENT2, cancel)  # someone else's booking
    assert harness.session.alerts()[-1] == NOT_ALLOWED
    await harness.press(STUDENT, cancel)
    assert last_text(harness, STUDENT).startswith(
        said("int-cancelled", organisation="АО «Завод»", when="03.09.2026 10:00–14:00")
    )
    await harness.press(STUDENT, cancel)
    assert harness.session.alerts()[-1] == said("int-booking-not-active")
    await harness.deliver()
    assert last_text(harness, STUDENT3).startswith("Освободилось место: АО «Завод»")
    accept, refuse = buttons(harness, STUDENT3)
    assert [decode(accept), decode(refuse)] == [
        BookingAction(verb=verb, booking=decode(accept).booking)
        for verb in (BookingVerb.ACCEPT_OFFER, BookingVerb.REFUSE_OFFER)
    ]
    await harness.press(STUDENT, accept)
    assert harness.session.alerts()[-1] == NOT_ALLOWED
    await harness.press(STUDENT3, accept)
    assert last_text(harness, STUDENT3).startswith(opening("int-offer-answered-requested"))


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_the_site_contact_adds_a_slot_with_back_and_specific_errors(
    harness: Harness, world: BookingWorld
) -> None:
    await harness.send(CONTACT, "/slots")
    assert last_text(harness, CONTACT).startswith("Слоты вашей площадки:\n1. стажировка, ")
    assert buttons(harness, CONTACT) == [
        encode(SlotAction(verb=SlotVerb.OPEN, slot=world.slot_id)),
        encode(SlotAction(verb=SlotVerb.OPEN, slot=world.trial_id)),
        encode(SlotAction(verb=SlotVerb.ADD)),
    ]
    await harness.press(CONTACT, encode(SlotAction(verb=SlotVerb.ADD)))
    assert last_text(harness, CONTACT) == said("slot-ask-kind", site="АО «Завод»")
    await harness.press(
        CONTACT, encode(SlotAddAction(verb=SlotAddVerb.PICK_KIND, kind="internship"))
    )
    await harness.send(CONTACT, "в среду")
    assert last_text(harness, CONTACT).startswith(said("slot-start-format"))
    await harness.send(CONTACT, "16.09.2026 09:00")
    assert last_text(harness, CONTACT).startswith(said("slot-ask-end", start="16.09.2026 09:00"))
    await harness.send(CONTACT, "08:00")
    assert last_text(harness, CONTACT) == said("slot-end-before-start", start="16.09.2026 09:00")
    await harness.press(CONTACT, encode(SlotAddAction(verb=SlotAddVerb.BACK)))
    assert last_text(harness, CONTACT).startswith(said("slot-ask-start"))
    await harness.send(CONTACT, "16.09.2026 10:00")
    await harness.send(CONTACT, "12:00")
    await harness.send(CONTACT, "много")
    assert last_text(harness, CONTACT) == said("slot-capacity-format")
    await harness.send(CONTACT, "3")
    await harness.press(CONTACT, encode(SlotAddAction(verb=SlotAddVerb.SKIP)))
    await harness.press(CONTACT, encode(SlotAddAction(verb=SlotAddVerb.SKIP)))
    assert last_text(harness, CONTACT) == said(
        "slot-confirm",
        site="АО «Завод»",
        kind="стажировка",
        when="16.09.2026 10:00–12:00",
        capacity=3,
        requirements="—",
        directions="направление площадки",
    )
    await harness.press(CONTACT, encode(SlotAddAction(verb=SlotAddVerb.SAVE)))
    assert last_text(harness, CONTACT).startswith(
        said("slot-created", when="16.09.2026 10:00–12:00", capacity=3)
    )
    await harness.press(
        CONTACT, encode(SlotAddAction(verb=SlotAddVerb.SAVE))
    )  # a replay creates nothing
    assert harness.session.alerts()[-1].startswith(said("slot-draft-stale"))


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_forged_slot_and_booking_callbacks_are_refused(
    harness: Harness, world: BookingWorld
) -> None:
    for presser, data in (
        (STUDENT, encode(SlotAction(verb=SlotVerb.OPEN, slot=world.slot_id))),
        (STUDENT, encode(SlotAction(verb=SlotVerb.CLOSE, slot=world.slot_id))),
        (
            CONTACT,
            encode(SlotAction(verb=SlotVerb.OPEN, slot=world.lab_slot_id)),
        ),  # another site's slot
        (STUDENT, encode(SlotAddAction(verb=SlotAddVerb.SAVE))),
    ):
        await harness.press(presser, data)
        assert harness.session.alerts()[-1] == NOT_ALLOWED, data
    # Malformed, or a verb no booking button has (forged): refused before any handler.
    for data in ("int:book:x", "bk:2:zzz:1"):
        await harness.press(STUDENT, data)
        assert harness.session.alerts()[-1].startswith(said("fallback-button-malformed"))
    await harness.press(CONTACT, encode(SlotAction(verb=SlotVerb.CLOSE, slot=world.slot_id)))
    assert last_text(harness, CONTACT) == said("slot-closed", when="03.09.2026 10:00–14:00")
    await harness.press(CONTACT, encode(SlotAction(verb=SlotVerb.CLOSE, slot=world.slot_id)))
    assert harness.session.alerts()[-1] == said("slot-already-closed")
    await harness.press(
        STUDENT, encode(InternshipsAction(verb=InternshipsVerb.BOOK, slot=world.slot_id))
    )
    assert harness.session.alerts()[-1] == said("int-slot-closed")


def markup_of(harness: Harness, chat_id: int) -> list[str]:
    """Callback data of every button of every message the chat got."""
    return [
        b.callback_data
        for m in harness.session.of("SendMessage")
        if int(m.chat_id) == chat_id and m.reply_markup is not None
        for row in m.reply_markup.inline_keyboard
        for b in row
    ]


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_a_booked_internship_is_signed_off_by_attendance_and_offers_no_submit_button(
    harness: Harness, world: BookingWorld, clock: FixedClock
) -> None:
    # A student with no team: before, the site contact got ✅/↩️ buttons for their submission
    # that answered «Недостаточно прав».
    loner = 306
    async with world.uow_factory() as uow:
        person = await uow.people.ensure(loner, "ru", NOW)
        await uow.people.grant(person.id, Role.STUDENT, world.season_id, NOW)
        await uow.commit()
    await harness.press(
        loner, encode(InternshipsAction(verb=InternshipsVerb.BOOK, slot=world.slot_id))
    )
    await harness.deliver()
    [confirm, _] = buttons(harness, CONTACT)
    await harness.press(CONTACT, confirm)
    async with world.uow_factory() as uow:
        [(booking, _, _)] = await uow.bookings.of_student(person.id)
    task_id = booking.task_id
    assert task_id is not None

    clock.moment = local(MSK, 2026, 9, 2, 10, 0).astimezone(UTC)  # a day before the start
    await Jobs(harness.app.uow_factory, clock, harness.app.texts).sweep_reminders()
    await harness.deliver()
    assert last_text(harness, loner).startswith(
        said(
            "reminder-start-1d",
            left="1 день",
            title="Стажировка: АО «Завод»",
            due="03.09.2026 10:00",
        )
    )
    assert buttons(harness, loner) == [encode(PlanAction(verb=PlanVerb.OPEN, task=task_id))]

    await harness.press(loner, encode(PlanAction(verb=PlanVerb.OPEN, task=task_id)))
    assert said("plan-card-by-attendance") in last_text(harness, loner)
    assert buttons(harness, loner) == [encode(PlanAction(verb=PlanVerb.LIST, task=0))]
    # «Сдать задачу» of a reminder sent before this change: a reason, not «Недостаточно прав».
    await harness.press(loner, encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id)))
    assert harness.session.alerts()[-1].startswith(said("plan-task-by-attendance"))
    await harness.press(loner, encode(PlanAction(verb=PlanVerb.START, task=task_id)))
    assert harness.session.alerts()[-1].startswith(said("plan-task-by-attendance"))
    await harness.deliver()
    assert not [data for data in markup_of(harness, CONTACT) if data.startswith("plan:")]

    # After the slot the site contact marks attendance: that completes the task.
    clock.moment = local(MSK, 2026, 9, 3, 14, 0).astimezone(UTC)
    await Jobs(harness.app.uow_factory, clock, harness.app.texts).sweep_internships()
    await harness.deliver()
    [attended, _] = buttons(harness, CONTACT)
    await harness.press(CONTACT, attended)
    assert last_text(harness, CONTACT).startswith("Отмечено: ")
    await harness.send(loner, "/plan")
    assert last_text(harness, loner) == (
        "Ваш ИУП (ближайшие сроки — первыми):\n\nВыполнены:\n"
        "• Стажировка: АО «Завод» — до 03.09.2026 10:00"
    )


async def test_a_start_reminder_moved_by_quiet_hours_states_the_real_time_left(
    harness: Harness, world: BookingWorld, clock: FixedClock
) -> None:
    await harness.press(
        STUDENT, encode(InternshipsAction(verb=InternshipsVerb.BOOK, slot=world.slot_id))
    )
    await harness.deliver()
    await harness.press(CONTACT, buttons(harness, CONTACT)[0])
    # «2 hours before» 10:00 is 08:00, in quiet hours: it goes at 09:00; the sweep runs a
    # minute late.
    clock.moment = local(MSK, 2026, 9, 3, 9, 1).astimezone(UTC)
    await Jobs(harness.app.uow_factory, clock, harness.app.texts).sweep_reminders()
    await harness.deliver()
    assert last_text(harness, STUDENT) == said(
        "reminder-start-2h", left="59 минут", title="Стажировка: АО «Завод»", due="03.09.2026 10:00"
    )


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_waitlist_offers_and_their_expiry_wait_for_the_morning_and_count_daytime_only(
    harness: Harness, world: BookingWorld, clock: FixedClock
) -> None:
    jobs = Jobs(harness.app.uow_factory, clock, harness.app.texts)
    for student in (STUDENT, STUDENT2, STUDENT3, STUDENT4):
        await harness.press(
            student, encode(InternshipsAction(verb=InternshipsVerb.BOOK, slot=world.slot_id))
        )
    await harness.send(STUDENT, "/bookings")
    first_cancel = buttons(harness, STUDENT)[0]
    await harness.send(STUDENT2, "/bookings")
    second_cancel = buttons(harness, STUDENT2)[0]

    # A seat freed at 11:37: twelve daytime hours run until 11:37 tomorrow, not 23:37 tonight.
    clock.moment = local(MSK, 2026, 9, 1, 11, 37).astimezone(UTC)
    await harness.press(STUDENT, first_cancel)
    await harness.deliver()
    assert last_text(harness, STUDENT3) == said(
        "int-offer-notice",
        organisation="АО «Завод»",
        when="03.09.2026 10:00–14:00",
        until="02.09.2026 11:37",
    )

    # Night: nothing expires, and a seat freed at 23:40 is offered, but only told at 09:00 —
    # with a deadline that counts from the morning.
    clock.moment = local(MSK, 2026, 9, 1, 23, 37).astimezone(UTC)
    await jobs.sweep_internships()
    clock.moment = local(MSK, 2026, 9, 1, 23, 40).astimezone(UTC)
    await harness.press(STUDENT2, second_cancel)
    clock.moment = local(MSK, 2026, 9, 1, 23, 43).astimezone(UTC)
    await harness.deliver()
    assert harness.session.texts_to(STUDENT4) == [
        said("int-booked-waitlisted", organisation="АО «Завод»", when="03.09.2026 10:00–14:00")
    ]
    assert len(harness.session.texts_to(STUDENT3)) == 2  # the waitlist answer and the offer
    clock.moment = local(MSK, 2026, 9, 2, 9, 0).astimezone(UTC)
    await harness.deliver()
    assert last_text(harness, STUDENT4) == said(
        "int-offer-notice",
        organisation="АО «Завод»",
        when="03.09.2026 10:00–14:00",
        until="02.09.2026 21:00",
    )

    # The 21:00 deadline passes: its expiry notice waits for the morning too.
    clock.moment = local(MSK, 2026, 9, 2, 21, 0).astimezone(UTC)
    await jobs.sweep_internships()
    await harness.deliver()
    assert "истекло" not in last_text(harness, STUDENT4)
    clock.moment = local(MSK, 2026, 9, 3, 9, 0).astimezone(UTC)
    await harness.deliver()
    assert last_text(harness, STUDENT4).startswith(opening("int-offer-expired-notice"))


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_on_a_sunday_internships_shows_the_next_seven_days_first(
    harness: Harness, world: BookingWorld, clock: FixedClock
) -> None:
    clock.moment = local(MSK, 2026, 8, 30, 10, 0).astimezone(UTC)  # a Sunday
    await harness.send(STUDENT, "/internships")
    text = last_text(harness, STUDENT)
    assert text.startswith(
        said("int-week-title", first="30.08", last="05.09.2026", direction="все") + "\n"
    )
    assert "1. АО «Завод» — стажировка\n   03.09.2026 10:00–14:00" in text
    assert "2. Лаборатория «Кванториум» — стажировка\n   03.09.2026 12:00–16:00" in text
    await harness.press(STUDENT, encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=1)))
    text = last_text(harness, STUDENT)
    assert text.startswith(
        said("int-week-title", first="06.09", last="12.09.2026", direction="все")
    )
    assert "1. АО «Завод» — профессиональная проба\n   10.09.2026 10:00–12:00" in text
    assert buttons(harness, STUDENT)[1:3] == [
        encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=0)),
        encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=2)),
    ]
    await harness.press(STUDENT, encode(InternshipsAction(verb=InternshipsVerb.SHOW_WEEK, week=2)))
    assert last_text(harness, STUDENT) == (
        "Стажировки и профпробы с 13.09 по 19.09.2026 (направление: все):\n"
        "В эти дни свободных слотов нет.\n"
        "Позже свободных слотов пока тоже нет. Загляните сюда через несколько дней или "
        "выберите другое направление."
    )
