"""Every dialog, in the order a message or a press is offered to them: the one list each
messenger adapter serves (handlers/__init__.py for Telegram, max_adapter/ for MAX)."""

from __future__ import annotations

from dialogs import (
    apply,
    internships,
    link,
    office_access,
    office_selection,
    parent,
    passport,
    plan,
    plan_assign,
    review,
    roadmap,
    slots,
    start,
    team,
)
from dialogs.screen import Dialog

DIALOGS: tuple[Dialog, ...] = (
    start.DIALOG,
    apply.DIALOG,
    plan.DIALOG,
    plan.SNOOZE,
    plan_assign.DIALOG,
    internships.DIALOG,
    internships.BOOKINGS,
    slots.DIALOG,
    slots.ADD_SLOT,
    team.DIALOG,
    passport.DIALOG,
    roadmap.DIALOG,
    review.DIALOG,
    office_selection.DIALOG,
    office_access.DIALOG,
    link.DIALOG,
    parent.DIALOG,
)
