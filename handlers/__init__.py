"""Telegram handlers: one aiogram Router per feature. Parse, call one service, render."""

from __future__ import annotations

from aiogram import Router

from handlers import errors, fallback, start


def feature_routers() -> list[Router]:
    """Every feature router in the order they are tried; the fallback comes last."""
    return [errors.router, start.router, fallback.router]
