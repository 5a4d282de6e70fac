"""aiogram's magic filters, checked on the event loop.

aiogram runs a filter that is not a coroutine (a bare `F.chat.type == "private"`) through
`asyncio.to_thread`: a thread hop per filter per update, which on a questionnaire step cost
more CPU than its SQL. A magic filter only reads attributes of the event, so it is resolved
here, in place, with the same result aiogram would take from it.
"""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters import Filter
from aiogram.types import TelegramObject
from magic_filter import MagicFilter


class Inline(Filter):
    """`Inline(F.chat.type == "private")`: the magic filter, resolved without a thread."""

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> Any:
        return self.magic.resolve(event)


PRIVATE = Inline(F.chat.type == "private")
