"""Packing a button's action for Telegram: an action of the codec (services/actions.py) by its
prefix and fields, or, for features not yet on the codec, by its handler's CallbackData prefix.
Services name button actions without knowing aiogram."""

from __future__ import annotations

from typing import Any

from handlers.callback_data import factories
from services.actions import actions, build, encode


def pack_action(action: str, args: dict[str, Any]) -> str:
    if action in actions():
        return encode(build(action, args))
    found = factories()
    if action not in found:
        raise LookupError(f"no CallbackData factory with prefix {action!r}")
    return found[action](**args).pack()
