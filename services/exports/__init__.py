"""The project office's XLSX exports: applications (with every answer, reviewers' scores and
decisions), team rosters, ИУП tasks, bookings and attendance — one module per kind, each
streaming a page of rows at a time from services' own queries (storage/repositories/exports.py)
into an openpyxl write-only workbook, the openpyxl work done off the event loop.

The office only: `send` (the bot's /export) re-checks the role on every press. The file goes to
the office member through the outbox as a document (its bytes kept base64 in the outbox row,
services/file_payload.py: ten thousand applications make a few MB); `write_to` is the CLI's
(`python -m bot export KIND --out FILE`). Every person whose data is in the file gets a row in
the access audit, in the same transaction as the file.
"""

from __future__ import annotations

import asyncio
import enum
import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from services.access_audit import AccessAuditService
from services.clock import Clock
from services.domain import Role
from services.errors import NotAllowed, NotFound
from services.exports.applications import write_applications
from services.exports.bookings import write_bookings
from services.exports.cells import PAGE, Labels
from services.exports.context import ExportContext
from services.exports.tasks import write_tasks
from services.exports.teams import write_teams
from services.i18n import Texts
from services.notify import Notifier
from services.people import Identity
from services.seasons import load_config
from storage.models import Season
from storage.uow import UnitOfWork


class ExportKind(enum.StrEnum):
    APPLICATIONS = "applications"
    TEAMS = "teams"
    TASKS = "tasks"
    BOOKINGS = "bookings"


WRITERS: dict[ExportKind, Callable[[ExportContext], Awaitable[int]]] = {
    ExportKind.APPLICATIONS: write_applications,
    ExportKind.TEAMS: write_teams,
    ExportKind.TASKS: write_tasks,
    ExportKind.BOOKINGS: write_bookings,
}


@dataclass(frozen=True)
class ExportFile:
    kind: ExportKind
    season_code: str
    season_name: str
    filename: str
    content: bytes
    rows: int  # of the main sheet, without its header
    people: int  # access-audit rows recorded


@dataclass(frozen=True)
class ExportMenu:
    season_id: int
    season_name: str
    kinds: tuple[ExportKind, ...]


def check_office(me: Identity) -> None:
    if not me.has(Role.OFFICE):
        raise NotAllowed("export-not-allowed")


class ExportService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        audit: AccessAuditService,
        page: int = PAGE,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.audit = audit
        self.page = page

    async def _season(self, season_id: int = 0, code: str | None = None) -> Season:
        if code:
            season = await self.uow.seasons.by_code(code)
        elif season_id:
            season = await self.uow.seasons.get(season_id)
        else:
            season = await self.uow.seasons.current()
        if season is None:
            raise NotFound("export-no-season", code=code or "—")
        return season

    async def menu(self, me: Identity) -> ExportMenu:
        """What /export offers: the current season's kinds. The office only."""
        check_office(me)
        season = await self._season()
        return ExportMenu(season.id, season.name, tuple(ExportKind))

    async def build(
        self,
        me: Identity | None,
        kind: ExportKind,
        *,
        season_id: int = 0,
        season_code: str | None = None,
        language: str | None = None,
    ) -> ExportFile:
        """The file, and its access-audit rows (`me` None: the CLI). Does not commit."""
        season = await self._season(season_id, season_code)
        config = await load_config(self.uow, season)
        if kind is ExportKind.APPLICATIONS and config is None:
            raise NotFound("export-no-config", code=season.code)
        zone = ZoneInfo(season.timezone)
        from openpyxl import Workbook  # ~35 MB with numpy: when exporting, not at start

        workbook = Workbook(write_only=True)
        labels = Labels(self.texts.for_language(language))
        ctx = ExportContext(self.uow, workbook, season.id, zone, labels, config, self.page)
        rows = await WRITERS[kind](ctx)
        buffer = io.BytesIO()
        await asyncio.to_thread(workbook.save, buffer)
        people = await self.audit.record_export(me, ctx.subjects)
        stamp = self.clock.now().astimezone(zone).strftime("%Y%m%d-%H%M")
        code = re.sub(r"[^\w.-]", "_", season.code, flags=re.ASCII)
        filename = f"{kind.value}-{code}-{stamp}.xlsx"
        return ExportFile(kind, season.code, season.name, filename, buffer.getvalue(), rows, people)

    async def send(self, me: Identity, kind: ExportKind, season_id: int = 0) -> ExportFile:
        """The office's /export: the file to them as a document through the outbox; commits."""
        check_office(me)
        export = await self.build(me, kind, season_id=season_id, language=me.language)
        t = self.texts.for_language(me.language)
        caption = t(
            "export-caption",
            kind=t(f"export-kind-{kind.value}"),
            season=export.season_name,
            rows=export.rows,
        )
        await self.notifier.send_file(
            me.address, export.filename, export.content, caption=caption, person_id=me.person_id
        )
        await self.uow.commit()
        return export

    async def write_to(
        self, kind: ExportKind, out: Path, season_code: str | None = None
    ) -> ExportFile:
        """The CLI's export: the file written to `out`, the audit committed with it."""
        export = await self.build(None, kind, season_code=season_code)
        await asyncio.to_thread(out.write_bytes, export.content)
        await self.uow.commit()
        return export


__all__ = [
    "WRITERS",
    "ExportFile",
    "ExportKind",
    "ExportMenu",
    "ExportService",
    "check_office",
]
