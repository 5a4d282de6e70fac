"""LOG_FORMAT=json: one JSON object a line with time, level, logger and the plain message."""

from __future__ import annotations

import json
import logging
import sys

from bot.logs import JsonFormatter, log_handler


def _record(message: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord(
        "bot.sender",
        logging.WARNING,
        __file__,
        1,
        message,
        args,
        exc_info,  # type: ignore[arg-type]
    )


def test_json_line_has_time_level_logger_and_the_same_message() -> None:
    line = JsonFormatter().format(_record("outbox message %s failed for good: %s", 42, "сбой"))
    assert "\n" not in line
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message"}
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "bot.sender"
    assert entry["message"] == "outbox message 42 failed for good: сбой"
    assert entry["time"].endswith("+00:00")


def test_an_exception_stays_inside_the_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        line = JsonFormatter().format(_record("cycle failed", exc_info=sys.exc_info()))
    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exception"]


def test_log_format_chooses_the_formatter() -> None:
    assert isinstance(log_handler("json").formatter, JsonFormatter)
    assert not isinstance(log_handler("plain").formatter, JsonFormatter)
