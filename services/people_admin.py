"""The office's people in the bot: `/invite ROLE` makes a one-time link with the CLI's own
service (services/invitations.py), audited with who asked; `/people` finds a person by name,
application number or @username and shows their roles and applications. Revoking a role or an
unused link goes through services/access.py, exactly as on /access.

A search that shows an applicant (a child, usually) records the access audit as a card view,
one row per application shown. Nothing here logs a person's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from services.access import AccessService, GrantEntry
from services.clock import Clock
from services.domain import AccessKind, ApplicationStatus, Role
from services.errors import DomainError, NotAllowed
from services.invitations import INVITE_PREFIX, STAFF_ROLES, InvitationService
from services.people import Identity
from storage.models import Person
from storage.uow import UnitOfWork

# The roles the office invites in the bot, in the order of the buttons: the staff roles /access
# lists and revokes. Students and tutors apply with /apply; other links stay with the CLI.
INVITABLE_ROLES = (Role.MENTOR, Role.SITE_CONTACT, Role.OFFICE)
assert frozenset(INVITABLE_ROLES) == STAFF_ROLES
MATCH_LIMIT = 5
MIN_NAME_LENGTH = 2
QUERY_LIMIT = 200
# An application's number: the season's code in capitals, a dash, the id (TOMSK-2026-00001).
NUMBER = re.compile(r"^(?P<season>[A-Za-z0-9][A-Za-z0-9_-]*)-(?P<id>\d{5,})$")


class PeopleQueryMissing(DomainError):
    key = "pa-people-usage"


class PeopleQueryShort(DomainError):
    key = "pa-people-too-short"


class RoleNotInvitable(DomainError):
    key = "pa-invite-bad-role"


@dataclass(frozen=True)
class IssuedInvite:
    payload: str  # `inv_…`, the /start argument
    invitation_id: int
    role: Role
    season_code: str | None
    expires_local: str | None  # in the season's zone


@dataclass(frozen=True)
class ApplicationLine:
    application_id: int
    number: str | None
    season_code: str
    status: ApplicationStatus
    role: Role | None


@dataclass(frozen=True)
class PersonCard:
    person_id: int
    name: str | None
    username: str | None
    tg_id: int | None
    grants: tuple[GrantEntry, ...]
    applications: tuple[ApplicationLine, ...]

    def revocable(self) -> list[GrantEntry]:
        """The roles with a revoke button: staff roles, as /access offers them."""
        return [g for g in self.grants if g.role in STAFF_ROLES and g.revocable_in_bot]


@dataclass(frozen=True)
class PeopleFound:
    kind: str  # name, number or username: how the query was read
    people: list[PersonCard]
    total: int  # how many matched (only MATCH_LIMIT are shown)


def fold(text: str) -> str:
    """A name as the search compares it: case and ё folded, spaces collapsed."""
    return " ".join(text.casefold().replace("ё", "е").split())


class PeopleAdminService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        invitations: InvitationService,
        access: AccessService,
        default_timezone: str = "Europe/Moscow",
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.invitations = invitations
        self.access = access
        self.default_timezone = default_timezone

    # --- /invite ----------------------------------------------------------------------------

    def invitable(self, me: Identity) -> tuple[Role, ...]:
        self._office(me)
        return INVITABLE_ROLES

    async def invite(self, me: Identity, role_name: str) -> IssuedInvite:
        """A new one-time link for a staff role (seasonal ones in the current season)."""
        self._office(me)
        role = next((r for r in INVITABLE_ROLES if r.value == role_name.strip().lower()), None)
        if role is None:
            raise RoleNotInvitable()
        [payload] = await self.invitations.create(role, actor_id=me.person_id)
        invitation = await self.uow.invitations.by_code(payload.removeprefix(INVITE_PREFIX))
        assert invitation is not None and invitation.expires_at is not None
        season = await self.uow.seasons.get(invitation.season_id) if invitation.season_id else None
        zone = ZoneInfo(season.timezone if season is not None else self.default_timezone)
        return IssuedInvite(
            payload,
            invitation.id,
            role,
            season.code if season is not None else None,
            invitation.expires_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
        )

    # --- /people ----------------------------------------------------------------------------

    async def find(self, me: Identity, query: str) -> PeopleFound:
        self._office(me)
        text = query.strip()[:QUERY_LIMIT]
        if not text:
            raise PeopleQueryMissing()
        if text.startswith("@"):
            kind, people = "username", await self.uow.people.by_username(text[1:], MATCH_LIMIT + 1)
            total = len(people)
        elif NUMBER.match(text):
            kind, people = "number", await self._by_number(text)
            total = len(people)
        else:
            if len(fold(text)) < MIN_NAME_LENGTH:
                raise PeopleQueryShort(min=MIN_NAME_LENGTH)
            wanted = fold(text)
            ids = [pid for pid, name in await self.uow.people.names() if wanted in fold(name)]
            kind, people, total = "name", await self.uow.people.many(ids[:MATCH_LIMIT]), len(ids)
        cards = [await self._card(person, me) for person in people[:MATCH_LIMIT]]
        await self._audit(me, cards)
        await self.uow.commit()
        return PeopleFound(kind, cards, total)

    async def _by_number(self, text: str) -> list[Person]:
        application = await self.uow.applications.by_number(text)
        if application is None:
            # A draft has no number yet: the season's code and the id name it all the same.
            found = NUMBER.match(text)
            assert found is not None
            candidate = await self.uow.applications.get(int(found["id"]))
            season = await self.uow.seasons.get(candidate.season_id) if candidate else None
            if season is not None and season.code.upper() == found["season"].upper():
                application = candidate
        if application is None:
            return []
        person = await self.uow.people.get(application.person_id)
        return [person] if person is not None else []

    async def _card(self, person: Person, me: Identity) -> PersonCard:
        grants = await self.access.grants_of(person.id, me)
        lines = []
        for application in await self.uow.applications.all_of_person(person.id):
            season = await self.uow.seasons.get(application.season_id)
            lines.append(
                ApplicationLine(
                    application.id,
                    application.number,
                    season.code if season is not None else "—",
                    application.status,
                    application.role,
                )
            )
        return PersonCard(
            person.id, person.full_name, person.username, person.tg_id, tuple(grants), tuple(lines)
        )

    async def _audit(self, me: Identity, cards: list[PersonCard]) -> None:
        """An applicant's data shown to staff: one card view per application in the answer."""
        now = self.clock.now()
        for card in cards:
            if card.person_id == me.person_id:
                continue
            for line in card.applications:
                await self.uow.access_audit.record(
                    now, me.person_id, AccessKind.CARD, card.person_id, line.application_id
                )

    def office_only(self, me: Identity) -> None:
        """Refused unless `me` is on the project office (the upload's steps ask this)."""
        self._office(me)

    def _office(self, me: Identity) -> None:
        if not me.has(Role.OFFICE):
            raise NotAllowed()
