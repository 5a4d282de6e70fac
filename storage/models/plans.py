"""ИУП (individual learning plans): tasks, their reminders, the draft of /assign, and the
reminder settings of a season."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import ReminderStatus, TaskKind, TaskStatus
from storage.models.base import Base, str_enum


class PlanTask(Base):
    """One task of a student's plan. Overdue is derived (due_at passed, not done), not stored."""

    __tablename__ = "plan_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[TaskKind] = mapped_column(str_enum(TaskKind, 24))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    due_at: Mapped[datetime | None]
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus), default=TaskStatus.ASSIGNED)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    evidence_kind: Mapped[str | None] = mapped_column(String(16))  # text, link, document, photo
    evidence_text: Mapped[str | None] = mapped_column(Text)
    evidence_file_id: Mapped[str | None] = mapped_column(String(256))
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    return_comment: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[datetime | None]


class Reminder(Base):
    """A message due at a moment: planned with its task, claimed once by the sweep.

    The recipient is a person (`person_id`) or a team chat (`team_id`, `chat_id`: the digest).
    `dedupe_key` makes planning idempotent; the outbox row it becomes is keyed
    `reminder:<id>`, so it is sent once.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        # The sweep's claim reads only pending rows in due order: a small partial index.
        Index(
            "ix_reminders_pending_due",
            "due_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_tasks.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(24))
    due_at: Mapped[datetime]
    status: Mapped[ReminderStatus] = mapped_column(
        str_enum(ReminderStatus), default=ReminderStatus.PENDING
    )
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class PlanSettings(Base):
    """A season's reminder settings; a season without a row uses the defaults below."""

    __tablename__ = "plan_settings"

    season_id: Mapped[int] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    before_days: Mapped[list[int]] = mapped_column(JSON)
    due_morning_minute: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    escalation_after_days: Mapped[int] = mapped_column(Integer)
    quiet_start_minute: Mapped[int] = mapped_column(Integer)
    quiet_end_minute: Mapped[int] = mapped_column(Integer)
    digest_minute: Mapped[int] = mapped_column(Integer)
    digest_weekdays_only: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]


class AssignDraft(Base):
    """The /assign dialogue, saved at every step (the FSM state is only a cursor)."""

    __tablename__ = "plan_assign_drafts"

    author_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    step: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
