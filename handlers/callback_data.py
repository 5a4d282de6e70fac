"""Callback data: the filter that matches a press to a typed action (services/actions.py, the
one codec), the bounded field types the remaining CallbackData factories use, the factories by
prefix, and reading a press's data the way its codec or factory does.

Data comes from the client and can be forged. Bounding each number here, when the data is
parsed, means an id that no database column can hold (PostgreSQL's integer is 32-bit) never
reaches a query: the press matches no handler and the fallback refuses it.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery
from magic_filter import MagicFilter
from pydantic import Field, ValidationError

from services.actions import Action, RefusedPayload, actions, decode

# A row id: positive, 0 where a button names none.
Id = Annotated[int, Field(ge=0, lt=2**31)]
# A page, a week offset, a list position or a score; -1 where a button names none. The service
# checks the exact range; this bound only keeps absurd numbers out.
Small = Annotated[int, Field(ge=-1000, le=1000)]


@functools.cache
def factories() -> dict[str, type[CallbackData]]:
    """Collected once, on first use (an outgoing button or a press): every router is imported
    by then."""
    found: dict[str, type[CallbackData]] = {}
    pending: list[type[CallbackData]] = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        found[cls.__prefix__] = cls
        pending.extend(cls.__subclasses__())
    return found


class MalformedData(Exception):
    """A press's data that no factory reads; `reason` names what is wrong, never the values."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Pressed(Filter):
    """A press of a button carrying an action of `kind` for which `rule` holds (aiogram's magic
    filter over the action, e.g. `F.verb == ApplyVerb.SUBMIT`); the handler gets it as `action`.
    A payload the codec refuses matches nothing, so the fallback refuses it (handlers/fallback.py).
    """

    def __init__(self, kind: type[Action], rule: MagicFilter | None = None) -> None:
        self.kind = kind
        self.rule = rule

    async def __call__(self, query: CallbackQuery) -> bool | dict[str, Any]:
        if query.data is None:
            return False
        try:
            action = decode(query.data)
        except RefusedPayload:
            return False
        if not isinstance(action, self.kind):
            return False
        if self.rule is not None and not self.rule.resolve(action):
            return False
        return {"action": action}


def parse(data: str) -> Action | CallbackData:
    """The press's data as its codec or factory reads it, or MalformedData: an unknown prefix,
    another layout version, the wrong number of fields, an unknown verb or a value out of its
    bounds (forged, or a button from an older version)."""
    if data.split(":", 1)[0] in actions():
        try:
            return decode(data)
        except RefusedPayload as refused:
            raise MalformedData(refused.reason) from None
    for prefix, factory in factories().items():
        if data.split(factory.__separator__, 1)[0] != prefix:
            continue
        try:
            return factory.unpack(data)
        except ValidationError as error:
            fields = ", ".join(".".join(str(part) for part in e["loc"]) for e in error.errors())
            raise MalformedData(f"{prefix}: bad {fields}") from None
        except (TypeError, ValueError):
            raise MalformedData(f"{prefix}: wrong number of fields") from None
    raise MalformedData("unknown prefix")
