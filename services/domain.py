"""The programme's vocabulary: the states and kinds its records take, as enums and value types.

They belong to the domain, not to the database: services decide with them, storage imports them to
type its columns (storage/models), handlers name them. Plain Python: nothing here imports
storage, SQLAlchemy or a messenger (import-linter holds that).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

# --- People and the outbox -----------------------------------------------------------------


class Messenger(enum.StrEnum):
    """Where a person writes to the bot; a person is known per messenger (an account)."""

    TELEGRAM = "telegram"
    MAX = "max"


@dataclass(frozen=True)
class Address:
    """Where a message goes: a chat on a messenger. On Telegram a private chat's id is the
    user's id; on MAX a dialog has its own chat id."""

    messenger: Messenger
    chat_id: int

    @classmethod
    def telegram(cls, chat_id: int) -> Address:
        return cls(Messenger.TELEGRAM, chat_id)


class Role(enum.StrEnum):
    OFFICE = "office"
    MENTOR = "mentor"
    TUTOR = "tutor"
    STUDENT = "student"
    SITE_CONTACT = "site_contact"
    JURY = "jury"


class AccessKind(enum.StrEnum):
    """What of a child's data a staff member opened (the access audit)."""

    CARD = "card"  # the application card, the mentor's or the office's
    MEDIA = "media"  # the self-presentation file
    EXPORT = "export"  # a file exported for staff that contains them
    PAPER = "paper"  # the photo of their parent's signed paper consent form


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"  # the recipient blocked the bot (403): never retried
    FAILED = "failed"  # a permanent error or retries exhausted


class BroadcastStatus(enum.StrEnum):
    """A broadcast of the project office (services/broadcasts/)."""

    DRAFT = "draft"  # being written: segment, text, preview
    SENDING = "sending"  # its messages are queued in the outbox
    CANCELLED = "cancelled"  # stopped by its author: what was still queued is not sent
    DONE = "done"  # nothing left to send; the report went to the author


class BroadcastSegment(enum.StrEnum):
    """Whom a broadcast goes to, before any filter."""

    STUDENTS = "students"  # accepted students of the season
    APPLICANTS = "applicants"  # everyone who submitted an application this season
    TUTORS = "tutors"
    MENTORS = "mentors"
    SITE_CONTACTS = "site_contacts"
    OVERDUE = "overdue"  # students with an overdue ИУП task


class BroadcastFilter(enum.StrEnum):
    """What narrows a segment: one value of one of these."""

    MUNICIPALITY = "municipality"
    IDEA = "idea"
    TEAM = "team"
    STATUS = "status"  # of the application (applicants only)


# --- The season's configuration ------------------------------------------------------------


class ConsentKind(enum.StrEnum):
    APPLICANT = "applicant"  # the applicant's own consent
    REPRESENTATIVE = "representative"  # a parent's (legal representative's) consent


class PaperStatus(enum.StrEnum):
    """A photo of a parent's signed paper consent form, as the project office decides on it."""

    WAITING = "waiting"
    APPROVED = "approved"
    REFUSED = "refused"


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    SCALE = "scale"  # 1 to 5


# --- Applications --------------------------------------------------------------------------


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"  # set by the selection process: from then on read-only
    WITHDRAWN = "withdrawn"
    # Set when the office publishes the season's results.
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    NOT_SELECTED = "not_selected"


# --- Selection -----------------------------------------------------------------------------


class Recommendation(enum.StrEnum):
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    REJECT = "reject"


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"


# --- Teams ---------------------------------------------------------------------------------


class TeamRole(enum.StrEnum):
    MENTOR = "mentor"
    TUTOR = "tutor"
    STUDENT = "student"


class ChatState(enum.StrEnum):
    """Where a member stands with the team chat."""

    INVITED = "invited"  # a personal invite link was queued
    APPROVED = "approved"  # their join request was approved
    JOINED = "joined"
    LEFT = "left"  # they left the chat themselves
    REMOVED = "removed"  # removed from the chat because they left the team


# --- Passport and roadmap ------------------------------------------------------------------


class ReviewStatus(enum.StrEnum):
    DRAFT = "draft"  # a passport being filled / a stage being worked on
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


PASSPORT_FIELDS = ("goal", "tasks", "results", "resources")

# --- Individual plans (ИУП) ----------------------------------------------------------------


class TaskKind(enum.StrEnum):
    ONLINE_COURSE = "online_course"
    SCHOOL_SUBJECT = "school_subject"
    INTERNSHIP = "internship"
    PROFESSIONAL_TRIAL = "professional_trial"
    PROJECT_TASK = "project_task"
    OTHER = "other"


class TaskStatus(enum.StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    DONE = "done"
    RETURNED = "returned"


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"


# --- Internships and professional trials ---------------------------------------------------


class SlotKind(enum.StrEnum):
    INTERNSHIP = "internship"
    PROFESSIONAL_TRIAL = "professional_trial"


class SlotStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class BookingStatus(enum.StrEnum):
    REQUESTED = "requested"  # holds a seat, waits for the site contact or the mentor
    CONFIRMED = "confirmed"  # holds a seat
    OFFERED = "offered"  # promoted from the waitlist: holds a seat until the offer expires
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # an offer not taken in time


class Attendance(enum.StrEnum):
    ATTENDED = "attended"
    NO_SHOW = "no_show"


# --- Value types --------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What a student hands in for an ИУП task or a tutor for a roadmap stage: a text or link,
    or a file by the messenger's id, with an optional caption."""

    kind: str  # text, link, document, photo
    text: str | None = None
    file_id: str | None = None


class DefenceStatus(enum.StrEnum):
    """A defence session: jurors score while it is open; closing it makes the scores final."""

    OPEN = "open"
    CLOSED = "closed"
