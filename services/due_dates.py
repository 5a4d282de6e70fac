"""A due date as a person types it, read in the season's zone: the ИУП's tasks and the roadmap's
stages take it the same way, so it belongs to neither."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from services.errors import InvalidInput
from services.reminders import ReminderPolicy

_DUE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2})[:.](\d{2}))?\s*$")


def parse_due(text: str, policy: ReminderPolicy, now: datetime) -> datetime:
    """ "ДД.ММ.ГГГГ ЧЧ:ММ" or "ДД.ММ.ГГГГ" (then 23:59) in the season's zone, as UTC."""
    match = _DUE.match(text)
    if match is None:
        raise InvalidInput("plan-due-format")
    day, month, year, hour, minute = match.groups()
    try:
        local = datetime(
            int(year),
            int(month),
            int(day),
            int(hour) if hour is not None else 23,
            int(minute) if minute is not None else 59,
            tzinfo=policy.timezone,
        )
    except ValueError:
        raise InvalidInput("plan-due-invalid") from None
    due = local.astimezone(UTC)
    if due <= now:
        raise InvalidInput("plan-due-past")
    if (due - now).days > 2 * 366:
        raise InvalidInput("plan-due-far")
    return due
