"""Telegram handlers: one aiogram Router per feature. Parse, call one service, render.

A feature already written as a messenger-neutral dialog (dialogs/) gets its router from the
generic adapter (handlers/telegram.py)."""

from __future__ import annotations

from aiogram import Router

from dialogs import team
from dialogs.registry import DIALOGS
from handlers import (
    errors,
    fallback,
    team_chat,
)
from handlers.telegram import router_for


def feature_routers() -> list[Router]:
    """A fresh router per feature, in the order they are tried (dialogs/registry.py, with the
    Telegram-only team chats before the team's dialog); the fallback comes last.

    Fresh on every call, because an aiogram router can belong to one dispatcher only.
    """
    dialogs = [router_for(dialog) for dialog in DIALOGS]
    team_at = DIALOGS.index(team.DIALOG)
    return [
        errors.create_router(),
        *dialogs[:team_at],
        team_chat.create_router(),
        *dialogs[team_at:],
        fallback.create_router(),
    ]
