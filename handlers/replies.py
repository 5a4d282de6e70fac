"""Sending and redrawing on Telegram whatever the length: the Telegram adapter
(handlers/telegram.py) draws every screen through `send` and `redraw`, so nothing fails for its
length: a text over Telegram's 4096 characters goes as several messages in order
(services/text_fit.split_text), the keyboard on the last one, where the buttons are expected.
"""

from __future__ import annotations

import contextlib

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from services.text_fit import MESSAGE_LIMIT, split_text

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


async def send(bot: Bot, chat_id: int, text: str, markup: Markup | None = None) -> Message:
    """Send `text` as one message, or in order as several when it is too long for one; the
    keyboard goes with the last. Returns the last message."""
    return await _send_parts(bot, chat_id, split_text(text, MESSAGE_LIMIT), markup)


async def _send_parts(bot: Bot, chat_id: int, parts: list[str], markup: Markup | None) -> Message:
    for part in parts[:-1]:
        await bot.send_message(chat_id, part)
    return await bot.send_message(chat_id, parts[-1], reply_markup=markup)


async def redraw(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message in place. Telegram refuses an edit to identical content
    ("message is not modified"), which is what a double tap produces: that is not an error.

    A message cannot be edited into several, so a text too long for one: the pressed message
    becomes its first part (without buttons) and the rest follows as new messages, the buttons
    on the last. The chat then reads the whole new text in order, and the only buttons are on
    its last part; what the pressed message said before was stale anyway."""
    if not isinstance(query.message, Message):
        return
    parts = split_text(text, MESSAGE_LIMIT)
    if len(parts) == 1:
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(text, reply_markup=markup)
        return
    assert query.bot is not None
    try:
        await query.message.edit_text(parts[0], reply_markup=None)
    except TelegramBadRequest as error:
        if "not modified" not in error.message:
            # The message cannot hold the first part (a media message, say): send it too.
            await query.bot.send_message(query.message.chat.id, parts[0])
    await _send_parts(query.bot, query.message.chat.id, parts[1:], markup)
