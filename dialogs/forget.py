"""/forget: one question (erase everything, or changed my mind), then the withdrawal and erasure
everywhere (services.applications' `forget`), for any messenger.

The answer lists what the law makes us keep — the consent records — without any personal value.
"""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn, doing
from services.actions import ForgetAction, ForgetVerb
from services.applications import ConsentRecord
from services.i18n import Translator


def question_screen(t: Translator) -> Screen:
    return Screen(
        t("forget-ask"),
        [
            [doing(t("forget-btn-confirm"), ForgetAction(verb=ForgetVerb.CONFIRM))],
            [doing(t("forget-btn-no"), ForgetAction(verb=ForgetVerb.CHANGED_MIND))],
        ],
    )


def done_screen(t: Translator, kept: tuple[ConsentRecord, ...]) -> Screen:
    if not kept:
        return Screen(t("forget-done-nothing-kept"))
    lines = (
        t(
            "forget-consent",
            kind=record.kind.value,
            version=record.version,
            given=record.given,
            withdrawn=record.withdrawn or "—",
        )
        for record in kept
    )
    return Screen(t("forget-done", list="\n".join(lines)))


async def forget_command(turn: Turn, args: str) -> None:
    await turn.chat.show(question_screen(turn.t))


async def confirm(turn: Turn, action: ForgetAction) -> None:
    kept = await turn.services.applications.forget(turn.me)
    # The cursor may hold what was being typed (a draft's step): it goes before anything else.
    await turn.cursor.clear()
    await turn.chat.close_buttons()
    await turn.chat.show(done_screen(turn.t, kept))


async def changed_mind(turn: Turn, action: ForgetAction) -> None:
    await turn.chat.close_buttons()
    await turn.chat.show(Screen(turn.t("forget-kept")))


DIALOG = Dialog(
    name="forget",
    action=ForgetAction,
    commands={"forget": forget_command},
    actions={ForgetVerb.CONFIRM: confirm, ForgetVerb.CHANGED_MIND: changed_mind},
)
