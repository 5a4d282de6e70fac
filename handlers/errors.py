"""The one error handler: domain errors become the user's answer; anything else is logged
(with the update id, never personal data) and the user gets a short apology. A stalled or
unreachable database or Redis is an outage, not a bug: one warning line, no traceback."""

from __future__ import annotations

import logging
import traceback

from aiogram import Router
from aiogram.types import ErrorEvent

from services.errors import DomainError
from services.i18n import TextError, Texts, Translator
from storage.health import unavailable_dependency

logger = logging.getLogger(__name__)


async def on_error(event: ErrorEvent, texts: Texts, t: Translator | None = None) -> None:
    translate = t or texts.for_language(None)
    error = event.exception
    text = None
    if isinstance(error, DomainError):
        try:
            text = translate(error.key, **error.args_for_text)
        except TextError as broken:  # a bug in its text: logged below like any other bug
            error = broken
    elif (dependency := unavailable_dependency(error)) is not None:
        logger.warning(
            "update %s failed: %s unavailable (%s)",
            event.update.update_id,
            dependency,
            type(error).__name__,
        )
        text = translate("error-unexpected")
    if text is None:
        # Only the update id, the error's type and where it happened: an exception's message
        # may quote what the user typed.
        logger.error(
            "update %s failed: %s\n%s",
            event.update.update_id,
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        text = translate("error-unexpected")
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
