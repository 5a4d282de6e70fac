"""Rendering helpers every feature router shares: inline keyboards, answering a message or a
button, redrawing a pressed message.

A handler sends anything that can be long (a rendered view, user or season text) through
`answer`, `send_below` or `redraw`, so it never fails for its length: a text over Telegram's
4096 characters goes as several messages in order (services/text_fit.split_text), the keyboard
on the last one, where the buttons are expected.
"""

from __future__ import annotations

import contextlib

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from services.actions import Action, encode
from services.text_fit import MESSAGE_LIMIT, split_text

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


def button(text: str, action: Action) -> InlineKeyboardButton:
    """A button carrying a typed action, encoded by the one codec."""
    return InlineKeyboardButton(text=text, callback_data=encode(action))


def keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    """Empty rows are dropped; no rows at all means no keyboard."""
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def send(bot: Bot, chat_id: int, text: str, markup: Markup | None = None) -> Message:
    """Send `text` as one message, or in order as several when it is too long for one; the
    keyboard goes with the last. Returns the last message."""
    return await _send_parts(bot, chat_id, split_text(text, MESSAGE_LIMIT), markup)


async def _send_parts(bot: Bot, chat_id: int, parts: list[str], markup: Markup | None) -> Message:
    for part in parts[:-1]:
        await bot.send_message(chat_id, part)
    return await bot.send_message(chat_id, parts[-1], reply_markup=markup)


async def answer(message: Message, text: str, markup: Markup | None = None) -> Message:
    """Reply in the chat of `message` (see `send`)."""
    assert message.bot is not None
    return await send(message.bot, message.chat.id, text, markup)


async def send_below(query: CallbackQuery, text: str, markup: Markup | None) -> None:
    """A new message in the chat whose button was pressed; the old message stays as history."""
    assert query.message is not None and query.bot is not None
    await send(query.bot, query.message.chat.id, text, markup)


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
    try:
        await query.message.edit_text(parts[0], reply_markup=None)
    except TelegramBadRequest as error:
        if "not modified" not in error.message:
            # The message cannot hold the first part (a media message, say): send it too.
            await send_below(query, parts[0], None)
    assert query.bot is not None
    await _send_parts(query.bot, query.message.chat.id, parts[1:], markup)
