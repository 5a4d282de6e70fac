"""Certificates of a finished season and the talent reserve.

`certificates`: one per person and season, with its verification code (unique, random); what
it shows (name, team, project, role) is read from the person and their team when it is drawn
or verified, so erasing the person leaves nothing of them here (their rows are deleted).
`reserve_nominations`: a mentor's or the office's nomination of a person with its reason, and
the person's separate consent to share their profile with partner organisations.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("person_id", "season_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    # Ten characters of an unambiguous alphabet, stored without dashes (services/certificates).
    code: Mapped[str] = mapped_column(String(16), unique=True)
    issued_at: Mapped[datetime]
    # The office marked that the project's defence may count as coursework.
    coursework: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    revoked_at: Mapped[datetime | None]


class ReserveNomination(Base):
    __tablename__ = "reserve_nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    nominated_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    consent_asked_at: Mapped[datetime | None]
    consent_given_at: Mapped[datetime | None]
    consent_withdrawn_at: Mapped[datetime | None]
