"""Project teams: a team, its bound group chat (Telegram or MAX), its members, their chat
state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import ChatState, Messenger, TeamRole
from storage.models.base import Base, str_enum


class Team(Base):
    """One project team of a season; `chat_id` is its bound group (one team per group), on the
    messenger `chat_messenger` says.

    `source_key` names what formed the team (for example `idea:12` when selection results are
    published), so forming it again finds the same team.
    """

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("season_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_title: Mapped[str | None] = mapped_column(String(255))
    chat_messenger: Mapped[Messenger] = mapped_column(
        str_enum(Messenger), default=Messenger.TELEGRAM, server_default=Messenger.TELEGRAM.value
    )
    chat_bound_at: Mapped[datetime | None]
    source_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class TeamMember(Base):
    """A person in a team with a role; `left_at` set when they leave (kept for history).

    `share_contact`: the member agreed to show their Telegram username to the team.
    """

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[TeamRole] = mapped_column(str_enum(TeamRole))
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    share_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    chat_state: Mapped[ChatState | None] = mapped_column(str_enum(ChatState))
    invite_link: Mapped[str | None] = mapped_column(String(128))
