"""Shared by the long-text tests: a long value whose cuts and order show, and a check that a
value arrived whole across the parts it was sent in."""

from __future__ import annotations


def long_text(tag: str, length: int) -> str:
    """`length` characters of numbered words in paragraphs: any cut shows, and so does order."""
    words, size, n = [], 0, 0
    while size < length:
        word = f"{tag}{n:05d}"
        separator = "\n\n" if n % 40 == 39 else " "
        words.append(word + separator)
        size += len(word) + len(separator)
        n += 1
    text = "".join(words)[: length - 1]
    stripped = text.rstrip()
    # Exactly `length` characters, and no space at the end.
    return stripped + "x" * (len(text) - len(stripped)) + "."


def whole(parts: list[str], value: str) -> bool:
    """The value is in the parts, in order, whole: whitespace at the cuts does not matter."""
    return " ".join(value.split()) in " ".join(" ".join(parts).split())
