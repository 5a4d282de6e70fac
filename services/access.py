"""Who may get in: the office lists the invitation links still open and the people holding
staff roles, and revokes either (in the bot with /access, or with the CLI).

A revocation is a conditional update, so a double tap or a replay revokes once; it is audited,
and a revoked role takes effect at the person's next update (identity is read per update) and
takes its commands out of their menu. Office admins named in the settings (OFFICE_ADMIN_IDS)
are given the role back on their next message, so they cannot be revoked here at all; and in
the bot nobody revokes their own office role, so the office always keeps someone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.clock import Clock
from services.domain import Role
from services.errors import Conflict, DomainError, NotAllowed, NotFound
from services.i18n import Texts
from services.invitations import STAFF_ROLES, code_of
from services.notify import Notifier
from services.people import Identity
from storage.models import Invitation, Person, RoleGrant, Season
from storage.uow import UnitOfWork

# The office first, then who reads applications, then the sites.
ROLE_ORDER = (Role.OFFICE, Role.MENTOR, Role.SITE_CONTACT, Role.TUTOR, Role.STUDENT)
PAGE_SIZE = 8


class InvitationGone(Conflict):
    """The link was opened, revoked or expired since the list was drawn."""

    key = "access-invitation-gone"


class GrantGone(Conflict):
    key = "access-role-gone"


class RoleFromSettings(DomainError):
    key = "access-role-from-settings"


class OwnOfficeRole(DomainError):
    key = "access-own-office-role"


class Revoked(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # a double tap or a replay: nothing happened the second time
    USED = "used"  # the link was opened before the press: revoke the role instead


@dataclass(frozen=True)
class InvitationEntry:
    id: int
    code: str
    role: Role
    label: str | None
    season_code: str | None
    idea_title: str | None
    expires_at: datetime | None
    expires_local: str | None  # in the season's zone


@dataclass(frozen=True)
class GrantEntry:
    grant_id: int
    person_id: int
    tg_id: int | None  # None: a person only on MAX
    name: str | None
    username: str | None
    role: Role
    season_code: str | None
    ideas: tuple[str, ...]
    from_settings: bool
    is_me: bool

    @property
    def revocable_in_bot(self) -> bool:
        return not (self.role is Role.OFFICE and (self.from_settings or self.is_me))


@dataclass(frozen=True)
class AccessPage:
    invitations: list[InvitationEntry]
    grants: list[GrantEntry]
    invitations_total: int
    grants_total: int
    page: int
    pages: int
    first_number: int  # the number of the first entry shown (entries are numbered across pages)


@dataclass(frozen=True)
class RoleRevocation:
    revoked: int
    person_id: int


class AccessService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        *,
        office_admin_ids: frozenset[int] = frozenset(),
        default_timezone: str = "Europe/Moscow",
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.office_admin_ids = office_admin_ids
        self.default_timezone = default_timezone

    # --- what the office sees ----------------------------------------------------------------

    async def page(self, me: Identity, page: int = 0) -> AccessPage:
        self._office(me)
        invitations = await self.open_invitations()
        grants = await self.grants(STAFF_ROLES, me=me)
        entries: list[InvitationEntry | GrantEntry] = [*invitations, *grants]
        pages = max(1, -(-len(entries) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        return AccessPage(
            invitations=[e for e in shown if isinstance(e, InvitationEntry)],
            grants=[e for e in shown if isinstance(e, GrantEntry)],
            invitations_total=len(invitations),
            grants_total=len(grants),
            page=page,
            pages=pages,
            first_number=page * PAGE_SIZE + 1,
        )

    async def invitation(self, me: Identity, invitation_id: int) -> InvitationEntry:
        """One open link, for the confirmation before revoking it."""
        self._office(me)
        for entry in await self.open_invitations():
            if entry.id == invitation_id:
                return entry
        raise InvitationGone()

    async def grant(self, me: Identity, grant_id: int) -> GrantEntry:
        """One staff role held now, for the confirmation before revoking it."""
        self._office(me)
        found = await self.uow.people.grant_by_id(grant_id, fresh=True)
        if found is None or found[0].revoked_at is not None:
            raise GrantGone()
        if found[0].role not in STAFF_ROLES:
            raise NotAllowed()  # the bot lists staff roles only; nothing else has a button
        entry = await self._grant_entry(*found, me=me)
        self._check_revocable_in_bot(entry)
        return entry

    async def open_invitations(self) -> list[InvitationEntry]:
        now = self.clock.now()
        return [
            InvitationEntry(
                id=invitation.id,
                code=invitation.code,
                role=invitation.role,
                label=invitation.label,
                season_code=season.code if season is not None else None,
                idea_title=idea_title,
                expires_at=invitation.expires_at,
                expires_local=self._local(invitation.expires_at, season),
            )
            for invitation, season, idea_title in await self.uow.invitations.open(now)
        ]

    async def grants(
        self, roles: frozenset[Role], *, me: Identity | None = None
    ) -> list[GrantEntry]:
        rows = await self.uow.people.active_grants(roles)
        ideas = await self.uow.invitations.mentored_ideas(
            person.id for grant, person, _ in rows if grant.role is Role.MENTOR
        )
        entries = [self._entry(grant, person, season, ideas, me) for grant, person, season in rows]
        return sorted(entries, key=lambda e: (ROLE_ORDER.index(e.role), e.season_code or ""))

    async def grants_of(self, person_id: int, me: Identity) -> list[GrantEntry]:
        """Every role one person holds now (/people shows them; staff ones get a button)."""
        rows = await self.uow.people.active_grants(frozenset(Role), person_id=person_id)
        ideas = await self.uow.invitations.mentored_ideas([person_id])
        entries = [self._entry(grant, person, season, ideas, me) for grant, person, season in rows]
        return sorted(entries, key=lambda e: (ROLE_ORDER.index(e.role), e.season_code or ""))

    # --- revoking ----------------------------------------------------------------------------

    async def revoke_invitation(self, me: Identity, invitation_id: int) -> Revoked:
        """The office's confirmed press: switch an unused link off."""
        self._office(me)
        invitation = await self.uow.invitations.get(invitation_id, fresh=True)
        if invitation is None:
            raise NotFound()
        return await self._revoke_invitation(invitation, me.person_id, "bot")

    async def revoke_invitation_code(self, text: str) -> Revoked:
        """The CLI: by the code, the `inv_…` payload or the whole link."""
        invitation = await self.uow.invitations.by_code(code_of(text), fresh=True)
        if invitation is None:
            raise NotFound("access-invitation-unknown")
        return await self._revoke_invitation(invitation, None, "cli")

    async def revoke_grant(self, me: Identity, grant_id: int) -> Revoked:
        """The office's confirmed press: revoke one staff role of one person."""
        self._office(me)
        found = await self.uow.people.grant_by_id(grant_id, fresh=True)
        if found is None:
            raise NotFound()
        grant, person, season = found
        if grant.role not in STAFF_ROLES:
            raise NotAllowed()  # the bot lists staff roles only; nothing else has a button
        if grant.revoked_at is not None:
            return Revoked.ALREADY
        self._check_revocable_in_bot(await self._grant_entry(grant, person, season, me=me))
        done = await self._revoke_grant(grant, person, me.person_id, "bot")
        await self.uow.commit()
        return Revoked.DONE if done else Revoked.ALREADY

    async def revoke_role(self, tg_id: int, role: Role, season_code: str | None) -> RoleRevocation:
        """The CLI: revoke a role of the person with this Telegram id (in one season, or in
        every season it is held in)."""
        person = await self.uow.people.by_tg_id(tg_id)
        if person is None:
            raise NotFound("access-person-unknown", tg_id=tg_id)
        season_id = None
        if season_code:
            season = await self.uow.seasons.by_code(season_code)
            if season is None:
                raise NotFound("season-unknown", code=season_code)
            season_id = season.id
        if role is Role.OFFICE and tg_id in self.office_admin_ids:
            raise RoleFromSettings()
        rows = await self.uow.people.active_grants([role], person_id=person.id, season_id=season_id)
        revoked = 0
        for grant, _, _ in rows:
            revoked += await self._revoke_grant(grant, person, None, "cli")
        await self.uow.commit()
        return RoleRevocation(revoked, person.id)

    async def _revoke_invitation(
        self, invitation: Invitation, actor_id: int | None, source: str
    ) -> Revoked:
        if invitation.revoked_at is not None:
            return Revoked.ALREADY
        if invitation.used_at is not None:
            return Revoked.USED
        now = self.clock.now()
        if not await self.uow.invitations.revoke(invitation.id, now):
            # Opened or revoked by someone else between the read and the update.
            fresh = await self.uow.invitations.get(invitation.id, fresh=True)
            return Revoked.USED if fresh and fresh.used_at is not None else Revoked.ALREADY
        await self.uow.audit.record(
            now,
            actor_id,
            "invitation.revoke",
            "invitation",
            invitation.id,
            role=invitation.role,
            season_id=invitation.season_id,
            source=source,
        )
        await self.uow.commit()
        return Revoked.DONE

    async def _revoke_grant(
        self, grant: RoleGrant, person: Person, actor_id: int | None, source: str
    ) -> bool:
        now = self.clock.now()
        if not await self.uow.people.revoke_grant(grant.id, now):
            return False
        if grant.role is Role.SITE_CONTACT:
            # Slots are managed by the site's bound contact, not by the role: unbind, so the
            # sites import makes the site a new contact link.
            await self.uow.sites.unbind_contact(person.id, grant.season_id, now)
        await self.uow.audit.record(
            now,
            actor_id,
            "role.revoke",
            "person",
            person.id,
            role=grant.role,
            season_id=grant.season_id,
            grant_id=grant.id,
            source=source,
        )
        remaining = frozenset(role for role, _ in await self.uow.people.roles_of(person.id))
        await self.notifier.refresh_menu(person, remaining)
        await self.notifier.send_text(
            person,
            self.texts.get(
                "access-your-role-revoked",
                person.language,
                role=self.texts.get(f"role-{grant.role.value}", person.language),
            ),
            person_id=person.id,
        )
        return True

    # --- helpers -----------------------------------------------------------------------------

    def _office(self, me: Identity) -> None:
        if not me.has(Role.OFFICE):
            raise NotAllowed()

    def _check_revocable_in_bot(self, entry: GrantEntry) -> None:
        if entry.role is Role.OFFICE and entry.from_settings:
            raise RoleFromSettings()
        if entry.role is Role.OFFICE and entry.is_me:
            raise OwnOfficeRole()

    async def _grant_entry(
        self, grant: RoleGrant, person: Person, season: Season | None, *, me: Identity | None
    ) -> GrantEntry:
        ideas = await self.uow.invitations.mentored_ideas([person.id])
        return self._entry(grant, person, season, ideas, me)

    def _entry(
        self,
        grant: RoleGrant,
        person: Person,
        season: Season | None,
        ideas: dict[tuple[int, int], list[str]],
        me: Identity | None,
    ) -> GrantEntry:
        mentored = (
            ideas.get((person.id, grant.season_id), [])
            if grant.role is Role.MENTOR and grant.season_id is not None
            else []
        )
        return GrantEntry(
            grant_id=grant.id,
            person_id=person.id,
            tg_id=person.tg_id,
            name=person.full_name,
            username=person.username,
            role=grant.role,
            season_code=season.code if season is not None else None,
            ideas=tuple(mentored),
            from_settings=grant.role is Role.OFFICE and person.tg_id in self.office_admin_ids,
            is_me=me is not None and me.person_id == person.id,
        )

    def _local(self, moment: datetime | None, season: Season | None) -> str | None:
        if moment is None:
            return None
        zone = ZoneInfo(season.timezone if season is not None else self.default_timezone)
        return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")
