"""What every export sheet shares: formula-safe cells, times in the season's zone, Russian
labels rendered once, and a write-only sheet filled a page of rows at a time.

Cells never become formulas. openpyxl turns a string starting with `=` into a formula cell;
a spreadsheet opening a sheet re-exported as CSV reads `+`, `-`, `@`, a tab or a carriage
return at the start as one too. Such user text is written as an explicit string cell
(`data_type = "s"`), exact and unchanged; characters XML cannot carry are dropped.

Times: the sheet holds naive datetimes already converted to the season's zone, and the column
header names the zone («Подана (Europe/Moscow)»). Excel has no time zones (openpyxl refuses
aware datetimes), and a real date cell sorts and filters as a date, which a string would not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from services.i18n import Translator

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# How user text may start that a spreadsheet could read as a formula.
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTH = 22
# Rows fetched per query and written per step off the event loop.
PAGE = 1000


def local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A stored UTC time as the season's wall-clock time, without a zone (see the module)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).replace(tzinfo=None)


def safe(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as a cell that can never be a formula: risky text as an explicit string cell,
    anything else as it is (a datetime gets openpyxl's date format)."""
    from openpyxl.cell import WriteOnlyCell  # openpyxl only once exporting (services/exports)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(RISKY_STARTS):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value
    return value


class Labels:
    """A translator that renders each (key, arguments) once: ten thousand rows repeat the same
    few statuses and choices."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self._cache: dict[tuple[str, tuple[tuple[str, Any], ...]], str] = {}

    def __call__(self, key: str, **args: Any) -> str:
        cache_key = (key, tuple(sorted(args.items())))
        text = self._cache.get(cache_key)
        if text is None:
            text = self._cache[cache_key] = self.t(key, **args)
        return text

    def of(self, prefix: str, value: Any) -> str | None:
        """The label of an enum value (`prefix-value`), None for None."""
        if value is None:
            return None
        return self(f"{prefix}-{getattr(value, 'value', value)}")


class Sheet:
    """A write-only sheet: its header row, then rows as they come. `add` does the openpyxl work
    in a worker thread, so the event loop stays free while a big export is written."""

    def __init__(self, workbook: Workbook, title: str, headers: Sequence[str]) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet: WriteOnlyWorksheet = workbook.create_sheet(title)
        self.sheet.freeze_panes = "A2"
        for n in range(1, len(headers) + 1):
            self.sheet.column_dimensions[get_column_letter(n)].width = COLUMN_WIDTH
        self.rows = 0
        self.write([list(headers)])
        self.rows = 0

    def write(self, rows: Iterable[Sequence[Any]]) -> None:
        sheet = self.sheet
        for row in rows:
            sheet.append([safe(sheet, value) for value in row])
            self.rows += 1

    async def add(self, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            await asyncio.to_thread(self.write, rows)


def _write_all(jobs: Sequence[tuple[Sheet, Sequence[Sequence[Any]]]]) -> None:
    for sheet, rows in jobs:
        sheet.write(rows)


class Pipeline:
    """Pages written one after another in a worker thread while the next page is fetched: the
    database works on the next page while openpyxl writes this one."""

    def __init__(self) -> None:
        self._pending: asyncio.Future[None] | None = None

    async def put(self, *jobs: tuple[Sheet, Sequence[Sequence[Any]]]) -> None:
        """Queue rows for their sheets, once the page before is written."""
        await self.drain()
        self._pending = asyncio.ensure_future(asyncio.to_thread(_write_all, jobs))

    async def drain(self) -> None:
        """Wait until every queued row is written."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending
