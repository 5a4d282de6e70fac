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
# A target's kind (`team` or `student`) or a task kind (`professional_trial` the longest).
KindCode = Annotated[str, Field(pattern=r"^[a-z0-9_-]*$", max_length=18)]
# A week offset or a list position; -1 where a button names none. The service checks the exact
# range; this bound only keeps absurd numbers out.
Small = Annotated[int, Field(ge=-1000, le=1000)]
# A short hex digest: what the button was pressed about (a decision's stamp, the top-N plan), so
# a press about something that changed since is refused.
Stamp = Annotated[str, Field(pattern=r"^[0-9a-f]*$", max_length=16)]

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
