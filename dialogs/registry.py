"""Every dialog, in the order a message or a press is offered to them: the one list each
messenger adapter serves (handlers/__init__.py for Telegram, max_adapter/ for MAX)."""

from __future__ import annotations

from dialogs import (
    apply,
    broadcast,
    defence,
    exports,
    forget,
    internships,
    link,
    mydata,
    office_access,
    office_selection,
    paper_consent,
    parent,
    passport,
    people_admin,
    plan,
    plan_assign,
    profile,
    reserve,
    review,
    roadmap,
    season_events,
    slots,
    start,
    stats,
    survey,
    team,
)
from dialogs.screen import Dialog

DIALOGS: tuple[Dialog, ...] = (
    start.DIALOG,
    # Before apply and every dialog with states: a /forget or /mydata typed on a
    # questionnaire step is theirs, not the step's.
    forget.DIALOG,
    mydata.DIALOG,
    mydata.AUDIT,
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
    profile.DIALOG,
    review.DIALOG,
    office_selection.DIALOG,
    office_access.DIALOG,
    link.DIALOG,
    parent.DIALOG,
    paper_consent.DIALOG,
    people_admin.DIALOG,
    stats.DIALOG,
    exports.DIALOG,
    broadcast.DIALOG,
    survey.DIALOG,
    reserve.DIALOG,
    season_events.DIALOG,
    defence.DIALOG,
)
