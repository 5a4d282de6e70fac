"""Events of the season (the summer school and others): created by the office from a small
YAML, invitations with «Буду / Не смогу», reminders a day and an hour before, the agenda on
request, changes announced to those who said yes, attendance by code or roster."""

from services.season_events.service import (
    CheckinResult,
    EventCreated,
    Roster,
    RosterRow,
    SeasonEventService,
)
from services.season_events.spec import EXAMPLE, parse_event

__all__ = [
    "EXAMPLE",
    "CheckinResult",
    "EventCreated",
    "Roster",
    "RosterRow",
    "SeasonEventService",
    "parse_event",
]
