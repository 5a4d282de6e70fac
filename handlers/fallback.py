"""The last router: what nobody else handled gets a short, honest answer."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, Update

from dialogs.apply import resume_lost_cursor
from handlers.filters import PRIVATE
from handlers.telegram import message_turn, to_input
from services.actions import RefusedPayload, decode
from services.container import Services
from services.i18n import Translator
from services.people import Identity

logger = logging.getLogger(__name__)


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
        and (given := to_input(message)).kind != "command"
        and await resume_lost_cursor(message_turn(message, me, services, state, t), given)
    ):
        return
    await message.answer(t("fallback-unknown"))


async def unknown_button(query: CallbackQuery, t: Translator, event_update: Update) -> None:
    """A press no feature router accepted. A payload the codec refuses (forged, malformed, or a
    button from an older layout) is refused as such, here and only here; a well-formed action
    means a role the presser lacks."""
    if query.data is not None:
        try:
            decode(query.data)
        except RefusedPayload as malformed:
            # Not an error of ours, so no traceback; the reason never quotes the data.
            logger.info(
                "update %s: refused a malformed button press (%s)",
                event_update.update_id,
                malformed.reason,
            )
            await query.answer(t("fallback-button-malformed"), show_alert=True)
            return
    await query.answer(t("error-not-allowed"), show_alert=True)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unknown_message, PRIVATE)
    router.callback_query.register(unknown_button)
    return router
