"""A site contact's slots: the list, a slot's card, capacity and closing, and the add-slot
wizard."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from services.domain import BookingStatus, SlotKind, SlotStatus
from services.errors import Conflict, InvalidInput, NotAllowed
from services.internships.views import (
    ACTIVE,
    LOCAL_DATETIME,
    SLOT_STEPS,
    BookingView,
    SlotCard,
    SlotStep,
    SlotView,
    parse_local_datetime,
)
from services.internships.waitlist import Waitlist
from services.people import Identity
from services.reminders import display_name
from services.text_fit import trim, visible_length
from storage.models import Slot

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class SlotUseCases(Waitlist):
    """Site contacts' slot management and the add-slot wizard."""

    async def my_slots(self, me: Identity) -> list[SlotView]:
        sites = {site.id: site for site in await self._own_sites(me)}
        since = self.clock.now() - timedelta(days=14)
        slots = await self.uow.slots.of_sites(list(sites), since)
        counts = await self.uow.bookings.count_by_status([s.id for s in slots])
        return [
            await self._slot_view(
                slot, sites[slot.site_id], counts.get((slot.id, BookingStatus.WAITLISTED.value), 0)
            )
            for slot in slots
        ]

    async def slot_card(self, me: Identity, slot_id: int) -> SlotCard:
        slot, site = await self._own_slot(me, slot_id)
        rows = await self.uow.bookings.of_slot(slot.id)
        waitlisted = sum(1 for b, _ in rows if b.status is BookingStatus.WAITLISTED)
        view = await self._slot_view(slot, site, waitlisted)
        now = self.clock.now()
        bookings = []
        for booking, person in rows:
            if booking.status not in ACTIVE and booking.attendance is None:
                continue
            bookings.append(
                BookingView(
                    id=booking.id,
                    status=booking.status,
                    slot=view,
                    student=display_name(person, self.texts, me.language),
                    attendance=booking.attendance,
                    can_decide=booking.status is BookingStatus.REQUESTED,
                    can_mark=booking.status is BookingStatus.CONFIRMED
                    and booking.attendance is None
                    and slot.starts_at <= now,
                )
            )
        return SlotCard(view, bookings)

    async def set_capacity(self, me: Identity, slot_id: int, text: str) -> SlotView:
        slot, site = await self._own_slot(me, slot_id)
        capacity = self._capacity(text)
        now = self.clock.now()
        if not await self.uow.slots.set_capacity(slot.id, capacity, now):
            raise InvalidInput("slot-capacity-below-taken", taken=slot.seats_taken)
        await self.uow.audit.record(
            now, me.person_id, "slot.capacity", "slot", slot.id, capacity=capacity
        )
        slot = await self._fresh_slot(slot.id)
        while slot.seats_taken < slot.capacity and await self._offer_next(slot, site):
            slot = await self._fresh_slot(slot.id)
        await self.uow.commit()
        return await self._slot_view(slot, site)

    async def close_slot(self, me: Identity, slot_id: int) -> SlotView:
        slot, site = await self._own_slot(me, slot_id)
        now = self.clock.now()
        if not await self.uow.slots.close(slot.id, now):
            raise Conflict("slot-already-closed")
        await self.uow.audit.record(now, me.person_id, "slot.close", "slot", slot.id)
        await self.uow.commit()
        return await self._slot_view(await self._fresh_slot(slot.id), site)

    async def slot_begin(self, me: Identity) -> SlotStep:
        sites = await self._own_sites(me)
        data: dict[str, Any] = {}
        step = "site"
        if len(sites) == 1:
            data = {"site_id": sites[0].id, "site": sites[0].organisation}
            step = "kind"
        await self.uow.slot_drafts.save(me.person_id, step, data, self.clock.now())
        await self.uow.commit()
        return await self.slot_current(me)

    async def slot_current(self, me: Identity) -> SlotStep:
        draft = await self.uow.slot_drafts.get(me.person_id)
        if draft is None:
            raise Conflict("slot-draft-stale")
        sites = []
        if draft.step == "site":
            sites = [(s.id, s.organisation) for s in await self._own_sites(me)]
        return SlotStep(draft.step, dict(draft.data), sites)

    async def _advance(self, me: Identity, step: str, data: dict[str, Any]) -> SlotStep:
        await self.uow.slot_drafts.save(me.person_id, step, data, self.clock.now())
        await self.uow.commit()
        return await self.slot_current(me)

    async def _slot_draft(self, me: Identity, *steps: str) -> tuple[str, dict[str, Any]]:
        await self._own_sites(me)  # only a site's contact has a dialogue to continue
        draft = await self.uow.slot_drafts.get(me.person_id)
        if draft is None or (steps and draft.step not in steps):
            raise Conflict("slot-draft-stale")
        return draft.step, dict(draft.data)

    async def slot_pick(self, me: Identity, what: str, value: str) -> SlotStep:
        _, data = await self._slot_draft(me, what)
        if what == "site":
            sites = {site.id: site for site in await self._own_sites(me)}
            if not value.isdigit() or int(value) not in sites:
                raise NotAllowed()
            data.update(site_id=int(value), site=sites[int(value)].organisation)
            return await self._advance(me, "kind", data)
        if what == "kind":
            try:
                data["kind"] = SlotKind(value).value
            except ValueError:
                raise NotAllowed() from None
            return await self._advance(me, "start", data)
        raise NotAllowed()

    async def slot_text(self, me: Identity, text: str) -> SlotStep:
        step, data = await self._slot_draft(me)
        text = trim(text)
        site = await self.uow.sites.get(int(data.get("site_id", 0)))
        if site is None or site.contact_person_id != me.person_id:
            raise NotAllowed()
        policy = await self.policy_for(site.season_id)
        now = self.clock.now()
        if step == "start":
            start = parse_local_datetime(text, policy)
            if start <= now:
                raise InvalidInput("slot-start-past")
            if start - now > timedelta(days=400):
                raise InvalidInput("slot-start-far")
            data.update(start=start.isoformat(), start_text=policy.format(start))
        elif step == "end":
            start = datetime.fromisoformat(data["start"])
            match = _TIME.match(text)
            if match is not None:
                hour, minute = int(match.group(1)), int(match.group(2))
                if hour > 23 or minute > 59:
                    raise InvalidInput("slot-time-invalid")
                end = policy.at(policy.local(start).date(), time(hour, minute))
            elif LOCAL_DATETIME.match(text):
                end = parse_local_datetime(text, policy)
            else:
                raise InvalidInput("slot-end-format")
            if end <= start:
                raise InvalidInput("slot-end-before-start", start=policy.format(start))
            if end - start > timedelta(days=31):
                raise InvalidInput("slot-too-long")
            data.update(end=end.isoformat(), when=policy.span(start, end))
        elif step == "capacity":
            data["capacity"] = self._capacity(text)
        elif step == "reqs":
            if len(text) > 1000:
                raise InvalidInput("slot-reqs-long")
            data["reqs"] = text
        elif step == "dirs":
            directions = [trim(d) for d in re.split(r"[,;\n]", text) if visible_length(d)]
            if not directions or any(len(d) > 100 for d in directions) or len(directions) > 10:
                raise InvalidInput("slot-dirs-invalid")
            data["dirs"] = directions
        else:
            raise InvalidInput(f"slot-expect-{step}")
        return await self._advance(me, SLOT_STEPS[SLOT_STEPS.index(step) + 1], data)

    async def slot_skip(self, me: Identity) -> SlotStep:
        step, data = await self._slot_draft(me, "reqs", "dirs")
        data.pop(step, None)
        return await self._advance(me, SLOT_STEPS[SLOT_STEPS.index(step) + 1], data)

    async def slot_back(self, me: Identity) -> SlotStep:
        step, data = await self._slot_draft(me)
        index = max(SLOT_STEPS.index(step) - 1, 0)
        if SLOT_STEPS[index] == "site" and len(await self._own_sites(me)) == 1:
            index = 1
        return await self._advance(me, SLOT_STEPS[index], data)

    async def slot_cancel(self, me: Identity) -> None:
        await self.uow.slot_drafts.drop(me.person_id)
        await self.uow.commit()

    async def slot_confirm(self, me: Identity) -> SlotView:
        """Create the slot from the draft; a second tap finds no draft and creates nothing."""
        _, data = await self._slot_draft(me, "confirm")
        site = await self.uow.sites.get(int(data["site_id"]))
        if site is None or site.contact_person_id != me.person_id:
            raise NotAllowed()
        now = self.clock.now()
        start = datetime.fromisoformat(data["start"])
        if start <= now:
            raise InvalidInput("slot-start-past")
        kind = SlotKind(data["kind"])
        if await self.uow.slots.by_natural_key(site.id, kind, start) is not None:
            raise Conflict("slot-exists")
        slot = await self.uow.slots.add(
            Slot(
                site_id=site.id,
                kind=kind,
                starts_at=start,
                ends_at=datetime.fromisoformat(data["end"]),
                capacity=int(data["capacity"]),
                seats_taken=0,
                requirements=data.get("reqs"),
                directions=list(data.get("dirs") or []),
                status=SlotStatus.OPEN,
                created_by=me.person_id,
                created_at=now,
                updated_at=now,
            )
        )
        await self.uow.slot_drafts.drop(me.person_id)
        await self.uow.audit.record(
            now, me.person_id, "slot.create", "slot", slot.id, site_id=site.id
        )
        await self.uow.commit()
        return await self._slot_view(slot, site)
