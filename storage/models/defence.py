"""The public defence: sessions (date, place, status), the season's weighted criteria, the
jurors of each session, the teams' slots, the jurors' scores and the one publication.

A score is unique per (juror, team, criterion), so a double tap stores one row. A session's
status moves open → closed by a conditional update; scores of a closed session are final. The
publication is one row per season whose `published_at` is set by a conditional update.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import DefenceStatus, Messenger
from storage.models.base import Base, str_enum


class DefenceSession(Base):
    __tablename__ = "defence_sessions"
    __table_args__ = (UniqueConstraint("season_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    place: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    status: Mapped[DefenceStatus] = mapped_column(
        str_enum(DefenceStatus), default=DefenceStatus.OPEN
    )
    closed_at: Mapped[datetime | None]
    # Teams upload their final presentation before this moment (None: until the session).
    presentation_due: Mapped[datetime | None]


class DefenceCriterion(Base):
    __tablename__ = "defence_criteria"
    __table_args__ = (UniqueConstraint("season_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)


class DefenceJuror(Base):
    __tablename__ = "defence_jurors"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("defence_sessions.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)


class DefenceSlot(Base):
    __tablename__ = "defence_slots"
    __table_args__ = (UniqueConstraint("session_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("defence_sessions.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]


class DefenceScore(Base):
    __tablename__ = "defence_scores"
    __table_args__ = (UniqueConstraint("juror_id", "team_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("defence_sessions.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("defence_criteria.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class DefencePublication(Base):
    __tablename__ = "defence_publications"

    season_id: Mapped[int] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True
    )
    published_at: Mapped[datetime | None]
    published_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class DefencePresentation(Base):
    """A team's final presentation: the file as the messenger it came from names it; a new
    upload replaces the old one."""

    __tablename__ = "defence_presentations"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), unique=True)
    file_id: Mapped[str] = mapped_column(String(256))
    messenger: Mapped[Messenger] = mapped_column(str_enum(Messenger))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime]


class DefenceComment(Base):
    """A juror's comment on a team: one per juror and team, replaced while the session is open."""

    __tablename__ = "defence_comments"
    __table_args__ = (UniqueConstraint("juror_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("defence_sessions.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class DefenceMark(Base):
    """The office's marks on a team's project: recommended to the region head, for the federal
    level, for the startup track — any combination, each toggled by a conditional update."""

    __tablename__ = "defence_marks"
    __table_args__ = (UniqueConstraint("season_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    region_head: Mapped[bool] = mapped_column(Boolean, default=False)
    federal: Mapped[bool] = mapped_column(Boolean, default=False)
    startup: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime]
