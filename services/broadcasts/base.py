"""What every broadcast use case shares: who may, which draft, which season, the limits."""

from __future__ import annotations

from dataclasses import dataclass

from services.actions import BroadcastAction, BroadcastVerb
from services.domain import (
    ApplicationStatus,
    BroadcastFilter,
    BroadcastSegment,
    BroadcastStatus,
    Role,
)
from services.errors import Conflict, NotAllowed, NotFound
from services.i18n import Translator
from services.notify import Button
from services.notifying import NotifyingService
from services.people import Identity
from storage.models import Broadcast, Season

# One message on every messenger: MAX takes 3999 characters of text, Telegram 1024 of a
# caption. A longer text is refused with its length, never cut.
TEXT_LIMIT = 3999
CAPTION_LIMIT = 1024
MEDIA_KINDS = ("photo", "document")
# Which filters each segment offers.
FILTERS: dict[BroadcastSegment, tuple[BroadcastFilter, ...]] = {
    BroadcastSegment.STUDENTS: (
        BroadcastFilter.MUNICIPALITY, BroadcastFilter.IDEA, BroadcastFilter.TEAM,
    ),
    BroadcastSegment.APPLICANTS: (
        BroadcastFilter.MUNICIPALITY, BroadcastFilter.IDEA, BroadcastFilter.STATUS,
    ),
    BroadcastSegment.TUTORS: (BroadcastFilter.TEAM,),
    BroadcastSegment.MENTORS: (BroadcastFilter.TEAM,),
    BroadcastSegment.SITE_CONTACTS: (),
    BroadcastSegment.OVERDUE: (BroadcastFilter.MUNICIPALITY, BroadcastFilter.TEAM),
}  # fmt: skip
# The application statuses an office filters by; a filter value is the status's position in
# ApplicationStatus (storage/repositories/broadcasts.py).
STATUS_CHOICES = tuple(
    status for status in ApplicationStatus
    if status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
)  # fmt: skip
STATUS_INDEX = {status: list(ApplicationStatus).index(status) for status in STATUS_CHOICES}


def subject_of(broadcast_id: int) -> str:
    """The outbox subject of a broadcast's messages (claimed after every other message)."""
    return f"broadcast:{broadcast_id}"


def progress_key(broadcast_id: int) -> str:
    """The dedupe key (and subject) of the author's progress message."""
    return f"broadcast-progress:{broadcast_id}"


def cancel_buttons(t: Translator, broadcast_id: int) -> list[list[Button]]:
    """Under the progress message while the broadcast is being sent."""
    action = BroadcastAction(verb=BroadcastVerb.STOP, item=broadcast_id)
    return [[Button.doing(t("broadcast-btn-stop"), action)]]


class NoSeason(NotFound):
    key = "broadcast-no-season"


class BroadcastGone(Conflict):
    """Sent, cancelled, or someone else's: the screen pressed is stale."""

    key = "broadcast-gone"


@dataclass(frozen=True)
class BroadcastView:
    id: int
    segment: BroadcastSegment
    narrow: tuple[BroadcastFilter, int] | None
    narrow_name: str | None
    text: str | None
    media_kind: str | None
    urgent: bool
    status: BroadcastStatus


class BroadcastBase(NotifyingService):
    @staticmethod
    def _office_only(me: Identity) -> None:
        if not me.has(Role.OFFICE):
            raise NotAllowed("broadcast-office-only")

    async def _season(self) -> Season:
        return await self.current_season(NoSeason())

    async def _mine(self, me: Identity, broadcast_id: int) -> Broadcast:
        """The office member's own broadcast (any status)."""
        self._office_only(me)
        broadcast = await self.uow.broadcasts.get(broadcast_id)
        if broadcast is None or broadcast.author_id != me.person_id:
            raise BroadcastGone()
        return broadcast

    async def _draft(self, me: Identity, broadcast_id: int) -> Broadcast:
        broadcast = await self._mine(me, broadcast_id)
        if broadcast.status is not BroadcastStatus.DRAFT:
            raise BroadcastGone()
        return broadcast

    @staticmethod
    def _narrow(broadcast: Broadcast) -> tuple[BroadcastFilter, int] | None:
        kind = broadcast.spec.get("filter")
        return None if kind is None else (BroadcastFilter(kind), int(broadcast.spec["value"]))

    def _view(self, broadcast: Broadcast, narrow_name: str | None = None) -> BroadcastView:
        return BroadcastView(
            broadcast.id,
            BroadcastSegment(broadcast.spec["segment"]),
            self._narrow(broadcast),
            narrow_name or broadcast.spec.get("name"),
            broadcast.text,
            broadcast.media_kind,
            broadcast.urgent,
            broadcast.status,
        )
