"""The project passport and the roadmap stages a team's mentor approves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import ReviewStatus
from storage.models.base import Base, str_enum


class ProjectPassport(Base):
    """One per team: four text fields a tutor fills (each answer saved as it comes)."""

    __tablename__ = "project_passports"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), unique=True)
    goal: Mapped[str | None] = mapped_column(Text)
    tasks: Mapped[str | None] = mapped_column(Text)
    results: Mapped[str | None] = mapped_column(Text)
    resources: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ReviewStatus] = mapped_column(str_enum(ReviewStatus))
    return_comment: Mapped[str | None] = mapped_column(String(1000))
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime]


class RoadmapStage(Base):
    """A roadmap stage: a title and a due date; submitted with a short report, then decided."""

    __tablename__ = "roadmap_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime | None]
    status: Mapped[ReviewStatus] = mapped_column(str_enum(ReviewStatus))
    report_kind: Mapped[str | None] = mapped_column(String(16))
    report_text: Mapped[str | None] = mapped_column(Text)
    report_file_id: Mapped[str | None] = mapped_column(String(255))
    return_comment: Mapped[str | None] = mapped_column(String(1000))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
