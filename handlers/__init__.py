"""Telegram handlers: one aiogram Router per feature. Parse, call one service, render.

A feature already written as a messenger-neutral dialog (dialogs/) gets its router from the
generic adapter (handlers/telegram.py)."""

from __future__ import annotations

from aiogram import Router

from dialogs import apply, office_access, passport, roadmap, slots
from handlers import (
    errors,
    fallback,
    internships,
    office_selection,
    plan,
    plan_assign,
    review,
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
        router_for(slots.DIALOG),
        router_for(slots.ADD_SLOT),
        team_chat.create_router(),
        team.create_router(),
        router_for(passport.DIALOG),
        router_for(roadmap.DIALOG),
        review.create_router(),
        office_selection.create_router(),
        router_for(office_access.DIALOG),
        fallback.create_router(),
    ]
