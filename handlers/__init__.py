"""Telegram handlers: one aiogram Router per feature. Parse, call one service, render."""

from __future__ import annotations

from aiogram import Router

from handlers import errors, fallback, internships, plan, slots, start


def feature_routers() -> list[Router]:
    """A fresh router per feature, in the order they are tried; the fallback comes last.

    Fresh on every call, because an aiogram router can belong to one dispatcher only.
    """
    return [
        errors.create_router(),
        start.create_router(),
        plan.create_router(),
        internships.create_router(),
        slots.create_router(),
        fallback.create_router(),
    ]
