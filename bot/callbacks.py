"""Packing a button's action for Telegram: an action of the codec (services/actions.py) by its
prefix and fields, or, for features not yet on the codec, by its handler's CallbackData prefix.
Services name button actions without knowing aiogram."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from handlers.callback_data import factories
from services.actions import SEPARATOR, actions, build, encode

logger = logging.getLogger(__name__)


def pack_action(action: str, args: dict[str, Any]) -> str:
    if action in actions():
        try:
            return encode(build(action, args))
        except ValidationError:
            # Queued before its feature's actions changed layout: the message still goes, and
            # its button, marked with a version no layout has, is refused as stale if pressed.
            logger.info("a queued %s button from an older layout is sent as stale", action)
            return f"{action}{SEPARATOR}0"
    found = factories()
    if action not in found:
        raise LookupError(f"no CallbackData factory with prefix {action!r}")
    return found[action](**args).pack()
