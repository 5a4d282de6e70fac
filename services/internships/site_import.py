"""Loading the sites file: sites, their slots and invitations for their contacts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.domain import Role, SlotStatus
from services.file_problems import FileInvalid, FileProblem
from services.internships.base import InternshipBase
from services.internships.views import ImportReport
from services.invitations import INVITE_PREFIX, SITE_LABEL, InvitationService
from services.sites_file import SiteEntry, SlotEntry, read_sites, requested_season
from storage.models import Invitation, Site, Slot


class SiteImport(InternshipBase):
    """Importing the sites file."""

    async def import_sites(
        self, data: Any, season_code: str | None = None, *, commit: bool = True
    ) -> ImportReport:
        """Create or update sites and their slots, keyed by the site's `code` and the slot's
        (kind, start); create a one-time contact invitation for each site without a contact.
        Nothing is written when the file has any error (services/sites_file.py checks it)."""
        report = ImportReport()
        requested = season_code or requested_season(data)
        season = await (
            self.uow.seasons.by_code(requested) if requested else self.uow.seasons.current()
        )
        if season is None:
            return self._refused(report, [FileProblem("season", "file-season-unknown")])
        policy = await self.policy_for(season.id)
        try:
            parsed = read_sites(data, policy.timezone)
        except FileInvalid as invalid:
            return self._refused(report, invalid.problems)
        now = self.clock.now()
        for entry in parsed.sites:
            site = await self._import_site(season.id, entry, now, report)
            for slot in entry.slots:
                await self._import_slot(site, slot, now, report)
            report.contacts.append((site.code, await self._contact_link(site, now)))
        await self.uow.audit.record(
            now,
            None,
            "sites.import",
            "season",
            season.id,
            sites=report.sites_created + report.sites_updated,
            slots=report.slots_created + report.slots_updated,
        )
        if commit:
            await self.uow.commit()
        return report

    def _refused(self, report: ImportReport, problems: list[FileProblem]) -> ImportReport:
        report.errors.extend(
            (p.path or self.texts.get("file-whole"), p.text(self.texts)) for p in problems
        )
        return report

    async def _import_site(
        self, season_id: int, entry: SiteEntry, now: datetime, report: ImportReport
    ) -> Site:
        site = await self.uow.sites.by_code(season_id, entry.code)
        fields = entry.model_dump(include={"organisation", "address", "direction", "auto_confirm"})
        if site is None:
            report.sites_created += 1
            return await self.uow.sites.add(
                Site(season_id=season_id, code=entry.code, created_at=now, updated_at=now, **fields)
            )
        for key, value in fields.items():
            setattr(site, key, value)
        site.updated_at = now
        report.sites_updated += 1
        return site

    async def _contact_link(self, site: Site, now: datetime) -> str | None:
        """The site's open contact link (a new one when it has none that works), or None when
        its contact is bound."""
        if site.contact_person_id is not None:
            return None
        invitation = await self._open_invitation(site.invitation_id)
        if invitation is None:
            invitations = InvitationService(self.uow, self.clock, self.notifier)
            invitation = await invitations.issue(
                Role.SITE_CONTACT, site.season_id, label=f"{SITE_LABEL}{site.code}", now=now
            )
            site.invitation_id = invitation.id
        return INVITE_PREFIX + invitation.code

    async def _open_invitation(self, invitation_id: int | None) -> Invitation | None:
        if invitation_id is None:
            return None
        invitation = await self.uow.session.get(Invitation, invitation_id)
        if invitation is None or not invitation.is_open(self.clock.now()):
            return None  # used, revoked by the office or expired: the site gets a new link
        return invitation

    async def _import_slot(
        self, site: Site, entry: SlotEntry, now: datetime, report: ImportReport
    ) -> None:
        slot = await self.uow.slots.by_natural_key(site.id, entry.kind, entry.start)
        if slot is None:
            await self.uow.slots.add(
                Slot(
                    site_id=site.id,
                    kind=entry.kind,
                    starts_at=entry.start,
                    ends_at=entry.end,
                    capacity=entry.capacity,
                    seats_taken=0,
                    requirements=entry.requirements,
                    directions=entry.directions,
                    status=SlotStatus.OPEN,
                    created_at=now,
                    updated_at=now,
                )
            )
            report.slots_created += 1
            return
        await self.uow.slots.update_fields(
            slot.id,
            now,
            ends_at=entry.end,
            capacity=max(entry.capacity, slot.seats_taken),
            requirements=entry.requirements,
            directions=entry.directions,
        )
        report.slots_updated += 1
