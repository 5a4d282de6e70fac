"""Project teams (minimal: the teams issue extends them): a team, its chat, its members."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, str_enum


class TeamRole(enum.StrEnum):
    MENTOR = "mentor"
    TUTOR = "tutor"
    STUDENT = "student"


class Team(Base):
    """One project team of a season; `chat_id` is its bound Telegram group, if any."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class TeamMember(Base):
    """A person in a team with a role; `left_at` set when they leave (kept for history)."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[TeamRole] = mapped_column(str_enum(TeamRole))
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
