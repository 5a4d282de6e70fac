"""The jurors' comments on teams and the office's marks on their projects.

A comment is re-checked like a score (the juror sits on the session, the team defends in it,
the session is open) and stored once per juror and team, a new one replacing the old. A mark
is the office's alone; each press flips one mark by a conditional update."""

from __future__ import annotations

from dataclasses import dataclass

from services.defence.marks import MARKS
from services.defence.service import DefenceService, OfficeView
from services.domain import DefenceStatus, Role
from services.errors import InvalidInput, NotAllowed
from services.people import Identity

COMMENT_LIMIT = 1000


@dataclass(frozen=True)
class TeamReviews:
    team: str
    comments: tuple[tuple[str, str], ...]  # (juror's name or «член жюри N», text)


class DefenceFeedback:
    def __init__(self, defence: DefenceService) -> None:
        self.defence = defence
        self.uow = defence.uow

    async def comment_target(self, me: Identity, session_id: int, team_id: int) -> str:
        """The team's name the juror is about to comment on (re-checked, session open)."""
        session = await self.defence.for_juror(me, session_id, team_id)
        if session.status is not DefenceStatus.OPEN:
            raise NotAllowed("df-session-closed")
        team = await self.uow.teams.get(team_id)
        return team.name if team else "—"

    async def comment(self, me: Identity, session_id: int, team_id: int, text: str) -> str:
        """Store the juror's comment on the team (replacing theirs); returns the team's name."""
        text = text.strip()
        if not text:
            raise InvalidInput("df-comment-empty")
        if len(text) > COMMENT_LIMIT:
            raise InvalidInput("df-comment-long", length=len(text), limit=COMMENT_LIMIT)
        name = await self.comment_target(me, session_id, team_id)
        now = self.defence.clock.now()
        await self.uow.defence.upsert_comment(session_id, me.person_id, team_id, text, now)
        await self.uow.audit.record(now, me.person_id, "defence.comment", "team", team_id)
        await self.uow.commit()
        return name

    async def reviews(self, me: Identity) -> tuple[TeamReviews, ...]:
        """Every juror comment of the season, by team (office only)."""
        if not me.has(Role.OFFICE):
            raise NotAllowed()
        season = await self.defence.season()
        sessions = [s.id for s in await self.uow.defence.sessions(season.id)]
        comments = await self.uow.defence.comments(sessions)
        teams = await self.uow.teams.by_ids(c.team_id for c in comments)
        people = {p.id: p for p in await self.uow.people.many(c.juror_id for c in comments)}
        numbers: dict[int, int] = {}
        grouped: dict[int, list[tuple[str, str]]] = {}
        for c in comments:
            number = numbers.setdefault(c.juror_id, len(numbers) + 1)
            person = people.get(c.juror_id)
            author = (person.full_name if person else None) or self.defence.texts.get(
                "df-juror-n", me.language, n=number
            )
            grouped.setdefault(c.team_id, []).append((author, c.text))
        return tuple(
            TeamReviews(teams[team_id].name if team_id in teams else "—", tuple(items))
            for team_id, items in grouped.items()
        )

    async def toggle_mark(self, me: Identity, team_id: int, mark: int) -> OfficeView:
        """Flip one of the team's marks (office only, a team with a slot this season)."""
        if not me.has(Role.OFFICE) or not 1 <= mark <= len(MARKS):
            raise NotAllowed()
        season = await self.defence.season()
        sessions = [s.id for s in await self.uow.defence.sessions(season.id)]
        if team_id not in {s.team_id for s in await self.uow.defence.slots(sessions)}:
            raise NotAllowed()
        now = self.defence.clock.now()
        code = MARKS[mark - 1]
        if await self.uow.defence.toggle_mark(season.id, team_id, code, me.person_id, now):
            await self.uow.audit.record(
                now, me.person_id, "defence.mark", "team", team_id, mark=code
            )
        await self.uow.commit()
        return await self.defence.overview(me)
