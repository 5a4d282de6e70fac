"""Texts longer than Telegram takes in one message: the outbox sender and the handlers' replies
send them as several messages in order, never failing for the length and never losing a part."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, Chat, InlineKeyboardMarkup, Message, User
from sqlalchemy import select

from dialogs.screen import Screen, doing
from handlers.replies import redraw
from handlers.telegram import inline_keyboard
from services.actions import RoadmapAction, RoadmapVerb
from services.clock import FixedClock
from services.domain import OutboxStatus
from services.notify import SENT_PARTS, Button, OutboxNotifier
from services.text_fit import CAPTION_LIMIT, MESSAGE_LIMIT
from storage.models import OutgoingMessage
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness
from tests.long_texts import long_text, whole

STAFF = 500


async def _queue_text(harness: Harness, text: str, subject: str | None = None) -> None:
    async with harness.app.uow_factory() as uow:
        notifier = OutboxNotifier(uow.outbox, harness.app.sender.clock)
        buttons = [[Button("Открыть", url="https://example.org")]]
        await notifier.send_text(STAFF, text, buttons=buttons, subject=subject)
        await uow.commit()


async def _rows(harness: Harness) -> list[OutgoingMessage]:
    async with harness.app.uow_factory() as uow:
        return list(await uow.session.scalars(select(OutgoingMessage)))


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_a_long_notice_goes_out_in_parts_in_order_with_the_buttons_on_the_last(
    harness: Harness,
) -> None:
    text = long_text("часть", 9000)
    await _queue_text(harness, text)
    await harness.deliver()
    sent = harness.session.of("SendMessage")
    assert len(sent) == 3 and all(len(m.text) <= MESSAGE_LIMIT for m in sent)
    assert whole([m.text for m in sent], text)
    assert [m.reply_markup is not None for m in sent] == [False, False, True]
    async with harness.app.uow_factory() as uow:
        assert await uow.outbox.counts() == {OutboxStatus.SENT: 1}


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_a_failure_between_parts_goes_on_from_the_next_part(
    harness: Harness, clock: FixedClock
) -> None:
    text = long_text("кусок", 9000)
    await _queue_text(harness, text)
    network_down = TelegramNetworkError(method=SendMessage(chat_id=STAFF, text="x"), message="down")
    harness.session.outcomes["SendMessage"] = [None, network_down]
    await harness.deliver()
    [first, failed] = harness.session.of("SendMessage")
    [row] = await _rows(harness)
    assert row.status == OutboxStatus.PENDING and len(row.payload[SENT_PARTS]) == 1

    clock.advance(timedelta(minutes=1))
    await harness.deliver()
    sent = harness.session.of("SendMessage")
    assert [m.text for m in sent[2:]] == [failed.text, sent[3].text]  # not the first again
    assert whole([first.text, *[m.text for m in sent[2:]]], text)
    async with harness.app.uow_factory() as uow:
        assert await uow.outbox.counts() == {OutboxStatus.SENT: 1}


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_a_long_caption_goes_with_the_media_as_far_as_it_fits_and_the_rest_follows(
    harness: Harness,
) -> None:
    caption = long_text("подпись", 3000)
    async with harness.app.uow_factory() as uow:
        notifier = OutboxNotifier(uow.outbox, harness.app.sender.clock)
        await notifier.send_media(STAFF, "photo", "PHOTO-1", caption=caption)
        await notifier.send_media(STAFF, "video_note", "NOTE-1", caption="Кружок Иванова Петра")
        await uow.commit()
    await harness.deliver()
    [photo] = harness.session.of("SendPhoto")
    [note] = harness.session.of("SendVideoNote")
    texts = harness.session.texts_to(STAFF)
    assert len(photo.caption) <= CAPTION_LIMIT
    assert whole([photo.caption, texts[0]], caption)
    # A video note cannot carry a caption: it follows as a message, not dropped.
    assert note.video_note == "NOTE-1" and texts[1:] == ["Кружок Иванова Петра"]
    names = [call.name for call in harness.session.calls]
    assert names == ["SendPhoto", "SendMessage", "SendVideoNote", "SendMessage"]


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_erasure_deletes_every_part_of_a_long_message(harness: Harness) -> None:
    await _queue_text(harness, long_text("личное", 9000), subject="application:3")
    await harness.deliver()
    sent_ids = sorted({int(row.telegram_message_id or 0) for row in await _rows(harness)})
    async with harness.app.uow_factory() as uow:
        notifier = OutboxNotifier(uow.outbox, harness.app.sender.clock)
        assert await notifier.retract("application:3", delete=True) == 3
        await uow.commit()
    await harness.deliver()
    deleted = [int(m.message_id) for m in harness.session.of("DeleteMessage")]
    assert deleted == [1000, 1001, 1002] and sent_ids[-1] == 1002


def _pressed(harness: Harness, text: str) -> CallbackQuery:
    message = Message(
        message_id=42, date=datetime.now(UTC), chat=Chat(id=STAFF, type="private"), text=text
    )
    query = CallbackQuery(
        id="q1",
        from_user=User(id=STAFF, is_bot=False, first_name="Наставник"),
        chat_instance="ci",
        data="x",
        message=message,
    )
    # Validated with the bot in context, as the dispatcher does: nested objects are bound too.
    return CallbackQuery.model_validate(query.model_dump(), context={"bot": harness.app.bot})


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_a_redraw_too_long_for_one_message_edits_the_first_part_and_sends_the_rest(
    harness: Harness,
) -> None:
    text = long_text("карточка", 9000)
    accept = doing("Принять", RoadmapAction(verb=RoadmapVerb.APPROVE_STAGE, item=1))
    markup = inline_keyboard(Screen("", [[accept]]))
    assert isinstance(markup, InlineKeyboardMarkup)
    await redraw(_pressed(harness, "Карточка"), text, markup)
    [edit] = harness.session.of("EditMessageText")
    sent = harness.session.of("SendMessage")
    assert edit.message_id == 42 and edit.reply_markup is None
    assert len(sent) == 2 and all(len(m.text) <= MESSAGE_LIMIT for m in [edit, *sent])
    assert whole([edit.text, *[m.text for m in sent]], text)
    assert [m.reply_markup for m in sent] == [None, markup]
    # A text that fits is edited in place, buttons and all.
    await redraw(_pressed(harness, "Карточка"), "Коротко", markup)
    assert harness.session.of("EditMessageText")[-1].reply_markup == markup
    assert len(harness.session.of("SendMessage")) == 2
