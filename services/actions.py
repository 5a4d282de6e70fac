"""Button actions and their one codec: what a button does, as a feature's enum verb plus bounded
ids, encoded into a messenger's button payload and decoded back with every field checked.

Messenger-neutral (no aiogram): services may name actions, and the Telegram adapter and a MAX
adapter share the encoding. A payload comes from the client and can be forged or be left from an
older layout, so `decode` refuses anything that is not exactly what `encode` would write: an
unknown feature, another layout version, the wrong number of fields, a verb the feature lacks, an
id out of its bounds, or a value in other than its canonical form. The refusal names what is
wrong, never the values.

Encoded form: `<prefix>:<version>:<verb>:<field>:...`, every field of the action in declaration
order, so the field count is fixed per feature. Telegram caps callback data at 64 bytes; each
field's bound keeps the longest encoding under that (tests/unit/test_actions.py measures it).
"""

from __future__ import annotations

import enum
import functools
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SEPARATOR = ":"
# Telegram's limit on callback data, in bytes; MAX allows more.
PAYLOAD_LIMIT = 64

# A row id: positive, 0 where a button names none (PostgreSQL's integer is 32-bit).
Id = Annotated[int, Field(ge=0, lt=2**31)]
# A page of a list a button pages through.
Page = Annotated[int, Field(ge=0, le=99)]
# A step's code: a fixed step, or `q-` and a season question's code (at most 18 characters).
StepCode = Annotated[str, Field(pattern=r"^[a-z0-9_-]*$", max_length=20)]
# A choice's value: a role, an age group, a relation, a mark on a scale.
ChoiceCode = Annotated[str, Field(pattern=r"^[a-z0-9_-]*$", max_length=8)]

_ACTIONS: dict[str, type[Action]] = {}


class RefusedPayload(ValueError):
    """A payload no action reads: forged, malformed or from an older layout. `reason` names
    what is wrong, never the values."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Action(BaseModel):
    """A button's action. A feature subclasses it with `prefix=` (unique, short), its `verb`
    (an enum whose values are the short encoded forms) as the first field, and bounded fields
    with defaults. Raise `version=` when a feature's fields change: buttons already sent are then
    refused as stale instead of being read with the new layout."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prefix: ClassVar[str]
    version: ClassVar[int]

    def __init_subclass__(cls, *, prefix: str = "", version: int = 1, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or SEPARATOR in prefix:
            raise TypeError(f"{cls.__name__}: an action needs a prefix without {SEPARATOR!r}")
        if prefix in _ACTIONS:
            raise TypeError(f"{cls.__name__}: prefix {prefix!r} is taken")
        cls.prefix = prefix
        cls.version = version
        _ACTIONS[prefix] = cls

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        first = next(iter(cls.model_fields), None)
        annotation = cls.model_fields[first].annotation if first else None
        if first != "verb" or not (
            isinstance(annotation, type) and issubclass(annotation, enum.StrEnum)
        ):
            raise TypeError(f"{cls.__name__}: the first field must be `verb`, a StrEnum")

    def args(self) -> dict[str, Any]:
        """The fields as plain values, for storing a button with a queued message."""
        return self.model_dump(mode="json")


def actions() -> dict[str, type[Action]]:
    """Every action by its prefix."""
    return dict(_ACTIONS)


def _field(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def encode(action: Action) -> str:
    fields = (_field(getattr(action, name)) for name in type(action).model_fields)
    return SEPARATOR.join((action.prefix, str(action.version), *fields))


def build(prefix: str, args: dict[str, Any]) -> Action:
    """An action from its prefix and stored field values (a queued message's button)."""
    if prefix not in _ACTIONS:
        raise LookupError(f"no action with prefix {prefix!r}")
    return _ACTIONS[prefix].model_validate(args)


@functools.lru_cache(maxsize=1024)
def decode(payload: str) -> Action:
    """The action a payload names, or RefusedPayload. Cached: each handler's filter decodes the
    same press, and an action is immutable."""
    prefix, _, rest = payload.partition(SEPARATOR)
    kind = _ACTIONS.get(prefix)
    if kind is None:
        raise RefusedPayload("unknown prefix")
    version, _, rest = rest.partition(SEPARATOR)
    if version != str(kind.version):
        raise RefusedPayload(f"{prefix}: stale layout")
    values = rest.split(SEPARATOR)
    names = list(kind.model_fields)
    if len(values) != len(names):
        raise RefusedPayload(f"{prefix}: wrong number of fields")
    try:
        action = kind.model_validate(dict(zip(names, values, strict=True)))
    except ValidationError as error:
        bad = sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]})
        if bad == ["verb"]:
            raise RefusedPayload(f"{prefix}: unknown verb") from None
        raise RefusedPayload(f"{prefix}: bad {', '.join(bad)}") from None
    if encode(action) != payload:  # "007", "+7", " 7": read, but not what encode writes
        raise RefusedPayload(f"{prefix}: not in canonical form")
    return action


# --- the features' actions --------------------------------------------------------------------


class ApplyVerb(enum.StrEnum):
    """The questionnaire's buttons (dialogs/apply.py)."""

    OPEN = "op"
    CHOOSE = "ch"
    PICK_MUNICIPALITY = "mu"
    CONFIRM = "ok"
    SKIP = "sk"
    BACK = "bk"
    KEEP = "kp"
    EDIT_FROM_REVIEW = "ed"
    REVIEW = "rv"
    CHANGE_PATH = "go"  # a refusal's way forward: the role or the age group again
    ASK_RESTART = "rs"
    RESTART = "ry"
    SUBMIT = "sb"
    IDEAS_PAGE = "ip"
    TOGGLE_IDEA = "it"
    IDEA_DETAILS = "ii"
    IDEAS_DONE = "id"
    ASK_WITHDRAW = "wd"
    WITHDRAW = "wy"
    ASK_WITHDRAW_CONSENT = "pw"
    WITHDRAW_CONSENT = "py"
    CHANGED_MIND = "no"


class ApplyAction(Action, prefix="ap", version=2):
    verb: ApplyVerb
    application: Id = 0
    step: StepCode = ""
    choice: ChoiceCode = ""
    item: Id = 0  # a municipality or an idea
    page: Page = 0


class ForgetVerb(enum.StrEnum):
    """/forget's question (dialogs/forget.py): erase everything, or changed my mind."""

    CONFIRM = "y"
    CHANGED_MIND = "n"


class ForgetAction(Action, prefix="fg"):
    verb: ForgetVerb


class PlanVerb(enum.StrEnum):
    """A task of the ИУП (dialogs/plan.py; reminders and review notices name them too)."""

    LIST = "list"
    OPEN = "open"
    START = "start"
    ASK_EVIDENCE = "sub"
    APPROVE = "ok"
    ASK_RETURN_COMMENT = "ret"
    ASK_DUE = "due"
    ASK_DELETE = "del"
    DELETE = "delok"
    BACK = "back"


class PlanAction(Action, prefix="plan", version=2):
    verb: PlanVerb
    task: Id = 0


class SnoozeVerb(enum.StrEnum):
    """Putting a reminder off (its values are what `ReminderService.snooze` takes)."""

    AN_HOUR = "h"
    TILL_TOMORROW = "t"


class SnoozeAction(Action, prefix="rsn", version=2):
    verb: SnoozeVerb
    reminder: Id = 0


class AssignVerb(enum.StrEnum):
    """The /assign dialogue's buttons."""

    PICK_TARGET = "tgt"
    PICK_KIND = "kind"
    SKIP = "skip"
    BACK = "back"
    CANCEL = "cancel"
    CONFIRM = "ok"


# A target's kind (`team` or `student`) or a task kind (`professional_trial` the longest).
KindCode = Annotated[str, Field(pattern=r"^[a-z0-9_-]*$", max_length=18)]


class AssignAction(Action, prefix="asg", version=2):
    verb: AssignVerb
    kind: KindCode = ""
    target: Id = 0


# A week offset or a list position; -1 where a button names none. The service checks the exact
# range; this bound only keeps absurd numbers out.
Small = Annotated[int, Field(ge=-1000, le=1000)]


class InternshipsVerb(enum.StrEnum):
    """Browsing open slots (/internships)."""

    SHOW_WEEK = "wk"
    PICK_DIRECTION = "dirs"
    BOOK = "book"


class InternshipsAction(Action, prefix="int", version=2):
    verb: InternshipsVerb
    week: Small = 0  # which seven days: 0 from today, 1 the next seven…
    direction: Small = -1  # a position in the week's list of directions; -1 all
    slot: Id = 0


class BookingVerb(enum.StrEnum):
    """A booking's buttons: the student's (cancel, answer an offer) and the site contact's or
    mentor's (decide, mark attendance)."""

    CANCEL = "cancel"
    ACCEPT_OFFER = "acc"
    REFUSE_OFFER = "rej"
    CONFIRM = "ok"
    DECLINE = "no"
    ATTENDED = "att"
    ABSENT = "abs"


class BookingAction(Action, prefix="bk", version=2):
    verb: BookingVerb
    booking: Id = 0


class SlotVerb(enum.StrEnum):
    """The site contact's /slots."""

    LIST = "list"
    OPEN = "open"
    ASK_CAPACITY = "cap"
    ASK_CLOSE = "close"
    CLOSE = "closeok"
    ADD = "add"


class SlotAction(Action, prefix="sl", version=2):
    verb: SlotVerb
    slot: Id = 0


class SlotAddVerb(enum.StrEnum):
    """The dialogue that adds a slot."""

    PICK_SITE = "site"
    PICK_KIND = "kind"
    SKIP = "skip"
    BACK = "back"
    CANCEL = "cancel"
    SAVE = "ok"


class SlotAddAction(Action, prefix="sla", version=2):
    verb: SlotAddVerb
    site: Id = 0
    kind: KindCode = ""  # a slot kind


class ReviewVerb(enum.StrEnum):
    """The reviewer's application card and /review's list."""

    OPEN_CARD = "o"
    SCORE = "s"
    CRITERION_HINT = "h"  # on cards sent before the criteria were named in the text
    ASK_COMMENT = "cm"
    RECOMMEND = "r"
    NEXT_APPLICATION = "n"
    LIST = "l"


class ReviewAction(Action, prefix="sel", version=2):
    verb: ReviewVerb
    application: Id = 0
    criterion: Id = 0
    value: Small = 0  # a score, or a position in RECOMMENDATIONS
    idea: Id = 0  # the list's filter; 0 every idea
    page: Small = 0


class OfficeVerb(enum.StrEnum):
    """The office's /selection."""

    OVERVIEW = "ov"
    IDEA_RANKING = "id"
    OPEN_CARD = "a"
    DECIDE = "d"
    UNDO = "u"
    PREVIEW_TOP = "tp"
    ACCEPT_TOP = "ty"
    PREVIEW_PUBLISH = "pp"
    PUBLISH = "py"
    CANCEL = "no"


# A short hex digest: what the button was pressed about (a decision's stamp, the top-N plan), so
# a press about something that changed since is refused.
Stamp = Annotated[str, Field(pattern=r"^[0-9a-f]*$", max_length=16)]


class OfficeAction(Action, prefix="ofs", version=2):
    verb: OfficeVerb
    application: Id = 0
    idea: Id = 0
    decision: Small = 0  # a position in DECISIONS
    stamp: Stamp = ""


class RoadmapVerb(enum.StrEnum):
    """The team's passport and roadmap (/passport, /roadmap)."""

    OPEN_PASSPORT = "po"
    FILL_PASSPORT = "pf"
    KEEP_FIELD = "pk"
    PREVIOUS_FIELD = "pb"
    LEAVE_PASSPORT = "px"
    SUBMIT_PASSPORT = "ps"
    APPROVE_PASSPORT = "pok"
    ASK_PASSPORT_RETURN = "pret"
    OPEN_ROADMAP = "ro"
    OPEN_STAGE = "so"
    ADD_STAGE = "sa"
    ASK_STAGE_DUE = "sd"
    ASK_STAGE_REPORT = "ss"
    APPROVE_STAGE = "sok"
    ASK_STAGE_RETURN = "sret"
    BACK = "x"


class RoadmapAction(Action, prefix="rm", version=2):
    verb: RoadmapVerb
    item: Id = 0  # a team, a passport or a stage, as the verb says


class TeamVerb(enum.StrEnum):
    """/team and /announce."""

    OPEN_ROSTER = "r"
    SHARE_CONTACT = "sh1"
    STOP_SHARING_CONTACT = "sh0"
    ANNOUNCE_TO = "an"
    BACK = "x"


class TeamAction(Action, prefix="tm", version=2):
    verb: TeamVerb
    team: Id = 0


class ProfileVerb(enum.StrEnum):
    """/profile: a person's profile, its PDF, and a team's members for its mentor."""

    OPEN = "o"
    SEND_PDF = "pdf"
    MEMBERS = "m"


class ProfileAction(Action, prefix="pf", version=1):
    verb: ProfileVerb
    person: Id = 0
    team: Id = 0


class AccessVerb(enum.StrEnum):
    """The office's /access."""

    SHOW_PAGE = "pg"
    ASK_REVOKE_INVITATION = "ai"
    ASK_REVOKE_ROLE = "ar"
    REVOKE_INVITATION = "yi"
    REVOKE_ROLE = "yr"


class AccessAction(Action, prefix="acc", version=2):
    verb: AccessVerb
    item: Id = 0  # an invitation or a role grant, as the verb says
    page: Small = 0  # the page to come back to


class ParentVerb(enum.StrEnum):
    """A parent's consent from their own account (dialogs/parent.py)."""

    RELATION = "rl"
    CONFIRM = "ok"
    CANCEL = "no"
    WITHDRAW = "wy"
    RESEND = "rs"


class ParentAction(Action, prefix="pc", version=2):
    verb: ParentVerb
    choice: ChoiceCode = ""  # a relation
