"""The add-slot wizard's steps, each defined once on the wizard engine (services.wizard): its
order, whether it may be skipped, and how a typed answer is checked and what it stores in the
draft. The use cases that drive it (and save the draft at every step) are in
services.internships.slots.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from services.errors import InvalidInput
from services.internships.views import LOCAL_DATETIME, BookingPolicy, parse_local_datetime
from services.sites_file import MAX_CAPACITY
from services.text_fit import trim, visible_length
from services.wizard import Wizard

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


@dataclass(frozen=True)
class SlotFacts:
    """What a typed answer is checked against: the season's zone, now, the draft so far."""

    policy: BookingPolicy
    now: datetime
    data: Mapping[str, Any]


# A typed answer checked, as the draft fields it sets.
Parser = Callable[[str, SlotFacts], dict[str, Any]]


@dataclass(frozen=True)
class SlotStepDef:
    code: str
    optional: bool = False
    typed: Parser | None = None  # None: answered with a button (site, kind) or at the end


def parse_capacity(text: str) -> int:
    text = text.strip()
    if not text.isdigit():
        raise InvalidInput("slot-capacity-format")
    capacity = int(text)
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput("slot-capacity-range", max=MAX_CAPACITY)
    return capacity


def _start(text: str, facts: SlotFacts) -> dict[str, Any]:
    start = parse_local_datetime(text, facts.policy)
    if start <= facts.now:
        raise InvalidInput("slot-start-past")
    if start - facts.now > timedelta(days=400):
        raise InvalidInput("slot-start-far")
    return {"start": start.isoformat(), "start_text": facts.policy.format(start)}


def _end(text: str, facts: SlotFacts) -> dict[str, Any]:
    """A time on the start's day, or a full local date and time."""
    policy = facts.policy
    start = datetime.fromisoformat(facts.data["start"])
    match = _TIME.match(text)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise InvalidInput("slot-time-invalid")
        end = policy.at(policy.local(start).date(), time(hour, minute))
    elif LOCAL_DATETIME.match(text):
        end = parse_local_datetime(text, policy)
    else:
        raise InvalidInput("slot-end-format")
    if end <= start:
        raise InvalidInput("slot-end-before-start", start=policy.format(start))
    if end - start > timedelta(days=31):
        raise InvalidInput("slot-too-long")
    return {"end": end.isoformat(), "when": policy.span(start, end)}


def _capacity(text: str, facts: SlotFacts) -> dict[str, Any]:
    return {"capacity": parse_capacity(text)}


def _requirements(text: str, facts: SlotFacts) -> dict[str, Any]:
    if len(text) > 1000:
        raise InvalidInput("slot-reqs-long")
    return {"reqs": text}


def _directions(text: str, facts: SlotFacts) -> dict[str, Any]:
    directions = [trim(d) for d in re.split(r"[,;\n]", text) if visible_length(d)]
    if not directions or any(len(d) > 100 for d in directions) or len(directions) > 10:
        raise InvalidInput("slot-dirs-invalid")
    return {"dirs": directions}


SLOT_WIZARD = Wizard(
    (
        SlotStepDef("site"),  # asked only of a contact of more than one site
        SlotStepDef("kind"),
        SlotStepDef("start", typed=_start),
        SlotStepDef("end", typed=_end),
        SlotStepDef("capacity", typed=_capacity),
        SlotStepDef("reqs", optional=True, typed=_requirements),
        SlotStepDef("dirs", optional=True, typed=_directions),
        SlotStepDef("confirm"),
    )
)
SLOT_STEPS = tuple(step.code for step in SLOT_WIZARD.steps)
OPTIONAL_SLOT_STEPS = tuple(step.code for step in SLOT_WIZARD.steps if step.optional)
