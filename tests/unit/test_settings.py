"""Settings: parsing and the refusals an operator sees."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def test_defaults_need_only_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("OFFICE_ADMIN_IDS", "5, 7;9")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.bot_id == 123
    assert settings.database_url.startswith("sqlite")
    assert settings.redis_url is None
    assert settings.office_admin_ids == {5, 7, 9}
    assert "abc" not in repr(settings)  # the token is a secret


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("BOT_TOKEN", "not-a-token", "does not look like a bot token"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "unknown IANA time zone"),
        ("WEBHOOK_SECRET", "has spaces", "WEBHOOK_SECRET must be"),
        ("MAX_WEBHOOK_SECRET", "abcd", "MAX_WEBHOOK_SECRET must be"),  # MAX wants 5 or more
        ("MAX_WEBHOOK_URL", "bot.example.org", "MAX_WEBHOOK_URL must be an http"),
        ("MAX_WEBHOOK_PATH", "/telegram/webhook", "MAX_WEBHOOK_PATH must differ"),
    ],
)
def test_bad_values_are_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_env_example_lists_every_setting() -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / ".env.example"
    listed = {
        line.split("=", 1)[0]
        for line in example.read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert listed == {name.upper() for name in Settings.model_fields}


def test_max_alone_or_both_or_neither(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("MAX_BOT_TOKEN", "max-secret")
    alone = Settings(_env_file=None)  # type: ignore[call-arg]
    assert alone.bot_token is None and alone.max_api_base == "https://platform-api.max.ru"
    assert "max-secret" not in repr(alone)

    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    both = Settings(_env_file=None)  # type: ignore[call-arg]
    assert both.bot_id == 123 and both.max_bot_token is not None

    # `.env.example` copied as is: both empty means no messenger at all.
    monkeypatch.setenv("BOT_TOKEN", "")
    monkeypatch.setenv("MAX_BOT_TOKEN", " ")
    with pytest.raises(ValidationError, match="MAX_BOT_TOKEN"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_max_webhook_is_off_when_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_BOT_TOKEN", "max-secret")
    monkeypatch.setenv("MAX_WEBHOOK_URL", "")
    monkeypatch.setenv("MAX_WEBHOOK_SECRET", "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.max_webhook_url is None and settings.max_webhook_secret is None

    monkeypatch.setenv("MAX_WEBHOOK_URL", "https://bot.example.org/")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.max_webhook_url == "https://bot.example.org"  # joined with the path
