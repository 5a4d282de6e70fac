"""Packing a button's action by its handler's CallbackData prefix, so services can name button
actions without knowing aiogram."""

from __future__ import annotations

from typing import Any

from handlers.callback_data import factories


def pack_action(action: str, args: dict[str, Any]) -> str:
    found = factories()
    if action not in found:
        raise LookupError(f"no CallbackData factory with prefix {action!r}")
    return found[action](**args).pack()
