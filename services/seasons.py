"""Seasons: importing a season's configuration from YAML, and reading it back for the
questionnaire (cached per process by the season's revision).

The import validates the whole file first and reports every error with its path in the file
(`ideas[3].capacity.students: must be a positive integer`); with any error nothing is written.
Re-importing upserts by natural keys (season code, municipality name, direction / idea /
question / criterion code) and never duplicates; what left the file is switched off.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from services.clock import Clock
from services.errors import DomainError
from services.invitations import INVITE_PREFIX, MAX_VALID_DAYS, issue_invitation
from storage.models import (
    DEFAULT_INVITATION_DAYS,
    ConsentKind,
    ConsentText,
    Direction,
    Invitation,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    QuestionKind,
    Role,
    Season,
    SeasonSettings,
    SelectionCriterion,
)
from storage.uow import UnitOfWork

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
QUESTION_CODE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
DEFAULT_TEXT_BOUNDS = (20, 2000)


class SeasonFileInvalid(DomainError):
    """The file has errors; `errors` lists each with its path. Nothing was written."""

    key = "season-file-invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__(count=len(errors))
        self.errors = errors


# ---------------------------------------------------------------------------------------------
# The validated file


@dataclass(frozen=True)
class IdeaSpec:
    code: str
    title: str
    short: str
    description: str
    direction: str | None
    students: int
    tutors: int
    mentor: str | None


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    kind: QuestionKind
    text: str
    min_length: int | None
    max_length: int | None


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    title: str
    weight: float
    max_score: int


# What the federal methodology asks reviewers to score, when a season file names no criteria.
DEFAULT_CRITERIA = (
    CriterionSpec("presentation", "Самопрезентация", 1.0, 5),
    CriterionSpec("motivation", "Мотивация к участию", 1.0, 5),
    CriterionSpec("interest", "Интерес к предложенным идеям", 1.0, 5),
)


@dataclass
class SeasonSpec:
    code: str = ""
    name: str = ""
    region: str = ""
    timezone: str = "Europe/Moscow"
    opens: datetime | None = None
    closes: datetime | None = None
    student_ages: tuple[int, int] = (13, 17)
    tutor_ages: tuple[int, int | None] = (18, None)
    representative_only_under: int = 14
    adult_age: int = 18
    invitation_valid_days: int = DEFAULT_INVITATION_DAYS
    consent: dict[ConsentKind, tuple[str, str]] = field(default_factory=dict)
    municipalities: list[str] = field(default_factory=list)
    directions: list[tuple[str, str]] = field(default_factory=list)
    ideas: list[IdeaSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)
    criteria: list[CriterionSpec] = field(default_factory=list)


class _Checker:
    """Reads values out of the parsed YAML, recording each problem with its path."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def mapping(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(path, "must be a mapping of keys to values")
            return {}
        for key in value:
            if str(key) not in allowed:
                self.error(f"{path}.{key}" if path else str(key), "unknown key")
        return {str(k): v for k, v in value.items()}

    def sequence(self, value: Any, path: str, *, required: bool = True) -> list[Any]:
        if value is None:
            if required:
                self.error(path, "is required (a list)")
            return []
        if not isinstance(value, list):
            self.error(path, "must be a list")
            return []
        if required and not value:
            self.error(path, "must not be empty")
        return value

    def text(
        self, value: Any, path: str, *, required: bool = True, max_length: int = 200
    ) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(path, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(path, "must be text")
            return None
        result = str(value).strip()
        if len(result) > max_length:
            self.error(path, f"must be at most {max_length} characters")
            return None
        return result

    def code(self, value: Any, path: str, pattern: re.Pattern[str], max_length: int) -> str | None:
        result = self.text(value, path, max_length=max_length)
        if result is not None and not pattern.match(result):
            self.error(path, "must be lowercase latin letters, digits, '_' or '-'")
            return None
        return result

    def positive(self, value: Any, path: str, *, required: bool = True) -> int | None:
        if value is None:
            if required:
                self.error(path, "is required (a positive integer)")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.error(path, "must be a positive integer")
            return None
        return value

    def moment(self, value: Any, path: str, zone: ZoneInfo, *, end_of_day: bool) -> datetime | None:
        """A local date or date-time in the season's zone, returned in UTC."""
        if value is None:
            self.error(path, "is required (a date like 2026-09-01 or 2026-09-01 10:00)")
            return None
        parsed: datetime | None = None
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, date):
            parsed = datetime.combine(value, time.max if end_of_day else time.min)
        elif isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and len(value.strip()) == 10 and end_of_day:
                parsed = datetime.combine(parsed.date(), time.max)
        if parsed is None:
            self.error(path, "must be a date like 2026-09-01 or 2026-09-01 10:00")
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(ZoneInfo("UTC"))

    def unique(self, values: list[tuple[str, str | None]], what: str) -> None:
        seen: dict[str, str] = {}
        for path, value in values:
            if value is None:
                continue
            key = value.casefold()
            if key in seen:
                self.error(path, f"duplicate {what} {value!r} (also at {seen[key]})")
            else:
                seen[key] = path


def check_season(raw: Any) -> tuple[SeasonSpec, list[str]]:
    """The season described by the parsed YAML, and every problem found, each with its path."""
    check = _Checker()
    spec = SeasonSpec()
    top = check.mapping(
        raw,
        "",
        {
            "season",
            "ages",
            "consent",
            "municipalities",
            "directions",
            "ideas",
            "questions",
            "criteria",
        },
    )
    if not isinstance(raw, dict):
        return spec, ["(file): must be a mapping with a 'season' section"]

    season = check.mapping(
        top.get("season"),
        "season",
        {
            "code",
            "name",
            "region",
            "timezone",
            "applications_open",
            "applications_close",
            "invitation_valid_days",
        },
    )
    if "season" not in top:
        check.error("season", "is required")
    spec.code = check.code(season.get("code"), "season.code", CODE, 64) or ""
    spec.name = check.text(season.get("name"), "season.name") or ""
    spec.region = check.text(season.get("region"), "season.region") or ""
    zone = ZoneInfo("Europe/Moscow")
    tz_name = check.text(season.get("timezone"), "season.timezone", max_length=64)
    if tz_name is not None:
        try:
            zone = ZoneInfo(tz_name)
            spec.timezone = tz_name
        except (ZoneInfoNotFoundError, ValueError):
            check.error("season.timezone", f"unknown IANA time zone {tz_name!r}")
    spec.opens = check.moment(
        season.get("applications_open"), "season.applications_open", zone, end_of_day=False
    )
    spec.closes = check.moment(
        season.get("applications_close"), "season.applications_close", zone, end_of_day=True
    )
    if spec.opens and spec.closes and spec.opens >= spec.closes:
        check.error("season.applications_close", "must be later than applications_open")
    days = check.positive(
        season.get("invitation_valid_days", DEFAULT_INVITATION_DAYS), "season.invitation_valid_days"
    )
    if days is not None and days > MAX_VALID_DAYS:
        check.error("season.invitation_valid_days", f"must be at most {MAX_VALID_DAYS}")
    elif days is not None:
        spec.invitation_valid_days = days

    ages = check.mapping(top.get("ages"), "ages", {"students", "tutors"})
    students = check.mapping(ages.get("students"), "ages.students", {"min", "max"})
    tutors = check.mapping(ages.get("tutors"), "ages.tutors", {"min", "max"})
    s_min = check.positive(students.get("min", 13), "ages.students.min")
    s_max = check.positive(students.get("max", 17), "ages.students.max")
    if s_min and s_max:
        if s_min > s_max:
            check.error("ages.students.max", "must not be less than ages.students.min")
        spec.student_ages = (s_min, s_max)
    t_min = check.positive(tutors.get("min", 18), "ages.tutors.min")
    t_max = check.positive(tutors.get("max"), "ages.tutors.max", required=False)
    if t_min:
        if t_max is not None and t_min > t_max:
            check.error("ages.tutors.max", "must not be less than ages.tutors.min")
        spec.tutor_ages = (t_min, t_max)

    consent = check.mapping(
        top.get("consent"),
        "consent",
        {"representative_only_under", "adult_age", "applicant", "representative"},
    )
    if "consent" not in top:
        check.error("consent", "is required (the consent texts)")
    spec.representative_only_under = (
        check.positive(
            consent.get("representative_only_under", 14), "consent.representative_only_under"
        )
        or 14
    )
    spec.adult_age = check.positive(consent.get("adult_age", 18), "consent.adult_age") or 18
    for consent_kind in ConsentKind:
        path = f"consent.{consent_kind.value}"
        entry = check.mapping(consent.get(consent_kind.value), path, {"version", "text"})
        if consent and consent_kind.value not in consent:
            check.error(path, "is required (version and text)")
        version = check.text(entry.get("version"), f"{path}.version", max_length=32)
        body = check.text(entry.get("text"), f"{path}.text", max_length=20000)
        if version and body:
            spec.consent[consent_kind] = (version, body)

    municipalities = check.sequence(top.get("municipalities"), "municipalities")
    names = []
    for index, value in enumerate(municipalities):
        path = f"municipalities[{index}]"
        names.append((path, check.text(value, path, max_length=120)))
    check.unique(names, "municipality")
    spec.municipalities = [name for _, name in names if name]

    directions = check.sequence(top.get("directions"), "directions", required=False)
    direction_codes = []
    for index, value in enumerate(directions):
        path = f"directions[{index}]"
        item = check.mapping(value, path, {"code", "title"})
        code = check.code(item.get("code"), f"{path}.code", CODE, 32)
        title = check.text(item.get("title"), f"{path}.title")
        direction_codes.append((f"{path}.code", code))
        if code and title:
            spec.directions.append((code, title))
    check.unique(direction_codes, "direction code")
    known_directions = {code for code, _ in spec.directions}

    ideas = check.sequence(top.get("ideas"), "ideas")
    idea_codes = []
    for index, value in enumerate(ideas):
        path = f"ideas[{index}]"
        item = check.mapping(
            value,
            path,
            {"code", "title", "short", "description", "direction", "capacity", "mentor"},
        )
        code = check.code(item.get("code"), f"{path}.code", CODE, 32)
        idea_codes.append((f"{path}.code", code))
        title = check.text(item.get("title"), f"{path}.title")
        short = check.text(item.get("short"), f"{path}.short", max_length=500)
        description = check.text(item.get("description"), f"{path}.description", max_length=4000)
        direction = check.text(item.get("direction"), f"{path}.direction", required=False)
        if direction is not None and direction not in known_directions:
            check.error(f"{path}.direction", f"no direction with code {direction!r} in directions")
        capacity = check.mapping(item.get("capacity"), f"{path}.capacity", {"students", "tutors"})
        if "capacity" not in item:
            check.error(f"{path}.capacity", "is required (students and tutors)")
        n_students = check.positive(capacity.get("students"), f"{path}.capacity.students")
        n_tutors = check.positive(capacity.get("tutors"), f"{path}.capacity.tutors")
        mentor = check.text(item.get("mentor"), f"{path}.mentor", required=False)
        if code and title and short and description and n_students and n_tutors:
            spec.ideas.append(
                IdeaSpec(code, title, short, description, direction, n_students, n_tutors, mentor)
            )
    check.unique(idea_codes, "idea code")

    questions = check.sequence(top.get("questions"), "questions")
    question_codes = []
    for index, value in enumerate(questions):
        path = f"questions[{index}]"
        item = check.mapping(value, path, {"code", "kind", "text", "min_length", "max_length"})
        code = check.code(item.get("code"), f"{path}.code", QUESTION_CODE, 18)
        question_codes.append((f"{path}.code", code))
        body = check.text(item.get("text"), f"{path}.text", max_length=1000)
        kind_raw = item.get("kind", "text")
        kind: QuestionKind | None = None
        if kind_raw in {k.value for k in QuestionKind}:
            kind = QuestionKind(kind_raw)
        else:
            check.error(f"{path}.kind", "must be 'text' or 'scale'")
        low: int | None = None
        high: int | None = None
        if kind is QuestionKind.TEXT:
            low = check.positive(
                item.get("min_length", DEFAULT_TEXT_BOUNDS[0]), f"{path}.min_length"
            )
            high = check.positive(
                item.get("max_length", DEFAULT_TEXT_BOUNDS[1]), f"{path}.max_length"
            )
            if low and high and low > high:
                check.error(f"{path}.max_length", "must not be less than min_length")
            if high and high > 4000:
                check.error(f"{path}.max_length", "must be at most 4000 (a Telegram message)")
        elif kind is QuestionKind.SCALE:
            for extra in ("min_length", "max_length"):
                if extra in item:
                    check.error(f"{path}.{extra}", "applies only to text questions")
        if code and body and kind:
            spec.questions.append(QuestionSpec(code, kind, body, low, high))
    check.unique(question_codes, "question code")

    criteria = check.sequence(top.get("criteria"), "criteria", required=False)
    criterion_codes = []
    for index, value in enumerate(criteria):
        path = f"criteria[{index}]"
        item = check.mapping(value, path, {"code", "title", "weight", "max_score"})
        code = check.code(item.get("code"), f"{path}.code", CODE, 32)
        criterion_codes.append((f"{path}.code", code))
        title = check.text(item.get("title"), f"{path}.title")
        weight = item.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            check.error(f"{path}.weight", "must be a positive number")
            weight = None
        max_score = check.positive(item.get("max_score", 5), f"{path}.max_score")
        if code and title and weight and max_score:
            spec.criteria.append(CriterionSpec(code, title, float(weight), max_score))
    check.unique(criterion_codes, "criterion code")
    if not criteria:
        spec.criteria = list(DEFAULT_CRITERIA)
    return spec, check.errors


def read_season_file(text: str) -> tuple[SeasonSpec, list[str]]:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or type(error).__name__
        return SeasonSpec(), [f"{where}: not valid YAML ({problem})"]
    return check_season(raw)


# ---------------------------------------------------------------------------------------------
# Import


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
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def import_text(self, text: str) -> ImportReport:
        """Validate everything first (the file, then against what is stored); write only a
        file without a single error, in one transaction."""
        spec, errors = read_season_file(text)
        errors += await self._check_against_database(spec)
        if errors:
            raise SeasonFileInvalid(errors)
        return await self._write(spec)

    async def _check_against_database(self, spec: SeasonSpec) -> list[str]:
        """A consent text may not change under a version already imported: consents refer to it."""
        season = await self.uow.seasons.by_code(spec.code) if spec.code else None
        if season is None:
            return []
        errors = []
        existing = {
            (row.kind, row.version): row.text
            for row in await self.uow.season_config.consent_texts(season.id)
        }
        for kind, (version, body) in spec.consent.items():
            old = existing.get((kind, version))
            if old is not None and old.strip() != body.strip():
                errors.append(
                    f"consent.{kind.value}.text: differs from the text already imported as "
                    f"version {version!r}; give the changed text a new version"
                )
        return errors

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

    async def _write(self, spec: SeasonSpec) -> ImportReport:
        now = self.clock.now()
        config = self.uow.season_config
        season = await self.uow.seasons.by_code(spec.code)
        created = season is None
        if season is None:
            season = await self.uow.seasons.add(
                Season(
                    code=spec.code,
                    name=spec.name,
                    region=spec.region,
                    timezone=spec.timezone,
                    applications_open_at=spec.opens,
                    applications_close_at=spec.closes,
                    created_at=now,
                )
            )
        else:
            season.name, season.region, season.timezone = spec.name, spec.region, spec.timezone
            season.applications_open_at = spec.opens
            season.applications_close_at = spec.closes
        settings = await config.settings(season.id)
        if settings is None:
            settings = SeasonSettings(season_id=season.id, revision=0, stamp="", updated_at=now)
            await config.add(settings)
        settings.student_min_age, settings.student_max_age = spec.student_ages
        settings.tutor_min_age, settings.tutor_max_age = spec.tutor_ages
        settings.representative_only_under = spec.representative_only_under
        settings.adult_age = spec.adult_age
        settings.invitation_valid_days = spec.invitation_valid_days
        settings.revision += 1
        settings.stamp = uuid.uuid4().hex
        settings.updated_at = now

        texts = {(row.kind, row.version): row for row in await config.consent_texts(season.id)}
        for kind, (version, body) in spec.consent.items():
            row = texts.get((kind, version))
            if row is None:
                row = ConsentText(
                    season_id=season.id, kind=kind, version=version, text=body, created_at=now
                )
                await config.add(row)
            await config.make_current(season.id, kind, row.id)

        municipalities = {m.name: m for m in await config.all_of(Municipality, season.id)}
        kept = []
        for position, name in enumerate(spec.municipalities):
            muni = municipalities.get(name)
            if muni is None:
                muni = Municipality(season_id=season.id, name=name)
                config.session.add(muni)
            muni.position, muni.active = position, True
            kept.append(muni)
        await config.session.flush()
        await config.deactivate_except(Municipality, season.id, [m.id for m in kept])

        directions = {d.code: d for d in await config.all_of(Direction, season.id)}
        kept_directions = []
        for position, (code, title) in enumerate(spec.directions):
            direction = directions.get(code)
            if direction is None:
                direction = Direction(season_id=season.id, code=code)
                config.session.add(direction)
                directions[code] = direction
            direction.title, direction.position, direction.active = title, position, True
            kept_directions.append(direction)
        await config.session.flush()
        await config.deactivate_except(Direction, season.id, [d.id for d in kept_directions])

        ideas = {i.code: i for i in await config.all_of(ProjectIdea, season.id)}
        kept_ideas = []
        links = []
        for position, spec_idea in enumerate(spec.ideas):
            idea = ideas.get(spec_idea.code)
            if idea is None:
                idea = ProjectIdea(season_id=season.id, code=spec_idea.code)
                config.session.add(idea)
            idea.title = spec_idea.title
            idea.short_description = spec_idea.short
            idea.description = spec_idea.description
            idea.direction_id = directions[spec_idea.direction].id if spec_idea.direction else None
            idea.capacity_students = spec_idea.students
            idea.capacity_tutors = spec_idea.tutors
            idea.mentor_label = spec_idea.mentor
            idea.position, idea.active = position, True
            invitation = await self._mentor_invitation(idea, season.id, now)
            if invitation is None:
                invitation = await issue_invitation(
                    self.uow, Role.MENTOR, season.id, label=f"idea {spec_idea.code}", now=now
                )
                idea.mentor_invitation_id = invitation.id
            links.append(
                MentorLink(
                    spec_idea.code,
                    spec_idea.title,
                    INVITE_PREFIX + invitation.code,
                    invitation.used_at is not None,
                    None
                    if invitation.used_at is not None or invitation.expires_at is None
                    else invitation.expires_at.astimezone(ZoneInfo(season.timezone)),
                )
            )
            kept_ideas.append(idea)
        await config.session.flush()
        await config.deactivate_except(ProjectIdea, season.id, [i.id for i in kept_ideas])

        questions = {q.code: q for q in await config.all_of(MotivationQuestion, season.id)}
        kept_questions = []
        for position, spec_question in enumerate(spec.questions):
            question = questions.get(spec_question.code)
            if question is None:
                question = MotivationQuestion(season_id=season.id, code=spec_question.code)
                config.session.add(question)
            question.kind, question.text = spec_question.kind, spec_question.text
            question.min_length = spec_question.min_length
            question.max_length = spec_question.max_length
            question.position, question.active = position, True
            kept_questions.append(question)
        await config.session.flush()
        await config.deactivate_except(
            MotivationQuestion, season.id, [q.id for q in kept_questions]
        )

        criteria = {c.code: c for c in await config.all_of(SelectionCriterion, season.id)}
        kept_criteria = []
        for position, spec_criterion in enumerate(spec.criteria):
            criterion = criteria.get(spec_criterion.code)
            if criterion is None:
                criterion = SelectionCriterion(season_id=season.id, code=spec_criterion.code)
                config.session.add(criterion)
            criterion.title, criterion.weight = spec_criterion.title, spec_criterion.weight
            criterion.max_score = spec_criterion.max_score
            criterion.position, criterion.active = position, True
            kept_criteria.append(criterion)
        await config.session.flush()
        await config.deactivate_except(SelectionCriterion, season.id, [c.id for c in kept_criteria])

        await self.uow.audit.record(
            now, None, "season.import", "season", season.id, revision=settings.revision
        )
        await self.uow.commit()
        return ImportReport(
            season_code=season.code,
            created=created,
            revision=settings.revision,
            counts={
                "municipalities": len(kept),
                "directions": len(kept_directions),
                "ideas": len(kept_ideas),
                "questions": len(kept_questions),
                "criteria": len(kept_criteria),
            },
            mentor_links=links,
        )


# ---------------------------------------------------------------------------------------------
# Reading the configuration back


@dataclass(frozen=True)
class IdeaInfo:
    id: int
    code: str
    title: str
    short: str
    description: str
    direction: str | None


@dataclass(frozen=True)
class QuestionInfo:
    code: str
    kind: QuestionKind
    text: str
    min_length: int | None
    max_length: int | None


@dataclass(frozen=True)
class ConsentTextInfo:
    id: int
    version: str
    text: str


@dataclass(frozen=True)
class SeasonConfig:
    """Everything the questionnaire needs about a season; immutable, cached per revision."""

    season_id: int
    code: str
    name: str
    timezone: str
    opens: datetime | None
    closes: datetime | None
    revision: int
    student_ages: tuple[int, int]
    tutor_ages: tuple[int, int | None]
    representative_only_under: int
    adult_age: int
    consent_texts: dict[ConsentKind, ConsentTextInfo]
    municipalities: tuple[tuple[int, str], ...]
    ideas: tuple[IdeaInfo, ...]
    questions: tuple[QuestionInfo, ...]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def window_open(self, now: datetime) -> bool:
        if self.opens is not None and now < self.opens:
            return False
        return not (self.closes is not None and now > self.closes)

    def idea(self, idea_id: int) -> IdeaInfo | None:
        return next((idea for idea in self.ideas if idea.id == idea_id), None)

    def municipality(self, municipality_id: int) -> str | None:
        return next((name for mid, name in self.municipalities if mid == municipality_id), None)


_cache: dict[str, SeasonConfig] = {}


async def load_config(
    uow: UnitOfWork, season: Season, stamp: str | None = None
) -> SeasonConfig | None:
    """The season's configuration, or None if it was never imported. `stamp`, when the caller
    has just read it, saves a query."""
    if stamp is None:
        stamp = await uow.season_config.stamp(season.id)
    if stamp is None:
        return None
    cached = _cache.get(stamp)
    if cached is not None:
        return cached
    config = uow.season_config
    settings = await config.settings(season.id)
    assert settings is not None
    directions = {d.id: d.title for d in await config.all_of(Direction, season.id)}
    loaded = SeasonConfig(
        season_id=season.id,
        code=season.code,
        name=season.name,
        timezone=season.timezone,
        opens=season.applications_open_at,
        closes=season.applications_close_at,
        revision=settings.revision,
        student_ages=(settings.student_min_age, settings.student_max_age),
        tutor_ages=(settings.tutor_min_age, settings.tutor_max_age),
        representative_only_under=settings.representative_only_under,
        adult_age=settings.adult_age,
        consent_texts={
            row.kind: ConsentTextInfo(row.id, row.version, row.text)
            for row in await config.consent_texts(season.id)
            if row.is_current
        },
        municipalities=tuple((m.id, m.name) for m in await config.active(Municipality, season.id)),
        ideas=tuple(
            IdeaInfo(
                i.id,
                i.code,
                i.title,
                i.short_description,
                i.description,
                directions.get(i.direction_id) if i.direction_id else None,
            )
            for i in await config.active(ProjectIdea, season.id)
        ),
        questions=tuple(
            QuestionInfo(q.code, q.kind, q.text, q.min_length, q.max_length)
            for q in await config.active(MotivationQuestion, season.id)
        ),
    )
    if len(_cache) > 64:
        _cache.clear()
    _cache[stamp] = loaded
    return loaded
