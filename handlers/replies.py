"""Rendering helpers every feature router shares: inline keyboards and answering a button."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    """Empty rows are dropped; no rows at all means no keyboard."""
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def send_below(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """A new message in the chat whose button was pressed; the old message stays as history."""
    assert query.message is not None and query.bot is not None
    await query.bot.send_message(query.message.chat.id, text, reply_markup=markup)


async def redraw(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message in place. Telegram refuses an edit to identical content
    ("message is not modified"), which is what a double tap produces: that is not an error."""
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(text, reply_markup=markup)
