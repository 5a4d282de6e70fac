"""Button actions and their one codec (`services.actions.codec`), and every feature's actions:
what a button does, as a feature's enum verb plus bounded ids. Importing this package registers
every action with the codec, so `decode` knows them all."""

from services.actions.broadcast import BroadcastAction, BroadcastVerb
from services.actions.codec import (
    PAYLOAD_LIMIT,
    SEPARATOR,
    Action,
    ChoiceCode,
    Id,
    Page,
    RefusedPayload,
    StepCode,
    actions,
    build,
    decode,
    encode,
)
from services.actions.events import EventAction, EventVerb
from services.actions.exports import ExportAction, ExportVerb
from services.actions.people import (
    AccessAction,
    AccessVerb,
    ApplyAction,
    ApplyVerb,
    ForgetAction,
    ForgetVerb,
    PaperAction,
    PaperVerb,
    ParentAction,
    ParentVerb,
    ProfileAction,
    ProfileVerb,
)
from services.actions.people_admin import PeopleAdminAction, PeopleAdminVerb
from services.actions.reserve import ReserveAction, ReserveVerb
from services.actions.selection import (
    OfficeAction,
    OfficeVerb,
    ReviewAction,
    ReviewVerb,
)
from services.actions.stats import StatsAction, StatsVerb
from services.actions.survey import SurveyAction, SurveyVerb
from services.actions.work import (
    AssignAction,
    AssignVerb,
    BookingAction,
    BookingVerb,
    InternshipsAction,
    InternshipsVerb,
    PlanAction,
    PlanVerb,
    RoadmapAction,
    RoadmapVerb,
    SlotAction,
    SlotAddAction,
    SlotAddVerb,
    SlotVerb,
    SnoozeAction,
    SnoozeVerb,
    TeamAction,
    TeamVerb,
)

__all__ = [
    "PAYLOAD_LIMIT",
    "SEPARATOR",
    "AccessAction",
    "AccessVerb",
    "Action",
    "ApplyAction",
    "ApplyVerb",
    "AssignAction",
    "AssignVerb",
    "BookingAction",
    "BookingVerb",
    "BroadcastAction",
    "BroadcastVerb",
    "ChoiceCode",
    "EventAction",
    "EventVerb",
    "ExportAction",
    "ExportVerb",
    "ForgetAction",
    "ForgetVerb",
    "Id",
    "InternshipsAction",
    "InternshipsVerb",
    "OfficeAction",
    "OfficeVerb",
    "Page",
    "PaperAction",
    "PaperVerb",
    "ParentAction",
    "ParentVerb",
    "PeopleAdminAction",
    "PeopleAdminVerb",
    "PlanAction",
    "PlanVerb",
    "ProfileAction",
    "ProfileVerb",
    "RefusedPayload",
    "ReserveAction",
    "ReserveVerb",
    "ReviewAction",
    "ReviewVerb",
    "RoadmapAction",
    "RoadmapVerb",
    "SlotAction",
    "SlotAddAction",
    "SlotAddVerb",
    "SlotVerb",
    "SnoozeAction",
    "SnoozeVerb",
    "StatsAction",
    "StatsVerb",
    "StepCode",
    "SurveyAction",
    "SurveyVerb",
    "TeamAction",
    "TeamVerb",
    "actions",
    "build",
    "decode",
    "encode",
]

from services.actions.defence import DefenceAction, DefenceVerb

__all__ += ["DefenceAction", "DefenceVerb"]
