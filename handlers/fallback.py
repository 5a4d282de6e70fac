"""The last router: what nobody else handled gets a short, honest answer."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from services.i18n import Translator

router = Router(name="fallback")


@router.message(F.chat.type == "private")
async def unknown_message(message: Message, t: Translator) -> None:
    await message.answer(t("fallback-unknown"))


@router.callback_query()
async def unknown_button(query: CallbackQuery, t: Translator) -> None:
    # A button no feature router accepted: forged data, or a role the presser lacks.
    await query.answer(t("error-not-allowed"), show_alert=True)
