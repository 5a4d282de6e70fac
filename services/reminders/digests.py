"""Team digests: one row per team chat per local date, planned ahead, filled in at send time
with what is due today and what is overdue."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from services.chat_outbox import chat_address
from services.notify import TextMessage
from services.people import display_name
from services.reminders.base import ReminderBase
from services.reminders.policy import DIGEST, DIGEST_STATUSES, ReminderPolicy
from storage.models import Person, PlanTask, Team
from storage.repositories.plans import ClaimedReminder


class Digests(ReminderBase):
    """Planning, delivering and rendering the team chats' digests."""

    async def plan_digests(self) -> int:
        teams = await self.uow.teams.with_chat()
        if not teams:
            return 0
        now = self.clock.now()
        wanted: dict[str, tuple[Team, datetime]] = {}
        for team in teams:
            policy = await self.policy_for(team.season_id)
            at = policy.next_digest(now)
            wanted[f"digest:{team.id}:{policy.local(at).date().isoformat()}"] = (team, at)
        existing = await self.uow.reminders.existing_keys(list(wanted))
        added = 0
        for key, (team, at) in wanted.items():
            if key in existing:
                continue
            row = dict(
                team_id=team.id, chat_id=team.chat_id, kind=DIGEST, due_at=at, dedupe_key=key
            )
            added += int(await self.uow.reminders.add_once(row, now))
        if added:
            await self.uow.commit()
        return added

    async def _deliver_digest(
        self,
        row: ClaimedReminder,
        now: datetime,
        teams: dict[int, Team],
        outgoing: list[TextMessage],
    ) -> str:
        team = teams.get(row.team_id) if row.team_id is not None else None
        chat = chat_address(team) if team is not None else None
        if team is None or chat is None:
            await self.uow.reminders.cancel(row.id)
            return "cancelled"
        policy = await self.policy_for(team.season_id)
        today = policy.local(now).date()
        if policy.local(row.due_at).date() != today:
            await self.uow.reminders.cancel(row.id)  # yesterday's digest is no news today
            return "cancelled"
        end_of_today = policy.at_local(today + timedelta(days=1), time(0, 0))
        rows = await self.uow.tasks.due_before(team.id, end_of_today, DIGEST_STATUSES)
        if not rows:
            await self.uow.reminders.cancel(row.id)
            return "cancelled"
        text = self.render_digest(rows, policy, now, today)
        outgoing.append(TextMessage(chat, text, dedupe_key=f"reminder:{row.id}"))
        return "sent"

    def render_digest(
        self,
        rows: list[tuple[PlanTask, Person]],
        policy: ReminderPolicy,
        now: datetime,
        today: date,
    ) -> str:
        get = self.texts.get
        due_today = [(t, p) for t, p in rows if t.due_at is not None and t.due_at > now]
        overdue = [(t, p) for t, p in rows if t.due_at is not None and t.due_at <= now]
        lines = [get("digest-title", date=today.strftime("%d.%m.%Y"))]
        if due_today:
            lines.append(get("digest-today"))
            lines.extend(
                get(
                    "digest-line",
                    name=display_name(p, self.texts),
                    title=t.title,
                    due=policy.local(t.due_at).strftime("%H:%M") if t.due_at else "",
                )
                for t, p in due_today
            )
        if overdue:
            lines.append(get("digest-overdue"))
            lines.extend(
                get(
                    "digest-line",
                    name=display_name(p, self.texts),
                    title=t.title,
                    due=policy.format(t.due_at) if t.due_at else "",
                )
                for t, p in overdue
            )
        return "\n".join(lines)
