"""The season file (examples/season.yaml) as typed models: what the office may write, with its
defaults, ranges and cross-checks. `read_season` gives the validated file or every problem with
its path; the import only writes what it gets here."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from services.domain import ConsentKind, QuestionKind
from services.file_problems import (
    FileProblem,
    NoneIsEmpty,
    OptionalText,
    PositiveInt,
    PositiveNumber,
    Text,
    Text18,
    Text32,
    Text64,
    Text120,
    Text500,
    Text1000,
    Text4000,
    Text20000,
    matching,
    problem,
    problems_of,
)
from services.invitations import MAX_VALID_DAYS
from storage.models import DEFAULT_INVITATION_DAYS

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
QUESTION_CODE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
DEFAULT_TEXT_BOUNDS = (20, 2000)
TEXT_ANSWER_LIMIT = 4000  # one Telegram message

Code = Annotated[Text32, AfterValidator(matching(CODE, "file-code"))]
SeasonCode = Annotated[Text64, AfterValidator(matching(CODE, "file-code"))]
QuestionCode = Annotated[Text18, AfterValidator(matching(QUESTION_CODE, "file-question-code"))]


def _moment(value: Any, *, end_of_day: bool) -> datetime:
    """A local date or date-time (`2026-09-01`, `2026-09-01 10:00`); a bare date means the
    start of the day, or its end for a closing moment. The zone is added by the section."""
    if value is None:
        raise problem("file-required")
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time.max if end_of_day else time.min)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
        if parsed is not None:
            if len(value.strip()) == 10 and end_of_day:
                return datetime.combine(parsed.date(), time.max)
            return parsed
    raise problem("file-date")


Opening = Annotated[datetime, BeforeValidator(lambda v: _moment(v, end_of_day=False))]
Closing = Annotated[datetime, BeforeValidator(lambda v: _moment(v, end_of_day=True))]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SeasonSection(_Entry):
    code: SeasonCode
    name: Text
    region: Text
    timezone: Text64 = "Europe/Moscow"
    applications_open: Opening
    applications_close: Closing
    invitation_valid_days: Annotated[PositiveInt, Field(le=MAX_VALID_DAYS)] = (
        DEFAULT_INVITATION_DAYS
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise problem("file-unknown-zone", name=name) from None
        return name

    @model_validator(mode="after")
    def _window_in_utc(self) -> Self:
        """Local times are in the season's zone; stored in UTC, the window must not be empty."""
        zone, utc = ZoneInfo(self.timezone), ZoneInfo("UTC")
        opens, closes = self.applications_open, self.applications_close
        self.applications_open = (opens.replace(tzinfo=opens.tzinfo or zone)).astimezone(utc)
        self.applications_close = (closes.replace(tzinfo=closes.tzinfo or zone)).astimezone(utc)
        if self.applications_open >= self.applications_close:
            raise problem("file-window-empty", "applications_close")
        return self


class AgeRange(_Entry):
    min: PositiveInt
    max: PositiveInt | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.max is not None and self.min > self.max:
            raise problem("file-less-than-min", "max", min=self.min)
        return self


class Ages(_Entry):
    students: AgeRange = AgeRange(min=13, max=17)
    tutors: AgeRange = AgeRange(min=18)

    @field_validator("students", "tutors", mode="before")
    @classmethod
    def _defaults_filled(cls, value: Any, info: ValidationInfo) -> Any:
        """A range names only what differs: students 13–17, tutors 18 and over."""
        default = {"students": {"min": 13, "max": 17}, "tutors": {"min": 18}}[str(info.field_name)]
        if value is None:
            return default
        return {**default, **value} if isinstance(value, dict) else value

    @field_validator("students")
    @classmethod
    def _bounded(cls, value: AgeRange) -> AgeRange:
        if value.max is None:
            raise problem("file-required", "max")
        return value


class ConsentEntry(_Entry):
    version: Text32
    text: Text20000


class Consent(_Entry):
    representative_only_under: PositiveInt = 14
    adult_age: PositiveInt = 18
    applicant: ConsentEntry
    representative: ConsentEntry

    def texts(self) -> dict[ConsentKind, ConsentEntry]:
        return {
            ConsentKind.APPLICANT: self.applicant,
            ConsentKind.REPRESENTATIVE: self.representative,
        }


class DirectionEntry(_Entry):
    code: Code
    title: Text


class Capacity(_Entry):
    students: PositiveInt
    tutors: PositiveInt


class IdeaEntry(_Entry):
    code: Code
    title: Text
    short: Text500
    description: Text4000
    direction: OptionalText = None
    capacity: Capacity
    mentor: OptionalText = None


class QuestionEntry(_Entry):
    code: QuestionCode
    kind: QuestionKind = QuestionKind.TEXT
    text: Text1000
    min_length: PositiveInt | None = None
    max_length: Annotated[PositiveInt, Field(le=TEXT_ANSWER_LIMIT)] | None = None

    @model_validator(mode="after")
    def _bounds_fit_the_kind(self) -> Self:
        """A text answer has length bounds (20–2000 unless given); a scale has none."""
        if self.kind is QuestionKind.SCALE:
            for name in ("min_length", "max_length"):
                if name in self.model_fields_set:
                    raise problem("file-text-questions-only", name)
            return self
        if self.min_length is None:
            self.min_length = DEFAULT_TEXT_BOUNDS[0]
        if self.max_length is None:
            self.max_length = DEFAULT_TEXT_BOUNDS[1]
        if self.min_length > self.max_length:
            raise problem("file-less-than-min", "max_length", min=self.min_length)
        return self


class CriterionEntry(_Entry):
    code: Code
    title: Text
    weight: PositiveNumber
    max_score: PositiveInt = 5


# What the federal methodology asks reviewers to score, when a season file names no criteria.
DEFAULT_CRITERIA = (
    CriterionEntry(code="presentation", title="Самопрезентация", weight=1.0),
    CriterionEntry(code="motivation", title="Мотивация к участию", weight=1.0),
    CriterionEntry(code="interest", title="Интерес к предложенным идеям", weight=1.0),
)


class SeasonFile(_Entry):
    season: SeasonSection
    ages: Annotated[Ages, BeforeValidator(lambda v: {} if v is None else v)] = Ages()
    consent: Consent
    municipalities: Annotated[list[Text120], Field(min_length=1)]
    directions: Annotated[list[DirectionEntry], NoneIsEmpty] = []
    ideas: Annotated[list[IdeaEntry], Field(min_length=1)]
    questions: Annotated[list[QuestionEntry], Field(min_length=1)]
    criteria: Annotated[list[CriterionEntry], NoneIsEmpty] = []

    def scored_criteria(self) -> list[CriterionEntry]:
        return self.criteria or list(DEFAULT_CRITERIA)


def read_season(raw: Any) -> tuple[SeasonFile | None, list[FileProblem]]:
    """The validated season file (parsed YAML in), or None and every problem with its path."""
    problems: list[FileProblem] = []
    try:
        season: SeasonFile | None = SeasonFile.model_validate(raw)
    except ValidationError as error:
        season, problems = None, problems_of(error)
    problems += cross_references(raw)
    return (season if not problems else None), problems


class _SeasonCode(BaseModel):
    code: SeasonCode


class ConsentOf(BaseModel):
    """Just the season's code and its consent texts, read even when the rest of the file has
    problems: a changed text under an imported version is reported with them."""

    season: _SeasonCode
    consent: Consent


def consent_of(raw: Any) -> ConsentOf | None:
    try:
        return ConsentOf.model_validate(raw)
    except ValidationError:
        return None


# --- checks across entries ------------------------------------------------------------------
# They read the raw file, not the models: a duplicate code or a dangling direction is reported
# together with every other problem, even when some entries did not pass their models.

_UNIQUE = (
    ("municipalities", None, "file-duplicate-municipality"),
    ("directions", "code", "file-duplicate-code"),
    ("ideas", "code", "file-duplicate-code"),
    ("questions", "code", "file-duplicate-code"),
    ("criteria", "code", "file-duplicate-code"),
)


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def _entries(raw: Any, section: str) -> list[tuple[int, Any]]:
    items = raw.get(section) if isinstance(raw, dict) else None
    return list(enumerate(items)) if isinstance(items, list) else []


def _keyed(raw: Any, section: str, key: str | None) -> list[tuple[str, str]]:
    """(path, value) of each entry's key (the entry itself when `key` is None)."""
    found = []
    for index, item in _entries(raw, section):
        value = item if key is None else item.get(key) if isinstance(item, dict) else None
        text = _as_text(value)
        if text is not None:
            found.append((f"{section}[{index}]" + (f".{key}" if key else ""), text))
    return found


def cross_references(raw: Any) -> list[FileProblem]:
    """Codes unique (case-insensitive) within their list; an idea's direction among the
    directions."""
    problems = []
    for section, key, message in _UNIQUE:
        seen: dict[str, str] = {}
        for path, value in _keyed(raw, section, key):
            first = seen.setdefault(value.casefold(), path)
            if first != path:
                problems.append(FileProblem(path, message, {"value": value, "first": first}))
    directions = {code for _, code in _keyed(raw, "directions", "code")}
    for path, code in _keyed(raw, "ideas", "direction"):
        if code not in directions:
            problems.append(FileProblem(path, "file-unknown-direction", {"value": code}))
    return problems
