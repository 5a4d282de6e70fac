"""Writing a broadcast: the segment, an optional filter, the text (or a photo or document with
its caption), urgency, and the preview with the number of recipients. Every step re-checks the
office role, the author and that the broadcast is still a draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.broadcasts.base import (
    CAPTION_LIMIT,
    FILTERS,
    MEDIA_KINDS,
    STATUS_CHOICES,
    STATUS_INDEX,
    TEXT_LIMIT,
    BroadcastBase,
    BroadcastView,
)
from services.domain import Address, BroadcastFilter, BroadcastSegment, BroadcastStatus
from services.errors import InvalidInput, NotFound
from services.people import Identity
from services.questionnaire import Input
from services.reminders.base import MINOR_GROUPS, season_policy
from services.reminders.policy import ReminderPolicy
from storage.models import Broadcast, Person

OPTIONS_PER_PAGE = 8
# How many minors' messages go out per second at worst, to tell whether quiet hours would
# begin before the last of them is sent.
MINORS_PER_SECOND = 20
# People resolved to their chats per statement: a driver takes at most 32 767 parameters.
ADDRESS_CHUNK = 5_000


@dataclass(frozen=True)
class FilterPage:
    broadcast: BroadcastView
    kind: BroadcastFilter
    options: list[tuple[int, str]]
    page: int
    pages: int


@dataclass(frozen=True)
class Recipient:
    person_id: int
    address: Address
    not_before: datetime  # later than now: a minor's message waits for the morning


@dataclass(frozen=True)
class Preview:
    broadcast: BroadcastView
    recipients: int
    minors: int
    deferred: int  # minors who get it after quiet hours (not urgent)
    text_only: int  # on another messenger than the photo's: they get the text alone


class BroadcastDrafts(BroadcastBase):
    def segments(self, me: Identity) -> tuple[BroadcastSegment, ...]:
        self._office_only(me)
        return tuple(BroadcastSegment)

    async def create(self, me: Identity, segment: BroadcastSegment) -> BroadcastView:
        """A new draft for the chosen segment."""
        self._office_only(me)
        season = await self._season()
        broadcast = await self.uow.broadcasts.add(
            Broadcast(
                season_id=season.id, author_id=me.person_id, spec={"segment": segment.value},
                urgent=False, status=BroadcastStatus.DRAFT, total=0, deferred=0,
                created_at=self.clock.now(),
            )
        )  # fmt: skip
        await self.uow.commit()
        return self._view(broadcast)

    async def filters(self, me: Identity, broadcast_id: int) -> tuple[BroadcastFilter, ...]:
        broadcast = await self._draft(me, broadcast_id)
        return FILTERS[BroadcastSegment(broadcast.spec["segment"])]

    async def options(
        self, me: Identity, broadcast_id: int, kind: BroadcastFilter, page: int = 0
    ) -> FilterPage:
        broadcast = await self._draft(me, broadcast_id)
        options = await self._all_options(broadcast, kind)
        pages = max(1, -(-len(options) // OPTIONS_PER_PAGE))
        page = min(max(page, 0), pages - 1)
        shown = options[page * OPTIONS_PER_PAGE : (page + 1) * OPTIONS_PER_PAGE]
        return FilterPage(self._view(broadcast), kind, shown, page, pages)

    async def narrow(
        self, me: Identity, broadcast_id: int, kind: BroadcastFilter, value: int
    ) -> BroadcastView:
        """Only a value the season offers for a filter the segment has."""
        broadcast = await self._draft(me, broadcast_id)
        names = dict(await self._all_options(broadcast, kind))
        if value not in names:
            raise NotFound("broadcast-filter-gone")
        spec = {**broadcast.spec, "filter": kind.value, "value": value, "name": names[value]}
        await self.uow.broadcasts.edit_draft(broadcast.id, spec=spec)
        await self.uow.commit()
        broadcast.spec = spec
        return self._view(broadcast)

    async def _all_options(
        self, broadcast: Broadcast, kind: BroadcastFilter
    ) -> list[tuple[int, str]]:
        if kind not in FILTERS[BroadcastSegment(broadcast.spec["segment"])]:
            raise NotFound("broadcast-filter-gone")
        if kind is BroadcastFilter.STATUS:
            t = self.texts.for_language(None)
            return [(STATUS_INDEX[s], t(f"broadcast-status-{s.value}")) for s in STATUS_CHOICES]
        assert broadcast.season_id is not None
        return await self.uow.broadcasts.options(broadcast.season_id, kind)

    async def writing(self, me: Identity, broadcast_id: int) -> BroadcastView:
        """The step that asks for the text: still a draft of theirs."""
        return self._view(await self._draft(me, broadcast_id))

    async def set_content(self, me: Identity, broadcast_id: int, given: Input) -> Preview:
        """A text, or a photo or document with an optional caption, within one message."""
        broadcast = await self._draft(me, broadcast_id)
        if given.kind in MEDIA_KINDS and given.file_id:
            text, kind, file_id, limit = given.caption, given.kind, given.file_id, CAPTION_LIMIT
        elif given.kind == "text" and given.text and given.text.strip():
            text, kind, file_id, limit = given.text, None, None, TEXT_LIMIT
        else:
            raise InvalidInput("broadcast-content-unsupported")
        text = (text or "").strip() or None
        if text is not None and len(text) > limit:
            raise InvalidInput("broadcast-too-long", length=len(text), limit=limit)
        await self.uow.broadcasts.edit_draft(
            broadcast.id, text=text, media_kind=kind, media_file_id=file_id,
            media_messenger=me.messenger if kind else None,
        )  # fmt: skip
        await self.uow.commit()
        return await self.preview(me, broadcast_id)

    async def toggle_urgent(self, me: Identity, broadcast_id: int) -> Preview:
        broadcast = await self._draft(me, broadcast_id)
        await self.uow.broadcasts.edit_draft(broadcast.id, urgent=not broadcast.urgent)
        await self.uow.commit()
        return await self.preview(me, broadcast_id)

    async def preview(self, me: Identity, broadcast_id: int) -> Preview:
        """The count comes from the very query the confirmation queues from."""
        await self.uow.broadcasts.fresh(broadcast_id)  # as just edited, not as first read
        broadcast = await self._draft(me, broadcast_id)
        recipients, minors = await self.audience(broadcast, self.clock.now())
        now = self.clock.now()
        elsewhere = sum(
            1 for r in recipients
            if broadcast.media_kind and r.address.messenger != broadcast.media_messenger
        )  # fmt: skip
        return Preview(
            self._view(broadcast), len(recipients), minors,
            sum(1 for r in recipients if r.not_before > now), elsewhere,
        )  # fmt: skip

    async def audience(self, broadcast: Broadcast, now: datetime) -> tuple[list[Recipient], int]:
        """Who gets it and when, minors first; and how many of them are minors. A minor's
        message waits for the end of quiet hours unless urgent, and also when quiet hours
        would begin before the minors' messages are all out."""
        assert broadcast.season_id is not None
        segment = BroadcastSegment(broadcast.spec["segment"])
        people = await self.uow.broadcasts.recipients(
            broadcast.season_id, segment, self._narrow(broadcast), now
        )
        addresses: dict[int, Address] = {}
        for start in range(0, len(people), ADDRESS_CHUNK):  # bound parameters per statement
            chunk = people[start : start + ADDRESS_CHUNK]
            addresses.update(await self.uow.outbox.addresses_of(chunk))
        minors = await self.uow.broadcasts.minors(broadcast.season_id, MINOR_GROUPS)
        reached: list[Person] = [p for p in people if p.id in addresses]
        young = [p for p in reached if p.id in minors]
        for_minors = now
        if young and not broadcast.urgent:
            policy = await self._policy(broadcast.season_id)
            finish = now + timedelta(seconds=len(young) / MINORS_PER_SECOND + 60)
            if policy.in_quiet_hours(now) or policy.in_quiet_hours(finish):
                for_minors = policy.outside_quiet_hours(finish)
        first = [Recipient(p.id, addresses[p.id], for_minors) for p in young]
        rest = [Recipient(p.id, addresses[p.id], now) for p in reached if p.id not in minors]
        return first + rest, len(young)

    async def _policy(self, season_id: int) -> ReminderPolicy:
        return await season_policy(self.uow, season_id, self.default_timezone)
