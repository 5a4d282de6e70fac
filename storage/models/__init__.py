"""The relational model: typed SQLAlchemy 2 declarative classes, one module per feature.

Every module is imported here so that `Base.metadata` (and Alembic) sees all tables.
"""

from storage.models.base import Base, str_enum
from storage.models.core import (
    AuditEntry,
    Invitation,
    OutboxStatus,
    OutgoingMessage,
    Person,
    ProcessedUpdate,
    Role,
    RoleGrant,
    Season,
)
from storage.models.internships import (
    Attendance,
    Booking,
    BookingSettings,
    BookingStatus,
    Site,
    Slot,
    SlotDraft,
    SlotKind,
    SlotStatus,
)
from storage.models.plans import (
    AssignDraft,
    PlanSettings,
    PlanTask,
    Reminder,
    ReminderStatus,
    TaskKind,
    TaskStatus,
)
from storage.models.roadmap import (
    PASSPORT_FIELDS,
    ProjectPassport,
    ReviewStatus,
    RoadmapStage,
)
from storage.models.teams import ChatState, Team, TeamMember, TeamRole

__all__ = [
    "PASSPORT_FIELDS",
    "AssignDraft",
    "Attendance",
    "AuditEntry",
    "Base",
    "Booking",
    "BookingSettings",
    "BookingStatus",
    "ChatState",
    "Invitation",
    "OutboxStatus",
    "OutgoingMessage",
    "Person",
    "PlanSettings",
    "PlanTask",
    "ProcessedUpdate",
    "ProjectPassport",
    "Reminder",
    "ReminderStatus",
    "ReviewStatus",
    "RoadmapStage",
    "Role",
    "RoleGrant",
    "Season",
    "Site",
    "Slot",
    "SlotDraft",
    "SlotKind",
    "SlotStatus",
    "TaskKind",
    "TaskStatus",
    "Team",
    "TeamMember",
    "TeamRole",
    "str_enum",
]
