"""Texts: Russian by default, no isolation marks, fallback for missing keys and languages."""

from __future__ import annotations

from pathlib import Path

from services.i18n import Texts


def test_russian_texts_render_arguments_without_isolation_marks() -> None:
    texts = Texts()
    rendered = texts.get("invite-granted", role="наставник")
    assert "«наставник»" in rendered
    assert "\u2068" not in rendered and "\u2069" not in rendered


def test_other_language_falls_back_to_russian_per_key(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "a.ftl").write_text("hello = Привет\nbye = Пока\n", encoding="utf-8")
    (tmp_path / "tt").mkdir()
    (tmp_path / "tt" / "a.ftl").write_text("hello = Сәлам\n", encoding="utf-8")
    texts = Texts(tmp_path)
    assert texts.languages == ["ru", "tt"]
    assert texts.get("hello", "tt") == "Сәлам"
    assert texts.get("bye", "tt") == "Пока"
    assert texts.for_language("xx")("hello") == "Привет"


def test_every_error_key_used_by_domain_errors_exists() -> None:
    from services import access, errors, invitations

    texts = Texts()
    keys = {
        cls.key
        for module in (access, errors, invitations)
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, errors.DomainError)
    }
    assert keys and all(texts.has(key) for key in keys), keys
