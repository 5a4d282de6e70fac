"""The last router: what nobody else handled gets a short, honest answer."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from handlers.apply import resume_lost_cursor, to_input
from services.container import Services
from services.i18n import Translator
from services.people import Identity


async def unknown_message(
    message: Message,
    state: FSMContext,
    t: Translator,
    services: Services,
    me: Identity | None = None,
) -> None:
    # No cursor and not a command: the FSM may have lost the questionnaire's cursor (a restart,
    # Redis losing its keys) while the database still holds an open draft.
    if (
        me is not None
        and await state.get_state() is None
        and to_input(message).kind != "command"
        and await resume_lost_cursor(message, me, services, state, t)
    ):
        return
    await message.answer(t("fallback-unknown"))


async def unknown_button(query: CallbackQuery, t: Translator) -> None:
    # A button no feature router accepted: forged data, or a role the presser lacks.
    await query.answer(t("error-not-allowed"), show_alert=True)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unknown_message, F.chat.type == "private")
    router.callback_query.register(unknown_button)
    return router
