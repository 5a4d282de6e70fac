"""The send limiter: global rate, per-chat interval, group window, 429 pause."""

from __future__ import annotations

from bot.ratelimit import SendLimiter


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_global_rate_spaces_different_chats() -> None:
    clock = FakeMonotonic()
    limiter = SendLimiter(per_second=30, chat_interval=1.0, monotonic=clock)
    slots = [limiter.reserve(chat) for chat in range(1, 61)]
    assert slots[0] == 100.0
    assert abs(slots[-1] - (100.0 + 59 / 30)) < 1e-9  # 60 messages take two seconds


def test_one_chat_gets_one_message_per_second() -> None:
    clock = FakeMonotonic()
    limiter = SendLimiter(per_second=30, chat_interval=1.0, monotonic=clock)
    assert [limiter.reserve(5) for _ in range(3)] == [100.0, 101.0, 102.0]


def test_group_gets_at_most_twenty_per_minute() -> None:
    clock = FakeMonotonic()
    limiter = SendLimiter(per_second=30, chat_interval=0.0, group_per_minute=20, monotonic=clock)
    slots = [limiter.reserve(-100) for _ in range(21)]
    assert slots[19] < 101.0  # the first twenty go at the global pace
    assert slots[20] >= 160.0  # the 21st waits for the minute window to open


def test_pause_moves_every_slot_past_the_window() -> None:
    clock = FakeMonotonic()
    limiter = SendLimiter(per_second=30, chat_interval=1.0, monotonic=clock)
    limiter.pause(5)
    assert limiter.is_paused()
    assert limiter.reserve(1) == 105.0
    clock.now = 105.0
    assert not limiter.is_paused()
