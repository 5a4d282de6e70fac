"""Texts: Fluent files under services/locales/<lang>/, Russian first, loaded once."""

from __future__ import annotations

import functools
import logging
import re
import secrets
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.resolver import Pattern
from fluent.syntax.ast import Resource

from services.text_fit import FLUENT_VALUE_LIMIT

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "ru"
# Private-use characters: never in our texts, and a fresh nonce per call keeps user text from
# imitating a marker.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"


class TextError(RuntimeError):
    """A text could not be rendered: its key is missing or an argument is wrong or missing.

    A bug in the code or the .ftl files, never the user's: the action fails loudly (logged,
    the user gets the apology) instead of sending a broken message."""


@functools.lru_cache(maxsize=64)
def _parsed(source: str) -> Resource:
    """Parsing is most of the cost of building Texts (~90 ms); a resource is never changed
    after parsing, so every Texts built from the same file text shares one."""
    return FluentResource(source)


class Texts:
    """All the bot's texts. `t(key, **args)` in the default language; `for_language` for others.

    A region adds its national language by adding a folder of .ftl files; a key missing there
    falls back to Russian, so a partial translation is never a broken message.
    """

    def __init__(self, locales_dir: Path = LOCALES_DIR, default: str = DEFAULT_LANGUAGE) -> None:
        self.default = default
        self._bundles: dict[str, FluentBundle] = {}
        for folder in sorted(p for p in locales_dir.iterdir() if p.is_dir()):
            # Isolation marks (U+2068/U+2069) would show as junk in some Telegram clients.
            bundle = FluentBundle([folder.name], use_isolating=False)
            for file in sorted(folder.glob("*.ftl")):
                bundle.add_resource(_parsed(file.read_text(encoding="utf-8")))
            self._bundles[folder.name] = bundle
        if default not in self._bundles:
            raise RuntimeError(f"no texts for the default language {default!r} in {locales_dir}")

    @property
    def languages(self) -> list[str]:
        return sorted(self._bundles)

    def has(self, key: str) -> bool:
        return self._bundles[self.default].has_message(key)

    def get(self, key: str, language: str | None = None, **args: Any) -> str:
        """The text of `key` with `args` in it. Raises TextError rather than return a broken
        text (a missing key, a missing argument): that must never reach anyone."""
        for name in (language, self.default):
            bundle = self._bundles.get(name or "")
            message = bundle.get_message(key) if bundle and bundle.has_message(key) else None
            if bundle is not None and message is not None and message.value is not None:
                return _format(bundle, key, message.value, args)
        raise TextError(f"missing text {key}")

    def for_language(self, language: str | None) -> Translator:
        return Translator(self, language or self.default)


def _format(bundle: FluentBundle, key: str, pattern: Pattern, args: dict[str, Any]) -> str:
    """Format `pattern`; a string argument longer than fluent.runtime accepts in a placeable
    is formatted as a short marker and put in place afterwards, whole."""
    nonce = secrets.token_hex(4)
    long_values: list[str] = []
    fluent_args: dict[str, Any] = {}
    for name, value in args.items():
        if isinstance(value, str) and len(value) > FLUENT_VALUE_LIMIT:
            fluent_args[name] = f"{_MARK_OPEN}{nonce}:{len(long_values)}{_MARK_CLOSE}"
            long_values.append(value)
        else:
            fluent_args[name] = value
    text, errors = bundle.format_pattern(pattern, fluent_args)
    if errors:
        # The names of the errors, not the arguments: those may be what a person typed.
        raise TextError(f"text {key} formatted with errors: {[str(e) for e in errors]}")
    result = str(text)
    if long_values:
        marker = re.compile(re.escape(f"{_MARK_OPEN}{nonce}:") + r"(\d+)" + _MARK_CLOSE)
        # One pass: a value put in place is never searched for markers again.
        result = marker.sub(lambda found: long_values[int(found.group(1))], result)
    return result


class Translator:
    """Texts bound to one person's language: `t("key", name=...)`."""

    def __init__(self, texts: Texts, language: str) -> None:
        self.texts = texts
        self.language = language

    def __call__(self, key: str, **args: Any) -> str:
        return self.texts.get(key, self.language, **args)
