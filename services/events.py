"""What one feature's action means for another: the events, in plain Python, and the one port
(`Consequences`) through which a feature has them carried out.

Features import this module and never each other (import-linter's independence contract);
services/consequences.py is the port's only implementation and says, in one place, which
feature answers which event. A consequence runs synchronously in the caller's transaction and
never commits: the user's action and everything it causes are one unit of work, both happen or
neither does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.domain import Role, TaskKind


@dataclass(frozen=True)
class ApplicationSubmitted:
    """An applicant submitted their application: its reviewers are told."""

    application_id: int
    season_id: int
    applicant_id: int
    role: Role | None
    number: str


@dataclass(frozen=True)
class AcceptedTeam:
    """The people accepted to one idea, and the idea's mentor."""

    name: str
    source_key: str  # finds the team again, so publishing twice forms it once
    mentor_id: int
    tutor_ids: tuple[int, ...]
    student_ids: tuple[int, ...]


@dataclass(frozen=True)
class ResultsPublished:
    """The office published a season's results: a team is formed per idea with a mentor, and
    everyone accepted (with a mentor or not) is invited to the start survey."""

    season_id: int
    actor_id: int
    teams: tuple[AcceptedTeam, ...]
    accepted: tuple[int, ...] = ()  # every person accepted, in the order they were told


@dataclass(frozen=True)
class BookingConfirmed:
    """An internship booking was confirmed: it becomes a mandatory task of the student's ИУП."""

    booking_id: int
    season_id: int
    student_id: int
    kind: TaskKind
    title: str
    description: str | None
    starts_at: datetime
    actor_id: int | None

    @property
    def source(self) -> str:
        return f"booking:{self.booking_id}"


@dataclass(frozen=True)
class BookingCancelled:
    """A booking that put a task into the plan gave its seat up (the student cancelled or
    declined the offer, or the request was declined): the task goes with it."""

    booking_id: int
    task_id: int
    actor_id: int | None

    @property
    def source(self) -> str:
        return f"booking:{self.booking_id}"


@dataclass(frozen=True)
class AttendanceMarked:
    """Attendance was marked on a booking with a task: attending is what completes it."""

    booking_id: int
    task_id: int
    attended: bool
    actor_id: int

    @property
    def source(self) -> str:
        return f"booking:{self.booking_id}"


@dataclass(frozen=True)
class PersonForgotten:
    """A person asked to be forgotten (/forget): their team memberships end, and each team is
    told only that a member left, without a name."""

    person_id: int


class Consequences(Protocol):
    """What a feature calls when its action matters to another feature."""

    async def application_submitted(self, event: ApplicationSubmitted) -> None: ...

    async def results_published(self, event: ResultsPublished) -> None: ...

    async def booking_confirmed(self, event: BookingConfirmed) -> int:
        """Returns the id of the ИУП task the booking now owns."""
        ...

    async def booking_cancelled(self, event: BookingCancelled) -> None: ...

    async def attendance_marked(self, event: AttendanceMarked) -> None: ...

    async def person_forgotten(self, event: PersonForgotten) -> None: ...
