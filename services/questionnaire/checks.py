"""Validation and normalisation of one input: every check a questionnaire answer passes.
Pure functions over plain data: no database, no messenger.

An input that does not fit raises `InvalidAnswer` with the Fluent key of a specific Russian
message (and its arguments); the caller repeats the step with that message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from services.domain import Role
from services.questionnaire.groups import (
    AgeGroup,
    age_range,
    asks_age_group,
    chosen_group,
    group_args,
    group_fits_role,
    group_of,
)
from services.questionnaire.kinds import StepKind
from services.questionnaire.limits import (
    DOCUMENT_TYPES,
    MB,
    MEDIA_DURATION_LIMITS,
    MEDIA_KINDS,
    MEDIA_SIZE_LIMITS,
    PRESENTATION_TEXT,
    grade_range,
)
from services.questionnaire.steps import Step
from services.seasons import SeasonConfig
from services.text_fit import trim, visible_length


class InvalidAnswer(Exception):
    """The input does not fit the step: `key` names the Russian text that says what is expected."""

    def __init__(self, key: str, **args: object) -> None:
        super().__init__(key)
        self.key = key
        self.args_for_text = args


@dataclass(frozen=True)
class Input:
    """One message or button press, stripped of the messenger.

    kind: text, command, choice (a button's value), confirm (a consent button), contact,
    photo, video, video_note, voice, document, sticker, or other (any other content).
    `caption`: the text sent with a file (a photo's signature, say), apart from `text`.
    """

    kind: str
    text: str | None = None
    file_id: str | None = None
    file_unique_id: str | None = None
    file_size: int | None = None
    mime_type: str | None = None
    duration: int | None = None
    contact_is_own: bool = False
    caption: str | None = None


# ---------------------------------------------------------------------------------------------
# Validation


def _expect_text(step: Step, given: Input) -> str:
    """The text of the input, or the specific complaint about what came instead."""
    if given.kind == "text" and given.text is not None:
        return trim(given.text)
    raise _wrong_kind(given)


def _wrong_kind(given: Input) -> InvalidAnswer:
    if given.kind == "sticker":
        return InvalidAnswer("apply-bad-sticker")
    if given.kind == "command":
        return InvalidAnswer("apply-bad-command", command=(given.text or "").split()[0][:32])
    if given.kind in (*MEDIA_KINDS, "contact", "other"):
        return InvalidAnswer("apply-bad-media")
    if given.kind in ("choice", "confirm"):
        return InvalidAnswer("apply-bad-button")
    return InvalidAnswer("apply-bad-input")


DATE_RE = re.compile(r"^(\d{1,2})[./\-\s](\d{1,2})[./\-\s](\d{4})$")
NAME_RE = re.compile(
    r"^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'\-.]*(?:\s+[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'\-.]*)+$"
)
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")
LEADER_URL_RE = re.compile(r"^(?:https?://)?(?:www\.)?leader-id\.ru/users/(\d{1,12})/?$", re.I)
MEO_RE = re.compile(r"^[A-Za-z0-9._\-]{3,64}$")


def parse_date(text: str) -> date:
    match = DATE_RE.match(text.strip())
    if not match:
        raise InvalidAnswer("apply-bad-date")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidAnswer("apply-bad-date-value") from None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def check_age_group(value: str, config: SeasonConfig, role: Role) -> AgeGroup:
    """A group that shares no age with the role's range is refused at once, naming the range."""
    group = AgeGroup(value)
    if not group_fits_role(config, role, group):
        low, high = age_range(config, role)
        raise InvalidAnswer(
            "apply-age-group-refused",
            role=role.value,
            low=low,
            high=high if high is not None else "none",
        )
    return group


def check_birth_date(
    text: str, config: SeasonConfig, role: Role, now: datetime, group: AgeGroup | None = None
) -> date:
    """A birth date in the past, the age on the application day (in the season's zone) within
    the role's range and within the age group the consents were asked for."""
    birth = parse_date(text)
    today = now.astimezone(config.zone).date()
    if birth >= today:
        raise InvalidAnswer("apply-date-future")
    if birth.year < today.year - 100:
        raise InvalidAnswer("apply-date-too-old")
    low, high = age_range(config, role)
    age = age_on(birth, today)
    if age < low or (high is not None and age > high):
        raise InvalidAnswer(
            "apply-age-refused",
            role=role.value,
            age=age,
            low=low,
            high=high if high is not None else "none",
        )
    if group is not None and group_of(config, age) is not group:
        raise InvalidAnswer(
            "apply-age-group-mismatch", age=age, group=group.value, **group_args(config)
        )
    return birth


def birth_date_fits(
    value: str, config: SeasonConfig, role: Role, group: AgeGroup | None, now: datetime
) -> bool:
    """Does a stored birth date still fit the role and the group (after either changed)?"""
    try:
        check_birth_date(date.fromisoformat(value).strftime("%d.%m.%Y"), config, role, now, group)
    except InvalidAnswer:
        return False
    return True


def normalize_phone(text: str) -> str:
    """A Russian mobile or landline number as +7XXXXXXXXXX."""
    cleaned = re.sub(r"[\s\-()]", "", text.strip())
    if not re.fullmatch(r"\+?\d{10,11}", cleaned):
        raise InvalidAnswer("apply-bad-phone")
    digits = cleaned.lstrip("+")
    if len(digits) == 10 and cleaned[0] != "+":
        digits = "7" + digits
    elif len(digits) == 11 and digits[0] == "8" and cleaned[0] != "+":
        digits = "7" + digits[1:]
    if len(digits) != 11 or digits[0] != "7" or digits[1] not in "3489":
        raise InvalidAnswer("apply-bad-phone")
    return "+" + digits


def normalize_name(text: str) -> str:
    name = " ".join(text.split())
    if len(name) > 200 or not NAME_RE.match(name):
        raise InvalidAnswer("apply-bad-name")
    return name


def normalize_email(text: str) -> str:
    value = text.strip()
    if len(value) > 254 or not EMAIL_RE.match(value) or ".." in value:
        raise InvalidAnswer("apply-bad-email")
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalize_leader_id(text: str) -> str:
    value = text.strip()
    if value.isdigit() and 1 <= len(value) <= 12:
        return value
    match = LEADER_URL_RE.match(value)
    if match:
        return match.group(1)
    raise InvalidAnswer("apply-bad-leader-id")


def normalize_meo(text: str) -> str:
    value = text.strip()
    if EMAIL_RE.match(value) and len(value) <= 64:
        return value
    if MEO_RE.match(value):
        return value
    raise InvalidAnswer("apply-bad-meo")


def parse_grade(text: str, role: Role | None, edu_type: str | None) -> int:
    kind, low, high = grade_range(role, edu_type)
    match = re.match(r"^\s*(\d{1,2})", text)
    if not match or not low <= int(match.group(1)) <= high:
        raise InvalidAnswer("apply-bad-grade", kind=kind, low=low, high=high)
    return int(match.group(1))


def bounded_text(text: str, low: int, high: int) -> str:
    """A free-text answer. Its minimum counts what a reader sees (zero-width and other format
    characters are nothing, a run of spaces is one), and an answer of nothing visible is empty
    whatever the minimum; the maximum counts every character stored."""
    value = trim(text)
    visible = visible_length(value)
    if visible < max(low, 1):
        raise InvalidAnswer("apply-text-too-short", low=max(low, 1), length=visible)
    if len(value) > high:
        raise InvalidAnswer("apply-text-too-long", high=high, length=len(value))
    return value


def normalize_key(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def narrow(names: tuple[tuple[int, str], ...], typed: str) -> list[tuple[int, str]]:
    """Municipalities whose name (or a word of it) starts with what was typed."""
    key = normalize_key(typed)
    if not key:
        return []
    found = []
    for municipality_id, name in names:
        normalized = normalize_key(name)
        words = re.split(r"[\s\-«»\"()]+", normalized)
        if normalized.startswith(key) or any(word.startswith(key) for word in words if word):
            found.append((municipality_id, name))
    return found


@dataclass(frozen=True)
class MediaAnswer:
    kind: str
    file_id: str | None
    file_unique_id: str | None
    file_size: int | None
    mime_type: str | None
    duration: int | None
    text: str | None


def check_presentation(given: Input) -> MediaAnswer:
    if given.kind == "text" and given.text is not None:
        body = bounded_text(given.text, *PRESENTATION_TEXT)
        return MediaAnswer("text", None, None, None, None, None, body)
    if given.kind == "sticker" or given.kind == "command":
        raise _wrong_kind(given)
    if given.kind not in MEDIA_KINDS or not given.file_id:
        raise InvalidAnswer("apply-media-unsupported")
    if given.kind == "document" and (given.mime_type or "") not in DOCUMENT_TYPES:
        raise InvalidAnswer("apply-document-unsupported")
    limit = MEDIA_SIZE_LIMITS[given.kind]
    if given.file_size is not None and given.file_size > limit:
        raise InvalidAnswer(
            "apply-media-too-big",
            kind=given.kind,
            size=round(given.file_size / MB, 1),
            limit=limit // MB,
        )
    longest = MEDIA_DURATION_LIMITS.get(given.kind)
    if longest is not None and given.duration is not None and given.duration > longest:
        raise InvalidAnswer(
            "apply-media-too-long", kind=given.kind, seconds=given.duration, limit=longest
        )
    return MediaAnswer(
        given.kind,
        given.file_id,
        given.file_unique_id,
        given.file_size,
        given.mime_type,
        given.duration,
        None,
    )


def check_choice(step: Step, given: Input, labels: Mapping[str, str]) -> str:
    """A button's value, or a typed text equal to one of the labels (or the value itself)."""
    if given.kind == "choice" and given.text in step.choices:
        return given.text
    if given.kind == "text" and given.text is not None:
        key = normalize_key(given.text)
        for value in step.choices:
            if key in (normalize_key(value), normalize_key(labels.get(value, value))):
                return value
        # "колледж" for "колледж (СПО)": a unique beginning of a label will do
        starts = [v for v in step.choices if normalize_key(labels.get(v, v)).startswith(key)]
        if len(key) >= 3 and len(starts) == 1:
            return starts[0]
        raise InvalidAnswer("apply-bad-choice")
    raise _wrong_kind(given)


def check_scale(given: Input) -> str:
    if given.kind in ("choice", "text") and (given.text or "").strip() in {"1", "2", "3", "4", "5"}:
        return (given.text or "").strip()
    if given.kind in ("choice", "text"):
        raise InvalidAnswer("apply-bad-scale")
    raise _wrong_kind(given)


def check_simple(
    step: Step,
    given: Input,
    *,
    config: SeasonConfig,
    role: Role | None,
    answers: Mapping[str, str | None],
    now: datetime,
) -> str:
    """Validate and normalise an input for the steps whose answer is one stored string."""
    if step.kind is StepKind.PHONE:
        if given.kind == "contact" and step.own_contact:
            if not given.contact_is_own:
                raise InvalidAnswer("apply-contact-not-own")
            return normalize_phone(given.text or "")
        return normalize_phone(_expect_text(step, given))
    if step.kind is StepKind.SCALE:
        return check_scale(given)
    text = _expect_text(step, given)
    if text.startswith("/"):
        raise InvalidAnswer("apply-bad-command", command=text.split()[0][:32])
    match step.kind:
        case StepKind.NAME:
            return normalize_name(text)
        case StepKind.DATE:
            assert role is not None
            group = chosen_group(config, role, answers) if asks_age_group(config, role) else None
            return check_birth_date(text, config, role, now, group).isoformat()
        case StepKind.EMAIL:
            return normalize_email(text)
        case StepKind.LEADER_ID:
            return normalize_leader_id(text)
        case StepKind.MEO:
            return normalize_meo(text)
        case StepKind.GRADE:
            return str(parse_grade(text, role, answers.get("edu_type")))
        case StepKind.TEXT:
            return bounded_text(text, step.min_length, step.max_length)
    raise InvalidAnswer("apply-bad-input")
