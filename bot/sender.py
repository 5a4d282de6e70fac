"""The one sender: delivers the outbox through the Bot API within Telegram's limits.

Services only write outbox rows (services/notify.py). This worker claims due rows, sends them
in order per chat, honours 429 by pausing everything (never dropping), marks a person inactive
on 403, retries 5xx and network errors with bounded backoff, and records each outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.callbacks import pack_action
from bot.menu import set_menu
from bot.ratelimit import SendLimiter
from services.clock import Clock
from services.domain import Messenger
from services.i18n import Texts
from services.notify import SENT_PARTS, OutboxNotifier
from services.team_chat import TeamChatService
from services.text_fit import CAPTION_LIMIT, MESSAGE_LIMIT, split_text
from storage.health import unavailable_dependency
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH_SIZE = 100
CONCURRENCY = 8


class Sender:
    def __init__(
        self,
        bot: Bot,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        texts: Texts,
        limiter: SendLimiter,
        poll_interval: float = 1.0,
        lease_seconds: float = 120.0,
    ) -> None:
        self.bot = bot
        self.uow_factory = uow_factory
        self.clock = clock
        self.texts = texts
        self.limiter = limiter
        self.poll_interval = poll_interval
        # A claimed row whose sender died is claimed again after the lease. A batch stops
        # starting new sends well before its lease ends, so a live sender never loses its rows.
        self.lease = timedelta(seconds=lease_seconds)
        self.batch_time_limit = lease_seconds / 4
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight = asyncio.Semaphore(CONCURRENCY)

    def wake(self) -> None:
        """Called after a commit that may have queued messages."""
        self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                handled = await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if (dependency := unavailable_dependency(error)) is not None:
                    # An outage repeats every cycle: one line each, not a traceback each.
                    logger.warning(
                        "outbox sender: %s unavailable (%s); retrying",
                        dependency,
                        type(error).__name__,
                    )
                else:
                    logger.exception("outbox sender cycle failed; retrying")
                handled = 0
            if handled == 0:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), self.poll_interval)

    async def deliver_due(self) -> int:
        """Claim one batch of due rows and deliver it. Returns how many rows were claimed.

        Only Telegram rows: a row for MAX waits for the MAX sender."""
        async with self.uow_factory() as uow:
            rows = await uow.outbox.claim_due(
                self.clock.now(), BATCH_SIZE, self.lease, messenger=Messenger.TELEGRAM
            )
            await uow.commit()
        if not rows:
            return 0
        by_chat: dict[int, list[OutgoingMessage]] = defaultdict(list)
        for row in rows:
            by_chat[row.chat_id].append(row)
        deadline = asyncio.get_running_loop().time() + self.batch_time_limit
        await asyncio.gather(
            *(self._deliver_chat(chat, queue, deadline) for chat, queue in by_chat.items())
        )
        return len(rows)

    async def _deliver_chat(
        self, chat_id: int, queue: list[OutgoingMessage], deadline: float
    ) -> None:
        """One chat's messages strictly in order; a message that must wait holds back the rest."""
        for index, row in enumerate(queue):
            if asyncio.get_running_loop().time() > deadline:
                await self._release_unsent(queue[index:], delay=0.0)
                return
            delivered = await self._deliver_one(row)
            if not delivered:
                await self._release_unsent(queue[index + 1 :], delay=None, after=row)
                return

    async def _deliver_one(self, row: OutgoingMessage) -> bool:
        """Send one row until it is sent, refused for good, or due for a later retry.

        Returns False when the row was put back for a retry, so later messages to the same chat
        wait behind it.
        """
        while True:
            await self.limiter.wait_turn(row.chat_id)
            try:
                async with self._in_flight:
                    if self.limiter.is_paused():
                        continue  # a 429 arrived while this send queued for a free slot
                    message_id, finished = await self._call(row)
            except TelegramRetryAfter as error:
                # Flood control: pause every send for the window and try this one again after.
                logger.warning("429 from Telegram: pausing sends for %s s", error.retry_after)
                self.limiter.pause(error.retry_after)
                continue
            except TelegramMigrateToChat as error:
                # The group became a supergroup: its team and its queue follow; send again.
                await self._record_migration(row, error.migrate_to_chat_id)
                continue
            except TelegramForbiddenError as error:
                await self._record_blocked(row, error.message)
                return True
            except TelegramUnauthorizedError:
                logger.critical("the bot token was rejected while sending; message %s kept", row.id)
                await self._record_retry(row, "unauthorized", backoff=60.0)
                return False
            except TelegramBadRequest as error:
                await self._record_failed(row, f"bad request: {error.message}")
                return True
            except (TelegramServerError, TelegramNetworkError, TimeoutError, OSError) as error:
                await self._record_retry(row, type(error).__name__, backoff=None)
                return False
            if not finished:
                continue  # the next part of a long message, in its own turn for the chat
            await self._record_sent(row, message_id)
            return True

    async def _call(self, row: OutgoingMessage) -> tuple[int | None, bool]:
        """Send the row, or its next part when it is too long for one message. Returns the
        message id and whether the row is complete."""
        payload: dict[str, Any] = row.payload
        if row.kind in ("text", "media", "file"):
            return await self._send_part(row, payload)
        sent: Message | bool
        if row.kind == "menu":
            sent = await set_menu(self.bot, self.texts, row.chat_id, payload["roles"])
        elif row.kind == "invite_link":
            sent = await self._send_invite_link(row, payload)
        elif row.kind == "retract":
            sent = await self._retract(row.chat_id, payload)
        elif row.kind == "chat_kick":
            user_id = int(payload["user_id"])
            await self.bot.ban_chat_member(row.chat_id, user_id)
            sent = await self.bot.unban_chat_member(row.chat_id, user_id, only_if_banned=True)
        else:
            raise TelegramBadRequest(method=None, message=f"unknown outbox kind {row.kind}")  # type: ignore[arg-type]
        return (sent.message_id if isinstance(sent, Message) else None), True

    async def _send_part(
        self, row: OutgoingMessage, payload: dict[str, Any]
    ) -> tuple[int | None, bool]:
        """A text over Telegram's limit goes as several messages in order, the buttons on the
        last; of a caption over its limit, what fits goes with the media and the rest follows
        as messages. Each part sent is recorded in the payload at once, so a retry
        or a restart goes on from the next part instead of sending the first ones again."""
        done: list[int] = list(payload.get(SENT_PARTS) or [])
        texts = _parts(row.kind, payload)
        index = min(len(done), len(texts) - 1)
        last = index == len(texts) - 1
        sent: Message
        if index == 0 and row.kind == "media":
            sent = await _send_media(self.bot, row.chat_id, payload, texts[0])
        elif index == 0 and row.kind == "file":
            document = BufferedInputFile(payload["content"].encode("utf-8"), payload["filename"])
            sent = await self.bot.send_document(row.chat_id, document, caption=texts[0])
        else:
            buttons = payload.get("buttons") if last else None
            sent = await self.bot.send_message(
                row.chat_id, texts[index] or "", reply_markup=_markup(buttons)
            )
        if not last and await self._record_part(row, sent.message_id):
            return sent.message_id, False
        return sent.message_id, True  # the last part, or erased meanwhile: no more parts

    async def _retract(self, chat_id: int, payload: dict[str, Any]) -> bool:
        """Delete a message sent earlier, or only take its buttons away. Telegram lets a bot
        delete its messages for 48 hours; after that the text (or caption) is replaced."""
        message_id = int(payload["message_id"])
        try:
            if payload["delete"]:
                return await self.bot.delete_message(chat_id, message_id)
            await self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=None
            )
            return True
        except TelegramBadRequest as error:
            if "not modified" in error.message or not payload["delete"]:
                return False  # already without buttons, or gone: nothing left to take back
        placeholder = payload.get("placeholder") or "—"
        try:
            if payload.get("caption"):
                await self.bot.edit_message_caption(
                    chat_id=chat_id, message_id=message_id, caption=placeholder, reply_markup=None
                )
            else:
                await self.bot.edit_message_text(
                    placeholder, chat_id=chat_id, message_id=message_id, reply_markup=None
                )
        except TelegramBadRequest:
            return False  # deleted by the recipient already, or cannot carry a caption
        return True

    async def _send_invite_link(self, row: OutgoingMessage, payload: dict[str, Any]) -> Message:
        """A personal link to the team's group (join requests on, so the bot decides who gets
        in), sent privately. A retry after a crash makes a new link; the old one stays useless
        to anyone not on the roster."""
        group_chat_id = int(payload["group_chat_id"])
        try:
            link = await self.bot.create_chat_invite_link(
                group_chat_id, name=payload.get("name"), creates_join_request=True
            )
        except TelegramMigrateToChat as error:
            await self._record_migration(None, error.migrate_to_chat_id, group_chat_id)
            payload["group_chat_id"] = error.migrate_to_chat_id
            link = await self.bot.create_chat_invite_link(
                error.migrate_to_chat_id, name=payload.get("name"), creates_join_request=True
            )
        async with self.uow_factory() as uow:
            await uow.teams.save_invite_link(int(payload["member_id"]), link.invite_link)
            await uow.commit()
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=payload["button"], url=link.invite_link)]]
        )
        return await self.bot.send_message(row.chat_id, payload["text"], reply_markup=markup)

    async def _record_migration(
        self, row: OutgoingMessage | None, new_chat_id: int, old_chat_id: int | None = None
    ) -> None:
        old = old_chat_id if old_chat_id is not None else row.chat_id if row else 0
        logger.info("chat %s migrated to %s: team binding and queue follow", old, new_chat_id)
        async with self.uow_factory() as uow:
            chats = TeamChatService(
                uow, self.clock, OutboxNotifier(uow.outbox, self.clock), self.texts
            )
            await chats.migrate(old, new_chat_id)
        if row is not None:
            row.chat_id = new_chat_id

    async def _release_unsent(
        self, rows: list[OutgoingMessage], delay: float | None, after: OutgoingMessage | None = None
    ) -> None:
        if not rows:
            return
        async with self.uow_factory() as uow:
            now = self.clock.now()
            for row in rows:
                await uow.outbox.release(
                    row.id, now + timedelta(seconds=delay or 0), attempted=False
                )
            if after is not None:
                held = await uow.session.get(OutgoingMessage, after.id)
                if held is not None:
                    await uow.outbox.hold_chat_after(after.chat_id, after.id, held.not_before)
            await uow.commit()

    async def _record_part(self, row: OutgoingMessage, message_id: int) -> bool:
        """False when the row was erased while its parts went out."""
        row.payload = {**row.payload, SENT_PARTS: [*row.payload.get(SENT_PARTS, []), message_id]}
        async with self.uow_factory() as uow:
            saved = await uow.outbox.save_payload(row.id, row.payload)
            await uow.commit()
        return saved

    async def _record_sent(self, row: OutgoingMessage, message_id: int | None) -> None:
        async with self.uow_factory() as uow:
            if not await uow.outbox.mark_sent(row.id, message_id, self.clock.now()):
                # The person's data was erased while this went out: take it back at once.
                sent = list(row.payload.get(SENT_PARTS) or [])
                if message_id is not None and message_id not in sent:
                    sent.append(message_id)
                await OutboxNotifier(uow.outbox, self.clock).retract_messages(
                    row, sent, delete=True, placeholder=self.texts.get("privacy-erased-placeholder")
                )
            await uow.commit()

    async def _record_blocked(self, row: OutgoingMessage, reason: str) -> None:
        logger.info("outbox message %s: recipient blocked the bot (403)", row.id)
        async with self.uow_factory() as uow:
            await uow.outbox.mark_blocked(row.id, reason)
            if row.chat_id > 0:
                await uow.people.set_active(row.chat_id, False, self.clock.now())
            await uow.commit()

    async def _record_failed(self, row: OutgoingMessage, reason: str) -> None:
        logger.warning("outbox message %s failed for good: %s", row.id, reason)
        async with self.uow_factory() as uow:
            await uow.outbox.mark_failed(row.id, reason)
            await uow.commit()

    async def _record_retry(self, row: OutgoingMessage, reason: str, backoff: float | None) -> None:
        attempts = row.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            await self._record_failed(row, f"gave up after {attempts} attempts: {reason}")
            return
        delay = backoff if backoff is not None else min(2.0**attempts, 300.0)
        logger.info("outbox message %s: %s, retry in %.0f s", row.id, reason, delay)
        async with self.uow_factory() as uow:
            not_before = self.clock.now() + timedelta(seconds=delay)
            await uow.outbox.release(row.id, not_before, attempted=True, error=reason)
            await uow.outbox.hold_chat_after(row.chat_id, row.id, not_before)
            await uow.commit()


def _markup(buttons: list[list[dict[str, Any]]] | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = []
    for row in buttons:
        rows.append(
            [
                InlineKeyboardButton(text=b["text"], url=b["url"])
                if b.get("url")
                else InlineKeyboardButton(
                    text=b["text"], callback_data=pack_action(b["action"], b.get("args") or {})
                )
                for b in row
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def _send_media(
    bot: Bot, chat_id: int, payload: dict[str, Any], caption: str | None
) -> Message:
    file_id = payload["file_id"]
    match payload["media_type"]:
        case "photo":
            return await bot.send_photo(chat_id, file_id, caption=caption)
        case "video":
            return await bot.send_video(chat_id, file_id, caption=caption)
        case "video_note":
            return await bot.send_video_note(chat_id, file_id)
        case "voice":
            return await bot.send_voice(chat_id, file_id, caption=caption)
        case "audio":
            return await bot.send_audio(chat_id, file_id, caption=caption)
        case "animation":
            return await bot.send_animation(chat_id, file_id, caption=caption)
        case _:
            return await bot.send_document(chat_id, file_id, caption=caption)


def _parts(kind: str, payload: dict[str, Any]) -> list[str | None]:
    """What one outbox row sends, message by message. A text: its parts. Media or a file: the
    caption's first part with it (None: no caption), then the rest as messages; a video note
    carries no caption at all, so its caption follows it whole."""
    if kind == "text":
        return list(split_text(payload["text"], MESSAGE_LIMIT))
    caption = payload.get("caption") or None
    if caption is None:
        return [None]
    if payload.get("media_type") == "video_note":
        return [None, *split_text(caption, MESSAGE_LIMIT)]
    return list(split_text(caption, MESSAGE_LIMIT, first_limit=CAPTION_LIMIT))
