"""The services of one user action, over one unit of work: handlers take `services: Services`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from services.access import AccessService
from services.access_audit import AccessAuditService
from services.applications import ApplicationService
from services.broadcasts import BroadcastProgress, BroadcastService
from services.certificates import CertificateService
from services.clock import Clock
from services.config_upload import ConfigUploadService
from services.consequences import FeatureConsequences
from services.defence import DefenceFeedback, DefenceService
from services.events import Consequences
from services.exports import ExportService
from services.i18n import Texts
from services.internships import InternshipService
from services.invitations import InvitationService
from services.linking import LinkService
from services.mydata import MyDataService
from services.notify import OutboxNotifier
from services.people import PeopleService
from services.people_admin import PeopleAdminService
from services.plans import PlanService
from services.profile import ProfileService
from services.reminders import ReminderService
from services.reserve import ReserveService
from services.retention import RetentionService
from services.roadmap import RoadmapService
from services.season_events import SeasonEventService
from services.season_import import SeasonImportService
from services.selection import SelectionService
from services.stats import StatsService
from services.survey import SurveyService
from services.team_chat import TeamChatService
from services.teams import TeamService
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class ServiceConfig:
    """The few settings the programme's rules need (the rest stay in bot/settings.py)."""

    default_timezone: str = "Europe/Moscow"
    office_admin_ids: frozenset[int] = frozenset()


class Services:
    """Built per update; each service is created on first use and shares the one transaction."""

    def __init__(self, uow: UnitOfWork, clock: Clock, texts: Texts, config: ServiceConfig) -> None:
        self.uow = uow
        self.clock = clock
        self.texts = texts
        self.config = config

    @cached_property
    def notifier(self) -> OutboxNotifier:
        return OutboxNotifier(self.uow.outbox, self.clock)

    @cached_property
    def consequences(self) -> Consequences:
        """What one feature's action causes in another (services/consequences.py); the
        features it calls are built when a consequence first needs them."""
        return FeatureConsequences(
            selection=lambda: self.selection,
            teams=lambda: self.teams,
            plans=lambda: self.plans,
            survey=lambda: self.survey,
        )

    @cached_property
    def people(self) -> PeopleService:
        return PeopleService(self.uow, self.clock, self.notifier, self.config.office_admin_ids)

    @cached_property
    def linking(self) -> LinkService:
        return LinkService(self.uow, self.clock)

    @cached_property
    def invitations(self) -> InvitationService:
        return InvitationService(self.uow, self.clock, self.notifier, self.config.default_timezone)

    @cached_property
    def access(self) -> AccessService:
        return AccessService(
            self.uow,
            self.clock,
            self.notifier,
            self.texts,
            office_admin_ids=self.config.office_admin_ids,
            default_timezone=self.config.default_timezone,
        )

    @cached_property
    def applications(self) -> ApplicationService:
        return ApplicationService(
            self.uow, self.clock, self.notifier, self.texts, self.consequences
        )

    @cached_property
    def retention(self) -> RetentionService:
        return RetentionService(self.uow, self.clock, self.notifier, self.texts)

    @cached_property
    def season_import(self) -> SeasonImportService:
        return SeasonImportService(self.uow, self.clock, self.texts)

    @cached_property
    def teams(self) -> TeamService:
        return TeamService(self.uow, self.clock, self.notifier, self.texts)

    @cached_property
    def team_chat(self) -> TeamChatService:
        return TeamChatService(self.uow, self.clock, self.notifier, self.texts)

    @cached_property
    def roadmap(self) -> RoadmapService:
        return RoadmapService(self.uow, self.clock, self.notifier, self.texts, self.reminders)

    @cached_property
    def profile(self) -> ProfileService:
        return ProfileService(self.uow, self.clock, self.notifier, self.texts)

    @cached_property
    def reminders(self) -> ReminderService:
        return ReminderService(
            self.uow, self.clock, self.notifier, self.texts, self.config.default_timezone
        )

    @cached_property
    def plans(self) -> PlanService:
        return PlanService(self.uow, self.clock, self.notifier, self.texts, self.reminders)

    @cached_property
    def internships(self) -> InternshipService:
        return InternshipService(
            self.uow,
            self.clock,
            self.notifier,
            self.texts,
            self.reminders,
            self.consequences,
            self.config.default_timezone,
        )

    @cached_property
    def selection(self) -> SelectionService:
        return SelectionService(self.uow, self.clock, self.notifier, self.texts, self.consequences)

    @cached_property
    def access_audit(self) -> AccessAuditService:
        return AccessAuditService(self.uow, self.clock, self.notifier, self.texts)

    @cached_property
    def mydata(self) -> MyDataService:
        return MyDataService(self.uow, self.clock, self.notifier, self.texts)

    @cached_property
    def people_admin(self) -> PeopleAdminService:
        return PeopleAdminService(
            self.uow, self.clock, self.invitations, self.access, self.config.default_timezone
        )

    @cached_property
    def config_upload(self) -> ConfigUploadService:
        return ConfigUploadService(
            self.uow, self.clock, self.texts, self.season_import, self.internships
        )

    @cached_property
    def stats(self) -> StatsService:
        return StatsService(self.uow, self.clock, self.notifier, self.texts)

    @cached_property
    def exports(self) -> ExportService:
        return ExportService(self.uow, self.clock, self.notifier, self.texts, self.access_audit)

    @cached_property
    def broadcasts(self) -> BroadcastService:
        return BroadcastService(
            self.uow, self.clock, self.notifier, self.texts, self.config.default_timezone
        )

    @cached_property
    def broadcast_progress(self) -> BroadcastProgress:
        return BroadcastProgress(
            self.uow, self.clock, self.notifier, self.texts, self.config.default_timezone
        )

    @cached_property
    def survey(self) -> SurveyService:
        return SurveyService(
            self.uow, self.clock, self.notifier, self.texts, self.config.default_timezone
        )

    @cached_property
    def certificates(self) -> CertificateService:
        return CertificateService(
            self.uow, self.clock, self.notifier, self.texts, self.config.default_timezone
        )

    @cached_property
    def reserve(self) -> ReserveService:
        return ReserveService(self.uow, self.clock, self.notifier, self.texts, self.access_audit)

    @cached_property
    def season_events(self) -> SeasonEventService:
        return SeasonEventService(
            self.uow, self.clock, self.notifier, self.texts, self.config.default_timezone
        )

    @cached_property
    def defence(self) -> DefenceService:
        return DefenceService(
            self.uow, self.clock, self.notifier, self.texts, self.config.default_timezone
        )

    @property
    def defence_feedback(self) -> DefenceFeedback:
        return DefenceFeedback(self.defence)
