"""One-time role invitations: the office creates deep links, the first person to open one gets
the role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.clock import Clock
from services.errors import DomainError, NotFound
from services.notify import Notifier
from services.people import Identity
from storage.models import Invitation, Role
from storage.uow import UnitOfWork

INVITE_PREFIX = "inv_"
# `invite site_contact --label site:CODE`: the link makes its holder that site's contact.
SITE_LABEL = "site:"
SEASONAL_ROLES = frozenset({Role.MENTOR, Role.TUTOR, Role.STUDENT, Role.SITE_CONTACT})
# Adults who act for an organisation: their Telegram name is kept so that applicants and teams
# see who their mentor or contact is. Students and tutors give their names in the application,
# after consent.
STAFF_ROLES = frozenset({Role.OFFICE, Role.MENTOR, Role.SITE_CONTACT})


class InvitationUsed(DomainError):
    key = "invite-used"


class InvitationExpired(DomainError):
    key = "invite-expired"


class InvitationUnknown(DomainError):
    key = "invite-unknown"


@dataclass(frozen=True)
class Redeemed:
    role: Role
    newly_granted: bool


class InvitationService:
    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier

    async def create(
        self,
        role: Role,
        *,
        season_code: str | None = None,
        label: str | None = None,
        valid_for: timedelta | None = None,
        count: int = 1,
    ) -> list[str]:
        """New invitation codes for a role; seasonal roles belong to a season (the current one
        by default). Returns the deep-link payloads (`inv_…`)."""
        if count < 1 or count > 1000:
            raise DomainError("invite-bad-count")
        season_id = None
        if role in SEASONAL_ROLES:
            season = await (
                self.uow.seasons.by_code(season_code) if season_code else self.uow.seasons.current()
            )
            if season_code and season is None:
                raise NotFound("season-unknown", code=season_code)
            season_id = season.id if season else None
        now = self.clock.now()
        payloads = []
        for _ in range(count):
            code = secrets.token_urlsafe(12)  # 16 characters of [A-Za-z0-9_-]
            await self.uow.invitations.add(
                Invitation(
                    code=code,
                    role=role,
                    season_id=season_id,
                    label=label,
                    created_at=now,
                    expires_at=now + valid_for if valid_for else None,
                )
            )
            payloads.append(INVITE_PREFIX + code)
        await self.uow.commit()
        return payloads

    async def issue(
        self, role: Role, season_id: int | None, *, label: str | None, now: datetime
    ) -> Invitation:
        """One invitation inside the caller's transaction (the sites import makes a site's
        contact link this way); not committed here."""
        return await self.uow.invitations.add(
            Invitation(
                code=secrets.token_urlsafe(12),
                role=role,
                season_id=season_id,
                label=label,
                created_at=now,
            )
        )

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
                return Redeemed(invitation.role, newly_granted=False)  # a second tap on the link
            if invitation.used_at is not None:
                raise InvitationUsed()
            raise InvitationExpired()
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
        if invitation.role in STAFF_ROLES and display_name:
            await self.uow.people.set_profile(me.person_id, display_name[:200], username, now)
        await self.uow.audit.record(
            now,
            me.person_id,
            "invitation.redeem",
            "invitation",
            invitation.id,
            role=invitation.role,
        )
        await self.notifier.refresh_menu(me.tg_id, me.roles | {invitation.role})
        await self.uow.commit()
        return Redeemed(invitation.role, newly_granted=granted)
