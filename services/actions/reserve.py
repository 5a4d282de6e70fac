"""The actions of the talent reserve (dialogs/reserve.py): the nominee's answer to the consent
request."""

from __future__ import annotations

import enum

from services.actions.codec import Action, Id


class ReserveVerb(enum.StrEnum):
    AGREE = "y"
    REFUSE = "n"


class ReserveAction(Action, prefix="rv"):
    verb: ReserveVerb
    nomination: Id = 0
