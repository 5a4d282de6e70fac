"""Messages named by their Fluent key, so a test says which message it expects instead of copying
its wording: an editor who rewords services/locales/ru/*.ftl breaks no test whose point is not
the wording.

`said(key, **args)` is the whole text, for exact checks; when the arguments are not known,
`opening(key)` (the literal text before the first placeable) serves `startswith` and
`fragment(key)` (the longest literal run) serves `in`."""

from __future__ import annotations

import functools
from typing import Any

from fluent.syntax import FluentParser
from fluent.syntax.ast import Message, TextElement

from services.i18n import DEFAULT_LANGUAGE, LOCALES_DIR, Texts

TEXTS = Texts()


def said(key: str, **args: Any) -> str:
    """The whole text of `key` with `args`, exactly as the bot renders it."""
    return TEXTS.get(key, **args)


@functools.cache
def _literal_runs(key: str) -> tuple[str, ...]:
    """The runs of literal text at the top level of `key`'s pattern, in order; a placeable
    (a variable, a selector, a reference) ends a run, since what it renders is not known."""
    message = _messages().get(key)
    if message is None or message.value is None:
        raise KeyError(f"no text {key}")
    runs: list[str] = []
    current = ""
    for element in message.value.elements:
        if isinstance(element, TextElement):
            current += element.value
        else:
            runs.append(current)
            current = ""
    runs.append(current)
    return tuple(runs)


def opening(key: str) -> str:
    """The literal start of `key`, up to its first placeable."""
    start = _literal_runs(key)[0]
    if not start.strip():
        raise ValueError(f"text {key} starts with a placeable: use said() or fragment()")
    return start


def fragment(key: str) -> str:
    """The longest literal run of `key`: a part that is in the text whatever the arguments."""
    longest = max(_literal_runs(key), key=lambda run: len(run.strip()))
    if not longest.strip():
        raise ValueError(f"text {key} has no literal part: use said()")
    return longest.strip()


@functools.cache
def _messages() -> dict[str, Message]:
    parser = FluentParser(with_spans=False)
    messages: dict[str, Message] = {}
    for file in sorted((LOCALES_DIR / DEFAULT_LANGUAGE).glob("*.ftl")):
        for entry in parser.parse(file.read_text(encoding="utf-8")).body:
            if isinstance(entry, Message):
                messages[entry.id.name] = entry
    return messages
