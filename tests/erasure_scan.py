"""Where personal values could still be after an erasure: every text and JSON column of every
table (tests/dispatcher/test_erasure.py's scan, shared with the e2e /forget test)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, String, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import Base


def text_columns() -> Iterable[tuple[Any, Any]]:
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | JSON):  # Text and enums are Strings too
                yield table, column


def as_text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        try:  # JSON in a string (the FSM's data) may escape non-ASCII text
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


async def table_hits(
    connection: AsyncConnection, needles: Iterable[str]
) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every needle found in any text or JSON column."""
    wanted = list(needles)
    hits: list[tuple[str, str, str]] = []
    for table, column in text_columns():
        for (value,) in await connection.execute(select(column)):
            if value is not None:
                text = as_text(value)
                hits.extend((table.name, column.name, n) for n in wanted if n in text)
    return hits
