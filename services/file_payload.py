"""How a generated file rides in an outbox row's JSON payload, for `Notifier.send_file` and
each messenger's sender (bot/sender.py), which hands its transport the same bytes back."""

from __future__ import annotations

import base64
from typing import Any

# A file's content in an outbox row's payload (JSON): text as it is, so a queued .ics stays
# readable; anything else (a PDF) as base64 under its own key. Rows queued before binary files
# existed carry "content" only, and still read the same.
FILE_TEXT = "content"
FILE_BASE64 = "content_base64"


def file_content(content: bytes) -> dict[str, str]:
    """How `content` is kept in a payload (see FILE_TEXT, FILE_BASE64)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:  # PostgreSQL's JSON holds no NUL character
        return {FILE_BASE64: base64.b64encode(content).decode("ascii")}
    return {FILE_TEXT: text}


def file_bytes(payload: dict[str, Any]) -> bytes:
    """The content a payload carries, as `file_content` kept it."""
    if FILE_BASE64 in payload:
        return base64.b64decode(payload[FILE_BASE64])
    return str(payload[FILE_TEXT]).encode("utf-8")
