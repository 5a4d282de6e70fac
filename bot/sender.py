"""The outbox sender: one delivery loop, run once per messenger over that messenger's transport.

Services only write outbox rows (services/notify.py). This worker claims due rows of its own
messenger, sends them in order per chat within the messenger's limits, honours 429 by pausing
everything (never dropping), marks a person inactive when they blocked the bot, retries server
and network errors with bounded backoff, and records each outcome. What a call is and what its
error means belongs to the transport (bot/transport.py): Telegram's in bot/telegram_transport.py,
MAX's in bot/max_transport.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from aiogram import Bot

from bot.metrics import MESSAGES_FAILED, MESSAGES_SENT, RATE_LIMIT_PAUSES
from bot.ratelimit import SendLimiter
from bot.telegram_transport import TelegramTransport
from bot.transport import Failure, FailureKind, MessageRef, Transport
from services.clock import Clock
from services.domain import Address, Messenger
from services.file_payload import file_bytes
from services.i18n import Texts
from services.notify import AT_MOST_ONCE, IN_FLIGHT, SENT_PARTS, SENT_REF, OutboxNotifier
from services.team_chat import TeamChatService
from services.text_fit import split_text
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
        transport: Transport | Bot,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        texts: Texts,
        limiter: SendLimiter,
        poll_interval: float = 1.0,
        lease_seconds: float = 120.0,
        messenger: Messenger | None = None,
    ) -> None:
        # A bare aiogram Bot: the Telegram sender, as the runner has always built it.
        self.transport: Transport = (
            TelegramTransport(transport, texts) if isinstance(transport, Bot) else transport
        )
        if messenger is not None and messenger != self.transport.messenger:
            raise ValueError(f"a {self.transport.messenger} transport cannot send {messenger} rows")
        self.messenger = self.transport.messenger
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
        # Set by a graceful stop: sends already started finish, nothing new starts.
        self._stopping = False
        self._in_flight = asyncio.Semaphore(CONCURRENCY)
        # 429s in a row that came without a retry hint: each doubles the pause.
        self._unhinted_429s = 0

    def wake(self) -> None:
        """Called after a commit that may have queued messages."""
        self._wakeup.set()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"outbox-sender-{self.messenger}")

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def stop(self, grace: float = 0.0) -> None:
        """Stop sending. With a `grace`, the sends in flight finish and are recorded (so none is
        sent again by the next sender) and the rest of the batch is put back unsent, within
        `grace` seconds; what is still running then is cancelled (its rows go out again once
        their claim expires)."""
        task, self._task = self._task, None
        if task is None:
            return
        if grace > 0 and not task.done():
            self._stopping = True
            self._wakeup.set()
            done, _ = await asyncio.wait({task}, timeout=grace)
            if not done:
                logger.warning("outbox sender: sends still running after %.0f s, cancelled", grace)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        while not self._stopping:
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
            if handled == 0 and not self._stopping:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), self.poll_interval)

    async def deliver_due(self) -> int:
        """Claim one batch of due rows and deliver it. Returns how many rows were claimed.

        Only this sender's messenger's rows: the others wait for their own sender."""
        async with self.uow_factory() as uow:
            rows = await uow.outbox.claim_due(
                self.clock.now(), BATCH_SIZE, self.lease, messenger=self.messenger
            )
            await uow.commit()
        if not rows:
            return 0
        by_chat: dict[int, list[OutgoingMessage]] = defaultdict(list)
        uncertain = [row for row in rows if row.payload.get(IN_FLIGHT)]
        if uncertain:
            await self._record_uncertain(uncertain)
        for row in rows:
            if not row.payload.get(IN_FLIGHT):
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
            if self._stopping or asyncio.get_running_loop().time() > deadline:
                await self._release_unsent(queue[index:], delay=0.0)
                return
            try:
                delivered = await self._deliver_one(row)
            except _Stopped:
                await self._release_unsent(queue[index:], delay=0.0)
                return
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
                    if self._stopping:
                        raise _Stopped  # nothing new starts once a stop began
                    if self.limiter.is_paused():
                        continue  # a 429 arrived while this send queued for a free slot
                    if row.payload.get(AT_MOST_ONCE) and not await self._mark_in_flight(row):
                        return True  # erased meanwhile: nothing to send
                    message_ref, finished = await self._call(row)
            except _Stopped:
                raise
            except Exception as error:
                failure = (
                    error.failure
                    if isinstance(error, UnknownKind)
                    else self.transport.classify(error)
                )
                if failure is None:
                    raise
                outcome = await self._handle_failure(row, failure)
                if outcome is None:
                    continue
                return outcome
            self._unhinted_429s = 0
            if not finished:
                continue  # the next part of a long message, in its own turn for the chat
            await self._record_sent(row, message_ref)
            MESSAGES_SENT.labels(self.messenger.value).inc()
            return True

    async def _handle_failure(self, row: OutgoingMessage, failure: Failure) -> bool | None:
        """Record what a failed call means for the row: True when it is done with (blocked,
        refused), False when it waits for a retry, None when it is to be sent again now."""
        MESSAGES_FAILED.labels(self.messenger.value, failure.kind.value).inc()
        match failure.kind:
            case FailureKind.RATE_LIMITED:
                # Flood control: pause every send for the window and try this one again after.
                pause = failure.retry_after
                if pause is None:
                    pause = min(self.transport.rate_limit_pause * 2**self._unhinted_429s, 60.0)
                    self._unhinted_429s += 1
                logger.warning("429 from %s: pausing sends for %s s", self.messenger, pause)
                RATE_LIMIT_PAUSES.labels(self.messenger.value).inc()
                self.limiter.pause(pause)
                await self._clear_in_flight(row)  # refused, so surely not delivered
                return None
            case FailureKind.MOVED if failure.moved_to is not None:
                # The group became a supergroup: its team and its queue follow; send again.
                await self._record_migration(row, failure.moved_to)
                return None
            case FailureKind.BLOCKED:
                await self._record_blocked(row, failure.reason)
                return True
            case FailureKind.UNAUTHORIZED:
                logger.critical("the bot token was rejected while sending; message %s kept", row.id)
                await self._clear_in_flight(row)
                await self._record_retry(row, "unauthorized", backoff=60.0)
                return False
            case FailureKind.UNAVAILABLE:
                await self._record_retry(row, failure.reason, backoff=None)
                return False
            case _:
                await self._record_failed(row, failure.reason)
                return True

    async def _call(self, row: OutgoingMessage) -> tuple[MessageRef | None, bool]:
        """Send the row, or its next part when it is too long for one message. Returns the
        message's id and whether the row is complete."""
        payload: dict[str, Any] = row.payload
        if row.kind in ("text", "media", "file"):
            return await self._send_part(row, payload)
        sent: MessageRef | None = None
        if row.kind == "menu":
            await self.transport.refresh_menu(row.chat_id, payload["roles"])
        elif row.kind == "invite_link":
            sent = await self._send_invite_link(row, payload)
        elif row.kind == "retract":
            await self.transport.retract(row.chat_id, payload)
        elif row.kind == "edit":
            await self.transport.edit_text(
                row.chat_id, payload["message_id"], payload["text"], payload.get("buttons")
            )
        elif row.kind == "chat_kick":
            await self.transport.remove_from_chat(row.chat_id, int(payload["user_id"]))
        elif row.kind == "chat_add" and self.transport.messenger is Messenger.MAX:
            # Only a MAX bot adds members itself; a Telegram row of this kind is refused below.
            await self.transport.add_to_chat(row.chat_id, int(payload["user_id"]))
        else:
            raise UnknownKind(row.kind)
        return sent, True

    async def _send_part(
        self, row: OutgoingMessage, payload: dict[str, Any]
    ) -> tuple[MessageRef, bool]:
        """A text over the messenger's limit goes as several messages in order, the buttons on
        the last; of a caption over its limit, what fits goes with the media and the rest
        follows as messages. Each part sent is recorded in the payload at once, so a retry
        or a restart goes on from the next part instead of sending the first ones again."""
        done: list[MessageRef] = list(payload.get(SENT_PARTS) or [])
        texts = _parts(row.kind, payload, self.transport)
        index = min(len(done), len(texts) - 1)
        last = index == len(texts) - 1
        sent: MessageRef
        if index == 0 and row.kind == "media":
            sent = await self.transport.send_media(row.chat_id, payload, texts[0])
        elif index == 0 and row.kind == "file":
            content = file_bytes(payload)
            sent = await self.transport.send_file(
                row.chat_id, payload["filename"], content, texts[0]
            )
        else:
            buttons = payload.get("buttons") if last else None
            sent = await self.transport.send_text(row.chat_id, texts[index] or "", buttons)
        if not last and await self._record_part(row, sent):
            return sent, False
        return sent, True  # the last part, or erased meanwhile: no more parts

    async def _send_invite_link(self, row: OutgoingMessage, payload: dict[str, Any]) -> MessageRef:
        """A personal link to the team's group, sent privately. A retry after a crash makes a
        new link; the old one stays useless to anyone not on the roster."""
        group_chat_id = int(payload["group_chat_id"])
        try:
            link = await self.transport.create_invite_link(group_chat_id, payload.get("name"))
        except Exception as error:
            failure = self.transport.classify(error)
            if failure is None or failure.moved_to is None:
                raise
            await self._record_migration(None, failure.moved_to, group_chat_id)
            payload["group_chat_id"] = failure.moved_to
            link = await self.transport.create_invite_link(failure.moved_to, payload.get("name"))
        async with self.uow_factory() as uow:
            await uow.teams.save_invite_link(int(payload["member_id"]), link)
            await uow.commit()
        button = [[{"text": payload["button"], "url": link}]]
        return await self.transport.send_text(row.chat_id, payload["text"], button)

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
                    await uow.outbox.hold_chat_after(
                        after.chat_id, after.id, held.not_before, self.messenger
                    )
            await uow.commit()

    async def _mark_in_flight(self, row: OutgoingMessage) -> bool:
        """An at-most-once row: committed as in flight before its call (False: erased)."""
        row.payload = {**row.payload, IN_FLIGHT: True}
        async with self.uow_factory() as uow:
            saved = await uow.outbox.save_payload(row.id, row.payload)
            await uow.commit()
        return saved

    async def _clear_in_flight(self, row: OutgoingMessage) -> None:
        """The call surely delivered nothing: the row may be sent again, even after a crash."""
        if not row.payload.get(IN_FLIGHT):
            return
        row.payload = {k: v for k, v in row.payload.items() if k != IN_FLIGHT}
        async with self.uow_factory() as uow:
            await uow.outbox.save_payload(row.id, row.payload)
            await uow.commit()

    async def _record_uncertain(self, rows: list[OutgoingMessage]) -> None:
        """At-most-once rows whose sender died during the call: not sent a second time."""
        logger.warning("outbox: %s messages in flight at a crash recorded as uncertain", len(rows))
        async with self.uow_factory() as uow:
            for row in rows:
                await uow.outbox.mark_uncertain(row.id)
            await uow.commit()

    async def _record_part(self, row: OutgoingMessage, message_ref: MessageRef) -> bool:
        """False when the row was erased while its parts went out."""
        done = [*row.payload.get(SENT_PARTS, []), message_ref]
        row.payload = {k: v for k, v in row.payload.items() if k != IN_FLIGHT}
        row.payload[SENT_PARTS] = done
        async with self.uow_factory() as uow:
            saved = await uow.outbox.save_payload(row.id, row.payload)
            await uow.commit()
        return saved

    async def _record_sent(self, row: OutgoingMessage, message_ref: MessageRef | None) -> None:
        async with self.uow_factory() as uow:
            if isinstance(message_ref, str):
                # A MAX id does not fit the integer column: it is kept with the content.
                row.payload = {**row.payload, SENT_REF: message_ref}
                await uow.outbox.save_payload(row.id, row.payload)
            telegram_id = message_ref if isinstance(message_ref, int) else None
            if not await uow.outbox.mark_sent(row.id, telegram_id, self.clock.now()):
                # The person's data was erased while this went out: take it back at once.
                sent: list[MessageRef] = list(row.payload.get(SENT_PARTS) or [])
                if message_ref is not None and message_ref not in sent:
                    sent.append(message_ref)
                await OutboxNotifier(uow.outbox, self.clock).retract_messages(
                    row, sent, delete=True, placeholder=self.texts.get("privacy-erased-placeholder")
                )
            await uow.commit()

    async def _record_blocked(self, row: OutgoingMessage, reason: str) -> None:
        logger.info("outbox message %s: recipient blocked the bot (403)", row.id)
        async with self.uow_factory() as uow:
            await uow.outbox.mark_blocked(row.id, reason)
            await uow.people.set_active_at(
                Address(self.messenger, row.chat_id), False, self.clock.now()
            )
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
            await uow.outbox.hold_chat_after(row.chat_id, row.id, not_before, self.messenger)
            await uow.commit()


class _Stopped(Exception):
    """A graceful stop began before this row's next call: the row goes back unsent."""


class UnknownKind(Exception):
    """An outbox row of a kind no sender knows: failed for good, whatever the messenger."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.failure = Failure(FailureKind.REJECTED, f"bad request: unknown outbox kind {kind}")


def _parts(kind: str, payload: dict[str, Any], transport: Transport) -> list[str | None]:
    """What one outbox row sends, message by message. A text: its parts. Media or a file: the
    caption's first part with it (None: no caption), then the rest as messages; a video note
    carries no caption at all, so its caption follows it whole."""
    limit = transport.text_limit
    if kind == "text":
        return list(split_text(payload["text"], limit))
    caption = payload.get("caption") or None
    if caption is None:
        return [None]
    if payload.get("media_type") == "video_note":
        return [None, *split_text(caption, limit)]
    return list(split_text(caption, limit, first_limit=transport.caption_limit))
