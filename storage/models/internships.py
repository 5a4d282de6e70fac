"""Internships and professional trials: sites, their slots, students' bookings, the season's
booking settings and the site contact's /slots draft."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import Attendance, BookingStatus, SlotKind, SlotStatus
from storage.models.base import Base, str_enum


class Site(Base):
    """An internship site (стажировочная площадка) of a season; `code` is its natural key."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("season_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    direction: Mapped[str] = mapped_column(String(100))
    auto_confirm: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # The one-time link that makes whoever opens it this site's contact.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Slot(Base):
    """A time at a site that students book. `seats_taken` counts the bookings holding a seat;
    the database refuses more than `capacity` (the CHECK, and conditional increments)."""

    __tablename__ = "slots"
    __table_args__ = (
        UniqueConstraint("site_id", "kind", "starts_at"),
        CheckConstraint("seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("seats_taken >= 0", name="seats_not_negative"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_slots_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[SlotKind] = mapped_column(str_enum(SlotKind, 24))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    requirements: Mapped[str | None] = mapped_column(Text)
    directions: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[SlotStatus] = mapped_column(str_enum(SlotStatus), default=SlotStatus.OPEN)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # Set once the site contact was asked to mark attendance (after the slot ended).
    attendance_asked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Booking(Base):
    """A student's booking of a slot, through its lifecycle; attendance once the slot is over."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_slot_status", "slot_id", "status"),
        Index("ix_bookings_student_status", "student_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    offer_expires_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("plan_tasks.id", ondelete="SET NULL"))
    attendance: Mapped[Attendance | None] = mapped_column(str_enum(Attendance))
    attendance_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    attendance_at: Mapped[datetime | None]


class BookingSettings(Base):
    """A season's booking rules; a season without a row uses the defaults of the service."""

    __tablename__ = "booking_settings"

    season_id: Mapped[int] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    cancel_cutoff_minutes: Mapped[int] = mapped_column(Integer)
    offer_minutes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class SlotDraft(Base):
    """The site contact's "add a slot" dialogue, saved at every step."""

    __tablename__ = "slot_drafts"

    author_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    step: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
