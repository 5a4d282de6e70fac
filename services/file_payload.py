"""A file in an outbox row's payload: UTF-8 text stays readable in the row (and erasable by the
same scans as any text); any other bytes travel as base64, so a file of any kind is safe."""

from __future__ import annotations

import base64
from typing import Any


def file_payload(filename: str, content: bytes, caption: str | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"filename": filename, "caption": caption}
    try:
        payload["content"] = content.decode("utf-8")
    except UnicodeDecodeError:
        payload["content_base64"] = base64.b64encode(content).decode("ascii")
    return payload


def file_content(payload: dict[str, Any]) -> bytes:
    """A file row's bytes, as `file_payload` stored them."""
    if "content" in payload:
        return str(payload["content"]).encode("utf-8")
    return base64.b64decode(payload["content_base64"])
