"""Callback data: the bounded field types every CallbackData factory uses, the factories by
prefix, and reading a press's data the way its factory does.

Data comes from the client and can be forged. Bounding each number here, when the data is
parsed, means an id that no database column can hold (PostgreSQL's integer is 32-bit) never
reaches a query: the press matches no handler and the fallback refuses it.
"""

from __future__ import annotations

import functools
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field, ValidationError

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


def parse(data: str) -> CallbackData:
    """The press's data as its factory reads it, or MalformedData: an unknown prefix, the wrong
    number of fields, or a value out of its bounds (forged, or a button from an older version)."""
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
