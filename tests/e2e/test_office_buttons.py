"""A student pressing any staff button is refused, end to end: the bot process on Telegram
against the Bot API emulator. Every verb of every office (and mentor) feature's button — the
office's selection, access, paper forms, people and files, exports, broadcasts, statistics and
mentors' review — is pressed by a student as a forged callback on a message of their own chat.
Each press is answered with an alert, no message reaches anyone, and not one row of any table
changes (the bot's record of the updates it saw aside)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from services.actions import (
    AccessAction,
    Action,
    BroadcastAction,
    ExportAction,
    OfficeAction,
    PaperAction,
    PaperVerb,
    PeopleAdminAction,
    ReviewAction,
    StatsAction,
    encode,
)
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_apply import FAST, Applicant, season  # noqa: F401  (a fixture)
from tests.e2e.test_people_admin import _everything

STUDENT = 931
STAFF_ACTIONS: tuple[type[Action], ...] = (
    OfficeAction, AccessAction, PaperAction, PeopleAdminAction, ExportAction, BroadcastAction,
    StatsAction, ReviewAction,
)  # fmt: skip
# The one paper-form button that is the child's own: it starts their side of the form.
CHILDS_OWN = {(PaperAction, PaperVerb.START)}


def _every_press() -> list[Action]:
    """Each verb of each staff action, its ids pointing at row 1 (a row that exists or not:
    refused either way, and by the role before anything else is looked up)."""
    presses = []
    for kind in STAFF_ACTIONS:
        verbs = typing.get_type_hints(kind)["verb"]
        for verb in verbs:
            if (kind, verb) in CHILDS_OWN:
                continue
            presses.append(kind(verb=verb, **_ids(kind)))
    return presses


def _ids(kind: type[BaseModel]) -> dict[str, Any]:
    return {
        name: 1
        for name, field in kind.model_fields.items()
        if name != "verb" and field.annotation is int
    }


async def test_a_student_pressing_any_staff_button_is_refused_and_nothing_changes(
    emulator: BotApiEmulator,
    start_bot: StartBot,
    season: dict[str, str],  # noqa: F811
) -> None:
    url = season["DATABASE_URL"]
    await start_bot(**FAST)
    student = Applicant(emulator, STUDENT)
    reply = await student.say("/start", "Кадры будущего для регионов")
    before = await _everything(url)
    sent_before = len(emulator.calls("sendMessage")) + len(emulator.calls("sendDocument"))

    presses = _every_press()
    assert len(presses) > 40  # every verb of eight features
    for action in presses:
        answered = len(emulator.calls("answerCallbackQuery"))
        emulator.press_button(STUDENT, reply["message_id"], encode(action), check=False)
        [answer] = await emulator.wait_for(
            lambda answered=answered: emulator.calls("answerCallbackQuery")[answered:] or None
        )
        assert answer.params.get("show_alert") and answer.params.get("text"), action

    assert emulator.calls("sendMessage") + emulator.calls("sendDocument") != []
    sent_after = len(emulator.calls("sendMessage")) + len(emulator.calls("sendDocument"))
    assert sent_after == sent_before  # no message to the student or anyone else
    assert emulator.calls("editMessageText") == []  # the student's message stays as it was
    assert await _everything(url) == before
