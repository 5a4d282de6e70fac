"""Selection: reviewers' scores per criterion, their comment and recommendation, the office's
decision on each application, and the publication of a season's results.

A score is unique per (application, reviewer, criterion), so a double tap or a replayed button
stores one row. A decision is one row per application, inserted only if none exists (the first
press wins, a concurrent second one changes nothing). Publication is one row per season whose
`published_at` is set by a conditional update, so results go out once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import Decision, Recommendation
from storage.models.base import Base, str_enum


class ApplicationScore(Base):
    __tablename__ = "application_scores"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("selection_criteria.id", ondelete="CASCADE")
    )
    score: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class ReviewNote(Base):
    """One reviewer's comment and recommendation on one application."""

    __tablename__ = "review_notes"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    comment: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[Recommendation | None] = mapped_column(str_enum(Recommendation))
    updated_at: Mapped[datetime]


class SelectionDecision(Base):
    """The office's decision on an application (at most one: the primary key is the application)."""

    __tablename__ = "selection_decisions"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    decision: Mapped[Decision] = mapped_column(str_enum(Decision))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("project_ideas.id", ondelete="SET NULL"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime]


class ResultsPublication(Base):
    """A season's results: `published_at` is set once, by a conditional update."""

    __tablename__ = "results_publications"

    season_id: Mapped[int] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True
    )
    published_at: Mapped[datetime | None]
    published_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
