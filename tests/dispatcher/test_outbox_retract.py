"""Taking back what was sent about something: buttons after a decision, messages after erasure."""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import DeleteMessage

from services.domain import OutboxStatus
from services.notify import Button, OutboxNotifier
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness

STAFF = 500


async def _queue(harness: Harness, subject: str, text: str, with_buttons: bool = True) -> None:
    async with harness.app.uow_factory() as uow:
        notifier = OutboxNotifier(uow.outbox, harness.app.sender.clock)
        buttons = [[Button("✅", url="https://example.org")]] if with_buttons else None
        await notifier.send_text(STAFF, text, buttons=buttons, subject=subject)
        await uow.commit()


async def _retract(harness: Harness, subject: str, *, delete: bool) -> int:
    async with harness.app.uow_factory() as uow:
        notifier = OutboxNotifier(uow.outbox, harness.app.sender.clock)
        count = await notifier.retract(subject, delete=delete, placeholder="Данные удалены.")
        await uow.commit()
    return count


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_a_decision_takes_the_buttons_off_what_was_sent_about_it(harness: Harness) -> None:
    await _queue(harness, "application:1", "Заявка №1")
    await _queue(harness, "application:2", "Заявка №2")
    assert await harness.deliver() == 2
    [first, _] = harness.session.of("SendMessage")

    assert await _retract(harness, "application:1", delete=False) == 1
    assert await _retract(harness, "application:1", delete=False) == 0  # a double tap: once
    await harness.deliver()
    [edit] = harness.session.of("EditMessageReplyMarkup")
    assert edit.chat_id == STAFF and edit.reply_markup is None
    assert harness.session.of("DeleteMessage") == []
    assert first.text == "Заявка №1"


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_erasure_deletes_sent_messages_and_edits_those_too_old_to_delete(
    harness: Harness,
) -> None:
    await _queue(harness, "application:7", "Иванова Мария, +79990001122", with_buttons=False)
    await _queue(harness, "application:7", "Ответы: …")
    await harness.deliver()
    harness.session.errors["DeleteMessage"] = TelegramBadRequest(
        method=DeleteMessage(chat_id=STAFF, message_id=1), message="message can't be deleted"
    )
    assert await _retract(harness, "application:7", delete=True) == 2
    await harness.deliver()
    assert len(harness.session.of("DeleteMessage")) == 2
    [edited] = harness.session.of("EditMessageText")
    assert edited.text == "Данные удалены." and edited.reply_markup is None


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_a_message_not_sent_yet_is_never_sent_after_erasure(harness: Harness) -> None:
    await _queue(harness, "application:9", "Иванова Мария")
    assert await _retract(harness, "application:9", delete=True) == 1
    assert await harness.deliver() == 0
    assert harness.session.of("SendMessage") == []
    async with harness.app.uow_factory() as uow:
        assert await uow.outbox.counts() == {OutboxStatus.FAILED: 1}


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_a_message_going_out_while_its_person_is_erased_is_taken_back_at_once(
    harness: Harness,
) -> None:
    """The sender holds a long message about the person (three parts) when erasure runs, right
    after its first part went out: no further part is sent, the content is not written back,
    and the part that went out is deleted."""
    await _queue(harness, "application:3", "\n\n".join(["Иванова Мария " * 300] * 3))
    send = harness.session.make_request
    erased = False

    async def erase_after_the_first_part(bot: Any, method: Any, timeout: int | None = None) -> Any:
        nonlocal erased
        answer = await send(bot, method, timeout)
        if type(method).__name__ == "SendMessage" and not erased:
            erased = True
            async with harness.app.uow_factory() as uow:
                await uow.outbox.erase_content(0, [], ["application:3"])
                await uow.commit()
        return answer

    harness.session.make_request = erase_after_the_first_part  # type: ignore[method-assign]
    await harness.deliver()
    await harness.deliver()
    assert len(harness.session.of("SendMessage")) == 1  # the first part only
    [deleted] = harness.session.of("DeleteMessage")
    assert deleted.chat_id == STAFF
    async with harness.app.uow_factory() as uow:
        [row] = await uow.outbox.about("application:3")
        # The fact of delivery stays; the content does not come back.
        assert row.status == OutboxStatus.SENT and row.payload == {"erased": True}
