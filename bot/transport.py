"""What the outbox sender needs from a messenger: a `Transport` per messenger, and the outcomes
of a failed call in words the sender's loop decides on (bot/sender.py).

The loop (claim, order per chat, lease, record, retry) is the same for every messenger; only
the calls and the meaning of their errors differ, and they live behind this protocol.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from services.domain import Messenger

# A sent message's id: an integer on Telegram, a string ("mid.…") on MAX.
MessageRef = int | str
# Rows of buttons as services queue them (services/notify.py `Button`): text with a URL or a
# typed action (its prefix and fields), packed by the transport when the message is sent.
Buttons = list[list[dict[str, Any]]]


class FailureKind(enum.Enum):
    RATE_LIMITED = "rate_limited"  # pause every send, then try the same one again
    BLOCKED = "blocked"  # the recipient blocked the bot: never retried, the person inactive
    REJECTED = "rejected"  # the request itself is wrong: failed for good
    UNAUTHORIZED = "unauthorized"  # the token was refused: kept, retried much later
    UNAVAILABLE = "unavailable"  # server error or network: retried with backoff
    MOVED = "moved"  # a Telegram group became a supergroup: follow it to its new id


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    reason: str
    # How long the messenger asked to wait (None: it did not say; the loop decides).
    retry_after: float | None = None
    moved_to: int | None = None


class Transport(Protocol):
    """One messenger's calls. Each raises its client's own errors; `classify` tells the loop
    what one of them means (None: an error the loop does not expect, and lets through)."""

    messenger: Messenger
    # The longest text of one message, and of a caption sent with media or a file.
    text_limit: int
    caption_limit: int
    # The first pause after a 429 that came without a retry hint; it doubles while they repeat.
    rate_limit_pause: float

    def classify(self, error: Exception) -> Failure | None: ...

    async def send_text(self, chat_id: int, text: str, buttons: Buttons | None) -> MessageRef: ...

    async def send_media(
        self, chat_id: int, payload: dict[str, Any], caption: str | None
    ) -> MessageRef: ...

    async def send_file(
        self, chat_id: int, filename: str, content: bytes, caption: str | None
    ) -> MessageRef: ...

    async def retract(self, chat_id: int, payload: dict[str, Any]) -> bool:
        """Delete a message sent earlier (payload["delete"]) or only take its buttons away."""
        ...

    async def edit_text(
        self, chat_id: int, message_id: MessageRef, text: str, buttons: Buttons | None
    ) -> None:
        """Replace a text message sent earlier (a broadcast's progress); one not changed, or
        gone, is left as it is."""
        ...

    async def refresh_menu(self, chat_id: int, roles: Iterable[str]) -> None: ...

    async def create_invite_link(self, group_chat_id: int, name: str | None) -> str: ...

    async def remove_from_chat(self, chat_id: int, user_id: int) -> None: ...

    async def add_to_chat(self, chat_id: int, user_id: int) -> None:
        """The bot adds a user to a group it administers (MAX only)."""
        ...
