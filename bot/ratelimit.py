"""Telegram's sending limits as slot reservations: ~30 messages/s overall, 1/s per chat,
20/min per group. A 429 pauses everything until its retry_after has passed."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable


class SendLimiter:
    def __init__(
        self,
        per_second: float = 30.0,
        chat_interval: float = 1.0,
        group_per_minute: int = 20,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_interval = 1.0 / per_second
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        self.monotonic = monotonic
        self._next_global = 0.0
        self._next_chat: dict[int, float] = {}
        self._group_slots: dict[int, deque[float]] = {}
        self.paused_until = 0.0

    def reserve(self, chat_id: int) -> float:
        """Book the earliest moment this chat may receive a message; the caller waits for it."""
        now = self.monotonic()
        slot = max(now, self._next_global, self._next_chat.get(chat_id, 0.0), self.paused_until)
        if chat_id < 0:  # groups and channels have negative ids
            window = self._group_slots.setdefault(chat_id, deque())
            while window and window[0] <= slot - 60.0:
                window.popleft()
            if len(window) >= self.group_per_minute:
                slot = max(slot, window[0] + 60.0)
                window.popleft()
            window.append(slot)
        self._next_global = slot + self.global_interval
        self._next_chat[chat_id] = slot + self.chat_interval
        if len(self._next_chat) > 50_000:  # forget chats whose interval has long passed
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        return slot

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.monotonic() + seconds)

    def is_paused(self) -> bool:
        return self.monotonic() < self.paused_until

    async def wait_turn(self, chat_id: int) -> None:
        """Sleep until this chat's slot; if a 429 pause began meanwhile, book again after it."""
        while True:
            slot = self.reserve(chat_id)
            delay = slot - self.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if not self.is_paused():
                return
