"""The actions of the season's work: ИУП plans and reminders, internships and slots, the
roadmap and the team."""

from __future__ import annotations

import enum

from services.actions.codec import Action, Id, KindCode, Small


class PlanVerb(enum.StrEnum):
    """A task of the ИУП (dialogs/plan.py; reminders and review notices name them too)."""

    LIST = "list"
    OPEN = "open"
    START = "start"
    ASK_EVIDENCE = "sub"
    APPROVE = "ok"
    ASK_RETURN_COMMENT = "ret"
    ASK_DUE = "due"
    ASK_DELETE = "del"
    DELETE = "delok"
    BACK = "back"


class PlanAction(Action, prefix="plan", version=2):
    verb: PlanVerb
    task: Id = 0


class SnoozeVerb(enum.StrEnum):
    """Putting a reminder off (its values are what `ReminderService.snooze` takes)."""

    AN_HOUR = "h"
    TILL_TOMORROW = "t"


class SnoozeAction(Action, prefix="rsn", version=2):
    verb: SnoozeVerb
    reminder: Id = 0


class AssignVerb(enum.StrEnum):
    """The /assign dialogue's buttons."""

    PICK_TARGET = "tgt"
    PICK_KIND = "kind"
    SKIP = "skip"
    BACK = "back"
    CANCEL = "cancel"
    CONFIRM = "ok"


class AssignAction(Action, prefix="asg", version=2):
    verb: AssignVerb
    kind: KindCode = ""
    target: Id = 0


class InternshipsVerb(enum.StrEnum):
    """Browsing open slots (/internships)."""

    SHOW_WEEK = "wk"
    PICK_DIRECTION = "dirs"
    BOOK = "book"


class InternshipsAction(Action, prefix="int", version=2):
    verb: InternshipsVerb
    week: Small = 0  # which seven days: 0 from today, 1 the next seven…
    direction: Small = -1  # a position in the week's list of directions; -1 all
    slot: Id = 0


class BookingVerb(enum.StrEnum):
    """A booking's buttons: the student's (cancel, answer an offer) and the site contact's or
    mentor's (decide, mark attendance)."""

    CANCEL = "cancel"
    ACCEPT_OFFER = "acc"
    REFUSE_OFFER = "rej"
    CONFIRM = "ok"
    DECLINE = "no"
    ATTENDED = "att"
    ABSENT = "abs"


class BookingAction(Action, prefix="bk", version=2):
    verb: BookingVerb
    booking: Id = 0


class SlotVerb(enum.StrEnum):
    """The site contact's /slots."""

    LIST = "list"
    OPEN = "open"
    ASK_CAPACITY = "cap"
    ASK_CLOSE = "close"
    CLOSE = "closeok"
    ADD = "add"


class SlotAction(Action, prefix="sl", version=2):
    verb: SlotVerb
    slot: Id = 0


class SlotAddVerb(enum.StrEnum):
    """The dialogue that adds a slot."""

    PICK_SITE = "site"
    PICK_KIND = "kind"
    SKIP = "skip"
    BACK = "back"
    CANCEL = "cancel"
    SAVE = "ok"


class SlotAddAction(Action, prefix="sla", version=2):
    verb: SlotAddVerb
    site: Id = 0
    kind: KindCode = ""  # a slot kind


class RoadmapVerb(enum.StrEnum):
    """The team's passport and roadmap (/passport, /roadmap)."""

    OPEN_PASSPORT = "po"
    FILL_PASSPORT = "pf"
    KEEP_FIELD = "pk"
    PREVIOUS_FIELD = "pb"
    LEAVE_PASSPORT = "px"
    SUBMIT_PASSPORT = "ps"
    APPROVE_PASSPORT = "pok"
    ASK_PASSPORT_RETURN = "pret"
    OPEN_ROADMAP = "ro"
    OPEN_STAGE = "so"
    ADD_STAGE = "sa"
    ASK_STAGE_DUE = "sd"
    ASK_STAGE_REPORT = "ss"
    APPROVE_STAGE = "sok"
    ASK_STAGE_RETURN = "sret"
    BACK = "x"


class RoadmapAction(Action, prefix="rm", version=2):
    verb: RoadmapVerb
    item: Id = 0  # a team, a passport or a stage, as the verb says


class TeamVerb(enum.StrEnum):
    """/team and /announce."""

    OPEN_ROSTER = "r"
    SHARE_CONTACT = "sh1"
    STOP_SHARING_CONTACT = "sh0"
    ANNOUNCE_TO = "an"
    BACK = "x"


class TeamAction(Action, prefix="tm", version=2):
    verb: TeamVerb
    team: Id = 0
