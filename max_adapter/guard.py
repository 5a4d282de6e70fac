"""What a MAX update passes before the dialogs: Telegram's outer middlewares (bot/middlewares.py)
in the same order over the same shared guards (services/guards.py).

1. The token bucket of the MAX user: a flood is dropped before any database work, the user
   told once in a while ("throttled").
2. A slot of the database gate, shared with Telegram's updates in one process (one pool).
3. Once only: MAX's updates carry no update_id, so each gets a stable key of its own —
   a new message its `mid`, a press its `callback_id`; any other update (bot_started…) its
   type, chat, user and timestamp in milliseconds, which MAX sends unchanged when it delivers
   the same update again. The key is claimed in the update's unit of work
   (max_adapter/dispatch.py `_turn`, services/guards.py `UpdateDedupe`), so it is recorded
   with the update's effect in one commit: a redelivery (a crash mid-batch before the polling
   marker moved on, a webhook retry) after that commit has its own commit rolled back and shows
   the person's screen again; one before it is handled as new.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass

from maxapi.types import BotStarted, MessageCallback, MessageCreated

from max_adapter.chat import MaxChat
from services.guards import TokenBucket, UpdateDedupe, UpdateSlots
from services.i18n import Texts

logger = logging.getLogger(__name__)

GuardedUpdate = MessageCreated | MessageCallback | BotStarted

# The key of the update being admitted, for its unit of work to claim (dispatch.py `_turn`).
ADMITTED_KEY: ContextVar[str | None] = ContextVar("max_admitted_key", default=None)


def update_key(event: GuardedUpdate) -> str:
    """The key a redelivered update shares with its first delivery."""
    if isinstance(event, MessageCreated) and event.message.body is not None:
        return f"mid:{event.message.body.mid}"
    if isinstance(event, MessageCallback):
        return f"cb:{event.callback.callback_id}"
    chat_id, user_id = event.get_ids()
    return f"{event.update_type}:{chat_id}:{user_id}:{event.timestamp}"


@dataclass
class MaxGuards:
    """The shared guards, as the MAX adapter applies them."""

    bucket: TokenBucket
    slots: UpdateSlots
    dedupe: UpdateDedupe
    texts: Texts

    async def admit(
        self,
        event: GuardedUpdate,
        user_id: int,
        chat: MaxChat,
        run: Callable[[], Awaitable[None]],
    ) -> None:
        """Run the update's work unless it is a flood; its key is there for the claim."""
        if not self.bucket.allow(user_id):
            if self.bucket.should_warn(user_id):
                await chat.notice(self.texts.get("throttled"))
            return
        async with self.slots.slot():
            admitted = ADMITTED_KEY.set(update_key(event))
            try:
                await run()
            finally:
                ADMITTED_KEY.reset(admitted)
