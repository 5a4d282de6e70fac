"""Events of the season (the summer school and others): the event, its agenda, who is invited
and what they answered, who came, and the short check-in codes shown at the venue.

Reminders and invitations are outbox rows (dedupe keys `event:<id>:<person>:…`), not tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SeasonEvent(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime]  # the first agenda item
    ends_at: Mapped[datetime]  # the last agenda item's start
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class EventItem(Base):
    """One point of an event's agenda: when, what, where."""

    __tablename__ = "event_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime]
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))


class EventInvitation(Base):
    """A person invited to an event and their answer: None (not yet), "yes" or "no"."""

    __tablename__ = "event_invitations"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime | None]
    invited_at: Mapped[datetime]


class EventCheckin(Base):
    """A person present at an event: once per event, by a code ("code") or the roster ("roster")."""

    __tablename__ = "event_checkins"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    how: Mapped[str] = mapped_column(String(8))
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class EventCode(Base):
    """A short check-in code shown at the venue, kept as its hash, valid until `valid_until`."""

    __tablename__ = "event_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    valid_until: Mapped[datetime]
    created_at: Mapped[datetime]
