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

__all__ = [
    "AuditEntry",
    "Base",
    "Invitation",
    "OutboxStatus",
    "OutgoingMessage",
    "Person",
    "ProcessedUpdate",
    "Role",
    "RoleGrant",
    "Season",
    "str_enum",
]
