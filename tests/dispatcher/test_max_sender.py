"""The outbox sender on MAX: the one delivery loop (bot/sender.py) over MaxTransport, against the
MAX Bot API emulator in-process, with a real maxapi Bot."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, timedelta

import pytest
from maxapi import Bot
from maxapi.client.default import DefaultConnectionProperties
from sqlalchemy import select

from bot.max_transport import MAX_TEXT_LIMIT, MaxTransport, max_limiter
from bot.sender import Sender
from scheduler.jobs import Jobs
from services.actions import PlanAction, PlanVerb, decode
from services.clock import FixedClock
from services.domain import Address, Messenger, OutboxStatus, TaskKind
from services.file_payload import file_content
from services.notify import SENT_REF, OutboxNotifier
from services.text_fit import split_text
from storage.models import Account, OutgoingMessage, Person
from storage.uow import UnitOfWorkFactory
from tests.dispatcher.harness import Harness
from tests.e2e.max_emulator import MaxApiEmulator
from tests.plans_world import STUDENT, TUTOR, build_world, local, services

MAX_USER = 5151
MSK = "Europe/Moscow"


@pytest.fixture
async def emu() -> AsyncIterator[MaxApiEmulator]:
    async with MaxApiEmulator(default_poll_timeout=1.0) as emulator:
        emulator.user(MAX_USER, first_name="Анна")
        yield emulator


@pytest.fixture
async def max_bot(emu: MaxApiEmulator) -> AsyncIterator[Bot]:
    # maxapi's own 5xx retries with a tiny backoff, so a 503 test is quick; its 2 s sleep
    # after an upload stays at its default: the transport must skip it by itself.
    bot = Bot(
        token=emu.token,
        default_connection=DefaultConnectionProperties(timeout=10, retry_backoff_factor=0.01),
    )
    bot.set_api_url(emu.base_url)
    yield bot
    await bot.close_session()


@pytest.fixture
def sender(harness: Harness, max_bot: Bot) -> Sender:
    app = harness.app
    return Sender(
        MaxTransport(max_bot, rate_limit_pause=0.05),
        app.uow_factory,
        app.sender.clock,
        app.texts,
        max_limiter(),
        messenger=Messenger.MAX,
    )


async def max_person(uow_factory: UnitOfWorkFactory, clock: FixedClock, dialog: int) -> int:
    async with uow_factory() as uow:
        person = await uow.people.ensure_account(Messenger.MAX, MAX_USER, dialog, "ru", clock.now())
        await uow.commit()
        return person.id


async def queue(
    harness: Harness, dialog: int, kind: str, payload: dict[str, object], person_id: int | None
) -> None:
    async with harness.app.uow_factory() as uow:
        await uow.outbox.add(
            Address(Messenger.MAX, dialog),
            kind,
            payload,
            harness.app.sender.clock.now(),
            person_id=person_id,
        )
        await uow.commit()


async def rows(harness: Harness) -> list[OutgoingMessage]:
    async with harness.app.uow_factory() as uow:
        return list(await uow.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))


OPEN_TASK = PlanAction(verb=PlanVerb.OPEN, task=17)
OPEN_BUTTON = {"text": "Открыть", "action": OPEN_TASK.prefix, "args": OPEN_TASK.args()}


async def test_a_text_with_buttons_goes_once_and_its_payload_decodes(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    dialog = emu.dialog_id(MAX_USER)
    await queue(harness, dialog, "text", {"text": "Задача", "buttons": [[OPEN_BUTTON]]}, None)
    async with harness.app.uow_factory() as uow:  # a Telegram row: not the MAX sender's
        now = harness.app.sender.clock.now()
        await uow.outbox.add(Address.telegram(777), "text", {"text": "tg"}, now)
        await uow.commit()

    assert await sender.deliver_due() == 1
    assert await sender.deliver_due() == 0

    assert emu.texts_to(MAX_USER) == ["Задача"]
    [[button]] = emu.last_keyboard(MAX_USER) or [[]]
    assert button["type"] == "callback" and decode(button["payload"]) == OPEN_TASK
    max_row, telegram_row = await rows(harness)
    assert max_row.status == OutboxStatus.SENT
    assert max_row.payload[SENT_REF] == emu.messages_to(MAX_USER)[0]["body"]["mid"]
    assert telegram_row.status == OutboxStatus.PENDING


async def test_a_long_text_goes_in_parts_in_order_with_the_buttons_on_the_last(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    dialog = emu.dialog_id(MAX_USER)
    text = " ".join(f"слово{i}" for i in range(1500))  # about 12 000 characters
    await queue(harness, dialog, "text", {"text": text, "buttons": [[OPEN_BUTTON]]}, None)

    await sender.deliver_due()

    parts = split_text(text, MAX_TEXT_LIMIT)
    assert len(parts) > 2
    assert emu.texts_to(MAX_USER) == parts
    assert all(len(part) <= MAX_TEXT_LIMIT for part in parts)
    keyboards = [emu.keyboard(m["body"]["mid"]) for m in emu.messages_to(MAX_USER)]
    assert keyboards[:-1] == [None] * (len(parts) - 1) and keyboards[-1]
    [row] = await rows(harness)
    assert row.status == OutboxStatus.SENT and len(row.payload["sent_parts"]) == len(parts) - 1


async def test_a_file_arrives_with_its_exact_name_without_the_upload_sleep(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    dialog = emu.dialog_id(MAX_USER)
    content = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    payload = {"filename": "meeting.ics", "content": content, "caption": "Встреча"}
    await queue(harness, dialog, "file", payload, None)

    started = time.monotonic()
    await sender.deliver_due()

    assert time.monotonic() - started < 1.5  # maxapi's default sleeps 2 s after an upload
    [uploaded] = emu.files_to(MAX_USER)
    assert (uploaded.filename, uploaded.data) == ("meeting.ics", content.encode())
    assert emu.texts_to(MAX_USER) == ["Встреча"]


async def test_a_binary_file_arrives_byte_for_byte(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    """A PDF is no UTF-8 text: the outbox keeps it as base64 and MAX receives the same bytes."""
    dialog = emu.dialog_id(MAX_USER)
    content = b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n\x00\xff binary body\n%%EOF\n"
    payload = {"filename": "portfolio.pdf", **file_content(content), "caption": "Портфолио"}
    assert "content" not in payload
    await queue(harness, dialog, "file", payload, None)

    await sender.deliver_due()

    [uploaded] = emu.files_to(MAX_USER)
    assert (uploaded.filename, uploaded.data) == ("portfolio.pdf", content)


async def test_a_429_pauses_sending_and_the_message_still_goes_once(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    dialog = emu.dialog_id(MAX_USER)
    await queue(harness, dialog, "text", {"text": "Раз"}, None)
    await queue(harness, dialog, "text", {"text": "Два"}, None)
    emu.rate_limit("POST /messages", times=2)

    await sender.deliver_due()

    statuses = [call.status for call in emu.calls("POST /messages")]
    assert statuses == [429, 429, 200, 200]
    assert emu.texts_to(MAX_USER) == ["Раз", "Два"]
    assert [row.status for row in await rows(harness)] == [OutboxStatus.SENT] * 2
    assert await sender.deliver_due() == 0


async def test_a_user_who_blocked_the_bot_is_marked_inactive_and_not_retried(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    dialog = emu.dialog_id(MAX_USER)
    person_id = await max_person(harness.app.uow_factory, harness.app.sender.clock, dialog)
    await queue(harness, dialog, "text", {"text": "Привет"}, person_id)
    emu.block(MAX_USER)

    await sender.deliver_due()
    harness.app.sender.clock.moment += timedelta(hours=1)  # well past any retry's backoff
    assert await sender.deliver_due() == 0

    assert len(emu.calls("POST /messages")) == 1
    [row] = await rows(harness)
    assert row.status == OutboxStatus.BLOCKED and "chat.denied" in (row.error or "")
    async with harness.app.uow_factory() as uow:
        person = await uow.session.get(Person, person_id)
        assert person is not None and not person.is_active


async def test_a_server_error_is_retried_later_and_sent_once(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    dialog = emu.dialog_id(MAX_USER)
    await queue(harness, dialog, "text", {"text": "Снова"}, None)
    emu.fail_next("POST /messages", times=4, status=503)  # maxapi's own 3 retries, then ours

    await sender.deliver_due()
    [row] = await rows(harness)
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    harness.app.sender.clock.moment += timedelta(seconds=3)
    await sender.deliver_due()

    assert emu.texts_to(MAX_USER) == ["Снова"]
    [row] = await rows(harness)
    assert row.status == OutboxStatus.SENT


async def test_a_reminder_for_a_person_on_max_reaches_them_there_once(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    clock = harness.app.sender.clock
    assert isinstance(clock, FixedClock)
    clock.moment = local(MSK, 2026, 9, 1, 10, 0).astimezone(UTC)
    world = await build_world(harness.app.uow_factory, clock, MSK)
    student_id = await world.person_id(STUDENT)
    dialog = emu.dialog_id(MAX_USER)
    async with harness.app.uow_factory() as uow:  # the student linked MAX and writes from there
        now = clock.now()
        uow.session.add(
            Account(
                person_id=student_id,
                messenger=Messenger.MAX,
                user_id=MAX_USER,
                chat_id=dialog,
                created_at=now,
                last_seen_at=now,
            )
        )
        await uow.people.set_preferred(student_id, Messenger.MAX, now)
        await uow.commit()
    async with harness.app.uow_factory() as uow:
        [task] = await services(uow, clock).plans.assign(
            await world.me(TUTOR),
            kind=TaskKind.ONLINE_COURSE,
            title="Курс по экологии",
            due_at=local(MSK, 2026, 9, 10, 18, 0),
            student_id=student_id,
        )
    await harness.deliver()
    await sender.deliver_due()
    emu.clear_calls()

    clock.moment = local(MSK, 2026, 9, 7, 18, 0).astimezone(UTC)
    jobs = Jobs(harness.app.uow_factory, clock, harness.app.texts)
    await jobs.sweep_reminders()
    await jobs.sweep_reminders()  # a second sweep finds nothing new
    await harness.deliver()
    await sender.deliver_due()
    await sender.deliver_due()

    reminders = [t for t in emu.texts_to(MAX_USER) if t.startswith("Напоминание: задачу")]
    assert len(reminders) == 1 and "«Курс по экологии»" in reminders[0]
    assert len(emu.calls("POST /messages")) == 1
    assert not [t for t in harness.session.texts_to(STUDENT) if t.startswith("Напоминание")]
    keyboard = emu.last_keyboard(MAX_USER) or []
    assert decode(keyboard[0][0]["payload"]) == PlanAction(verb=PlanVerb.OPEN, task=task.id)


async def test_a_message_sent_on_max_is_taken_back_there(
    harness: Harness, emu: MaxApiEmulator, sender: Sender
) -> None:
    dialog = emu.dialog_id(MAX_USER)
    text = " ".join(f"слово{i}" for i in range(600))  # two parts, the buttons on the second
    async with harness.app.uow_factory() as uow:
        payload = {"text": text, "buttons": [[OPEN_BUTTON]]}
        now = harness.app.sender.clock.now()
        await uow.outbox.add(Address(Messenger.MAX, dialog), "text", payload, now, subject="s:1")
        await uow.commit()
    await sender.deliver_due()
    first, second = emu.messages_to(MAX_USER)

    async def retract(*, delete: bool) -> None:
        async with harness.app.uow_factory() as uow:
            notifier = OutboxNotifier(uow.outbox, harness.app.sender.clock)
            await notifier.retract("s:1", delete=delete, placeholder="Данные удалены.")
            await uow.commit()
        await sender.deliver_due()

    await retract(delete=False)
    assert emu.keyboard(second["body"]["mid"]) is None
    assert emu.texts_to(MAX_USER) == split_text(text, MAX_TEXT_LIMIT)  # the text stays
    await retract(delete=True)
    assert emu.messages_to(MAX_USER) == []
    assert {m["body"]["mid"] for m in emu.messages_to(MAX_USER, include_deleted=True)} == {
        first["body"]["mid"],
        second["body"]["mid"],
    }
