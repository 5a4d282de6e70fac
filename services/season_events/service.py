"""The season's events: every use case re-checks who acts (the office, or the invited person
themself), changes state by conditional updates and commits once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.actions import EventAction, EventVerb
from services.domain import BroadcastFilter, BroadcastSegment, Role
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.i18n import Translator
from services.notify import Button
from services.notifying import NotifyingService
from services.people import Identity
from services.reminders.base import MINOR_GROUPS, season_policy
from services.reminders.policy import ReminderPolicy
from services.season_events.spec import parse_event, parse_time
from storage.models import EventItem, Person, Season, SeasonEvent

YES, NO = "yes", "no"
# (key suffix, how long before the start, what later reminder covers it)
REMINDERS = (("day", timedelta(days=1), timedelta(hours=1)), ("hour", timedelta(hours=1), None))
CODE_DIGITS = 6
MAX_CODE_MINUTES = 24 * 60
ROSTER_LIMIT = 60


def code_hash(code: str) -> str:
    return hashlib.sha256(f"event-code:{code}".encode()).hexdigest()


@dataclass(frozen=True)
class EventCreated:
    id: int
    title: str
    invited: int
    items: int


@dataclass(frozen=True)
class CheckinResult:
    title: str
    new: bool


@dataclass(frozen=True)
class RosterRow:
    person_id: int
    name: str
    answer: str | None
    present: bool


@dataclass(frozen=True)
class Roster:
    event_id: int
    title: str
    rows: tuple[RosterRow, ...]
    total: int


class SeasonEventService(NotifyingService):
    @staticmethod
    def _office_only(me: Identity) -> None:
        if not me.has(Role.OFFICE):
            raise NotAllowed("event-office-only")

    async def _season(self) -> Season:
        return await self.current_season(NotFound("event-no-season"))

    async def _policy(self, season: Season) -> ReminderPolicy:
        return await season_policy(self.uow, season.id, self.default_timezone)

    async def _event(self, event_id: int) -> tuple[SeasonEvent, Season]:
        event = await self.uow.season_events.get(event_id)
        season = await self._season()
        if event is None or event.season_id != season.id:
            raise NotFound("event-gone")
        return event, season

    def _when(self, policy: ReminderPolicy, moment: datetime) -> str:
        return policy.format(moment)

    # --- creation and invitations -------------------------------------------------------------

    async def create(self, me: Identity, text: str) -> EventCreated:
        self._office_only(me)
        season = await self._season()
        policy = await self._policy(season)
        spec = parse_event(text, policy.timezone)
        now = self.clock.now()
        items = [
            EventItem(position=n, starts_at=p.at, title=p.title, place=p.place)
            for n, p in enumerate(spec.agenda)
        ]
        event = await self.uow.season_events.add(
            SeasonEvent(season_id=season.id, title=spec.title, place=spec.place,
                        starts_at=spec.agenda[0].at, ends_at=spec.agenda[-1].at,
                        created_by=me.person_id, created_at=now),
            items,
        )  # fmt: skip
        people = await self._invitees(season, spec.groups, spec.teams)
        await self.uow.season_events.invite(event.id, [p.id for p in people], now)
        minors = await self.uow.broadcasts.minors(season.id, MINOR_GROUPS)
        for person in people:
            t = self.texts.for_language(person.language)
            at = policy.outside_quiet_hours(now) if person.id in minors else now
            await self.notifier.send_text(
                person, self._invitation_text(t, policy, event, items),
                buttons=self.answer_buttons(t, event.id), person_id=person.id,
                dedupe_key=f"event:{event.id}:{person.id}:invite", not_before=at,
                subject=f"event:{event.id}",
            )  # fmt: skip
        await self.uow.audit.record(now, me.person_id, "event.create", "event", event.id,
                                    invited=len(people))  # fmt: skip
        await self.uow.commit()
        return EventCreated(event.id, event.title, len(people), len(items))

    async def _invitees(
        self, season: Season, groups: tuple[BroadcastSegment, ...], teams: tuple[str, ...]
    ) -> list[Person]:
        now = self.clock.now()
        found: dict[int, Person] = {}
        for group in groups:
            for person in await self.uow.broadcasts.recipients(season.id, group, None, now):
                found[person.id] = person
        if teams:
            names = dict(
                (name, team_id)
                for team_id, name in await self.uow.broadcasts.options(
                    season.id, BroadcastFilter.TEAM
                )
            )
            for team in teams:
                if team not in names:
                    raise InvalidInput("event-yaml-bad", detail=f"команда «{team}» не найдена")
                narrow = (BroadcastFilter.TEAM, names[team])
                for segment in (BroadcastSegment.STUDENTS, BroadcastSegment.TUTORS):
                    for person in await self.uow.broadcasts.recipients(
                        season.id, segment, narrow, now
                    ):
                        found[person.id] = person
        return sorted(found.values(), key=lambda p: p.id)

    @staticmethod
    def answer_buttons(t: Translator, event_id: int) -> list[list[Button]]:
        return [[
            Button.doing(t("event-btn-yes"), EventAction(verb=EventVerb.YES, item=event_id)),
            Button.doing(t("event-btn-no"), EventAction(verb=EventVerb.NO, item=event_id)),
        ]]  # fmt: skip

    def _agenda_lines(self, t: Translator, policy: ReminderPolicy, items: list[EventItem]) -> str:
        return "\n".join(
            t("event-agenda-item", at=self._when(policy, i.starts_at), title=i.title,
              place=i.place or "—")
            for i in items
        )  # fmt: skip

    def _invitation_text(
        self, t: Translator, policy: ReminderPolicy, event: SeasonEvent, items: list[EventItem]
    ) -> str:
        return t("event-invitation", title=event.title, place=event.place or "—",
                 start=self._when(policy, event.starts_at),
                 agenda=self._agenda_lines(t, policy, items))  # fmt: skip

    # --- answers and reminders ----------------------------------------------------------------

    async def answer(self, me: Identity, event_id: int, yes: bool) -> tuple[str, bool]:
        """The invited person's own answer; a second answer changes it. (text, changed)."""
        event, season = await self._event(event_id)
        invitation = await self.uow.season_events.invitation(event_id, me.person_id)
        if invitation is None:
            raise NotAllowed("event-not-invited")
        now = self.clock.now()
        if event.ends_at < now:
            raise Conflict("event-over")
        answer = YES if yes else NO
        changed = await self.uow.season_events.answer(event_id, me.person_id, answer, now)
        person = await self.uow.people.get(me.person_id)
        if changed and person is not None:
            if yes:
                await self._plan_reminders(event, season, person)
            else:
                await self.notifier.retract(f"event:{event_id}:remind:{person.id}", delete=True)
        await self.uow.commit()
        t = self.texts.for_language(me.language)
        policy = await self._policy(season)
        items = await self.uow.season_events.items(event_id)
        text = self._invitation_text(t, policy, event, items)
        return text + "\n\n" + t("event-answered", answer=answer), changed

    async def _plan_reminders(self, event: SeasonEvent, season: Season, person: Person) -> None:
        """A day and an hour before the start, moved out of quiet hours for minors; one already
        due goes now, one the later reminder covers is dropped. Dedupe keys make each once."""
        policy = await self._policy(season)
        minor = person.id in await self.uow.broadcasts.minors(season.id, MINOR_GROUPS)
        now = self.clock.now()
        t = self.texts.for_language(person.language)
        for kind, before, covered_by in REMINDERS:
            at = max(event.starts_at - before, now)
            if minor:
                at = policy.outside_quiet_hours(at)
            if at >= event.starts_at - (covered_by or timedelta(0)):
                continue
            key = f"event:{event.id}:{person.id}:{kind}"
            queued = await self.notifier.send_text(
                person, t(f"event-reminder-{kind}", title=event.title,
                          start=self._when(policy, event.starts_at), place=event.place or "—"),
                person_id=person.id, dedupe_key=key, not_before=at,
                subject=f"event:{event.id}:remind:{person.id}",
            )  # fmt: skip
            if not queued:
                await self.uow.season_events.revive_reminder(key, at)

    # --- the agenda and its changes -----------------------------------------------------------

    async def agenda(self, me: Identity) -> str:
        season = await self._season()
        policy = await self._policy(season)
        t = self.texts.for_language(me.language)
        now = self.clock.now()
        events = await self.uow.season_events.events_of(me.person_id, now - timedelta(hours=12))
        if not events:
            return t("event-agenda-none")
        parts = []
        for event in events:
            items = await self.uow.season_events.items(event.id)
            parts.append(t("event-agenda", title=event.title, place=event.place or "—",
                           agenda=self._agenda_lines(t, policy, items)))  # fmt: skip
        return "\n\n".join(parts)

    async def move_item(self, me: Identity, item_id: int, when: str, place: str | None) -> int:
        """The office moves an agenda point (time, and place if given); those who said yes are
        told once. Returns how many were told."""
        self._office_only(me)
        item = await self.uow.season_events.item(item_id)
        if item is None:
            raise NotFound("event-gone")
        event, season = await self._event(item.event_id)
        policy = await self._policy(season)
        at = parse_time(when, policy.timezone)
        await self.uow.season_events.move_item(item_id, at, place)
        items = await self.uow.season_events.items(event.id)
        await self.uow.season_events.set_span(event.id, items[0].starts_at, items[-1].starts_at)
        now = self.clock.now()
        minors = await self.uow.broadcasts.minors(season.id, MINOR_GROUPS)
        coming = await self.uow.season_events.invited(event.id, YES)
        stamp = f"{int(at.timestamp())}:{place or ''}"
        for person, _ in coming:
            t = self.texts.for_language(person.language)
            key = (
                f"event:{event.id}:change:{item_id}:{hashlib.sha1(stamp.encode()).hexdigest()[:10]}"
            )
            await self.notifier.send_text(
                person, t("event-changed", title=event.title, item=item.title,
                          at=self._when(policy, at), place=place or item.place or "—"),
                person_id=person.id, dedupe_key=f"{key}:{person.id}",
                not_before=policy.outside_quiet_hours(now) if person.id in minors else now,
                subject=f"event:{event.id}",
            )  # fmt: skip
        await self.uow.audit.record(now, me.person_id, "event.change", "event", event.id,
                                    item=item_id, told=len(coming))  # fmt: skip
        await self.uow.commit()
        return len(coming)

    # --- attendance ---------------------------------------------------------------------------

    async def new_code(self, me: Identity, event_id: int, minutes: int) -> tuple[str, str]:
        """A fresh 6-digit code for the venue, valid `minutes`; kept as a hash. (code, until)."""
        self._office_only(me)
        event, season = await self._event(event_id)
        if not 0 <= minutes <= MAX_CODE_MINUTES:
            raise InvalidInput("event-code-minutes")
        now = self.clock.now()
        for _ in range(20):
            code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
            if not await self.uow.season_events.code_events(code_hash(code), now):
                break
        else:
            raise Conflict("event-code-busy")
        until = now + timedelta(minutes=minutes)
        await self.uow.season_events.add_code(event.id, code_hash(code), until, now)
        await self.uow.commit()
        return code, (await self._policy(season)).local(until).strftime("%H:%M")

    async def check_in(self, me: Identity, code: str) -> CheckinResult:
        code = code.strip()
        if len(code) != CODE_DIGITS or not code.isdigit():
            raise InvalidInput("event-code-invalid")
        now = self.clock.now()
        for event_id in await self.uow.season_events.code_events(code_hash(code), now):
            if await self.uow.season_events.invitation(event_id, me.person_id) is None:
                continue
            event, _ = await self._event(event_id)
            new = await self.uow.season_events.check_in(event_id, me.person_id, "code", now)
            await self.uow.commit()
            return CheckinResult(event.title, new)
        raise InvalidInput("event-code-invalid")

    async def roster(self, me: Identity, event_id: int) -> Roster:
        self._office_only(me)
        event, _ = await self._event(event_id)
        invited = await self.uow.season_events.invited(event_id)
        present = await self.uow.season_events.checked_in(event_id)
        rows = tuple(
            RosterRow(p.id, p.full_name or f"#{p.id}", i.answer, p.id in present)
            for p, i in invited if i.answer != NO
        )  # fmt: skip
        return Roster(event.id, event.title, rows[:ROSTER_LIMIT], len(rows))

    async def mark(self, me: Identity, event_id: int, person_id: int) -> Roster:
        """The organiser marks an invited person present (once)."""
        self._office_only(me)
        await self._event(event_id)
        if await self.uow.season_events.invitation(event_id, person_id) is None:
            raise NotFound("event-not-invited-person")
        now = self.clock.now()
        await self.uow.season_events.check_in(event_id, person_id, "roster", now, me.person_id)
        await self.uow.commit()
        return await self.roster(me, event_id)
