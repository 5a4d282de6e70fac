"""The unit of work: one session and one commit per user action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.faults import fault_point
from storage.identity_cache import DIRTY, IdentityCache, track_identity_writes
from storage.models import AssignDraft, BookingSettings, PlanSettings, SlotDraft
from storage.repositories.access_audit import AccessAuditRepo, PersonDataRepo
from storage.repositories.accounts import AccountsRepo
from storage.repositories.applications import ApplicationsRepo
from storage.repositories.audit import AuditRepo
from storage.repositories.broadcasts import BroadcastsRepo
from storage.repositories.defence import DefenceRepo
from storage.repositories.exports import ExportsRepo
from storage.repositories.internships import (
    BookingsRepo,
    SitesRepo,
    SlotsRepo,
)
from storage.repositories.invitations import InvitationsRepo
from storage.repositories.outbox import OutboxRepo
from storage.repositories.paper_consents import PaperConsentsRepo
from storage.repositories.parent_links import ParentLinksRepo
from storage.repositories.people import PeopleRepo
from storage.repositories.per_key import DraftsRepo, SeasonSettingsRepo
from storage.repositories.plans import (
    PlanTasksRepo,
    RemindersRepo,
)
from storage.repositories.reserve import CertificatesRepo, ReserveRepo
from storage.repositories.roadmap import PassportsRepo, StagesRepo
from storage.repositories.season_config import SeasonConfigRepo
from storage.repositories.season_events import SeasonEventsRepo
from storage.repositories.seasons import SeasonsRepo
from storage.repositories.selection import SelectionRepo
from storage.repositories.stats import StatsRepo
from storage.repositories.survey import SurveyRepo
from storage.repositories.teams import TeamsRepo
from storage.repositories.updates import UpdatesRepo


class UpdateAlreadyHandled(Exception):
    """Another delivery of this update committed first; this one's work was rolled back."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} was handled by another delivery")
        self.update_id = update_id


@dataclass(frozen=True)
class _Claim:
    update_id: int
    received_at: datetime


class UnitOfWork:
    """Repositories over one session. Only `commit()` makes their work durable.

    `after_commit` callbacks run once the transaction is durable (the sender is woken there,
    so messages queued by the action go out at once rather than on the next poll).

    The unit of work of an incoming update claims it (`claim_update`): its commit then also
    records the update as processed, so a redelivery finds the record exactly when it finds the
    effect — never the record without the effect (the update lost) nor the effect without it
    (the answer stored twice).
    """

    def __init__(
        self,
        session: AsyncSession,
        after_commit: list[Callable[[], None]] | None = None,
        identities: IdentityCache | None = None,
    ) -> None:
        self.session = session
        self._after_commit = after_commit or []
        # Who wrote this update, cached between updates (storage/identity_cache.py).
        self.identities = identities if identities is not None else IdentityCache()
        self.people = PeopleRepo(session)
        self.accounts = AccountsRepo(session)
        self.seasons = SeasonsRepo(session)
        self.invitations = InvitationsRepo(session)
        self.outbox = OutboxRepo(session)
        self.audit = AuditRepo(session)
        self.access_audit = AccessAuditRepo(session)
        self.person_data = PersonDataRepo(session)
        self.updates = UpdatesRepo(session)
        self.season_config = SeasonConfigRepo(session)
        self.applications = ApplicationsRepo(session)
        self.parent_links = ParentLinksRepo(session)
        self.paper_consents = PaperConsentsRepo(session)
        self.teams = TeamsRepo(session)
        self.tasks = PlanTasksRepo(session)
        self.reminders = RemindersRepo(session)
        self.plan_settings = SeasonSettingsRepo(session, PlanSettings)
        self.assign_drafts = DraftsRepo(session, AssignDraft)
        self.sites = SitesRepo(session)
        self.slots = SlotsRepo(session)
        self.bookings = BookingsRepo(session)
        self.booking_settings = SeasonSettingsRepo(session, BookingSettings)
        self.slot_drafts = DraftsRepo(session, SlotDraft)
        self.passports = PassportsRepo(session)
        self.stages = StagesRepo(session)
        self.selection = SelectionRepo(session)
        self.stats = StatsRepo(session)
        self.exports = ExportsRepo(session)
        self.broadcasts = BroadcastsRepo(session)
        self.survey = SurveyRepo(session)
        self.certificates = CertificatesRepo(session)
        self.reserve = ReserveRepo(session)
        self.season_events = SeasonEventsRepo(session)
        self.defence = DefenceRepo(session)
        self._claim: _Claim | None = None

    def claim_update(self, update_id: int, now: datetime) -> None:
        """Handle update `update_id` in this unit of work: its commit also records the update
        (INSERT … ON CONFLICT DO NOTHING, in the same transaction) and, when a delivery of it
        already committed, rolls back instead and raises `UpdateAlreadyHandled`.

        Nothing is read or written here: an update that writes nothing (/help, a screen) costs
        no statement and no commit, and the row is taken at the end of the transaction, after
        the handler's own writes, so it holds no lock while the handler runs. On PostgreSQL a
        second process committing the same update at the same time waits on that row until the
        first's transaction ends, then finds it."""
        self._claim = _Claim(update_id, now)

    async def commit(self) -> None:
        claim = self._claim
        if claim is not None:
            if not await self.updates.first_sighting(claim.update_id, claim.received_at):
                await self.session.rollback()  # another delivery committed it before us
                self.session.info.pop(DIRTY, None)  # rolled back: nothing of it to announce
                self._claim = None  # what runs instead (the screen again) is not this update's
                raise UpdateAlreadyHandled(claim.update_id)
            fault_point("after-write")
        changed_identity = self.session.info.pop(DIRTY, False)
        await self.session.commit()
        if claim is not None:
            self._claim = None  # recorded for good: a later commit of the update adds nothing
            fault_point("after-commit")
        if changed_identity:
            # After the commit, never before: see storage/identity_cache.py.
            await self.identities.invalidate()
        for callback in self._after_commit:
            callback()

    async def rollback(self) -> None:
        self.session.info.pop(DIRTY, None)
        await self.session.rollback()


class UnitOfWorkFactory:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], redis: Redis | None = None
    ) -> None:
        self.sessions = sessions
        self.after_commit: list[Callable[[], None]] = []
        self.identities = IdentityCache(redis)
        track_identity_writes()

    def __call__(self) -> _UnitOfWorkScope:
        return _UnitOfWorkScope(self)


class _UnitOfWorkScope:
    """`async with factory() as uow:` — what was not committed is rolled back on exit."""

    def __init__(self, factory: UnitOfWorkFactory) -> None:
        self._factory = factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._factory.sessions()
        return UnitOfWork(self._session, self._factory.after_commit, self._factory.identities)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        await self._session.close()  # closing rolls back anything uncommitted
