"""Filters shared by feature routers."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from services.domain import Role
from services.people import Identity


class HasRole(Filter):
    """Passes when the person holds any of the roles (in any season)."""

    def __init__(self, *roles: Role) -> None:
        self.roles = roles

    async def __call__(self, event: TelegramObject, **data: Any) -> bool:
        me: Identity | None = data.get("me")
        return me is not None and me.has(*self.roles)
