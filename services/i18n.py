"""Texts: Fluent files under services/locales/<lang>/, Russian first, loaded once."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "ru"


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
                bundle.add_resource(FluentResource(file.read_text(encoding="utf-8")))
            self._bundles[folder.name] = bundle
        if default not in self._bundles:
            raise RuntimeError(f"no texts for the default language {default!r} in {locales_dir}")

    @property
    def languages(self) -> list[str]:
        return sorted(self._bundles)

    def has(self, key: str) -> bool:
        return self._bundles[self.default].has_message(key)

    def get(self, key: str, language: str | None = None, **args: Any) -> str:
        for name in (language, self.default):
            bundle = self._bundles.get(name or "")
            message = bundle.get_message(key) if bundle and bundle.has_message(key) else None
            if bundle is not None and message is not None and message.value is not None:
                text, errors = bundle.format_pattern(message.value, args)
                if errors:
                    logger.warning("text %s formatted with errors: %s", key, errors)
                return str(text)
        logger.error("missing text %s", key)
        return key

    def for_language(self, language: str | None) -> Translator:
        return Translator(self, language or self.default)


class Translator:
    """Texts bound to one person's language: `t("key", name=...)`."""

    def __init__(self, texts: Texts, language: str) -> None:
        self.texts = texts
        self.language = language

    def __call__(self, key: str, **args: Any) -> str:
        return self.texts.get(key, self.language, **args)
