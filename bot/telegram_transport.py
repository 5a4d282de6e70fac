"""The outbox sender's Telegram side: Bot API calls through aiogram, and what their errors mean."""

from __future__ import annotations

from collections.abc import Iterable
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
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import pack_action
from bot.menu import set_menu
from bot.transport import Buttons, Failure, FailureKind, MessageRef
from services.domain import Messenger
from services.i18n import Texts
from services.text_fit import CAPTION_LIMIT, MESSAGE_LIMIT


class TelegramTransport:
    messenger = Messenger.TELEGRAM
    text_limit = MESSAGE_LIMIT
    caption_limit = CAPTION_LIMIT
    # Telegram always says how long to wait (retry_after); this is only a fallback.
    rate_limit_pause = 1.0

    def __init__(self, bot: Bot, texts: Texts) -> None:
        self.bot = bot
        self.texts = texts

    def classify(self, error: Exception) -> Failure | None:
        if isinstance(error, TelegramRetryAfter):
            return Failure(FailureKind.RATE_LIMITED, "429", retry_after=error.retry_after)
        if isinstance(error, TelegramMigrateToChat):
            return Failure(FailureKind.MOVED, "migrated", moved_to=error.migrate_to_chat_id)
        if isinstance(error, TelegramForbiddenError):
            return Failure(FailureKind.BLOCKED, error.message)
        if isinstance(error, TelegramUnauthorizedError):
            return Failure(FailureKind.UNAUTHORIZED, "unauthorized")
        if isinstance(error, TelegramBadRequest):
            return Failure(FailureKind.REJECTED, f"bad request: {error.message}")
        if isinstance(error, TelegramServerError | TelegramNetworkError | TimeoutError | OSError):
            return Failure(FailureKind.UNAVAILABLE, type(error).__name__)
        return None

    async def send_text(self, chat_id: int, text: str, buttons: Buttons | None) -> MessageRef:
        sent = await self.bot.send_message(chat_id, text, reply_markup=_markup(buttons))
        return sent.message_id

    async def send_media(
        self, chat_id: int, payload: dict[str, Any], caption: str | None
    ) -> MessageRef:
        return (await _send_media(self.bot, chat_id, payload, caption)).message_id

    async def send_file(
        self, chat_id: int, filename: str, content: bytes, caption: str | None
    ) -> MessageRef:
        document = BufferedInputFile(content, filename)
        return (await self.bot.send_document(chat_id, document, caption=caption)).message_id

    async def retract(self, chat_id: int, payload: dict[str, Any]) -> bool:
        """Telegram lets a bot delete its messages for 48 hours; after that the text (or
        caption) is replaced."""
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

    async def edit_text(
        self, chat_id: int, message_id: MessageRef, text: str, buttons: Buttons | None
    ) -> None:
        try:
            await self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=int(message_id), reply_markup=_markup(buttons)
            )
        except TelegramBadRequest as error:
            if "not modified" not in error.message and "not found" not in error.message:
                raise

    async def refresh_menu(self, chat_id: int, roles: Iterable[str]) -> None:
        await set_menu(self.bot, self.texts, chat_id, roles)

    async def create_invite_link(self, group_chat_id: int, name: str | None) -> str:
        """Join requests on, so the bot decides who gets in."""
        link = await self.bot.create_chat_invite_link(
            group_chat_id, name=name, creates_join_request=True
        )
        return link.invite_link

    async def remove_from_chat(self, chat_id: int, user_id: int) -> None:
        """A ban lifted at once: out of the group, free to be invited again."""
        await self.bot.ban_chat_member(chat_id, user_id)
        await self.bot.unban_chat_member(chat_id, user_id, only_if_banned=True)

    async def add_to_chat(self, chat_id: int, user_id: int) -> None:
        """A Telegram bot cannot add users (they join by invite link): never called."""
        raise NotImplementedError("a Telegram bot cannot add users to a group")


def _markup(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
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
