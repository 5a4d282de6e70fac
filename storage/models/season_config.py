"""A season's configuration, loaded by `python -m bot season import`: age ranges and consent
rules, consent texts (versioned), municipalities, directions, project ideas, motivation
questions and selection criteria.

Every row has a natural key within its season (a code or a name), so re-importing a file
updates rows in place; rows that leave the file are switched off (`active = false`), never
deleted, because applications may refer to them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import ConsentKind, QuestionKind
from storage.models.base import Base, str_enum

# Invitation links expire after this many days unless the season file says otherwise.
DEFAULT_INVITATION_DAYS = 14


class SeasonSettings(Base):
    """The per-season rules of the application campaign (one row per season)."""

    __tablename__ = "season_settings"

    season_id: Mapped[int] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True
    )
    student_min_age: Mapped[int] = mapped_column(Integer, default=13)
    student_max_age: Mapped[int] = mapped_column(Integer, default=17)
    tutor_min_age: Mapped[int] = mapped_column(Integer, default=18)
    tutor_max_age: Mapped[int | None] = mapped_column(Integer)
    # Under this age only the legal representative's consent is valid (the applicant's own
    # confirmation is still recorded, but is not the legal basis).
    representative_only_under: Mapped[int] = mapped_column(Integer, default=14)
    # Below this age a legal representative's consent is required.
    adult_age: Mapped[int] = mapped_column(Integer, default=18)
    # How long an invitation link made for this season stays valid: a link that leaks must
    # not open the applications of minors for ever.
    invitation_valid_days: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_INVITATION_DAYS, server_default=str(DEFAULT_INVITATION_DAYS)
    )
    # Bumped by every import. `stamp` is new at every import too, unique across databases:
    # processes cache the configuration by it.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    stamp: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime]


class ConsentText(Base):
    __tablename__ = "consent_texts"
    __table_args__ = (UniqueConstraint("season_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    kind: Mapped[ConsentKind] = mapped_column(str_enum(ConsentKind))
    version: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Municipality(Base):
    __tablename__ = "municipalities"
    __table_args__ = (UniqueConstraint("season_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Direction(Base):
    """A strategic direction of the region's development (ecology, transport, …)."""

    __tablename__ = "directions"
    __table_args__ = (UniqueConstraint("season_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProjectIdea(Base):
    __tablename__ = "project_ideas"
    __table_args__ = (UniqueConstraint("season_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    short_description: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    direction_id: Mapped[int | None] = mapped_column(
        ForeignKey("directions.id", ondelete="SET NULL")
    )
    capacity_students: Mapped[int] = mapped_column(Integer)
    capacity_tutors: Mapped[int] = mapped_column(Integer)
    mentor_label: Mapped[str | None] = mapped_column(String(200))
    mentor_invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MotivationQuestion(Base):
    __tablename__ = "motivation_questions"
    __table_args__ = (UniqueConstraint("season_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    text: Mapped[str] = mapped_column(Text)
    min_length: Mapped[int | None] = mapped_column(Integer)
    max_length: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SelectionCriterion(Base):
    """What reviewers score, with its weight in the total (used by the selection issue)."""

    __tablename__ = "selection_criteria"
    __table_args__ = (UniqueConstraint("season_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)
    max_score: Mapped[int] = mapped_column(Integer, default=5)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
