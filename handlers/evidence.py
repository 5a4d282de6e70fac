"""Evidence from a Telegram message, for the handlers not yet written as a dialog (the roadmap's
stages); a dialog reads it from its `Input` (dialogs/evidence.py)."""

from __future__ import annotations

from aiogram.types import Message

from dialogs.evidence import evidence_from
from handlers.telegram import to_input
from services.plans import Evidence


def evidence_of(message: Message) -> Evidence:
    return evidence_from(to_input(message))
