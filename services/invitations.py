"""One-time role invitations: the office creates deep links, the first person to open one gets
the role. A link expires after its season's `invitation_valid_days` (14 by default) and the
office can revoke it while it is unused (services/access.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.clock import Clock
from services.domain import Role
from services.errors import DomainError, NotFound
from services.notify import Notifier
from services.people import Identity
from storage.models import DEFAULT_INVITATION_DAYS, Invitation
from storage.uow import UnitOfWork

INVITE_PREFIX = "inv_"
# `invite site_contact --label site:CODE`: the link makes its holder that site's contact.
SITE_LABEL = "site:"
# `invite jury --label defence:CODE`: the link seats its holder on that defence session's jury.
DEFENCE_LABEL = "defence:"
SEASONAL_ROLES = frozenset({Role.MENTOR, Role.TUTOR, Role.STUDENT, Role.SITE_CONTACT, Role.JURY})
# Adults who act for an organisation: their Telegram name is kept so that applicants and teams
# see who their mentor or contact is. Students and tutors give their names in the application,
# after consent. These are also the roles the office lists and revokes in the bot.
STAFF_ROLES = frozenset({Role.OFFICE, Role.MENTOR, Role.SITE_CONTACT})
MAX_VALID_DAYS = 365


class InvitationUsed(DomainError):
    key = "invite-used"


class InvitationExpired(DomainError):
    key = "invite-expired"


class InvitationRevoked(DomainError):
    """The office switched the link off, or took away the role it once gave this person."""

    key = "invite-revoked"


class InvitationUnknown(DomainError):
    key = "invite-unknown"


@dataclass(frozen=True)
class Redeemed:
    role: Role
    newly_granted: bool
    # The idea whose mentor the link made its holder, for the welcome to name it.
    idea_title: str | None = None


def code_of(text: str) -> str:
    """The invitation code in a payload (`inv_…`) or a whole link (`https://t.me/…?start=inv_…`)."""
    text = text.strip()
    if "start=" in text:
        text = text.split("start=", 1)[1].split("&", 1)[0]
    return text.removeprefix(INVITE_PREFIX)


async def valid_for_season(uow: UnitOfWork, season_id: int | None) -> timedelta:
    """How long a new link of this season stays valid (the season file's
    `invitation_valid_days`; the default for links without a season)."""
    settings = await uow.season_config.settings(season_id) if season_id else None
    days = settings.invitation_valid_days if settings is not None else DEFAULT_INVITATION_DAYS
    return timedelta(days=days)


async def issue_invitation(
    uow: UnitOfWork, role: Role, season_id: int | None, *, label: str | None, now: datetime
) -> Invitation:
    """One invitation valid for its season's days, inside the caller's transaction (the season
    and sites imports make an idea's mentor link and a site's contact link this way)."""
    invitation = await uow.invitations.add(
        Invitation(
            code=secrets.token_urlsafe(12),
            role=role,
            season_id=season_id,
            label=label,
            created_at=now,
            expires_at=now + await valid_for_season(uow, season_id),
        )
    )
    await uow.audit.record(now, None, "invitation.create", "invitation", invitation.id, role=role)
    return invitation


class InvitationService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        default_timezone: str = "Europe/Moscow",
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.default_timezone = default_timezone

    async def create(
        self,
        role: Role,
        *,
        season_code: str | None = None,
        label: str | None = None,
        valid_for: timedelta | None = None,
        count: int = 1,
        actor_id: int | None = None,
    ) -> list[str]:
        """New invitation codes for a role; seasonal roles belong to a season (the current one
        by default). Returns the deep-link payloads (`inv_…`). `actor_id`: the office member
        who asked in the bot (None from the CLI), for the audit."""
        if count < 1 or count > 1000:
            raise DomainError("invite-bad-count")
        if valid_for is not None and not timedelta(0) < valid_for <= timedelta(MAX_VALID_DAYS):
            raise DomainError("invite-bad-days", max=MAX_VALID_DAYS)
        season_id = None
        if role in SEASONAL_ROLES:
            season = await (
                self.uow.seasons.by_code(season_code) if season_code else self.uow.seasons.current()
            )
            if season_code and season is None:
                raise NotFound("season-unknown", code=season_code)
            season_id = season.id if season else None
        now = self.clock.now()
        expires_at = now + (valid_for or await valid_for_season(self.uow, season_id))
        payloads = []
        for _ in range(count):
            invitation = await self.uow.invitations.add(
                Invitation(
                    code=secrets.token_urlsafe(12),  # 16 characters of [A-Za-z0-9_-]
                    role=role,
                    season_id=season_id,
                    label=label,
                    created_at=now,
                    expires_at=expires_at,
                )
            )
            await self.uow.audit.record(
                now, actor_id, "invitation.create", "invitation", invitation.id, role=role
            )
            payloads.append(INVITE_PREFIX + invitation.code)
        await self.uow.commit()
        return payloads

    async def issue(
        self, role: Role, season_id: int | None, *, label: str | None, now: datetime
    ) -> Invitation:
        """One invitation inside the caller's transaction; not committed here."""
        return await issue_invitation(self.uow, role, season_id, label=label, now=now)

    async def redeem(
        self,
        me: Identity,
        payload: str,
        display_name: str | None = None,
        username: str | None = None,
    ) -> Redeemed:
        code = payload.removeprefix(INVITE_PREFIX)
        now = self.clock.now()
        invitation = await self.uow.invitations.by_code(code)
        if invitation is None:
            raise InvitationUnknown()
        if not await self.uow.invitations.claim(code, me.person_id, now):
            invitation = await self.uow.invitations.by_code(code, fresh=True)
            assert invitation is not None
            if invitation.used_by == me.person_id:
                # A second tap on the link: fine while the role is held; once the office has
                # revoked it, the old link must not look as if it still worked.
                if (invitation.role, invitation.season_id) not in me.seasonal_roles:
                    raise InvitationRevoked()
                return Redeemed(
                    invitation.role, newly_granted=False, idea_title=await self._idea(invitation)
                )
            if invitation.used_at is not None:
                raise InvitationUsed()
            if invitation.revoked_at is not None:
                raise InvitationRevoked()
            raise InvitationExpired(expired=await self._local(invitation))
        granted = await self.uow.people.grant(
            me.person_id, invitation.role, invitation.season_id, now
        )
        if invitation.role is Role.SITE_CONTACT:
            # An invitation made for a site makes its holder that site's contact.
            label = invitation.label or ""
            await self.uow.sites.bind_contact(
                invitation.id,
                me.person_id,
                now,
                season_id=invitation.season_id,
                site_code=label.removeprefix(SITE_LABEL) if label.startswith(SITE_LABEL) else None,
            )
        label = invitation.label or ""
        if (
            invitation.role is Role.JURY
            and invitation.season_id
            and label.startswith(DEFENCE_LABEL)
        ):
            session = await self.uow.defence.session_by_code(
                invitation.season_id, label.removeprefix(DEFENCE_LABEL)
            )
            if session is not None:
                await self.uow.defence.add_juror(session.id, me.person_id)
        if invitation.role in STAFF_ROLES and display_name:
            await self.uow.people.set_profile(me.person_id, display_name[:200], username, now)
        await self.uow.audit.record(
            now,
            me.person_id,
            "invitation.redeem",
            "invitation",
            invitation.id,
            role=invitation.role,
            season_id=invitation.season_id,
            newly_granted=granted,
        )
        await self.notifier.refresh_menu(me.address, me.roles | {invitation.role})
        idea_title = await self._idea(invitation)
        await self.uow.commit()
        return Redeemed(invitation.role, newly_granted=granted, idea_title=idea_title)

    async def _idea(self, invitation: Invitation) -> str | None:
        idea = await self.uow.invitations.idea_of(invitation.id)
        return idea.title if idea is not None else None

    async def _local(self, invitation: Invitation) -> str:
        """When the link expired, in its season's time zone."""
        assert invitation.expires_at is not None
        season = await self.uow.seasons.get(invitation.season_id) if invitation.season_id else None
        zone = ZoneInfo(season.timezone if season is not None else self.default_timezone)
        return invitation.expires_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
