"""Fitting text into a messenger's limits: split long text in order, never cut it silently.

Telegram refuses a message over 4096 characters and a caption over 1024; fluent.runtime refuses
to insert a value over 2500 characters (it renders «{???}»). User text can be longer than any of
these, so it is split at paragraph, then line, then word boundaries, and sent in order.
"""

from __future__ import annotations

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
# fluent.runtime's own cap on a placeable's value; user text longer than this never goes into one.
FLUENT_VALUE_LIMIT = 2500

_SEPARATORS = ("\n\n", "\n", " ")


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The text as consecutive parts of at most `limit` characters, joined back they give the
    text (up to the whitespace at the cuts). Cuts fall at the last paragraph break, else line
    break, else space before the limit; a single word longer than the limit is cut hard."""
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip("\n ")
        if head:
            parts.append(head)
    if rest or not parts:
        parts.append(rest)
    return parts


def _cut_point(text: str, limit: int) -> int:
    window = text[: limit + 1]
    for separator in _SEPARATORS:
        at = window.rfind(separator)
        # A cut in the first quarter would leave a tiny part and many messages: try a finer one.
        if at > limit // 4:
            return at
    return limit
