"""The filter that matches a button press to a typed action: the Telegram side of the one codec
(services/actions.py). A payload the codec refuses matches no handler; the fallback refuses it
(handlers/fallback.py)."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import CallbackQuery
from magic_filter import MagicFilter

from services.actions import Action, RefusedPayload, decode


class Pressed(Filter):
    """A press of a button carrying an action of `kind` for which `rule` holds (aiogram's magic
    filter over the action, e.g. `F.verb == ApplyVerb.SUBMIT`); the handler gets it as `action`.
    """

    def __init__(self, kind: type[Action], rule: MagicFilter | None = None) -> None:
        self.kind = kind
        self.rule = rule

    async def __call__(self, query: CallbackQuery) -> bool | dict[str, Any]:
        if query.data is None:
            return False
        try:
            action = decode(query.data)
        except RefusedPayload:
            return False
        if not isinstance(action, self.kind):
            return False
        if self.rule is not None and not self.rule.resolve(action):
            return False
        return {"action": action}
