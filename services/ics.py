"""Calendar files (.ics) a student adds to the phone: one VEVENT in the season's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//Kadry budushchego//bot//RU"


def event_ics(
    *,
    uid: str,
    summary: str,
    location: str,
    description: str | None,
    starts_at: datetime,
    ends_at: datetime,
    timezone: str,
    stamp: datetime,
) -> bytes:
    """A VCALENDAR with one VEVENT whose DTSTART/DTEND carry the season's TZID (and the
    VTIMEZONE that defines it). `uid` is stable, so sending the file again updates the event
    in the calendar instead of adding a second one."""
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", ends_at.astimezone(zone))
    event.add("summary", summary)
    event.add("location", location)
    if description:
        event.add("description", description)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
