"""The outbox sender's MAX side: MAX Bot API calls through maxapi's Bot, and what their errors
mean. The loop itself is bot/sender.py, the same one that sends to Telegram:

    Sender(MaxTransport(max_bot), uow_factory, clock, texts, max_limiter())

MAX's limits used here: a message's text is at most 4000 characters (dev.max.ru, POST
/messages; maxapi 1.2.3 refuses 4000 itself, send_message.py:72, so 3999), and 30 requests
per second to platform-api.max.ru (MAX's FAQ); no per-chat limit is published. A 429 comes
as ``too.many.requests`` without a retry hint.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aiohttp import ClientError
from maxapi import Bot
from maxapi.enums.attachment import AttachmentType
from maxapi.enums.upload_type import UploadType
from maxapi.exceptions.max import InvalidToken, MaxApiError, MaxConnection, MaxUploadFileFailed
from maxapi.types import CallbackButton, InputMedia, InputMediaBuffer, LinkButton
from maxapi.types.attachments.attachment import Attachment, ButtonsPayload
from maxapi.types.attachments.buttons.attachment_button import AttachmentButton
from maxapi.types.attachments.upload import AttachmentPayload, AttachmentUpload

from bot.callbacks import pack_action
from bot.ratelimit import SendLimiter
from bot.transport import Buttons, Failure, FailureKind, MessageRef
from services.domain import Messenger

MAX_TEXT_LIMIT = 3999
MAX_REQUESTS_PER_SECOND = 30.0
# After a 429 without a hint: MAX counts requests per second, so one second clears the window
# we overran; the loop doubles it while 429s keep coming (another process on the same token).
RATE_LIMIT_PAUSE = 1.0
# A media row on MAX carries a MAX attachment token in file_id; its kind by the row's type.
UPLOAD_TYPES = {
    "photo": UploadType.IMAGE,
    "video": UploadType.VIDEO,
    "audio": UploadType.AUDIO,
    "voice": UploadType.AUDIO,
}
# What maxapi's Bot.send_message takes as attachments.
Attachments = list[Attachment | InputMedia | InputMediaBuffer | AttachmentUpload]
# What MAX answers when a user blocked the bot (or stopped it): their dialog is closed to it.
BLOCKED_CODES = frozenset({"chat.denied", "error.dialog.suspended", "dialog.suspended"})


def max_limiter() -> SendLimiter:
    """MAX's one published limit, for the whole bot: no interval per chat, none per group
    beyond it."""
    return SendLimiter(
        MAX_REQUESTS_PER_SECOND,
        chat_interval=0.0,
        group_per_minute=int(MAX_REQUESTS_PER_SECOND * 60),
    )


class NotOnMax(Exception):
    """What the MAX Bot API cannot do (a personal invite link with join requests)."""


class MaxTransport:
    messenger = Messenger.MAX
    text_limit = MAX_TEXT_LIMIT
    caption_limit = MAX_TEXT_LIMIT  # a file's text is the message's text: no shorter limit

    def __init__(self, bot: Bot, rate_limit_pause: float = RATE_LIMIT_PAUSE) -> None:
        self.bot = bot
        self.rate_limit_pause = rate_limit_pause

    def classify(self, error: Exception) -> Failure | None:
        if isinstance(error, InvalidToken):
            return Failure(FailureKind.UNAUTHORIZED, "unauthorized")
        if isinstance(error, MaxApiError):
            return _classify_api_error(error)
        if isinstance(error, NotOnMax):
            return Failure(FailureKind.REJECTED, f"not on MAX: {error}")
        if isinstance(error, MaxConnection | MaxUploadFileFailed | ClientError | OSError):
            return Failure(FailureKind.UNAVAILABLE, type(error).__name__)
        return None  # TimeoutError is an OSError, so it is above

    async def send_text(self, chat_id: int, text: str, buttons: Buttons | None) -> MessageRef:
        keyboard = _keyboard(buttons)
        attachments: Attachments | None = [keyboard] if keyboard else None
        sent = await self.bot.send_message(chat_id=chat_id, text=text, attachments=attachments)
        return _mid(sent)

    async def send_media(
        self, chat_id: int, payload: dict[str, Any], caption: str | None
    ) -> MessageRef:
        """Media received on MAX is sent again by its token; no upload, no wait."""
        kind = UPLOAD_TYPES.get(payload["media_type"], UploadType.FILE)
        token = AttachmentPayload(token=payload["file_id"])
        attachments: Attachments = [AttachmentUpload(type=kind, payload=token)]
        sent = await self.bot.send_message(chat_id=chat_id, text=caption, attachments=attachments)
        return _mid(sent)

    async def send_file(
        self, chat_id: int, filename: str, content: bytes, caption: str | None
    ) -> MessageRef:
        """Uploaded from a file of that very name: from a buffer maxapi would append the
        extension it sniffs (meeting.ics becomes meeting.ics.ics), from a path it keeps the
        name. Its 2-second sleep before the send is skipped: a file not processed yet is
        answered attachment.not.ready, which maxapi retries by itself."""
        name = Path(filename).name or "file"
        with tempfile.TemporaryDirectory(prefix="max-upload-") as folder:
            path = Path(folder) / name
            await asyncio.to_thread(path.write_bytes, content)
            attachments: Attachments = [InputMedia(str(path), type=UploadType.FILE)]
            sent = await self.bot.send_message(
                chat_id=chat_id,
                text=caption,
                attachments=attachments,
                sleep_after_input_media=False,
            )
        return _mid(sent)

    async def retract(self, chat_id: int, payload: dict[str, Any]) -> bool:
        """Delete the message, or take its keyboard away. maxapi's edit always sends no
        attachments, so taking the buttons off a file would take the file too: it keeps them
        (a stale button is refused when pressed). A message that cannot be deleted any more
        has its text replaced."""
        message_id = str(payload["message_id"])
        if not payload["delete"]:
            if payload.get("caption"):
                return False
            return await _unless_gone(self.bot.edit_message(message_id))
        if await _unless_gone(self.bot.delete_message(message_id)):
            return True
        placeholder = payload.get("placeholder") or "—"
        return await _unless_gone(self.bot.edit_message(message_id, text=placeholder))

    async def edit_text(
        self, chat_id: int, message_id: MessageRef, text: str, buttons: Buttons | None
    ) -> None:
        keyboard = _keyboard(buttons)
        attachments: Attachments = [keyboard] if keyboard else []
        await _unless_gone(
            self.bot.edit_message(str(message_id), text=text, attachments=attachments)
        )

    async def refresh_menu(self, chat_id: int, roles: Iterable[str]) -> None:
        """MAX has one command list for the whole bot (PATCH /me), set at start: nothing per
        person to refresh."""

    async def create_invite_link(self, group_chat_id: int, name: str | None) -> str:
        raise NotOnMax("personal invite links with join requests")

    async def remove_from_chat(self, chat_id: int, user_id: int) -> None:
        await self.bot.kick_chat_member(chat_id, user_id, block=False)

    async def add_to_chat(self, chat_id: int, user_id: int) -> None:
        """MAX answers 200 with success false when it could not add the user (they forbid
        being added, say): refused for good, as a bad request is."""
        added = await self.bot.add_chat_members(chat_id=chat_id, user_ids=[user_id])
        if not added.success:
            raise NotOnMax(f"user not added to the group: {added.message}")


def _classify_api_error(error: MaxApiError) -> Failure:
    raw = error.raw if isinstance(error.raw, dict) else {}
    code, message = str(raw.get("code") or ""), str(raw.get("message") or error.raw)
    if error.code == 429:
        return Failure(FailureKind.RATE_LIMITED, "429")  # MAX gives no retry hint
    if error.code == 403 and (code in BLOCKED_CODES or "dialog.suspended" in message):
        return Failure(FailureKind.BLOCKED, f"{code}: {message}")
    if error.code >= 500:
        return Failure(FailureKind.UNAVAILABLE, f"MAX {error.code}")
    return Failure(FailureKind.REJECTED, f"bad request: {error.code} {code} {message}")


async def _unless_gone(call: Any) -> bool:
    """The call's success; False when MAX says the message is not there (or not editable)."""
    try:
        await call
    except MaxApiError as error:
        if error.code in (400, 404):
            return False
        raise
    return True


def _mid(sent: Any) -> str:
    """The id of the message MAX created (send_message answers {"message": Message})."""
    mid = sent.message.body.mid if sent is not None and sent.message.body else None
    if not isinstance(mid, str):
        raise MaxConnection(f"MAX answered a send without the message's id: {sent!r}")
    return mid


def _keyboard(buttons: Buttons | None) -> AttachmentButton | None:
    """An inline keyboard; an action button's payload is the codec's, as on Telegram."""
    if not buttons:
        return None
    rows: list[list[Any]] = [
        [
            LinkButton(text=b["text"], url=b["url"])
            if b.get("url")
            else CallbackButton(
                text=b["text"], payload=pack_action(b["action"], b.get("args") or {})
            )
            for b in row
        ]
        for row in buttons
    ]
    # `bot` is bound by maxapi when it sends (as its own InlineKeyboardBuilder does).
    return AttachmentButton(  # type: ignore[call-arg]
        type=AttachmentType.INLINE_KEYBOARD, payload=ButtonsPayload(buttons=rows)
    )
