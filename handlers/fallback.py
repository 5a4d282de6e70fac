"""The last router: what nobody else handled gets a short, honest answer."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from services.i18n import Translator


async def unknown_message(message: Message, t: Translator) -> None:
    await message.answer(t("fallback-unknown"))


async def unknown_button(query: CallbackQuery, t: Translator) -> None:
    # A button no feature router accepted: forged data, or a role the presser lacks.
    await query.answer(t("error-not-allowed"), show_alert=True)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unknown_message, F.chat.type == "private")
    router.callback_query.register(unknown_button)
    return router
