"""Internships and professional trials: sites and slots, booking with capacity and a waitlist,
confirmation, offers to the waitlist, the ИУП task and calendar file, attendance.

Seats are counted by the database: a booking takes a seat with a conditional increment of
`slots.seats_taken` (`… WHERE seats_taken < capacity`, and a CHECK constraint), so however many
students press «Записаться» at once, no more than `capacity` hold a seat; the others are
waitlisted. A booking holds a seat while it is requested, confirmed or offered. Every freed seat
is offered to the first waitlisted student, who must accept it within the offer time; the
scheduler's sweep expires unanswered offers and offers the seat to the next one.

One use case a module (booking, waitlist, attendance, slots, site_import; shared helpers in
base, value types in views); `InternshipService` is only their union, so callers keep one
service object with one constructor.
"""

from services.internships.attendance import AttendanceUseCases
from services.internships.booking import BookingUseCases
from services.internships.site_import import SiteImport
from services.internships.slot_wizard import SLOT_STEPS
from services.internships.slots import SlotUseCases
from services.internships.views import (
    ACTIVE,
    DEFAULT_CANCEL_CUTOFF,
    DEFAULT_OFFER_TIME,
    HOLDING,
    SWEEP_BATCH,
    TASK_KIND,
    BookingPolicy,
    BookingView,
    ImportReport,
    SlotCard,
    SlotStep,
    SlotView,
    SweepReport,
    WeekView,
    parse_local_datetime,
)


class InternshipService(BookingUseCases, AttendanceUseCases, SlotUseCases, SiteImport):
    """The bookings feature as one object: the union of its use cases, nothing of its own."""


__all__ = [
    "ACTIVE",
    "DEFAULT_CANCEL_CUTOFF",
    "DEFAULT_OFFER_TIME",
    "HOLDING",
    "SLOT_STEPS",
    "SWEEP_BATCH",
    "TASK_KIND",
    "BookingPolicy",
    "BookingView",
    "ImportReport",
    "InternshipService",
    "SlotCard",
    "SlotStep",
    "SlotView",
    "SweepReport",
    "WeekView",
    "parse_local_datetime",
]
