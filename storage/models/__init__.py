"""The relational model: typed SQLAlchemy 2 declarative classes, one module per feature.

Every module is imported here so that `Base.metadata` (and Alembic) sees all tables.
"""

from storage.models.applications import (
    Answer,
    Application,
    Consent,
    IdeaPreference,
    PaperConsent,
    ParentLink,
    PresentationMedia,
)
from storage.models.base import Base, str_enum
from storage.models.broadcasts import Broadcast
from storage.models.core import (
    AccessRecord,
    Account,
    AuditEntry,
    Invitation,
    LinkCode,
    OutgoingMessage,
    Person,
    ProcessedUpdate,
    RoleGrant,
    Season,
)
from storage.models.defence import (
    DefenceComment,
    DefenceCriterion,
    DefenceJuror,
    DefenceMark,
    DefencePresentation,
    DefencePublication,
    DefenceScore,
    DefenceSession,
    DefenceSlot,
)
from storage.models.internships import (
    Booking,
    BookingSettings,
    Site,
    Slot,
    SlotDraft,
)
from storage.models.plans import (
    AssignDraft,
    PlanSettings,
    PlanTask,
    Reminder,
)
from storage.models.reserve import Certificate, ReserveNomination
from storage.models.roadmap import (
    ProjectPassport,
    RoadmapStage,
)
from storage.models.season_config import (
    DEFAULT_INVITATION_DAYS,
    ConsentText,
    Direction,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    SeasonSettings,
    SelectionCriterion,
)
from storage.models.season_events import (
    EventCheckin,
    EventCode,
    EventInvitation,
    EventItem,
    SeasonEvent,
)
from storage.models.selection import (
    ApplicationScore,
    ResultsPublication,
    ReviewNote,
    SelectionDecision,
)
from storage.models.survey import SurveyAnswer, SurveyWave
from storage.models.teams import Team, TeamMember

__all__ = [
    "DEFAULT_INVITATION_DAYS",
    "AccessRecord",
    "Account",
    "Answer",
    "Application",
    "ApplicationScore",
    "AssignDraft",
    "AuditEntry",
    "Base",
    "Booking",
    "BookingSettings",
    "Broadcast",
    "Certificate",
    "Consent",
    "ConsentText",
    "DefenceComment",
    "DefenceCriterion",
    "DefenceJuror",
    "DefenceMark",
    "DefencePresentation",
    "DefencePublication",
    "DefenceScore",
    "DefenceSession",
    "DefenceSlot",
    "Direction",
    "EventCheckin",
    "EventCode",
    "EventInvitation",
    "EventItem",
    "IdeaPreference",
    "Invitation",
    "LinkCode",
    "MotivationQuestion",
    "Municipality",
    "OutgoingMessage",
    "PaperConsent",
    "ParentLink",
    "Person",
    "PlanSettings",
    "PlanTask",
    "PresentationMedia",
    "ProcessedUpdate",
    "ProjectIdea",
    "ProjectPassport",
    "Reminder",
    "ReserveNomination",
    "ResultsPublication",
    "ReviewNote",
    "RoadmapStage",
    "RoleGrant",
    "Season",
    "SeasonEvent",
    "SeasonSettings",
    "SelectionCriterion",
    "SelectionDecision",
    "Site",
    "Slot",
    "SlotDraft",
    "SurveyAnswer",
    "SurveyWave",
    "Team",
    "TeamMember",
    "str_enum",
]
