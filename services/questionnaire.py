"""The questionnaire as a step machine over a season's configuration: which steps there are for
a role, how each answer is validated and normalised, the next-step rule, the resume point and
the progress. Pure functions over plain data: no database, no messenger.

An input that does not fit raises `InvalidAnswer` with the Fluent key of a specific Russian
message (and its arguments); the caller repeats the step with that message.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.domain import QuestionKind, Role
from services.seasons import QuestionInfo, SeasonConfig
from services.text_fit import trim, visible_length


class StepKind(enum.StrEnum):
    CHOICE = "choice"  # buttons (typed labels also accepted)
    CONFIRM = "confirm"  # a consent: only the button counts
    TEXT = "text"
    NAME = "name"
    DATE = "date"
    PHONE = "phone"
    EMAIL = "email"
    LEADER_ID = "leader_id"
    MEO = "meo"
    GRADE = "grade"
    MUNICIPALITY = "municipality"
    MEDIA = "media"
    SCALE = "scale"
    IDEAS = "ideas"


@dataclass(frozen=True)
class Step:
    code: str
    kind: StepKind
    optional: bool = False
    choices: tuple[str, ...] = ()
    min_length: int = 1
    max_length: int = 200
    question: QuestionInfo | None = None

    @property
    def prompt_key(self) -> str:
        return "apply-step-question" if self.question is not None else f"apply-step-{self.code}"


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


MEDIA_KINDS = ("video", "video_note", "voice", "photo", "document")
MB = 1024 * 1024
MEDIA_SIZE_LIMITS = {
    "video": 50 * MB,
    "video_note": 20 * MB,
    "voice": 20 * MB,
    "photo": 10 * MB,
    "document": 20 * MB,
}
MEDIA_DURATION_LIMITS = {"video": 300, "video_note": 60, "voice": 300}  # seconds
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.ms-powerpoint": "PPT",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.presentation": "ODP",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
PRESENTATION_TEXT = (50, 3000)
ABOUT_TEXT = (50, 2000)
RELATIONS = ("mother", "father", "guardian", "trustee")
EDU_TYPES = ("school", "college")
GRADE_RANGES = {"school": (1, 11), "college": (1, 4), "university": (1, 6)}
REPRESENTATIVE_STEPS = ("rep_name", "rep_relation", "rep_phone", "rep_consent")
# The steps that decide the path (which consents are asked, which questions follow).
PATH_STEPS = ("role", "age_group")
# Steps that are not edited from the review screen: the path and the consents are given once.
FIXED_STEPS = frozenset({*PATH_STEPS, "consent", *REPRESENTATIVE_STEPS})


class AgeGroup(enum.StrEnum):
    """Whose consent the law asks for, by age: under the season's threshold only a legal
    representative's, from it to the adult age both the applicant's and a representative's,
    from the adult age the applicant's own. Asked with buttons before consent: a bracket alone
    is not personal data, and it is all the bot needs to know whose consent to ask."""

    CHILD = "child"
    TEEN = "teen"
    ADULT = "adult"

    @property
    def asks_own_consent(self) -> bool:
        return self is not AgeGroup.CHILD

    @property
    def asks_representative(self) -> bool:
        return self is not AgeGroup.ADULT


def group_bounds(config: SeasonConfig, group: AgeGroup) -> tuple[int, int | None]:
    """The ages of a group, both ends included (None: no upper end)."""
    if group is AgeGroup.CHILD:
        return 0, config.representative_only_under - 1
    if group is AgeGroup.TEEN:
        return config.representative_only_under, config.adult_age - 1
    return config.adult_age, None


def age_groups(config: SeasonConfig) -> tuple[AgeGroup, ...]:
    """The groups the season's thresholds leave non-empty, youngest first."""
    found = []
    for group in AgeGroup:
        low, high = group_bounds(config, group)
        if high is None or low <= high:
            found.append(group)
    return tuple(found)


def group_of(config: SeasonConfig, age: int) -> AgeGroup:
    for group in age_groups(config):
        low, high = group_bounds(config, group)
        if low <= age and (high is None or age <= high):
            return group
    return AgeGroup.ADULT


def group_fits_role(config: SeasonConfig, role: Role, group: AgeGroup) -> bool:
    """Does the group share at least one age with the role's range?"""
    low, high = age_range(config, role)
    group_low, group_high = group_bounds(config, group)
    return (high is None or group_low <= high) and (group_high is None or low <= group_high)


def groups_for(config: SeasonConfig, role: Role) -> tuple[AgeGroup, ...]:
    return tuple(g for g in age_groups(config) if group_fits_role(config, role, g))


def asks_age_group(config: SeasonConfig, role: Role) -> bool:
    """Only when the role's ages span more than one consent rule (students by default)."""
    return len(groups_for(config, role)) > 1


def chosen_group(
    config: SeasonConfig, role: Role | None, answered: Mapping[str, object]
) -> AgeGroup | None:
    """The group the path follows: the one the role implies, else the applicant's answer if
    it fits the role, else None (not known yet)."""
    role = role or Role.STUDENT
    groups = groups_for(config, role)
    if len(groups) == 1:
        return groups[0]
    value = answered.get("age_group")
    return next((g for g in groups if g.value == value), None)


def steps_for(
    config: SeasonConfig, role: Role | None, answered: Mapping[str, object] | None = None
) -> list[Step]:
    """The steps for a role and the age group answered; before the role (or the group) is
    known, the longest path (the student's, with both consents)."""
    role = role or Role.STUDENT
    groups = groups_for(config, role) or (AgeGroup.ADULT,)
    steps = [Step("role", StepKind.CHOICE, choices=("student", "tutor"))]
    if len(groups) > 1:
        # Every group is offered: one outside the role's range is refused at once, with the
        # way forward, instead of after the birth date.
        choices = tuple(group.value for group in age_groups(config))
        steps.append(Step("age_group", StepKind.CHOICE, choices=choices))
    group = chosen_group(config, role, answered or {})
    possible = (group,) if group is not None else groups
    if any(g.asks_own_consent for g in possible):
        steps.append(Step("consent", StepKind.CONFIRM))
    if any(g.asks_representative for g in possible):
        steps += [
            Step("rep_name", StepKind.NAME, max_length=200),
            Step("rep_relation", StepKind.CHOICE, choices=RELATIONS),
            Step("rep_phone", StepKind.PHONE),
            Step("rep_consent", StepKind.CONFIRM),
        ]
    steps += [
        Step("birth_date", StepKind.DATE),
        Step("full_name", StepKind.NAME, max_length=200),
        Step("municipality", StepKind.MUNICIPALITY),
    ]
    if role is not Role.TUTOR:
        steps.append(Step("edu_type", StepKind.CHOICE, choices=EDU_TYPES))
    steps += [
        Step("institution", StepKind.TEXT, min_length=2, max_length=200),
        Step("grade", StepKind.GRADE),
        Step("phone", StepKind.PHONE),
        Step("email", StepKind.EMAIL, optional=True),
        Step("leader_id", StepKind.LEADER_ID, optional=True),
        Step("meo", StepKind.MEO, optional=True),
        Step("about", StepKind.TEXT, min_length=ABOUT_TEXT[0], max_length=ABOUT_TEXT[1]),
        Step("presentation", StepKind.MEDIA),
    ]
    for question in config.questions:
        if question.kind is QuestionKind.SCALE:
            steps.append(Step(f"q-{question.code}", StepKind.SCALE, question=question))
        else:
            steps.append(
                Step(
                    f"q-{question.code}",
                    StepKind.TEXT,
                    min_length=question.min_length or 1,
                    max_length=question.max_length or 4000,
                    question=question,
                )
            )
    steps.append(Step("ideas", StepKind.IDEAS))
    return steps


def index_of(steps: list[Step], code: str) -> int:
    for index, step in enumerate(steps):
        if step.code == code:
            return index
    raise KeyError(code)


def resume_point(steps: list[Step], answered: Mapping[str, object]) -> Step | None:
    """The first unanswered step; None when every step has an answer (the review is next)."""
    return next((step for step in steps if step.code not in answered), None)


def next_step(steps: list[Step], answered: Mapping[str, object], after: str) -> Step | None:
    """After answering `after`: the first unanswered step behind it, else the first unanswered
    one anywhere, else None (all done: the review)."""
    position = index_of(steps, after)
    later = next((s for s in steps[position + 1 :] if s.code not in answered), None)
    return later or resume_point(steps, answered)


def revisitable(step: Step, answered: Mapping[str, object]) -> bool:
    """May the applicant go back to this step? Always to the role and the age group (changing
    them keeps what still applies and erases the rest); not to a consent once given, not to
    the representative's details once they confirmed."""
    if step.code in PATH_STEPS:
        return True
    if step.kind is StepKind.CONFIRM:
        return step.code not in answered
    if step.code in REPRESENTATIVE_STEPS:
        return "rep_consent" not in answered
    return True


def previous_step(steps: list[Step], answered: Mapping[str, object], current: str) -> Step | None:
    """The nearest earlier step one may go back to: given consents are stepped over, so every
    step after the role has Back (at least to the role or the age group)."""
    position = index_of(steps, current)
    return next((s for s in reversed(steps[:position]) if revisitable(s, answered)), None)


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


def age_range(config: SeasonConfig, role: Role) -> tuple[int, int | None]:
    return config.student_ages if role is Role.STUDENT else config.tutor_ages


def group_args(config: SeasonConfig) -> dict[str, Any]:
    """What the age groups' labels say: the threshold, the last teen age, the adult age."""
    return {
        "under": config.representative_only_under,
        "top": config.adult_age - 1,
        "adult": config.adult_age,
    }


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


def grade_range(role: Role | None, edu_type: str | None) -> tuple[str, int, int]:
    kind = "university" if role is Role.TUTOR else (edu_type or "school")
    low, high = GRADE_RANGES[kind]
    return kind, low, high


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
        if given.kind == "contact" and step.code == "phone":
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
