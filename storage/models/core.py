"""The foundation tables: people, roles, seasons, invitations, the outbox, processed updates,
the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import AccessKind, Messenger, OutboxStatus, Role
from storage.models.base import Base, str_enum


class Person(Base):
    """Someone who wrote to the bot.

    Before consent only the messenger ids (`accounts`), the interface language and the active
    flag are kept; names and username are filled in for staff (by invitation) and after consent.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Telegram user id, also kept in `accounts`; None for a person only on MAX. It stays here
    # while staff commands and team chats (Telegram only) still name people by it.
    tg_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    # The messenger they wrote from last: where notifications and reminders reach them.
    preferred_messenger: Mapped[Messenger] = mapped_column(
        str_enum(Messenger), default=Messenger.TELEGRAM, server_default=Messenger.TELEGRAM.value
    )
    language: Mapped[str] = mapped_column(String(8), default="ru")
    # Whether any account of theirs lets the bot reach them (kept from `accounts.is_active`).
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Account(Base):
    """A person's account on one messenger: how an update names them, and where to reach them.
    A person who linked both messengers (services/linking.py) has two."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("messenger", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    messenger: Mapped[Messenger] = mapped_column(str_enum(Messenger))
    user_id: Mapped[int] = mapped_column(BigInteger)
    # The private chat with the bot: the user id on Telegram, a chat of its own on MAX.
    chat_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    # When the person last came back through this account from the other messenger.
    last_seen_at: Mapped[datetime]
    # False once the person blocked the bot on this messenger (its transport said so): the
    # outbox reaches them on their other account, if active. Writing from it again reactivates.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class LinkCode(Base):
    """A one-time code that attaches an account on the other messenger to this person."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # The messenger the code was asked on: it is typed on the other one.
    messenger: Mapped[Messenger] = mapped_column(str_enum(Messenger))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Season(Base):
    """One yearly set of the programme in one region."""

    __tablename__ = "seasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    applications_open_at: Mapped[datetime | None]
    applications_close_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # Applicants not accepted are erased this many days after the results (services/retention).
    retention_days_after_results: Mapped[int] = mapped_column(
        Integer, default=90, server_default=text("90")
    )


class RoleGrant(Base):
    """A role a person holds; seasonal roles name their season, the office role is global."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("person_id", "role", "season_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    season_id: Mapped[int | None] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    granted_at: Mapped[datetime]
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]


class Invitation(Base):
    """A one-time deep link that grants a role to whoever opens it first, until it expires or
    the office revokes it."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    season_id: Mapped[int | None] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]

    def is_open(self, now: datetime) -> bool:
        """Whether the link still grants its role: unused, not revoked, in date."""
        return (
            self.used_at is None
            and self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
        )


class OutgoingMessage(Base):
    """The outbox: every message a service asks to send, and what became of it.

    Rows are written in the same transaction as the action that causes them, and the sender
    delivers them afterwards, so a crash between the two loses nothing.
    """

    __tablename__ = "outgoing_messages"
    __table_args__ = (
        Index("ix_outgoing_messages_due", "status", "not_before"),
        Index("ix_outgoing_messages_subject", "subject"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # Which messenger's sender delivers it, to `chat_id` there.
    messenger: Mapped[Messenger] = mapped_column(
        str_enum(Messenger), default=Messenger.TELEGRAM, server_default=Messenger.TELEGRAM.value
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    # What the message is about ("application:12"): lets a later action take its buttons away
    # or delete it (a decision taken, a person's data erased).
    subject: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(200))


class ProcessedUpdate(Base):
    """Updates already handled, each recorded in the transaction of its effect (a Telegram
    update by its update_id, a MAX update by a negative hash of its key: services/guards.py)."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(index=True)


class AuditEntry(Base):
    """Who did what to which object, and when. Details hold ids and decisions, not personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(BigInteger)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AccessRecord(Base):
    """The access audit: a staff member opened a child's card, media or an export containing
    them. Ids and a kind only; the subject reads it in /mydata, the office exports it (/audit).
    Erasing the subject deletes the rows about them (services/privacy.py)."""

    __tablename__ = "access_audit"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime]
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[AccessKind] = mapped_column(str_enum(AccessKind))
    subject_person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL")
    )
