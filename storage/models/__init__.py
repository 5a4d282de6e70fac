"""The relational model: typed SQLAlchemy 2 declarative classes, one module per feature.

Every module is imported here so that `Base.metadata` (and Alembic) sees all tables.
"""

from storage.models.applications import (
    Answer,
    Application,
    ApplicationStatus,
    Consent,
    IdeaPreference,
    PresentationMedia,
)
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
from storage.models.season_config import (
    ConsentKind,
    ConsentText,
    Direction,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    QuestionKind,
    SeasonSettings,
    SelectionCriterion,
)

__all__ = [
    "Answer",
    "Application",
    "ApplicationStatus",
    "AuditEntry",
    "Base",
    "Consent",
    "ConsentKind",
    "ConsentText",
    "Direction",
    "IdeaPreference",
    "Invitation",
    "MotivationQuestion",
    "Municipality",
    "OutboxStatus",
    "OutgoingMessage",
    "Person",
    "PresentationMedia",
    "ProcessedUpdate",
    "ProjectIdea",
    "QuestionKind",
    "Role",
    "RoleGrant",
    "Season",
    "SeasonSettings",
    "SelectionCriterion",
    "str_enum",
]
