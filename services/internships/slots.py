"""A site contact's slots: the list, a slot's card, capacity and closing, and the add-slot
wizard (its steps: services.internships.slot_wizard, on the engine of services.wizard; the
draft is saved at every step)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from services.domain import BookingStatus, SlotKind, SlotStatus
from services.errors import Conflict, InvalidInput, NotAllowed
from services.internships.slot_wizard import OPTIONAL_SLOT_STEPS, SLOT_WIZARD, SlotFacts
from services.internships.views import ACTIVE, BookingView, SlotCard, SlotStep, SlotView
from services.internships.waitlist import Waitlist
from services.people import Identity, display_name
from services.text_fit import trim
from storage.models import Slot


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
        """Save the draft (its answers and the step it stands at), then show that step."""
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
        """A button's answer: the site (of the contact's own) or the kind of slot."""
        _, data = await self._slot_draft(me, what)
        if what == "site":
            sites = {site.id: site for site in await self._own_sites(me)}
            if not value.isdigit() or int(value) not in sites:
                raise NotAllowed()
            data.update(site_id=int(value), site=sites[int(value)].organisation)
        elif what == "kind":
            try:
                data["kind"] = SlotKind(value).value
            except ValueError:
                raise NotAllowed() from None
        else:
            raise NotAllowed()
        following = SLOT_WIZARD.following(what)
        assert following is not None  # the site and the kind come before the confirmation
        return await self._advance(me, following.code, data)

    async def slot_text(self, me: Identity, text: str) -> SlotStep:
        step, data = await self._slot_draft(me)
        site = await self.uow.sites.get(int(data.get("site_id", 0)))
        if site is None or site.contact_person_id != me.person_id:
            raise NotAllowed()
        facts = SlotFacts(await self.policy_for(site.season_id), self.clock.now(), data)
        definition = SLOT_WIZARD.step(step)
        following = SLOT_WIZARD.following(step)
        if definition.typed is None or following is None:
            raise InvalidInput(f"slot-expect-{step}")
        data.update(definition.typed(trim(text), facts))
        return await self._advance(me, following.code, data)

    async def slot_skip(self, me: Identity) -> SlotStep:
        step, data = await self._slot_draft(me, *OPTIONAL_SLOT_STEPS)
        SLOT_WIZARD.skip(step, data)
        following = SLOT_WIZARD.following(step)
        assert following is not None  # the last step, confirm, is not optional
        return await self._advance(me, following.code, data)

    async def slot_back(self, me: Identity) -> SlotStep:
        step, data = await self._slot_draft(me)
        # The site is asked only of a contact of more than one site; the first step this
        # contact sees is where Back stops.
        single = len(await self._own_sites(me)) == 1
        back = SLOT_WIZARD.previous(step, lambda earlier: not (single and earlier.code == "site"))
        first = "kind" if single else "site"
        return await self._advance(me, back.code if back is not None else first, data)

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
