"""Telegram handlers: one aiogram Router per feature. Parse, call one service, render.

A feature already written as a messenger-neutral dialog (dialogs/) gets its router from the
generic adapter (handlers/telegram.py)."""

from __future__ import annotations

from aiogram import Router

from dialogs import apply, office_selection, review
from handlers import (
    errors,
    fallback,
    internships,
    office_access,
    plan,
    plan_assign,
    roadmap,
    slots,
    start,
    team,
    team_chat,
)
from handlers.telegram import router_for


def feature_routers() -> list[Router]:
    """A fresh router per feature, in the order they are tried; the fallback comes last.

    Fresh on every call, because an aiogram router can belong to one dispatcher only.
    """
    return [
        errors.create_router(),
        start.create_router(),
        router_for(apply.DIALOG),
        plan.create_router(),
        plan_assign.create_router(),
        internships.create_router(),
        slots.create_router(),
        team_chat.create_router(),
        team.create_router(),
        roadmap.create_router(),
        router_for(review.DIALOG),
        router_for(office_selection.DIALOG),
        office_access.create_router(),
        fallback.create_router(),
    ]
