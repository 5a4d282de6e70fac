"""Certificates of a finished season, with a verification code anyone can check by /verify.

«Finished» means: an accepted application in the season and a place (not left) in one of the
season's teams. The office issues certificates to everyone who finished (`issue_all`, again and
again: only those without one get a new one) and each gets the PDF through the outbox — a
minor's waits for the end of the season's quiet hours, an adult's goes at once; a participant
gets theirs again by /certificate (at once: they asked for it). What a certificate shows —
name, season, team, project, role, result — is read when it is drawn or verified, so the table
keeps only ids, the code and the coursework mark. /verify says no more than the certificate
itself shows.

The code: ten characters of an alphabet without 0/O/1/I, from `secrets`, shown `XXXX-XXXX-XX`;
typed codes are normalised (case, dashes, spaces) before they are looked up.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from services.defence import published_results
from services.domain import Role, TeamRole
from services.errors import NotAllowed, NotFound
from services.i18n import Translator
from services.notifying import NotifyingService
from services.people import Identity, display_name
from services.reminders.base import season_minors, season_policy
from storage.models import Certificate, ProjectIdea, Season

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
PDF_FILENAME = "certificate.pdf"
PROJECT_SOURCE = re.compile(r"^idea:(\d+)$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_code(typed: str) -> str | None:
    """The code as stored, or None when what was typed cannot be one."""
    code = re.sub(r"[\s\-–—_]", "", typed).upper()
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


@dataclass(frozen=True)
class CertificateCard:
    """What a certificate shows, and what /verify tells about it."""

    code: str
    name: str
    season: str
    team: str
    project: str
    role: TeamRole | None
    coursework: bool
    # The team's place at the public defence, once the office published it: (place, of).
    defence_place: tuple[int, int] | None = None


@dataclass(frozen=True)
class Issued:
    issued: int
    already: int
    waiting: int = 0  # of those issued, minors' PDFs held until the end of quiet hours


class CertificateService(NotifyingService):
    async def _season(self) -> Season:
        return await self.current_season(NotFound("cert-no-season"))

    async def issue_all(self, me: Identity) -> Issued:
        """The office: a certificate to everyone who finished the current season and has none,
        each sent its PDF (a minor's after quiet hours, should the office issue late); one
        transaction."""
        if not me.has(Role.OFFICE):
            raise NotAllowed("cert-not-allowed")
        season = await self._season()
        existing = await self.uow.certificates.of_season(season.id)
        now = self.clock.now()
        minors = await season_minors(self.uow, season.id)
        policy = await season_policy(self.uow, season.id, self.default_timezone)
        morning = policy.outside_quiet_hours(now)
        issued = waiting = 0
        for person_id in await self.uow.certificates.finished(season.id):
            if person_id in existing:
                continue
            certificate = await self.uow.certificates.add(
                Certificate(
                    person_id=person_id,
                    season_id=season.id,
                    code=await self._free_code(),
                    issued_at=now,
                    coursework=False,
                )
            )
            if certificate is None:  # issued by a /certificates running at the same time
                continue
            at = morning if person_id in minors else now
            await self._send(certificate, at)
            issued += 1
            waiting += at > now
        await self.uow.commit()
        return Issued(issued, len(existing), waiting)

    async def send_mine(self, me: Identity) -> int:
        """/certificate: the person's certificates again, as PDFs; how many."""
        certificates = await self.uow.certificates.of_person(me.person_id)
        for certificate in certificates:
            await self._send(certificate)
        await self.uow.commit()
        return len(certificates)

    async def verify(self, typed: str, language: str | None = None) -> CertificateCard | None:
        """Anyone: the certificate a code belongs to, or None for a code not issued."""
        code = normalise_code(typed)
        if code is None:
            return None
        certificate = await self.uow.certificates.by_code(code)
        if certificate is None:
            return None
        return await self.card(certificate, language)

    async def set_coursework(self, me: Identity, person_id: int, coursework: bool) -> bool:
        """The office marks (or unmarks) that the defence may count as coursework, on the
        person's current certificates; the PDF says so from then on."""
        if not me.has(Role.OFFICE):
            raise NotAllowed("cert-not-allowed")
        certificates = await self.uow.certificates.of_person(person_id)
        if not certificates:
            raise NotFound("cert-none-for-person")
        changed = False
        for certificate in certificates:
            changed |= await self.uow.certificates.set_coursework(certificate.id, coursework)
        await self.uow.commit()
        return changed

    async def card(self, certificate: Certificate, language: str | None = None) -> CertificateCard:
        person = await self.uow.people.get(certificate.person_id)
        season = await self.uow.seasons.get(certificate.season_id)
        teams = [
            (team, role)
            for team, role in await self.uow.teams.teams_of(certificate.person_id)
            if team.season_id == certificate.season_id
        ]
        team, role = teams[0] if teams else (None, None)
        project = team.name if team else "—"
        if team is not None and (match := PROJECT_SOURCE.match(team.source_key or "")):
            ideas = await self.uow.season_config.active(ProjectIdea, certificate.season_id)
            project = next((i.title for i in ideas if i.id == int(match[1])), project)
        defence_place = None
        if team is not None:
            published = await published_results(self.uow, certificate.person_id)
            defence_place = next(
                ((row.rank, of) for _, row, of in published
                 if row.team_id == team.id and row.mean is not None),
                None,
            )  # fmt: skip
        return CertificateCard(
            code=certificate.code,
            name=display_name(person, self.texts, language) if person else "—",
            season=season.name if season else "—",
            team=team.name if team else "—",
            project=project,
            role=role,
            coursework=certificate.coursework,
            defence_place=defence_place,
        )

    async def _free_code(self) -> str:
        while True:
            code = new_code()
            if not await self.uow.certificates.code_taken(code):
                return code

    async def _send(self, certificate: Certificate, not_before: datetime | None = None) -> None:
        from services.certificate_pdf import render_certificate  # fpdf only when drawn

        person = await self.uow.people.get(certificate.person_id)
        if person is None:
            return
        t = self.texts.for_language(person.language)
        card = await self.card(certificate, person.language)
        content = await asyncio.to_thread(
            render_certificate,
            t("cert-pdf-title"), card.name, card_lines(card, t), card_notes(card, t),
            t("cert-pdf-code", code=shown_code(card.code)),
        )  # fmt: skip
        await self.notifier.send_file(
            person, PDF_FILENAME, content, caption=t("cert-caption", code=shown_code(card.code)),
            person_id=person.id, not_before=not_before, subject=f"certificate:{certificate.id}",
        )  # fmt: skip


def role_text(card: CertificateCard, t: Translator) -> str:
    return t(f"team-role-{card.role.value}") if card.role else "—"


def card_lines(card: CertificateCard, t: Translator) -> list[str]:
    return [
        t("cert-line-season", season=card.season),
        t("cert-line-team", team=card.team),
        t("cert-line-project", project=card.project),
        t("cert-line-role", role=role_text(card, t)),
        t("cert-line-defence", place=card.defence_place[0], of=card.defence_place[1])
        if card.defence_place is not None
        else t("cert-line-result"),
    ]


def card_notes(card: CertificateCard, t: Translator) -> list[str]:
    return [t("cert-coursework")] if card.coursework else []
