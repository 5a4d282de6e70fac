"""Settings from the environment and `.env` (every one is listed in `.env.example`)."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Telegram, MAX or both (one process: one database, one outbox, one scheduler, one Redis).
    bot_token: SecretStr | None = None
    max_bot_token: SecretStr | None = None
    database_url: str = "sqlite:///kadry.sqlite3"
    redis_url: str | None = None
    telegram_api_base: str | None = None
    max_api_base: str = "https://platform-api.max.ru"
    # With a URL, `python -m bot webhook` subscribes MAX to MAX_WEBHOOK_URL + MAX_WEBHOOK_PATH
    # and serves it on the webhook server (WEBHOOK_HOST:WEBHOOK_PORT); without one MAX is polled.
    max_webhook_url: str | None = None
    max_webhook_path: str = "/max/webhook"
    max_webhook_secret: SecretStr | None = None

    webhook_base_url: str | None = None
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(8080, ge=1, le=65535)
    # Polling mode has no web server of its own; with a port, GET /healthz is served there.
    health_host: str = "127.0.0.1"
    health_port: int | None = Field(None, ge=1, le=65535)

    # A stalled database or Redis must not hold updates: past these bounds the user gets a
    # short apology and the next update tries again (seconds).
    database_connect_timeout_seconds: float = Field(5.0, gt=0)
    database_command_timeout_seconds: float = Field(10.0, gt=0)
    database_pool_timeout_seconds: float = Field(10.0, gt=0)
    redis_connect_timeout_seconds: float = Field(5.0, gt=0)
    redis_command_timeout_seconds: float = Field(5.0, gt=0)
    # Each check of GET /healthz gives up after this long and reports its dependency down.
    health_check_timeout_seconds: float = Field(3.0, gt=0)

    default_timezone: str = "Europe/Moscow"
    office_admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()

    log_level: str = "INFO"
    # "json": one JSON object a line (time, level, logger, message); anything else: plain text.
    log_format: str = "plain"
    # Telegram's limits; lower them only for a test server.
    send_rate_per_second: float = Field(30.0, gt=0)
    send_chat_interval_seconds: float = Field(1.0, ge=0)
    send_group_per_minute: int = Field(20, ge=1)
    throttle_rate_per_second: float = Field(5.0, gt=0)
    # How long a sender's claim on outgoing messages lasts; after a crash they go out then.
    outbox_lease_seconds: float = Field(120.0, ge=2)
    # How often a sender looks for due messages on its own. A commit that queues one wakes it at
    # once (in another process by NOTIFY); the poll finds what fell due later (retries, quiet
    # hours' deferrals) or what a wake-up missed.
    outbox_poll_seconds: float = Field(1.0, gt=0)

    # Where the outbox senders and the scheduler run: "inline" in every `run`/`webhook` process
    # (on PostgreSQL only the one holding the leader's lock runs them, the others stand by), or
    # "worker": only in `python -m bot worker`, the update processes take updates alone.
    background: Literal["inline", "worker"] = "inline"

    # How often the scheduler sweeps due reminders (seconds).
    reminder_sweep_seconds: float = Field(30.0, gt=0)
    # How often a broadcast's progress message is brought up to date (seconds).
    broadcast_progress_seconds: float = Field(3.0, gt=0)
    # Tests only: a file holding seconds to add to the system time (the e2e tests move time).
    clock_offset_file: str | None = None

    @field_validator(
        "bot_token", "max_bot_token", "max_webhook_url", "max_webhook_secret", mode="before"
    )
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        # `.env.example` lists these empty: an empty token means that messenger is off, an
        # empty MAX webhook URL means polling.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        token = value.get_secret_value().strip()
        head, _, tail = token.partition(":")
        if not head.isdigit() or not tail:
            raise ValueError("BOT_TOKEN does not look like a bot token (123456:ABC…)")
        return SecretStr(token)

    @field_validator("office_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            return frozenset(int(part) for part in parts if part)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("health_port", mode="before")
    @classmethod
    def _empty_port_is_off(cls, value: object) -> object:
        # `.env.example` lists HEALTH_PORT= empty: copied as is, it means "off", not an error.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {value!r}") from error
        return value

    @model_validator(mode="after")
    def _some_messenger(self) -> Settings:
        if self.bot_token is None and self.max_bot_token is None:
            raise ValueError("set BOT_TOKEN (Telegram), MAX_BOT_TOKEN (MAX) or both")
        return self

    @model_validator(mode="after")
    def _webhook_secret_shape(self) -> Settings:
        if self.webhook_secret is not None:
            secret = self.webhook_secret.get_secret_value()
            allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
            if not 1 <= len(secret) <= 256 or set(secret) - allowed:
                raise ValueError("WEBHOOK_SECRET must be 1–256 characters of A-Z a-z 0-9 _ -")
        return self

    @model_validator(mode="after")
    def _max_webhook_shape(self) -> Settings:
        url = self.max_webhook_url
        if url is not None:
            if not url.startswith(("https://", "http://")):
                raise ValueError("MAX_WEBHOOK_URL must be an http(s) URL")
            self.max_webhook_url = url.rstrip("/")
        if not self.max_webhook_path.startswith("/"):
            raise ValueError("MAX_WEBHOOK_PATH must start with /")
        if self.max_webhook_path == self.webhook_path:
            raise ValueError("MAX_WEBHOOK_PATH must differ from WEBHOOK_PATH (Telegram's)")
        if self.max_webhook_secret is not None:
            # MAX's own rule for a subscription's secret (POST /subscriptions).
            secret = self.max_webhook_secret.get_secret_value()
            allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
            if not 5 <= len(secret) <= 256 or set(secret) - allowed:
                raise ValueError("MAX_WEBHOOK_SECRET must be 5–256 characters of A-Z a-z 0-9 _ -")
        return self

    @property
    def telegram_token(self) -> str:
        """BOT_TOKEN, for what only runs with Telegram on."""
        if self.bot_token is None:
            raise ValueError("BOT_TOKEN is not set: Telegram is off")
        return self.bot_token.get_secret_value()

    @property
    def bot_id(self) -> int:
        return int(self.telegram_token.split(":", 1)[0])
