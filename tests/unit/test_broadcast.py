"""The office's /broadcast (services/broadcasts/, dialogs/broadcast.py) through the messenger
with no aiogram (tests/recording_messenger.py): segments and filters counted in SQL, the
preview's count, one outbox row per recipient written at confirmation (a double tap queues
nothing twice), minors kept out of quiet hours unless urgent, cancelling stops only what is
not sent, the progress message edited to the end and the report; a student's forged press is
refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.ratelimit import SendLimiter
from bot.sender import Sender
from bot.transport import Failure, FailureKind
from dialogs import broadcast, start
from services.actions import BroadcastAction, BroadcastVerb
from services.broadcasts import TEXT_LIMIT, progress_key, subject_of
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import (
    ApplicationStatus,
    BroadcastSegment,
    BroadcastStatus,
    Messenger,
    OutboxStatus,
    Role,
    TaskKind,
    TaskStatus,
)
from services.i18n import Texts
from services.notify import AT_MOST_ONCE
from storage.models import Broadcast, Municipality, OutgoingMessage, PlanTask, ProjectIdea
from storage.uow import UnitOfWorkFactory
from tests.broadcast_world import Someone, add_people, current_season, first_ids
from tests.databases import ON_BOTH_DATABASES
from tests.example_season import import_example
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
OFFICE, STUDENT = 90, 1001
CONFIG = ServiceConfig(office_admin_ids=frozenset({OFFICE}))
SEGMENT = {s: t(f"broadcast-segment-{s.value}") for s in BroadcastSegment}


async def _world(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> RecordingMessenger:
    """Students 1001–1006 accepted (1001, 1002 in the first municipality; 1001 picked the first
    idea; 1003 a minor), an applicant, a withdrawn one, a tutor, a mentor; a student with an
    overdue task."""
    await import_example(uow_factory, clock)
    [first, second] = await first_ids(uow_factory, Municipality, 2)
    [idea] = await first_ids(uow_factory, ProjectIdea, 1)
    people = [
        Someone(1001, municipality=first, idea=idea),
        Someone(1002, municipality=first),
        Someone(1003, municipality=second, age_group="teen"),
        *(Someone(tg) for tg in (1004, 1005, 1006)),
        Someone(1007, status=ApplicationStatus.SUBMITTED, municipality=first),
        Someone(1008, status=ApplicationStatus.WITHDRAWN),
        Someone(1009, status=None, grant=Role.TUTOR),
        Someone(1010, status=None, grant=Role.MENTOR),
    ]
    ids = await add_people(uow_factory, clock.now(), people)
    season = await current_season(uow_factory)
    async with uow_factory() as uow:
        uow.session.add(PlanTask(
            season_id=season.id, student_id=ids[1004], kind=TaskKind.ONLINE_COURSE,
            title="Курс", due_at=clock.now() - timedelta(days=1), status=TaskStatus.ASSIGNED,
            created_at=clock.now(), updated_at=clock.now(),
        ))  # fmt: skip
        await uow.commit()
    m = RecordingMessenger([start.DIALOG, broadcast.DIALOG], uow_factory, clock, CONFIG)
    await m.command(OFFICE, "start")
    await m.deliver()  # whatever /start queued: the outbox holds only the broadcasts' rows
    return m


async def _rows(uow_factory: UnitOfWorkFactory, subject: str) -> list[OutgoingMessage]:
    async with uow_factory() as uow:
        rows = await uow.session.scalars(
            select(OutgoingMessage).where(OutgoingMessage.subject == subject)
            .order_by(OutgoingMessage.id)
        )  # fmt: skip
        return list(rows)


async def _tick(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> int:
    async with uow_factory() as uow:
        return await Services(uow, clock, Texts(), CONFIG).broadcast_progress.tick()


async def _write(m: RecordingMessenger, segment: BroadcastSegment, text: str) -> None:
    await m.command(OFFICE, "broadcast")
    await m.press(OFFICE, SEGMENT[segment])
    if t("broadcast-btn-no-filter") in str(m.chat(OFFICE).last.buttons):
        await m.press(OFFICE, t("broadcast-btn-no-filter"))
    await m.type(OFFICE, text)


def _count_in(text: str) -> int:
    line = next(line for line in text.splitlines() if line.startswith("Получатели:"))
    return int(line.rsplit("—", 1)[1].split()[0])


@ON_BOTH_DATABASES
async def test_each_segment_and_filter_counts_the_right_people(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m = await _world(uow_factory, clock)
    expected = {
        BroadcastSegment.STUDENTS: 6,
        BroadcastSegment.APPLICANTS: 7,  # accepted and submitted; not the withdrawn
        BroadcastSegment.TUTORS: 1,
        BroadcastSegment.MENTORS: 1,
        BroadcastSegment.SITE_CONTACTS: 0,
        BroadcastSegment.OVERDUE: 1,
    }
    for segment, count in expected.items():
        await _write(m, segment, "Проверка")
        last = m.chat(OFFICE).last.text
        if count:
            assert _count_in(last) == count, (segment, last)
        else:
            assert last == t("broadcast-nobody") or _count_in(last) == 0
    # Students of the first municipality: 1001 and 1002 (not the applicant 1007).
    await m.command(OFFICE, "broadcast")
    await m.press(OFFICE, SEGMENT[BroadcastSegment.STUDENTS])
    await m.press(OFFICE, t("broadcast-filter-municipality"))
    async with uow_factory() as uow:
        first = await uow.session.get(
            Municipality, (await first_ids(uow_factory, Municipality, 1))[0]
        )
        idea = await uow.session.get(ProjectIdea, (await first_ids(uow_factory, ProjectIdea, 1))[0])
    assert first is not None and idea is not None
    await m.press(OFFICE, first.name)
    await m.type(OFFICE, "Собрание в муниципалитете")
    assert _count_in(m.chat(OFFICE).last.text) == 2
    assert first.name in m.chat(OFFICE).last.text
    # Applicants who picked the first idea: 1001 only; accepted-status applicants: 6.
    await m.command(OFFICE, "broadcast")
    await m.press(OFFICE, SEGMENT[BroadcastSegment.APPLICANTS])
    await m.press(OFFICE, t("broadcast-filter-idea"))
    await m.press(OFFICE, idea.title)
    await m.type(OFFICE, "Про идею")
    assert _count_in(m.chat(OFFICE).last.text) == 1
    await m.command(OFFICE, "broadcast")
    await m.press(OFFICE, SEGMENT[BroadcastSegment.APPLICANTS])
    await m.press(OFFICE, t("broadcast-filter-status"))
    await m.press(OFFICE, t("broadcast-status-submitted"))
    await m.type(OFFICE, "Про статус")
    assert _count_in(m.chat(OFFICE).last.text) == 1


@ON_BOTH_DATABASES  # the claim, the aggregate and the conditional updates on PG
async def test_confirm_queues_each_once_and_progress_ends_with_a_report(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m = await _world(uow_factory, clock)
    await _write(m, BroadcastSegment.STUDENTS, "Завтра общий сбор в 10:00.")
    preview = m.chat(OFFICE).last.text
    assert "Завтра общий сбор в 10:00." in preview and _count_in(preview) == 6
    await m.press(OFFICE, t("broadcast-btn-send"))
    assert m.chat(OFFICE).last.text == t("broadcast-started", total=6)
    await m.press_again(OFFICE)  # a double tap: nothing queued twice
    assert m.chat(OFFICE).notices[-1] == (t("broadcast-gone"), True)
    async with uow_factory() as uow:
        [sent] = await uow.session.scalars(select(Broadcast))
    rows = await _rows(uow_factory, subject_of(sent.id))
    assert len(rows) == 6 and len({row.person_id for row in rows}) == 6
    assert all(row.payload[AT_MOST_ONCE] for row in rows)
    assert {row.dedupe_key for row in rows} == {
        f"broadcast:{sent.id}:{row.person_id}" for row in rows
    }
    assert sent.status is BroadcastStatus.SENDING and sent.total == 6

    await m.deliver()  # the progress message first (bulk rows come after), then the rest
    for tg in range(1001, 1007):
        assert [s.screen.text for s in m.chat(tg).messages] == ["Завтра общий сбор в 10:00."]
    assert m.chat(1007).messages == []
    progress = m.chat(OFFICE).messages[-1]
    assert "Доставлено: 0 из 6" in progress.screen.text
    assert await _tick(uow_factory, clock) == 1  # all sent: finished, final edit and report
    await m.deliver()
    texts = [s.screen.text for s in m.chat(OFFICE).messages]
    assert texts[-1].startswith("Отчёт о рассылке: завершена.") and "Доставлено: 6." in texts[-1]
    assert progress.screen.text.startswith("✅ Рассылка завершена.")
    assert "Доставлено: 6 из 6" in progress.screen.text and progress.screen.buttons == []
    assert await _tick(uow_factory, clock) == 0  # reported once


async def test_minors_wait_for_the_morning_unless_urgent(
    uow_factory: UnitOfWorkFactory,
) -> None:
    night = FixedClock(datetime(2026, 9, 1, 16, 0, tzinfo=UTC))  # 23:00 in Tomsk
    m = await _world(uow_factory, night)
    await _write(m, BroadcastSegment.STUDENTS, "Ночное объявление")
    assert "Несовершеннолетних: 1; из них утром, после тихих часов, получат: 1." in (
        m.chat(OFFICE).last.text
    )
    await m.press(OFFICE, t("broadcast-btn-send"))
    await _write(m, BroadcastSegment.STUDENTS, "Срочно: отмена занятий")
    await m.press(OFFICE, t("broadcast-btn-urgent-off"))
    assert m.chat(OFFICE).last.buttons[0][0].text == t("broadcast-btn-urgent-on")
    await m.press(OFFICE, t("broadcast-btn-send"))
    async with uow_factory() as uow:
        plain, urgent = list(await uow.session.scalars(select(Broadcast).order_by(Broadcast.id)))
        minor = await uow.people.by_tg_id(1003)
    assert minor is not None
    morning = datetime(2026, 9, 2, 2, 0, tzinfo=UTC)  # 09:00 in Tomsk
    for sent, minor_at in ((plain, morning), (urgent, night.now())):
        rows = await _rows(uow_factory, subject_of(sent.id))
        assert {r.not_before for r in rows if r.person_id == minor.id} == {minor_at}
        assert {r.not_before for r in rows if r.person_id != minor.id} == {night.now()}
    assert plain.deferred == 1 and urgent.deferred == 0 and urgent.urgent


@ON_BOTH_DATABASES  # the claim, the aggregate and the conditional updates on PG
async def test_cancel_stops_only_what_is_not_sent(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m = await _world(uow_factory, clock)
    await _write(m, BroadcastSegment.STUDENTS, "Объявление")
    await m.press(OFFICE, t("broadcast-btn-send"))
    async with uow_factory() as uow:
        [sent] = await uow.session.scalars(select(Broadcast))
        first = await uow.outbox.by_dedupe_key(progress_key(sent.id))
        claimed = await uow.outbox.claim_due(clock.now(), 3, timedelta(minutes=2))
        # The progress message is claimed before the bulk rows queued ahead of it.
        assert first is not None and first.id in [r.id for r in claimed]
        for row in claimed:
            await uow.outbox.mark_sent(row.id, 77, clock.now())  # the progress and two of six
        await uow.commit()
    # The stop button under the progress message (sent above, outside this chat's record).
    await m.press_forged(OFFICE, BroadcastAction(verb=BroadcastVerb.STOP, item=sent.id))
    assert m.chat(OFFICE).notices[-1] == (t("broadcast-stopped", count=4), True)
    await m.press_again(OFFICE)
    assert m.chat(OFFICE).notices[-1] == (t("broadcast-not-sending"), True)
    statuses = [(r.status, r.error) for r in await _rows(uow_factory, subject_of(sent.id))]
    assert statuses.count((OutboxStatus.SENT, None)) == 2
    assert statuses.count((OutboxStatus.FAILED, "cancelled before sending")) == 4
    assert await _tick(uow_factory, clock) == 1
    async with uow_factory() as uow:
        done = await uow.broadcasts.fresh(sent.id)
    assert done is not None and done.status is BroadcastStatus.CANCELLED
    assert done.report is not None and (done.report["sent"], done.report["cancelled"]) == (2, 4)


async def test_a_student_and_a_forged_press_are_refused_and_long_text_too(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m = await _world(uow_factory, clock)
    await m.command(STUDENT, "broadcast")
    assert m.chat(STUDENT).last.text == t("broadcast-office-only")
    for verb in (BroadcastVerb.SEGMENT, BroadcastVerb.SEND, BroadcastVerb.STOP):
        await m.press_forged(STUDENT, BroadcastAction(verb=verb, item=1))
        assert m.chat(STUDENT).notices[-1] == (t("broadcast-office-only"), True)
    await m.command(OFFICE, "broadcast")
    await m.press(OFFICE, SEGMENT[BroadcastSegment.TUTORS])
    await m.press(OFFICE, t("broadcast-btn-no-filter"))
    await m.type(OFFICE, "а" * (TEXT_LIMIT + 1))
    assert m.chat(OFFICE).last.text == t(
        "broadcast-too-long", length=TEXT_LIMIT + 1, limit=TEXT_LIMIT
    )
    await m.type(OFFICE, "а" * TEXT_LIMIT)  # fits: the preview
    assert _count_in(m.chat(OFFICE).last.text) == 1
    await m.press(OFFICE, t("broadcast-btn-discard"))
    assert m.chat(OFFICE).last.text == t("broadcast-discarded")
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(OutgoingMessage.id).where(
            OutgoingMessage.subject.like("broadcast%"))) is None  # fmt: skip


class _Blocked(Exception):
    pass


class _Transport:
    """The sender's messenger: one student blocked the bot, the rest receive."""

    messenger = Messenger.TELEGRAM
    text_limit, caption_limit, rate_limit_pause = 4096, 1024, 0.05

    def __init__(self, blocked: int) -> None:
        self.blocked = blocked
        self.sent: list[int] = []

    def classify(self, error: Exception) -> Failure | None:
        return Failure(FailureKind.BLOCKED, "blocked") if isinstance(error, _Blocked) else None

    async def send_text(self, chat_id: int, text: str, buttons: object) -> int:
        if chat_id == self.blocked:
            raise _Blocked()
        self.sent.append(chat_id)
        return len(self.sent)

    async def edit_text(self, chat_id: int, message_id: object, text: str, buttons: object) -> None:
        self.sent.append(chat_id)


async def test_through_the_sender_a_blocked_student_is_counted_and_made_inactive(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    m = await _world(uow_factory, clock)
    await _write(m, BroadcastSegment.STUDENTS, "Объявление")
    await m.press(OFFICE, t("broadcast-btn-send"))
    transport = _Transport(blocked=1003)
    limiter = SendLimiter(1000.0, chat_interval=0.0, group_per_minute=1000)
    sender = Sender(transport, uow_factory, clock, Texts(), limiter)
    while await sender.deliver_due():
        pass
    assert sorted(c for c in transport.sent if c != OFFICE) == [1001, 1002, 1004, 1005, 1006]
    assert await _tick(uow_factory, clock) == 1
    async with uow_factory() as uow:
        [done] = await uow.session.scalars(select(Broadcast))
        blocked = await uow.people.by_tg_id(1003)
    assert done.report is not None
    assert (done.report["sent"], done.report["blocked"], done.report["total"]) == (5, 1, 6)
    assert blocked is not None and blocked.is_active is False
