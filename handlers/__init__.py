"""Telegram handlers: one aiogram Router per feature. Parse, call one service, render.

A feature already written as a messenger-neutral dialog (dialogs/) gets its router from the
generic adapter (handlers/telegram.py)."""

from __future__ import annotations

from aiogram import Router

from dialogs import (
    apply,
    internships,
    link,
    office_selection,
    plan,
    plan_assign,
    review,
    start,
    team,
)
from handlers import (
    errors,
    fallback,
    office_access,
    passport,
    roadmap,
    slots,
    team_chat,
)
from handlers.telegram import router_for


def feature_routers() -> list[Router]:
    """A fresh router per feature, in the order they are tried; the fallback comes last.

    Fresh on every call, because an aiogram router can belong to one dispatcher only.
    """
    return [
        errors.create_router(),
        router_for(start.DIALOG),
        router_for(apply.DIALOG),
        router_for(plan.DIALOG),
        router_for(plan.SNOOZE),
        router_for(plan_assign.DIALOG),
        router_for(internships.DIALOG),
        router_for(internships.BOOKINGS),
        slots.create_router(),
        team_chat.create_router(),
        router_for(team.DIALOG),
        passport.create_router(),
        roadmap.create_router(),
        router_for(review.DIALOG),
        router_for(office_selection.DIALOG),
        router_for(link.DIALOG),
        office_access.create_router(),
        fallback.create_router(),
    ]
