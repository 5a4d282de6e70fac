"""Texts: Russian by default, no isolation marks, fallback for missing keys and languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.i18n import TextError, Texts

PASSPORT = ("goal", "tasks", "results", "resources")


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


def test_a_value_longer_than_fluents_limit_is_inserted_whole() -> None:
    texts = Texts()
    announcement = "Встреча в пятницу. " * 185  # 3 515 characters: over fluent.runtime's 2 500
    rendered = texts.get("team-announcement", text=announcement)
    assert rendered == "Объявление наставника:\n\n" + announcement
    passport = {field: f"{field} " + "длинный ответ " * 142 for field in PASSPORT}
    rendered = texts.get("passport-submitted-notice", team="Альфа", **passport)
    assert "{???}" not in rendered
    positions = [rendered.index(value) for value in passport.values()]
    assert positions == sorted(positions)  # each whole, in the order of the text


def test_a_long_value_cannot_be_imitated_by_another_argument() -> None:
    texts = Texts()
    # What a marker looks like, typed by someone: it stays as typed.
    forged = "\ue000deadbeef:0\ue001"
    rendered = texts.get("roadmap-submitted-notice", team="А", title=forged, report="х" * 3000)
    assert forged in rendered and rendered.endswith("х" * 3000)


def test_a_text_that_cannot_be_rendered_raises_instead_of_reaching_anyone() -> None:
    texts = Texts()
    with pytest.raises(TextError, match="team-announcement"):
        texts.get("team-announcement")  # its argument is missing
    with pytest.raises(TextError, match="no-such-text"):
        texts.get("no-such-text")
