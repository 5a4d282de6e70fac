"""The talent reserve: mentors (for the students and tutors of their teams) and the office (for
anyone) nominate a person with a reason; the person is asked separately whether partner
organisations may see their profile («Согласен / Не согласен»), and only with that consent are
they in the office's XLSX for partners. Withdrawing consent (/reserve_leave, or the consent
withdrawal of the whole application, or erasure) takes them out.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from services.access_audit import AccessAuditService
from services.actions import ReserveAction, ReserveVerb
from services.clock import Clock
from services.domain import Role, TeamRole
from services.errors import NotAllowed, NotFound
from services.exports.cells import Sheet, local
from services.i18n import Texts
from services.notify import Button, Notifier
from services.people import Identity, display_name
from services.reminders.base import season_policy
from storage.models import ReserveNomination, Season
from storage.uow import UnitOfWork

REASON_LIMIT = 1000
NOMINEE_ROLES = (TeamRole.STUDENT, TeamRole.TUTOR)


@dataclass(frozen=True)
class ReserveFile:
    filename: str
    content: bytes
    rows: int


class ReserveService:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts,
        audit: AccessAuditService,
    ) -> None:  # fmt: skip
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.audit = audit

    async def _season(self) -> Season:
        season = await self.uow.seasons.current()
        if season is None:
            raise NotFound("reserve-no-season")
        return season

    async def _check_may_nominate(self, me: Identity, person_id: int) -> None:
        if me.has(Role.OFFICE):
            return
        for team, _ in await self.uow.teams.teams_of(me.person_id, [TeamRole.MENTOR]):
            if await self.uow.teams.role_in(team.id, person_id) in NOMINEE_ROLES:
                return
        raise NotAllowed("reserve-not-allowed")

    async def nominate(self, me: Identity, person_id: int, reason: str) -> ReserveNomination:
        """A nomination with its reason, and the consent request to the person; commits."""
        await self._check_may_nominate(me, person_id)
        reason = reason.strip()
        if not reason:
            raise NotFound("reserve-reason-needed")
        person = await self.uow.people.get(person_id)
        if person is None:
            raise NotFound("reserve-no-person")
        season = await self._season()
        if await self.uow.reserve.open_of(person_id, season.id) is not None:
            raise NotAllowed("reserve-already")
        now = self.clock.now()
        nomination = await self.uow.reserve.add(
            ReserveNomination(
                person_id=person_id, season_id=season.id, nominated_by=me.person_id,
                reason=reason[:REASON_LIMIT], at=now, consent_asked_at=now,
            )
        )  # fmt: skip
        t = self.texts.for_language(person.language)
        buttons = [
            [Button.doing(t("reserve-btn-agree"), ReserveAction(verb=ReserveVerb.AGREE,
                                                                nomination=nomination.id))],
            [Button.doing(t("reserve-btn-refuse"), ReserveAction(verb=ReserveVerb.REFUSE,
                                                                 nomination=nomination.id))],
        ]  # fmt: skip
        await self.notifier.send_text(
            person, t("reserve-ask", reason=nomination.reason), buttons=buttons,
            person_id=person.id, subject=f"reserve:{nomination.id}",
            not_before=(await season_policy(self.uow, season.id)).outside_quiet_hours(now),
        )  # fmt: skip
        await self.uow.commit()
        return nomination

    async def answer(self, me: Identity, nomination_id: int, agree: bool) -> bool:
        """The nominee's answer, once, and only their own; commits."""
        nomination = await self.uow.reserve.get(nomination_id)
        if nomination is None or nomination.person_id != me.person_id:
            raise NotAllowed("reserve-not-yours")
        done = await self.uow.reserve.answer(nomination_id, me.person_id, agree, self.clock.now())
        await self.uow.commit()
        return done

    async def leave(self, me: Identity) -> int:
        """Withdraw consent: out of the reserve; commits."""
        count = await self.uow.reserve.withdraw(me.person_id, self.clock.now())
        await self.uow.commit()
        return count

    async def build(self, me: Identity) -> ReserveFile:
        """The XLSX for partners: consenting nominees only, each in the access audit."""
        if not me.has(Role.OFFICE):
            raise NotAllowed("reserve-not-allowed")
        season = await self._season()
        zone = ZoneInfo(season.timezone)
        t = self.texts.for_language(me.language)
        from openpyxl import Workbook  # when exporting, not at start (services/exports)

        workbook = Workbook(write_only=True)
        headers = [t(f"reserve-col-{c}") for c in ("name", "team", "role", "reason", "consent")]
        sheet = Sheet(workbook, t("reserve-sheet"), headers)
        rows, subjects = [], []
        for nomination in await self.uow.reserve.consenting(season.id):
            person = await self.uow.people.get(nomination.person_id)
            if person is None:
                continue
            teams = [(tm, r) for tm, r in await self.uow.teams.teams_of(person.id)
                     if tm.season_id == season.id]  # fmt: skip
            rows.append([
                display_name(person, self.texts, me.language),
                ", ".join(team.name for team, _ in teams) or "—",
                ", ".join(t(f"team-role-{role.value}") for _, role in teams) or "—",
                nomination.reason,
                local(nomination.consent_given_at, zone),
            ])  # fmt: skip
            subjects.append((person.id, None))
        await sheet.add(rows)
        buffer = io.BytesIO()
        await asyncio.to_thread(workbook.save, buffer)
        await self.audit.record_export(me, subjects)
        stamp = self.clock.now().astimezone(zone).strftime("%Y%m%d-%H%M")
        return ReserveFile(f"reserve-{stamp}.xlsx", buffer.getvalue(), len(rows))

    async def send_export(self, me: Identity) -> ReserveFile:
        export = await self.build(me)
        t = self.texts.for_language(me.language)
        await self.notifier.send_file(
            me.address, export.filename, export.content,
            caption=t("reserve-caption", rows=export.rows), person_id=me.person_id,
        )  # fmt: skip
        await self.uow.commit()
        return export
