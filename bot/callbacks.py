"""Packing a queued message's button for Telegram: services store a button's typed action by its
prefix and fields (services/notify.py `Button.doing`); the one codec (services/actions.py)
encodes it when the message is sent."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from services.actions import SEPARATOR, build, encode

logger = logging.getLogger(__name__)


def pack_action(action: str, args: dict[str, Any]) -> str:
    try:
        return encode(build(action, args))
    except ValidationError:
        # Queued before its feature's actions changed layout: the message still goes, and its
        # button, marked with a version no layout has, is refused as stale if pressed.
        logger.info("a queued %s button from an older layout is sent as stale", action)
        return f"{action}{SEPARATOR}0"
