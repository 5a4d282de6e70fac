"""The site contact's screens: their slots with seats taken and left, a slot's card (bookings to
confirm, attendance to mark), the capacity and closing questions, and each step of adding a
slot. Pure functions of a view and the person's language."""

from __future__ import annotations

from dialogs.screen import Button, Keyboard, Screen, doing
from services.actions import (
    BookingAction,
    BookingVerb,
    SlotAction,
    SlotAddAction,
    SlotAddVerb,
    SlotVerb,
)
from services.domain import SlotKind
from services.i18n import Translator
from services.internships import BookingView, SlotCard, SlotStep, SlotView

MAX_LISTED = 30
STUDENT_NAME_LIMIT = 30
SITE_NAME_LIMIT = 60


def _slot_line(number: int, slot: SlotView, t: Translator) -> str:
    return t(
        "slots-line",
        n=number,
        organisation=slot.organisation,
        kind=t(f"int-kind-{slot.kind.value}"),
        when=slot.when,
        taken=slot.taken,
        left=slot.left,
        capacity=slot.capacity,
        waitlisted=slot.waitlisted,
        status=t(f"slot-status-{'ended' if slot.ended else slot.status.value}"),
    )


def slots_screen(t: Translator, slots: list[SlotView]) -> Screen:
    add = [doing(t("slots-btn-add"), SlotAction(verb=SlotVerb.ADD))]
    if not slots:
        return Screen(t("slots-empty"), [add])
    lines = [t("slots-title")]
    rows: Keyboard = []
    for number, slot in enumerate(slots[:MAX_LISTED], start=1):
        lines.append(_slot_line(number, slot, t))
        rows.append(
            [doing(t("slots-btn-open", n=number), SlotAction(verb=SlotVerb.OPEN, slot=slot.id))]
        )
    return Screen("\n".join(lines), [*rows, add])


def _booking_rows(t: Translator, booking: BookingView) -> Keyboard:
    """Confirm or decline a booking still to decide; attended or not once the slot is over."""
    name = booking.student[:STUDENT_NAME_LIMIT]
    rows: Keyboard = []
    if booking.can_decide:
        rows.append(
            [
                doing(
                    t("int-btn-confirm-who", student=name),
                    BookingAction(verb=BookingVerb.CONFIRM, booking=booking.id),
                ),
                doing(
                    t("int-btn-decline-who", student=name),
                    BookingAction(verb=BookingVerb.DECLINE, booking=booking.id),
                ),
            ]
        )
    if booking.can_mark:
        rows.append(
            [
                doing(
                    t("int-btn-attended", student=name),
                    BookingAction(verb=BookingVerb.ATTENDED, booking=booking.id),
                ),
                doing(
                    t("int-btn-no-show", student=name),
                    BookingAction(verb=BookingVerb.ABSENT, booking=booking.id),
                ),
            ]
        )
    return rows


def card_screen(t: Translator, card: SlotCard) -> Screen:
    slot = card.slot
    lines = [_slot_line(1, slot, t).removeprefix("1. ")]
    if slot.requirements:
        lines.append(t("int-slot-requirements", requirements=slot.requirements))
    if card.bookings:
        lines.append(t("slot-card-bookings"))
    rows: Keyboard = []
    for booking in card.bookings:
        status = t(f"int-status-{booking.status.value}")
        if booking.attendance is not None:
            status = t(f"int-attendance-{booking.attendance.value}")
        lines.append(t("slot-card-booking", student=booking.student, status=status))
        rows += _booking_rows(t, booking)
    manage: list[Button] = []
    if not slot.ended:
        manage.append(
            doing(t("slot-btn-capacity"), SlotAction(verb=SlotVerb.ASK_CAPACITY, slot=slot.id))
        )
        if slot.status.value == "open":
            manage.append(
                doing(t("slot-btn-close"), SlotAction(verb=SlotVerb.ASK_CLOSE, slot=slot.id))
            )
    listing = [doing(t("slot-btn-list"), SlotAction(verb=SlotVerb.LIST))]
    return Screen("\n".join(lines), [*rows, manage, listing])


def _back_to(t: Translator, slot_id: int) -> Button:
    return doing(t("slot-btn-back"), SlotAction(verb=SlotVerb.OPEN, slot=slot_id))


def capacity_screen(t: Translator, slot: SlotView) -> Screen:
    return Screen(t("slot-capacity-ask", taken=slot.taken), [[_back_to(t, slot.id)]])


def close_screen(t: Translator, slot: SlotView) -> Screen:
    sure = doing(t("slot-btn-close-sure"), SlotAction(verb=SlotVerb.CLOSE, slot=slot.id))
    return Screen(t("slot-close-ask", when=slot.when), [[sure, _back_to(t, slot.id)]])


# --- adding a slot ----------------------------------------------------------------------------


def _add(text: str, verb: SlotAddVerb) -> Button:
    return doing(text, SlotAddAction(verb=verb))


def step_screen(t: Translator, step: SlotStep) -> Screen:
    """One step of adding a slot: the site and the kind are buttons, the rest is typed (the
    requirements and directions may be skipped); the last step shows the slot to save."""
    back = _add(t("slot-btn-back"), SlotAddVerb.BACK)
    cancel = _add(t("slot-btn-cancel"), SlotAddVerb.CANCEL)
    data = step.data
    if step.step == "site":
        rows = [
            [doing(name[:SITE_NAME_LIMIT], SlotAddAction(verb=SlotAddVerb.PICK_SITE, site=site_id))]
            for site_id, name in step.sites
        ]
        return Screen(t("slot-ask-site"), [*rows, [cancel]])
    if step.step == "kind":
        rows = [
            [
                doing(
                    t(f"int-kind-{kind.value}"),
                    SlotAddAction(verb=SlotAddVerb.PICK_KIND, kind=kind.value),
                )
            ]
            for kind in SlotKind
        ]
        return Screen(t("slot-ask-kind", site=data.get("site", "")), [*rows, [back, cancel]])
    if step.step in ("start", "end", "capacity"):
        text = t(f"slot-ask-{step.step}", start=data.get("start_text", ""))
        return Screen(text, [[back, cancel]])
    if step.step in ("reqs", "dirs"):
        skip = _add(t("slot-btn-skip"), SlotAddVerb.SKIP)
        return Screen(t(f"slot-ask-{step.step}"), [[skip], [back, cancel]])
    none = t("slot-none")
    text = t(
        "slot-confirm",
        site=data.get("site", none),
        kind=t(f"int-kind-{data.get('kind', 'internship')}"),
        when=data.get("when", none),
        capacity=data.get("capacity", none),
        requirements=data.get("reqs") or none,
        directions=", ".join(data.get("dirs") or []) or t("slot-dirs-site"),
    )
    return Screen(text, [[_add(t("slot-btn-save"), SlotAddVerb.SAVE)], [back, cancel]])
