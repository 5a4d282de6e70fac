"""The season's events (services/season_events/, dialogs/season_events.py) through the
messenger with no aiogram (tests/recording_messenger.py): the office's YAML creates the event
and invites the accepted students and tutors; answers are the invited person's own (a forged
press is refused, a second answer changes it, a double tap nothing); reminders a day and an
hour before, once, the minor's moved out of quiet hours, withdrawn on «Не смогу»; /agenda; a
moved agenda point told once to those coming; check-in codes (fresh, expired, unknown, not
invited, twice) and the roster's «✅ был»."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from dialogs import season_events, start
from services.actions import EventAction, EventVerb
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import OutboxStatus, Role
from services.errors import InvalidInput
from services.i18n import Texts
from services.privacy import erase_person
from services.season_events import parse_event
from storage.models import EventCheckin, EventCode, OutgoingMessage, SeasonEvent
from storage.uow import UnitOfWorkFactory
from tests.broadcast_world import Someone, add_people
from tests.databases import ON_BOTH_DATABASES
from tests.example_season import import_example
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
OFFICE, ANNA, BORIS, TEEN, TUTOR, MENTOR = 90, 1001, 1002, 1003, 1009, 1010
CONFIG = ServiceConfig(office_admin_ids=frozenset({OFFICE}))
ZONE = ZoneInfo("Asia/Tomsk")  # the example season's
# The clock is 2026-09-01 07:00 UTC (14:00 in Tomsk); the school opens two days later at 09:30.
OPENING = datetime(2026, 9, 3, 9, 30, tzinfo=ZONE)
YAML = """title: Летняя школа
place: Технопарк
invite: [students, tutors]
agenda:
  - at: 2026-09-03 09:30
    title: Открытие
    place: Актовый зал
  - at: 2026-09-04 11:00
    title: Защита идей
"""


async def _world(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> tuple[RecordingMessenger, dict[int, int]]:
    await import_example(uow_factory, clock)
    ids = await add_people(uow_factory, clock.now(), [
        Someone(ANNA), Someone(BORIS), Someone(TEEN, age_group="teen"),
        Someone(TUTOR, status=None, grant=Role.TUTOR),
        Someone(MENTOR, status=None, grant=Role.MENTOR),
    ])  # fmt: skip
    m = RecordingMessenger([start.DIALOG, season_events.DIALOG], uow_factory, clock, CONFIG)
    await m.command(OFFICE, "start")
    await m.deliver()
    return m, ids


async def _create(m: RecordingMessenger) -> int:
    await m.command(OFFICE, "event_new", YAML)
    text = m.chat(OFFICE).last.text
    assert "Мероприятие «Летняя школа» создано" in text and "приглашено — 4" in text, text
    await m.deliver()
    return int(text.split("№ ")[1].split(")")[0])


async def _outbox(uow_factory: UnitOfWorkFactory, like: str) -> dict[str, OutgoingMessage]:
    async with uow_factory() as uow:
        rows = await uow.session.scalars(
            select(OutgoingMessage).where(OutgoingMessage.dedupe_key.like(like))
        )
        return {str(r.dedupe_key): r for r in rows}


def _texts(m: RecordingMessenger, person: int, contains: str) -> list[str]:
    return [s.screen.text for s in m.chat(person).messages if contains in s.screen.text]


@ON_BOTH_DATABASES
async def test_invitations_answers_and_reminders_once_with_quiet_hours_for_the_minor(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, ids = await _world(uow_factory, clock)
    event_id = await _create(m)
    for person in (ANNA, BORIS, TEEN, TUTOR):
        [invitation] = _texts(m, person, "Приглашение: Летняя школа")
        assert "03.09.2026 09:30 — Открытие (Актовый зал)" in invitation
    assert _texts(m, MENTOR, "Приглашение") == []  # mentors were not invited

    # Only the invited person answers their own invitation.
    await m.press_forged(MENTOR, EventAction(verb=EventVerb.YES, item=event_id))
    assert m.chat(MENTOR).notices[-1] == (t("event-not-invited"), True)
    for person in (ANNA, TEEN):
        await m.press(person, "Буду")
        assert "Ваш ответ: буду ✅" in m.chat(person).messages[-1].screen.text
    await m.press_again(ANNA)
    assert m.chat(ANNA).notices[-1] == (t("event-answer-same"), False)
    await m.press(BORIS, "Не смогу")

    rows = await _outbox(uow_factory, f"event:{event_id}:%")
    day, hour = timedelta(days=1), timedelta(hours=1)
    assert rows[f"event:{event_id}:{ids[ANNA]}:day"].not_before == OPENING - day
    assert rows[f"event:{event_id}:{ids[ANNA]}:hour"].not_before == OPENING - hour  # 08:30
    # The minor's hour-before reminder would fall in quiet hours (till 09:00): moved to 09:00.
    assert rows[f"event:{event_id}:{ids[TEEN]}:hour"].not_before == OPENING - timedelta(minutes=30)
    assert f"event:{event_id}:{ids[BORIS]}:day" not in rows  # he said «Не смогу»

    # Changing the mind withdraws the reminders; they go out at their time, once.
    await m.press(TEEN, "Не смогу")
    rows = await _outbox(uow_factory, f"event:{event_id}:{ids[TEEN]}:%")
    assert rows[f"event:{event_id}:{ids[TEEN]}:day"].status is not OutboxStatus.PENDING
    # And back: «Буду» after all queues them again (Boris), still once.
    await m.press(BORIS, "Буду")
    await m.press(BORIS, "Не смогу")
    await m.press(BORIS, "Буду")
    rows = await _outbox(uow_factory, f"event:{event_id}:{ids[BORIS]}:%")
    assert rows[f"event:{event_id}:{ids[BORIS]}:hour"].status is OutboxStatus.PENDING
    clock.advance(OPENING - clock.now() - timedelta(minutes=10))
    await m.deliver()
    await m.deliver()
    assert len(_texts(m, ANNA, "Напоминание: «Летняя школа»")) == 1
    assert len(_texts(m, ANNA, "Напоминание: через час")) == 1
    assert len(_texts(m, BORIS, "Напоминание: через час")) == 1
    assert _texts(m, TEEN, "Напоминание") == []


async def test_agenda_and_a_moved_point_told_once_to_those_coming(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, _ = await _world(uow_factory, clock)
    event_id = await _create(m)
    await m.press(ANNA, "Буду")
    await m.press(BORIS, "Не смогу")
    await m.command(ANNA, "agenda")
    assert "04.09.2026 11:00 — Защита идей" in m.chat(ANNA).last.text
    await m.command(BORIS, "agenda")
    assert m.chat(BORIS).last.text == t("event-agenda-none")

    async with uow_factory() as uow:
        items = await uow.season_events.items(event_id)
    await m.command(ANNA, "event_move", f"{items[1].id} 2026-09-04 12:00 Конференц-зал")
    assert m.chat(ANNA).last.text == t("event-office-only")
    for _ in range(2):
        await m.command(OFFICE, "event_move", f"{items[1].id} 2026-09-04 12:00 Конференц-зал")
        assert m.chat(OFFICE).last.text == t("event-moved", told=1)
        await m.deliver()
    [changed] = _texts(m, ANNA, "Изменение в программе")
    assert "04.09.2026 12:00, место: Конференц-зал" in changed
    assert _texts(m, BORIS, "Изменение") == []
    async with uow_factory() as uow:
        event = await uow.season_events.get(event_id)
        assert event is not None and event.ends_at == datetime(2026, 9, 4, 12, tzinfo=ZONE)


@ON_BOTH_DATABASES
async def test_checkin_by_code_once_expired_unknown_and_uninvited_refused_and_the_roster(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, ids = await _world(uow_factory, clock)
    event_id = await _create(m)
    await m.command(ANNA, "checkin_code", str(event_id))
    assert m.chat(ANNA).last.text == t("event-office-only")
    await m.command(OFFICE, "checkin_code", f"{event_id} 5")
    code = m.chat(OFFICE).last.text.split("отметки: ")[1][:6]
    async with uow_factory() as uow:  # only its hash is kept
        hashes = list(await uow.session.scalars(select(EventCode.code_hash)))
    assert len(hashes) == 1 and code not in hashes[0]

    await m.command(ANNA, "checkin", code)
    assert m.chat(ANNA).last.text == t("event-checked-in", title="Летняя школа")
    await m.command(ANNA, "checkin", code)
    assert m.chat(ANNA).last.text == t("event-checked-in-already", title="Летняя школа")
    await m.command(MENTOR, "checkin", code)  # not invited
    assert m.chat(MENTOR).last.text == t("event-code-invalid")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    await m.command(BORIS, "checkin", wrong)
    assert m.chat(BORIS).last.text == t("event-code-invalid")
    clock.advance(timedelta(minutes=5))
    await m.command(BORIS, "checkin", code)  # expired
    assert m.chat(BORIS).last.text == t("event-code-invalid")

    await m.press_forged(ANNA, EventAction(verb=EventVerb.MARK, item=event_id, value=ids[ANNA]))
    assert m.chat(ANNA).notices[-1] == (t("event-office-only"), True)
    await m.command(OFFICE, "roster", str(event_id))
    roster = m.chat(OFFICE).last
    assert f"✅ Участник {ANNA}" in roster.text and f"▫️ Участник {BORIS}" in roster.text
    await m.press(OFFICE, f"✅ был: Участник {BORIS}")
    await m.press_again(OFFICE)
    assert f"✅ Участник {BORIS}" in m.chat(OFFICE).last.text
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(
            select(EventCheckin).where(EventCheckin.event_id == event_id)
        ))  # fmt: skip
    assert sorted((r.person_id, r.how) for r in rows) == sorted(
        [(ids[ANNA], "code"), (ids[BORIS], "roster")]
    )


async def test_a_student_cannot_create_and_bad_yaml_is_explained(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, _ = await _world(uow_factory, clock)
    await m.command(ANNA, "event_new", YAML)
    assert m.chat(ANNA).last.text == t("event-office-only")
    await m.command(OFFICE, "event_new", "title: Школа\ninvite: [everyone]\nagenda: []")
    assert "invite: «everyone»" in m.chat(OFFICE).last.text
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(SeasonEvent))) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[1, 2]", "ожидались поля"),
        ("invite: [students]\nagenda: [{at: 2026-09-03 09:30, title: A}]", "нет title"),
        ("title: A\ninvite: [students]\nagenda: [{at: завтра, title: B}]", "время «завтра»"),
        ("title: A\nagenda: [{at: 2026-09-03 09:30, title: B}]", "никто не приглашён"),
        ("title: A\ninvite: [tutors]", "пустая программа"),
    ],
)
def test_parse_event_refuses_what_it_cannot_use(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_event(text, ZONE)
    assert problem in refused.value.args_for_text["detail"]


def test_parse_event_reads_local_times_in_order() -> None:
    spec = parse_event(YAML.replace("2026-09-04 11:00", "2026-09-02 08:00"), ZONE)
    assert [p.at for p in spec.agenda] == [
        datetime(2026, 9, 2, 1, 0, tzinfo=UTC), datetime(2026, 9, 3, 2, 30, tzinfo=UTC)
    ]  # fmt: skip


async def test_erasure_takes_the_persons_answers_and_checkins(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m, ids = await _world(uow_factory, clock)
    event_id = await _create(m)
    await m.press(ANNA, "Буду")
    await m.command(OFFICE, "roster", str(event_id))
    await m.press(OFFICE, f"✅ был: Участник {ANNA}")
    async with uow_factory() as uow:
        services = Services(uow, clock, Texts(), CONFIG)
        await erase_person(uow, services.notifier, Texts(), ids[ANNA], clock.now())
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.season_events.invitation(event_id, ids[ANNA]) is None
        assert await uow.season_events.checked_in(event_id) == set()
        assert await uow.season_events.invitation(event_id, ids[BORIS]) is not None
