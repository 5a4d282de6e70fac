"""Fitting user text into a messenger's limits, and measuring what of it is visible.

Telegram refuses a message over 4096 characters and a caption over 1024; fluent.runtime refuses
to insert a value over 2500 characters (it renders «{???}»). User text can be longer than any of
these, so it is split at paragraph, then line, then word boundaries, and sent in order.

An answer can also look long and be empty: zero-width spaces, joiners, direction marks and
other format characters (Unicode category Cf) are invisible, so length rules count only what a
reader sees.
"""

from __future__ import annotations

import unicodedata

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
# fluent.runtime's own cap on a placeable's value; user text longer than this never goes into one.
FLUENT_VALUE_LIMIT = 2500

_SEPARATORS = ("\n\n", "\n", " ")
# Letters and symbols that render as nothing, outside category Cf: Hangul fillers, the blank
# Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def split_text(
    text: str, limit: int = MESSAGE_LIMIT, *, first_limit: int | None = None
) -> list[str]:
    """The text as consecutive parts of at most `limit` characters (the first part at most
    `first_limit`, for a caption followed by messages); joined back they give the text (up to
    the whitespace at the cuts). Cuts fall at the last paragraph break, else line break, else
    space before the limit; a single word longer than the limit is cut hard."""
    if limit < 1 or (first_limit is not None and first_limit < 1):
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text
    while len(rest) > (current := limit if parts or first_limit is None else first_limit):
        cut = _cut_point(rest, current)
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


def is_invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf" or char in _BLANK_LETTERS


def trim(text: str) -> str:
    """The text without invisible characters at either end (what `str.strip` misses: U+200B,
    U+FEFF, U+2060…). Inside the text they stay: a joiner inside an emoji is part of it."""
    start, end = 0, len(text)
    while start < end and is_invisible(text[start]):
        start += 1
    while end > start and is_invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def visible_length(text: str) -> int:
    """How long the text is to a reader: format characters do not count, and a run of
    whitespace counts as one space (padding is not content). Zero means the text is empty."""
    length, gap = 0, False
    for char in trim(text):
        if char.isspace():
            gap = True
        elif unicodedata.category(char) != "Cf" and char not in _BLANK_LETTERS:
            length += 1 + gap
            gap = False
    return length
