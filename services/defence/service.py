"""The defence's use cases: setup from the season's YAML section, the juror's teams and card,
a score, the office's overview, closing a session and the one-time publication."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.defence.arithmetic import RankedTeam, rank_teams
from services.defence.marks import marks_text, team_marks
from services.defence.publication import PublishOutcome, PublishPreview, deliveries, preview
from services.domain import DefenceStatus, Role, TeamRole
from services.errors import InvalidInput, NotAllowed
from services.i18n import Texts
from services.notifying import NotifyingService
from services.people import Identity
from services.reminders.base import season_policy
from storage.models import DefenceCriterion, DefenceSession, DefenceSlot, Season
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class JuryTeam:
    session_id: int
    session_code: str
    team_id: int
    team_name: str
    scored: int  # criteria this juror scored
    criteria: int


@dataclass(frozen=True)
class JuryHome:
    teams: tuple[JuryTeam, ...]


@dataclass(frozen=True)
class CriterionScore:
    id: int
    title: str
    weight: int
    value: int | None  # this juror's


@dataclass(frozen=True)
class JuryCard:
    session_id: int
    session_code: str
    place: str
    is_open: bool
    team_id: int
    team_name: str
    criteria: tuple[CriterionScore, ...]


@dataclass(frozen=True)
class SessionLine:
    id: int
    code: str
    place: str
    starts_at: datetime
    is_open: bool
    jurors: int
    teams: int


@dataclass(frozen=True)
class OfficeView:
    sessions: tuple[SessionLine, ...]
    ranking: tuple[tuple[RankedTeam, str], ...]
    published: bool
    comments: Mapping[int, int] = field(default_factory=dict)  # team id -> jurors' comments
    marks: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # team id -> its marks


class DefenceService(NotifyingService):
    async def season(self) -> Season:
        return await self.current_season(NotAllowed())

    # --- setup (the `defence:` section of a YAML file) ----------------------------------------

    async def setup(self, data: Mapping[str, Any]) -> tuple[int, int]:
        """Criteria and sessions (code, place, starts_at, jurors by messenger id, team slots)
        of the current season; returns (sessions, slots). One transaction."""
        try:
            return await self._setup(data)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise InvalidInput("df-setup-bad") from error

    async def _setup(self, data: Mapping[str, Any]) -> tuple[int, int]:
        season = await self.season()
        now = self.clock.now()
        repo = self.uow.defence
        known = {c.code for c in await repo.criteria(season.id)}
        for position, item in enumerate(data.get("criteria") or []):
            if str(item["code"]) not in known:
                await repo.add(
                    DefenceCriterion(
                        season_id=season.id, code=str(item["code"]), title=str(item["title"]),
                        weight=int(item.get("weight", 1)), position=position,
                    )
                )  # fmt: skip
        sessions = slots = 0
        for item in data.get("sessions") or []:
            session = await repo.session_by_code(season.id, str(item["code"]))
            if session is None:
                session = DefenceSession(
                    season_id=season.id, code=str(item["code"]), place=str(item["place"]),
                    starts_at=_moment(item["starts_at"]), status=DefenceStatus.OPEN,
                    presentation_due=(
                        _moment(item["presentation_due"]) if item.get("presentation_due") else None
                    ),
                )  # fmt: skip
                await repo.add(session)
            sessions += 1
            for tg_id in item.get("jurors") or []:
                person = await self.uow.people.ensure(int(tg_id), "ru", now)
                await self.uow.people.grant(person.id, Role.JURY, season.id, now)
                await repo.add_juror(session.id, person.id)
            slots += await self._slots(session, item.get("teams") or [])
            await self._remind_presentation(season, session)
        await self.uow.commit()
        return sessions, slots

    async def _slots(self, session: DefenceSession, teams: list[Mapping[str, Any]]) -> int:
        existing = {s.team_id for s in await self.uow.defence.slots([session.id])}
        added = 0
        for item in teams:
            team = await self.uow.teams.by_code(str(item["team"]))
            if team is None:
                raise InvalidInput("df-setup-team", team=str(item["team"]))
            if team.id not in existing:
                await self.uow.defence.add(
                    DefenceSlot(session_id=session.id, team_id=team.id,
                                starts_at=_moment(item.get("at", session.starts_at)))
                )  # fmt: skip
                added += 1
        return added

    async def _remind_presentation(self, season: Season, session: DefenceSession) -> None:
        """One reminder per student of each team the day before the presentation is due, moved
        out of quiet hours (kept for everyone, minors among them); taken back on upload."""
        if session.presentation_due is None:
            return
        policy = await season_policy(self.uow, season.id, self.default_timezone)
        due = _local(session.presentation_due, season.timezone)
        at = policy.outside_quiet_hours(due - timedelta(days=1))
        for slot in await self.uow.defence.slots([session.id]):
            team = await self.uow.teams.get(slot.team_id)
            for _, person in await self.uow.teams.members(slot.team_id, TeamRole.STUDENT):
                text = self.texts.get(
                    "df-presentation-reminder", person.language,
                    team=team.name if team else "—", due=due.strftime("%d.%m %H:%M"),
                )  # fmt: skip
                await self.notifier.send_text(
                    person, text, person_id=person.id, not_before=at,
                    dedupe_key=f"defence-due:{session.id}:{person.id}",
                    subject=presentation_subject(slot.team_id),
                )  # fmt: skip

    # --- the juror ----------------------------------------------------------------------------

    async def jury_home(self, me: Identity) -> JuryHome:
        """The teams of the sessions this juror sits on, with how far they scored each."""
        sessions = {s.id: s for s in await self.uow.defence.sessions_of_juror(me.person_id)}
        if not sessions:
            raise NotAllowed("df-jury-none")
        season = await self.season()
        criteria = await self.uow.defence.criteria(season.id)
        slots = await self.uow.defence.slots(sessions)
        teams = await self.uow.teams.by_ids(s.team_id for s in slots)
        mine: dict[int, int] = {}
        for juror, team_id, _, _ in await self.uow.defence.scores(sessions):
            if juror == me.person_id:
                mine[team_id] = mine.get(team_id, 0) + 1
        return JuryHome(
            tuple(
                JuryTeam(
                    slot.session_id,
                    sessions[slot.session_id].code,
                    slot.team_id,
                    teams[slot.team_id].name,
                    mine.get(slot.team_id, 0),
                    len(criteria),
                )
                for slot in slots
                if slot.team_id in teams
            )
        )

    async def for_juror(self, me: Identity, session_id: int, team_id: int) -> DefenceSession:
        """The session, if `me` sits on it and the team defends in it; else NotAllowed."""
        session = await self.uow.defence.get_session(session_id)
        if session is None or not me.has(Role.JURY):
            raise NotAllowed()
        jurors = await self.uow.defence.jurors([session.id])
        if me.person_id not in jurors.get(session.id, set()):
            raise NotAllowed()
        if team_id not in {s.team_id for s in await self.uow.defence.slots([session.id])}:
            raise NotAllowed()
        return session

    async def card(self, me: Identity, session_id: int, team_id: int) -> JuryCard:
        session = await self.for_juror(me, session_id, team_id)
        team = await self.uow.teams.get(team_id)
        criteria = await self.uow.defence.criteria(session.season_id)
        mine = {
            criterion: value
            for juror, team, criterion, value in await self.uow.defence.scores([session.id])
            if juror == me.person_id and team == team_id
        }
        return JuryCard(
            session.id, session.code, session.place, session.status is DefenceStatus.OPEN,
            team_id, team.name if team else "—",
            tuple(CriterionScore(c.id, c.title, c.weight, mine.get(c.id)) for c in criteria),
        )  # fmt: skip

    async def score(
        self, me: Identity, session_id: int, team_id: int, criterion_id: int, value: int
    ) -> JuryCard:
        """A juror's press: re-checked (sits on the session, the team defends in it, the session
        is open, the criterion is the season's, the value on the scale), then upserted."""
        session = await self.for_juror(me, session_id, team_id)
        if session.status is not DefenceStatus.OPEN:
            raise NotAllowed("df-session-closed")
        criteria = {c.id: c for c in await self.uow.defence.criteria(session.season_id)}
        if criterion_id not in criteria or value not in SCALE:
            raise NotAllowed()
        now = self.clock.now()
        if await self.uow.defence.upsert_score(
            session.id, me.person_id, team_id, criterion_id, value, now
        ):
            await self.uow.audit.record(
                now, me.person_id, "defence.score", "team", team_id,
                criterion=criteria[criterion_id].code, score=value,
            )  # fmt: skip
        await self.uow.commit()
        return await self.card(me, session.id, team_id)

    # --- the team's final presentation ---------------------------------------------------------

    async def presentation_team(self, me: Identity) -> tuple[int, str]:
        """(team id, name) a student uploads the final presentation for: their team with a slot
        in an open session, before its `presentation_due`."""
        now = self.clock.now()
        late = False
        for team, role in await self.uow.teams.teams_of(me.person_id):
            if role is not TeamRole.STUDENT:
                continue
            for session in await self.uow.defence.sessions_of_team(team.id):
                due = session.presentation_due
                if session.status is not DefenceStatus.OPEN:
                    continue
                if due is not None and _local(due, "UTC") < now:
                    late = True
                    continue
                return team.id, team.name
        raise NotAllowed("df-presentation-late" if late else "df-presentation-none")

    async def upload_presentation(self, me: Identity, file_id: str) -> str:
        """Store the file as the team's presentation (re-checked: still their team, in time)."""
        team_id, name = await self.presentation_team(me)
        now = self.clock.now()
        await self.uow.defence.save_presentation(team_id, file_id, me.messenger, me.person_id, now)
        await self.uow.audit.record(now, me.person_id, "defence.presentation", "team", team_id)
        # Uploaded: the reminders not sent yet are not needed any more.
        await self.notifier.retract(presentation_subject(team_id), delete=True)
        await self.uow.commit()
        return name

    # --- the office ---------------------------------------------------------------------------

    async def overview(self, me: Identity) -> OfficeView:
        if not me.has(Role.OFFICE):
            raise NotAllowed()
        season = await self.season()
        repo = self.uow.defence
        sessions = await repo.sessions(season.id)
        jurors = await repo.jurors(s.id for s in sessions)
        slots = await repo.slots(s.id for s in sessions)
        lines = tuple(
            SessionLine(
                s.id,
                s.code,
                s.place,
                _local(s.starts_at, season.timezone),
                s.status is DefenceStatus.OPEN,
                len(jurors.get(s.id, ())),
                sum(1 for x in slots if x.session_id == s.id),
            )
            for s in sessions
        )
        named = tuple(await ranking(self.uow, season.id))
        comments: dict[int, int] = {}
        for comment in await repo.comments(s.id for s in sessions):
            comments[comment.team_id] = comments.get(comment.team_id, 0) + 1
        marks = await team_marks(self.uow, (r.team_id for r, _ in named))
        return OfficeView(lines, named, await repo.published(season.id), comments, marks)

    async def close(self, me: Identity, session_id: int) -> OfficeView:
        """Close a session: its scores are final from now on. A second press changes nothing."""
        if not me.has(Role.OFFICE):
            raise NotAllowed()
        session = await self.uow.defence.get_session(session_id)
        if session is None:
            raise NotAllowed()
        now = self.clock.now()
        if await self.uow.defence.close(session.id, now):
            await self.uow.audit.record(
                now, me.person_id, "defence.close", "defence_session", session.id
            )
            await self.uow.commit()
        return await self.overview(me)

    async def publish_preview(self, me: Identity) -> PublishPreview:
        """What publishing would do now: teams (unscored, incomplete), messages, and how many of
        them wait for the end of quiet hours."""
        view = await self.overview(me)
        season = await self.season()
        now = self.clock.now()
        found = await deliveries(self.uow, season.id, view.ranking, now, self.default_timezone)
        still_open = sum(1 for s in view.sessions if s.is_open)
        return preview(view.ranking, found, now, view.published, still_open)

    async def publish(self, me: Identity) -> PublishOutcome:
        """The ranking sent once: every member and the mentor of each ranked team gets one
        message about that team (dedupe key `defence:<season>:<team>:<person>`: a mentor of two
        teams hears about both); a second press sends nothing. A minor's message waits for the
        end of the season's quiet hours (services/defence/publication.py)."""
        view = await self.overview(me)
        season = await self.season()
        now = self.clock.now()
        if not await self.uow.defence.claim_publication(season.id, me.person_id, now):
            return PublishOutcome(False, 0)
        sent = waiting = 0
        of = sum(1 for r, _ in view.ranking if r.mean is not None)
        for d in await deliveries(self.uow, season.id, view.ranking, now, self.default_timezone):
            language = d.person.language
            text = _result_text(self.texts, language, d.row, d.team, of)
            if marks := view.marks.get(d.row.team_id):
                marked = marks_text(self.texts, language, marks)
                text += self.texts.get("df-result-marks", language, marks=marked)
            if await self.notifier.send_text(
                d.person, text, person_id=d.person.id, not_before=d.at,
                dedupe_key=f"defence:{season.id}:{d.row.team_id}:{d.person.id}",
            ):  # fmt: skip
                sent += 1
                waiting += d.at > now
        await self.uow.audit.record(
            now, me.person_id, "defence.publish", "season", season.id, sent=sent, waiting=waiting
        )
        await self.uow.commit()
        logger.info("season %s defence results published: %s sent", season.id, sent)
        return PublishOutcome(True, sent, waiting)


async def ranking(uow: UnitOfWork, season_id: int) -> list[tuple[RankedTeam, str]]:
    """The season's defence ranking over every session: (row, team name), best first."""
    sessions = await uow.defence.sessions(season_id)
    ids = [s.id for s in sessions]
    jurors = await uow.defence.jurors(ids)
    slots = await uow.defence.slots(ids)
    weights = {c.id: c.weight for c in await uow.defence.criteria(season_id)}
    teams = await uow.teams.by_ids(s.team_id for s in slots)
    ranked = rank_teams(
        [(s.team_id, len(jurors.get(s.session_id, ()))) for s in slots],
        await uow.defence.scores(ids),
        weights,
    )
    return [(r, teams[r.team_id].name) for r in ranked if r.team_id in teams]


async def published_results(uow: UnitOfWork, person_id: int) -> list[tuple[str, RankedTeam, int]]:
    """The published defence results of the person's teams: (team name, row, ranked teams)."""
    found = []
    for team, _ in await uow.teams.teams_of(person_id):
        if not await uow.defence.published(team.season_id):
            continue
        rows = await ranking(uow, team.season_id)
        of = sum(1 for r, _ in rows if r.mean is not None)
        found += [(name, r, of) for r, name in rows if r.team_id == team.id]
    return found


def presentation_subject(team_id: int) -> str:
    """What the presentation reminders to a team are about (outbox subject)."""
    return f"defence-presentation:{team_id}"


def _result_text(texts: Texts, language: str, row: RankedTeam, name: str, of: int) -> str:
    if row.mean is None:
        return texts.get("df-result-unscored", language, team=name)
    return texts.get(
        "df-result", language, team=name, rank=row.rank, teams=of, mean=f"{row.mean:.2f}"
    )


def _local(moment: datetime, zone: str) -> datetime:
    """A stored moment in the season's zone (SQLite gives it back naive, in UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone))


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
