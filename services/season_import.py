"""Importing a season's configuration from YAML.

The import validates the whole file first (the models of services/season_file.py) and reports
every error with its path in the file, in Russian (`ideas[3].capacity.students: должно быть
больше 0`); with any error nothing is written.
Re-importing upserts by natural keys (season code, municipality name, direction / idea /
question / criterion code) and never duplicates; what left the file is switched off.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.clock import Clock
from services.domain import Role
from services.errors import DomainError
from services.file_problems import FileInvalid, FileProblem, read_yaml
from services.i18n import Texts
from services.invitations import INVITE_PREFIX, issue_invitation
from services.season_file import (
    Consent,
    ConsentOf,
    CriterionEntry,
    DirectionEntry,
    IdeaEntry,
    QuestionEntry,
    SeasonFile,
    SeasonSection,
    consent_of,
    read_season,
)
from storage.models import (
    ConsentText,
    Direction,
    Invitation,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    Season,
    SeasonSettings,
    SelectionCriterion,
)
from storage.uow import UnitOfWork


class SeasonFileInvalid(DomainError):
    """The file has errors; `errors` lists each with its path, worded in Russian. Nothing was
    written."""

    key = "season-file-invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__(count=len(errors))
        self.errors = errors


def read_season_file(text: str, texts: Texts | None = None) -> tuple[SeasonFile | None, list[str]]:
    """The validated file, or None and every problem as `path: text`."""
    try:
        season, problems = read_season(read_yaml(text))
    except FileInvalid as invalid:
        season, problems = None, invalid.problems
    return season, _lines(problems, texts)


def _lines(problems: list[FileProblem], texts: Texts | None) -> list[str]:
    texts = texts or Texts()
    return [problem.line(texts) for problem in problems]


@dataclass(frozen=True)
class MentorLink:
    idea_code: str
    idea_title: str
    payload: str
    used: bool
    # When an unused link stops working, in the season's zone.
    valid_until: datetime | None = None


@dataclass(frozen=True)
class ImportReport:
    season_code: str
    created: bool
    revision: int
    counts: dict[str, int]
    mentor_links: list[MentorLink]


class SeasonImportService:
    def __init__(self, uow: UnitOfWork, clock: Clock, texts: Texts | None = None) -> None:
        self.uow = uow
        self.clock = clock
        self.texts = texts

    async def import_text(self, text: str, *, actor_id: int | None = None) -> ImportReport:
        """Validate everything first (the file, then against what is stored); write only a
        file without a single error, in one transaction. `actor_id`: the office member who
        uploaded the file in the bot (None from the CLI), for the audit."""
        return await self._write(await self.check_text(text), actor_id)

    async def check_text(self, text: str) -> SeasonFile:
        """The validated file, checked against what is stored too; SeasonFileInvalid lists
        every problem. Writes nothing (the bot's upload shows what will change first)."""
        try:
            raw = read_yaml(text)
        except FileInvalid as invalid:
            raise SeasonFileInvalid(_lines(invalid.problems, self.texts)) from None
        spec, problems = read_season(raw)
        problems += await self._check_against_database(consent_of(raw))
        if spec is None or problems:
            raise SeasonFileInvalid(_lines(problems, self.texts))
        return spec

    async def _check_against_database(self, spec: ConsentOf | None) -> list[FileProblem]:
        """A consent text may not change under a version already imported: consents refer to it."""
        season = await self.uow.seasons.by_code(spec.season.code) if spec else None
        if spec is None or season is None:
            return []
        existing = {
            (row.kind, row.version): row.text
            for row in await self.uow.season_config.consent_texts(season.id)
        }
        return [
            FileProblem(
                f"consent.{kind.value}.text", "file-consent-changed", {"version": entry.version}
            )
            for kind, entry in spec.consent.texts().items()
            if (old := existing.get((kind, entry.version))) is not None
            and old.strip() != entry.text.strip()
        ]

    async def _mentor_invitation(
        self, idea: ProjectIdea, season_id: int, now: datetime
    ) -> Invitation | None:
        """The idea's mentor link to show again, or None when the idea needs a new one: its
        link expired or was revoked unused, or the mentor who opened it lost the role."""
        if idea.mentor_invitation_id is None:
            return None
        invitation = await self.uow.invitations.get(idea.mentor_invitation_id)
        if invitation is None:
            return None
        if invitation.used_by is not None:
            roles = await self.uow.people.roles_of(invitation.used_by)
            held = (Role.MENTOR, season_id) in roles or (Role.MENTOR, None) in roles
            return invitation if held else None
        return invitation if invitation.is_open(now) else None

    async def _write(self, spec: SeasonFile, actor_id: int | None = None) -> ImportReport:
        now = self.clock.now()
        season, created = await self._season(spec.season, now)
        settings = await self._settings(spec, season.id, now)
        await self._consent_texts(spec.consent, season.id, now)
        counts = {"municipalities": await self._municipalities(spec.municipalities, season.id)}
        directions = await self._directions(spec.directions, season.id)
        counts["directions"] = len(spec.directions)
        links = await self._ideas(spec.ideas, season, directions, now)
        counts["ideas"] = len(links)
        counts["questions"] = await self._questions(spec.questions, season.id)
        counts["criteria"] = await self._criteria(spec.scored_criteria(), season.id)
        await self.uow.audit.record(
            now, actor_id, "season.import", "season", season.id, revision=settings.revision
        )
        await self.uow.commit()
        return ImportReport(season.code, created, settings.revision, counts, links)

    async def _season(self, section: SeasonSection, now: datetime) -> tuple[Season, bool]:
        fields = {
            "name": section.name,
            "region": section.region,
            "timezone": section.timezone,
            "applications_open_at": section.applications_open,
            "applications_close_at": section.applications_close,
        }
        season = await self.uow.seasons.by_code(section.code)
        if season is None:
            season = Season(code=section.code, created_at=now, **fields)
            return await self.uow.seasons.add(season), True
        for name, value in fields.items():
            setattr(season, name, value)
        return season, False

    async def _settings(self, spec: SeasonFile, season_id: int, now: datetime) -> SeasonSettings:
        """The season's settings, with a new revision and stamp (the configuration cache key)."""
        config = self.uow.season_config
        settings = await config.settings(season_id)
        if settings is None:
            settings = SeasonSettings(season_id=season_id, revision=0, stamp="", updated_at=now)
            await config.add(settings)
        students, tutors = spec.ages.students, spec.ages.tutors
        assert students.max is not None  # the model requires it
        settings.student_min_age, settings.student_max_age = students.min, students.max
        settings.tutor_min_age, settings.tutor_max_age = tutors.min, tutors.max
        settings.representative_only_under = spec.consent.representative_only_under
        settings.adult_age = spec.consent.adult_age
        settings.invitation_valid_days = spec.season.invitation_valid_days
        settings.revision += 1
        settings.stamp = uuid.uuid4().hex
        settings.updated_at = now
        return settings

    async def _consent_texts(self, consent: Consent, season_id: int, now: datetime) -> None:
        """A version is stored once; the file's version of each kind becomes the current one."""
        config = self.uow.season_config
        texts = {(row.kind, row.version): row for row in await config.consent_texts(season_id)}
        for kind, entry in consent.texts().items():
            row = texts.get((kind, entry.version))
            if row is None:
                row = ConsentText(
                    season_id=season_id,
                    kind=kind,
                    version=entry.version,
                    text=entry.text,
                    created_at=now,
                )
                await config.add(row)
            await config.make_current(season_id, kind, row.id)

    async def _municipalities(self, names: list[str], season_id: int) -> int:
        config = self.uow.season_config
        stored = {m.name: m for m in await config.all_of(Municipality, season_id)}
        kept = []
        for position, name in enumerate(names):
            municipality = stored.get(name)
            if municipality is None:
                municipality = Municipality(season_id=season_id, name=name)
                config.session.add(municipality)
            municipality.position, municipality.active = position, True
            kept.append(municipality)
        await config.session.flush()
        await config.deactivate_except(Municipality, season_id, [m.id for m in kept])
        return len(kept)

    async def _directions(self, entries: list[DirectionEntry], season_id: int) -> dict[str, int]:
        """The season's directions by code → id (switched-off ones too: the file's ideas refer
        only to the file's directions)."""
        config = self.uow.season_config
        stored = {d.code: d for d in await config.all_of(Direction, season_id)}
        kept = []
        for position, entry in enumerate(entries):
            direction = stored.get(entry.code)
            if direction is None:
                direction = Direction(season_id=season_id, code=entry.code)
                config.session.add(direction)
                stored[entry.code] = direction
            direction.title, direction.position, direction.active = entry.title, position, True
            kept.append(direction)
        await config.session.flush()
        await config.deactivate_except(Direction, season_id, [d.id for d in kept])
        return {code: direction.id for code, direction in stored.items()}

    async def _ideas(
        self, entries: list[IdeaEntry], season: Season, directions: dict[str, int], now: datetime
    ) -> list[MentorLink]:
        """Each idea upserted by code, with its mentor link (made once, shown again)."""
        config = self.uow.season_config
        stored = {i.code: i for i in await config.all_of(ProjectIdea, season.id)}
        kept, links = [], []
        for position, entry in enumerate(entries):
            idea = stored.get(entry.code)
            if idea is None:
                idea = ProjectIdea(season_id=season.id, code=entry.code)
                config.session.add(idea)
            idea.title, idea.mentor_label = entry.title, entry.mentor
            idea.short_description, idea.description = entry.short, entry.description
            idea.direction_id = directions[entry.direction] if entry.direction else None
            idea.capacity_students = entry.capacity.students
            idea.capacity_tutors = entry.capacity.tutors
            idea.position, idea.active = position, True
            links.append(await self._mentor_link(idea, season, now))
            kept.append(idea)
        await config.session.flush()
        await config.deactivate_except(ProjectIdea, season.id, [i.id for i in kept])
        return links

    async def _mentor_link(self, idea: ProjectIdea, season: Season, now: datetime) -> MentorLink:
        invitation = await self._mentor_invitation(idea, season.id, now)
        if invitation is None:
            invitation = await issue_invitation(
                self.uow, Role.MENTOR, season.id, label=f"idea {idea.code}", now=now
            )
            idea.mentor_invitation_id = invitation.id
        used = invitation.used_at is not None
        return MentorLink(
            idea.code,
            idea.title,
            INVITE_PREFIX + invitation.code,
            used,
            None
            if used or invitation.expires_at is None
            else invitation.expires_at.astimezone(ZoneInfo(season.timezone)),
        )

    async def _questions(self, entries: list[QuestionEntry], season_id: int) -> int:
        config = self.uow.season_config
        stored = {q.code: q for q in await config.all_of(MotivationQuestion, season_id)}
        kept = []
        for position, entry in enumerate(entries):
            question = stored.get(entry.code)
            if question is None:
                question = MotivationQuestion(season_id=season_id, code=entry.code)
                config.session.add(question)
            question.kind, question.text = entry.kind, entry.text
            question.min_length, question.max_length = entry.min_length, entry.max_length
            question.position, question.active = position, True
            kept.append(question)
        await config.session.flush()
        await config.deactivate_except(MotivationQuestion, season_id, [q.id for q in kept])
        return len(kept)

    async def _criteria(self, entries: list[CriterionEntry], season_id: int) -> int:
        config = self.uow.season_config
        stored = {c.code: c for c in await config.all_of(SelectionCriterion, season_id)}
        kept = []
        for position, entry in enumerate(entries):
            criterion = stored.get(entry.code)
            if criterion is None:
                criterion = SelectionCriterion(season_id=season_id, code=entry.code)
                config.session.add(criterion)
            criterion.title, criterion.weight = entry.title, entry.weight
            criterion.max_score = entry.max_score
            criterion.position, criterion.active = position, True
            kept.append(criterion)
        await config.session.flush()
        await config.deactivate_except(SelectionCriterion, season_id, [c.id for c in kept])
        return len(kept)
