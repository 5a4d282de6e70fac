"""Telegram handlers: one aiogram Router per feature. Parse, call one service, render.

A feature already written as a messenger-neutral dialog (dialogs/) gets its router from the
generic adapter (handlers/telegram.py)."""

from __future__ import annotations

from aiogram import Router

from dialogs import (
    apply,
    internships,
    link,
    office_access,
    office_selection,
    passport,
    plan,
    plan_assign,
    review,
    roadmap,
    slots,
    start,
    team,
)
from handlers import (
    errors,
    fallback,
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
        router_for(slots.DIALOG),
        router_for(slots.ADD_SLOT),
        team_chat.create_router(),
        router_for(team.DIALOG),
        router_for(passport.DIALOG),
        router_for(roadmap.DIALOG),
        router_for(review.DIALOG),
        router_for(office_selection.DIALOG),
        router_for(office_access.DIALOG),
        router_for(link.DIALOG),
        fallback.create_router(),
    ]
