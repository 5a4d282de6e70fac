"""Finding a handler's CallbackData factory by its prefix, so services can name button actions
without knowing aiogram."""

from __future__ import annotations

import functools
from typing import Any

from aiogram.filters.callback_data import CallbackData


@functools.cache
def _all_factories() -> dict[str, type[CallbackData]]:
    """Collected once, on the first outgoing button: every router is imported by then."""
    found: dict[str, type[CallbackData]] = {}
    pending: list[type[CallbackData]] = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        found[cls.__prefix__] = cls
        pending.extend(cls.__subclasses__())
    return found


def pack_action(action: str, args: dict[str, Any]) -> str:
    factories = _all_factories()
    if action not in factories:
        raise LookupError(f"no CallbackData factory with prefix {action!r}")
    return factories[action](**args).pack()
