"""Who hears the defence results, and when: every member and the mentor of each ranked team,
one message about that team; a minor's waits for the end of the season's quiet hours (an
office publishing late), an adult's — and a mentor's or anyone's without an application — goes
at once. The office's confirmation and the publication read the same list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from services.defence.arithmetic import RankedTeam
from services.reminders.base import season_minors, season_policy
from storage.models import Person
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Delivery:
    row: RankedTeam
    team: str
    person: Person
    at: datetime  # now, or the end of quiet hours for a minor


@dataclass(frozen=True)
class PublishPreview:
    """What the office reads before publishing."""

    teams: int
    unscored: int
    incomplete: int
    recipients: int
    waiting: int  # minors whose message would wait for the morning
    published: bool
    open_sessions: int = 0  # their scores may still change after publishing


@dataclass(frozen=True)
class PublishOutcome:
    first_time: bool
    sent: int
    waiting: int = 0  # of those sent, minors' held until the end of quiet hours


async def deliveries(
    uow: UnitOfWork,
    season_id: int,
    ranking: Sequence[tuple[RankedTeam, str]],
    now: datetime,
    default_timezone: str,
) -> list[Delivery]:
    """Each ranked team's members and mentor, with the moment their message may go."""
    minors = await season_minors(uow, season_id)
    policy = await season_policy(uow, season_id, default_timezone)
    morning = policy.outside_quiet_hours(now)
    return [
        Delivery(row, name, person, morning if person.id in minors else now)
        for row, name in ranking
        for _, person in await uow.teams.members(row.team_id)
    ]


def preview(
    ranking: Sequence[tuple[RankedTeam, str]], found: Sequence[Delivery], now: datetime,
    published: bool, open_sessions: int,
) -> PublishPreview:  # fmt: skip
    rows = [row for row, _ in ranking]
    return PublishPreview(
        teams=len(rows),
        unscored=sum(1 for r in rows if r.mean is None),
        incomplete=sum(1 for r in rows if r.mean is not None and not r.complete),
        recipients=len(found),
        waiting=sum(1 for d in found if d.at > now),
        published=published,
        open_sessions=open_sessions,
    )
