"""An event described in a small YAML (the office pastes it after /event_new): title, place,
who is invited and the agenda, times local to the season's zone. Pure: parsing and checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from services.domain import BroadcastSegment
from services.errors import InvalidInput

GROUPS = {
    "students": BroadcastSegment.STUDENTS,
    "tutors": BroadcastSegment.TUTORS,
    "mentors": BroadcastSegment.MENTORS,
}
TIME_FORMAT = "%Y-%m-%d %H:%M"
EXAMPLE = """title: Летняя школа
place: Технопарк
invite: [students, tutors]
teams: []
agenda:
  - at: 2027-07-01 10:00
    title: Открытие
    place: Актовый зал"""


@dataclass(frozen=True)
class AgendaPoint:
    at: datetime  # UTC
    title: str
    place: str | None


@dataclass(frozen=True)
class EventSpec:
    title: str
    place: str | None
    groups: tuple[BroadcastSegment, ...]
    teams: tuple[str, ...]
    agenda: tuple[AgendaPoint, ...]


def _bad(detail: str) -> InvalidInput:
    return InvalidInput("event-yaml-bad", detail=detail)


def parse_time(value: Any, zone: ZoneInfo) -> datetime:
    """A local «YYYY-MM-DD HH:MM» (or a YAML timestamp) as a UTC instant."""
    if isinstance(value, datetime):
        local = value.replace(tzinfo=None)
    else:
        try:
            local = datetime.strptime(str(value).strip(), TIME_FORMAT)
        except ValueError:
            raise _bad(f"время «{value}»") from None
    return local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _text(value: Any, limit: int = 200) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > limit:
        raise _bad(f"слишком длинный текст «{text[:30]}…»")
    return text or None


def parse_event(text: str, zone: ZoneInfo) -> EventSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise _bad("не разобрать YAML") from None
    if not isinstance(data, dict):
        raise _bad("ожидались поля title, invite, agenda")
    title = _text(data.get("title"))
    if not title:
        raise _bad("нет title")
    groups = []
    for group in data.get("invite") or []:
        if str(group) not in GROUPS:
            raise _bad(f"invite: «{group}» (можно students, tutors, mentors)")
        groups.append(GROUPS[str(group)])
    teams = tuple(str(team).strip() for team in data.get("teams") or [])
    points = []
    for entry in data.get("agenda") or []:
        if not isinstance(entry, dict) or "at" not in entry or not _text(entry.get("title")):
            raise _bad("у пункта программы нужны at и title")
        points.append(
            AgendaPoint(parse_time(entry["at"], zone), str(_text(entry["title"])),
                        _text(entry.get("place")))
        )  # fmt: skip
    if not points:
        raise _bad("пустая программа (agenda)")
    if not groups and not teams:
        raise _bad("никто не приглашён (invite или teams)")
    points.sort(key=lambda point: point.at)
    return EventSpec(title, _text(data.get("place")), tuple(groups), teams, tuple(points))
