"""The office's season or sites file sent to the bot as a document: checked by exactly the
CLI's code (`SeasonImportService.check_text` / `import_text`, `InternshipService.import_sites`),
its problems listed with their paths, or a summary of what it will change; applied only when
the office confirms, validated once more then. A file with any problem writes nothing.

Which file it is comes from its top-level keys: a `sites:` list makes it a sites file,
anything else is read as a season file (whose problems then say what is missing). The
summary of a sites file is the import itself run in the transaction and rolled back.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.clock import Clock
from services.domain import Role
from services.errors import DomainError, NotAllowed
from services.file_problems import FileInvalid, read_yaml
from services.i18n import Texts
from services.internships import InternshipService
from services.people import Identity
from services.season_file import SeasonFile
from services.season_import import SeasonFileInvalid, SeasonImportService
from storage.models import (
    Direction,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    SelectionCriterion,
)
from storage.uow import UnitOfWork

MAX_FILE_BYTES = 1_000_000
STAMP_LENGTH = 16


class FileKind(enum.StrEnum):
    SEASON = "season"
    SITES = "sites"


class FileTooBig(DomainError):
    key = "pa-upload-too-big"


class FileChanged(DomainError):
    """The file confirmed is not the one whose summary was shown (a stale or forged press)."""

    key = "pa-upload-stale"


@dataclass(frozen=True)
class SectionChange:
    name: str  # municipalities, directions, ideas, questions, criteria
    added: int
    changed: int
    removed: int
    kept: int


@dataclass(frozen=True)
class UploadCheck:
    """What a file would do: its problems (none: it may be applied) or its changes."""

    kind: FileKind
    stamp: str  # the text's digest: the confirm button names it
    errors: list[str] = field(default_factory=list)
    season_code: str | None = None
    season_new: bool = False
    sections: list[SectionChange] = field(default_factory=list)
    # A sites file: sites created, sites updated, slots created, slots updated.
    sites: tuple[int, int, int, int] | None = None


@dataclass(frozen=True)
class UploadApplied:
    kind: FileKind
    season_code: str | None
    # (an idea's or a site's code, the link's /start argument or None when already used/bound)
    links: list[tuple[str, str | None]]


def stamp_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:STAMP_LENGTH]


def text_of(content: bytes) -> str | None:
    """The file's text, or None when it is not UTF-8 (the CLI reads it so too)."""
    if len(content) > MAX_FILE_BYTES:
        raise FileTooBig(max=MAX_FILE_BYTES // 1000)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def kind_of(text: str) -> tuple[FileKind, Any]:
    try:
        raw = read_yaml(text)
    except FileInvalid:
        return FileKind.SEASON, None
    return (FileKind.SITES if isinstance(raw, dict) and "sites" in raw else FileKind.SEASON), raw


# Per section of the season file: its stored model, the natural key of a stored row, the
# compared fields of a stored row, and the file's (key, fields) entries.
Section = tuple[str, type[Any], Callable[[Any], str], Callable[[Any], tuple[Any, ...]], list[Any]]


def _sections(spec: SeasonFile) -> list[Section]:
    def code(row: Any) -> str:
        return str(row.code)

    return [
        ("municipalities", Municipality, lambda r: r.name, lambda r: (),
         [(name, ()) for name in spec.municipalities]),
        ("directions", Direction, code, lambda r: (r.title,),
         [(d.code, (d.title,)) for d in spec.directions]),
        ("ideas", ProjectIdea, code,
         lambda r: (r.title, r.short_description, r.description, r.capacity_students,
                    r.capacity_tutors, r.mentor_label),
         [(i.code, (i.title, i.short, i.description, i.capacity.students, i.capacity.tutors,
                    i.mentor)) for i in spec.ideas]),
        ("questions", MotivationQuestion, code,
         lambda r: (r.kind, r.text, r.min_length, r.max_length),
         [(q.code, (q.kind, q.text, q.min_length, q.max_length)) for q in spec.questions]),
        ("criteria", SelectionCriterion, code,
         lambda r: (r.title, float(r.weight), r.max_score),
         [(c.code, (c.title, float(c.weight), c.max_score)) for c in spec.scored_criteria()]),
    ]  # fmt: skip


def _change(name: str, stored: dict[str, tuple[Any, ...]], entries: Sequence[Any]) -> SectionChange:
    given = dict(entries)
    kept = [key for key in given if key in stored]
    changed = sum(1 for key in kept if stored[key] != given[key])
    return SectionChange(
        name,
        added=len(given) - len(kept),
        changed=changed,
        removed=sum(1 for key in stored if key not in given),
        kept=len(kept) - changed,
    )


class ConfigUploadService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        texts: Texts,
        season_import: SeasonImportService,
        internships: InternshipService,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.texts = texts
        self.season_import = season_import
        self.internships = internships

    async def check(self, me: Identity, content: bytes) -> tuple[UploadCheck, str | None]:
        """The file's problems or its changes, and its text (None when unreadable) to keep
        until the office confirms. Writes nothing."""
        self._office(me)
        text = text_of(content)
        if text is None:
            return UploadCheck(FileKind.SEASON, "", [self.texts.get("pa-upload-not-utf8")]), None
        kind, raw = kind_of(text)
        if kind is FileKind.SITES:
            return await self._check_sites(raw, stamp_of(text)), text
        try:
            spec = await self.season_import.check_text(text)
        except SeasonFileInvalid as invalid:
            return UploadCheck(kind, stamp_of(text), invalid.errors), text
        return await self._season_changes(spec, stamp_of(text)), text

    async def _season_changes(self, spec: SeasonFile, stamp: str) -> UploadCheck:
        season = await self.uow.seasons.by_code(spec.season.code)
        changes = []
        for name, model, key, fields, entries in _sections(spec):
            rows = await self.uow.season_config.all_of(model, season.id) if season else []
            stored = {key(row): fields(row) for row in rows if row.active}
            changes.append(_change(name, stored, entries))
        return UploadCheck(
            FileKind.SEASON, stamp, season_code=spec.season.code, season_new=season is None,
            sections=changes,
        )  # fmt: skip

    async def _check_sites(self, raw: Any, stamp: str) -> UploadCheck:
        """The import itself, in this transaction, rolled back: what it would create."""
        report = await self.internships.import_sites(raw, commit=False)
        await self.uow.rollback()
        if report.errors:
            errors = [f"{path}: {problem}" for path, problem in report.errors]
            return UploadCheck(FileKind.SITES, stamp, errors)
        counts = (report.sites_created, report.sites_updated)
        slots = (report.slots_created, report.slots_updated)
        season = raw.get("season") if isinstance(raw, dict) else None
        return UploadCheck(
            FileKind.SITES, stamp, season_code=None if season is None else str(season),
            sites=(*counts, *slots),
        )  # fmt: skip

    async def apply(self, me: Identity, text: str, stamp: str) -> UploadApplied | UploadCheck:
        """The confirmed file, validated again and written in one transaction; its problems
        instead when it no longer passes (what is stored changed since the summary)."""
        self._office(me)
        if stamp_of(text) != stamp:
            raise FileChanged()
        kind, raw = kind_of(text)
        if kind is FileKind.SEASON:
            try:
                report = await self.season_import.import_text(text, actor_id=me.person_id)
            except SeasonFileInvalid as invalid:
                return UploadCheck(kind, stamp, invalid.errors)
            links = [(link.idea_code, None if link.used else link.payload)
                     for link in report.mentor_links]  # fmt: skip
            return UploadApplied(kind, report.season_code, links)
        sites = await self.internships.import_sites(raw, commit=False)
        if sites.errors:
            await self.uow.rollback()
            errors = [f"{path}: {problem}" for path, problem in sites.errors]
            return UploadCheck(kind, stamp, errors)
        await self.uow.audit.record(
            self.clock.now(), me.person_id, "sites.upload", "season", None, stamp=stamp
        )
        await self.uow.commit()
        return UploadApplied(kind, None, list(sites.contacts))

    def _office(self, me: Identity) -> None:
        if not me.has(Role.OFFICE):
            raise NotAllowed()
