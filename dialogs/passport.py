"""/passport: the tutor fills the team's project passport field by field (each answer saved)
and submits it; the mentor approves it or returns it with a comment, for any messenger.

The cursor holds the team and the field being asked; every answer is already saved by
services.roadmap, so leaving the questions loses nothing.
"""

from __future__ import annotations

from dialogs.passport_screens import field_screen, passport_screen
from dialogs.roadmap import remember, typed_text
from dialogs.roadmap_screens import asking_screen, pick_team_screen
from dialogs.screen import Dialog, Screen, Turn
from services.actions import RoadmapAction, RoadmapVerb
from services.domain import PASSPORT_FIELDS
from services.errors import DomainError, InvalidInput
from services.questionnaire import Input
from services.roadmap import PassportView

# The cursor's states, named as aiogram named the former StatesGroups (the comment keeps the
# name it had when passport and roadmap were one module), so a saved conversation goes on.
PASSPORT_ANSWER = "PassportFlow:answer"
PASSPORT_COMMENT = "ReviewFlow:passport_comment"


async def ask_field(turn: Turn, view: PassportView, index: int) -> None:
    await remember(turn.cursor, PASSPORT_ANSWER, team_id=view.team_id, index=index)
    await turn.chat.show(field_screen(turn.t, view, index))


async def finish_fill(turn: Turn, view: PassportView) -> None:
    await turn.cursor.clear()
    await turn.chat.show(passport_screen(turn.t, view, filled=True))


async def field_index(turn: Turn, team_id: int) -> int:
    """The field the cursor stands at in this team's passport; a button of another fill (an
    older message, another team) asks to start again."""
    data = await turn.cursor.get_data()
    if await turn.cursor.get_state() != PASSPORT_ANSWER or data.get("team_id") != team_id:
        raise DomainError("passport-restart")
    return int(data["index"])


# --- /passport and the typed answers ----------------------------------------------------------


async def passport_command(turn: Turn, args: str) -> None:
    roadmap = turn.services.roadmap
    teams = await roadmap.teams(turn.me)
    if not teams:
        raise DomainError("team-none")
    if len(teams) > 1:
        await turn.chat.show(pick_team_screen(turn.t, teams, RoadmapVerb.OPEN_PASSPORT))
        return
    await turn.chat.show(passport_screen(turn.t, await roadmap.passport(turn.me, teams[0].id)))


async def passport_answer(turn: Turn, given: Input) -> None:
    text = typed_text(given)
    data = await turn.cursor.get_data()
    team_id, index = int(data["team_id"]), int(data["index"])
    view = await turn.services.roadmap.passport_answer(
        turn.me, team_id, PASSPORT_FIELDS[index], text
    )
    if index + 1 >= len(PASSPORT_FIELDS):
        await finish_fill(turn, view)
    else:
        await ask_field(turn, view, index + 1)


async def passport_comment(turn: Turn, given: Input) -> None:
    text = typed_text(given)
    passport_id = int((await turn.cursor.get_data())["passport_id"])
    view = await turn.services.roadmap.return_passport(turn.me, passport_id, text)
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("passport-returned-done", team=view.team)))


# --- presses: one handler per action -----------------------------------------------------------


async def passport_open(turn: Turn, action: RoadmapAction) -> None:
    view = await turn.services.roadmap.passport(turn.me, action.item)
    await turn.chat.notice()
    await turn.chat.show(passport_screen(turn.t, view))


async def passport_fill(turn: Turn, action: RoadmapAction) -> None:
    view = await turn.services.roadmap.passport_begin(turn.me, action.item)
    await turn.chat.notice()
    await ask_field(turn, view, 0)


async def passport_move(turn: Turn, action: RoadmapAction) -> None:
    """Keep the current answer (forward), Back, or leave the questions (everything is saved)."""
    view = await turn.services.roadmap.passport_begin(turn.me, action.item)
    await turn.chat.notice()
    if action.verb is RoadmapVerb.LEAVE_PASSPORT:
        await finish_fill(turn, view)
        return
    index = await field_index(turn, action.item)
    if action.verb is RoadmapVerb.KEEP_FIELD:
        if not view.fields[PASSPORT_FIELDS[index]]:
            raise InvalidInput("passport-nothing-to-keep")
        index += 1
    else:
        index -= 1
    if index < 0 or index >= len(PASSPORT_FIELDS):
        await finish_fill(turn, view)
    else:
        await ask_field(turn, view, index)


async def passport_submit(turn: Turn, action: RoadmapAction) -> None:
    await turn.services.roadmap.passport_submit(turn.me, action.item)
    await turn.chat.notice(turn.t("passport-submitted"))
    await turn.chat.show(Screen(turn.t("passport-submitted")))


async def passport_approve(turn: Turn, action: RoadmapAction) -> None:
    view = await turn.services.roadmap.approve_passport(turn.me, action.item)
    done = turn.t("passport-approved-done", team=view.team)
    await turn.chat.notice(done)
    await turn.chat.show(Screen(done))


async def passport_ask_comment(turn: Turn, action: RoadmapAction) -> None:
    view = await turn.services.roadmap.check_passport_review(turn.me, action.item)
    await remember(turn.cursor, PASSPORT_COMMENT, passport_id=view.id)
    await turn.chat.notice()
    await turn.chat.show(asking_screen(turn.t("passport-return-ask", team=view.team), turn.t))


DIALOG = Dialog(
    name="passport",
    action=RoadmapAction,
    commands={"passport": passport_command},
    states={PASSPORT_ANSWER: passport_answer, PASSPORT_COMMENT: passport_comment},
    actions={
        RoadmapVerb.OPEN_PASSPORT: passport_open,
        RoadmapVerb.FILL_PASSPORT: passport_fill,
        RoadmapVerb.KEEP_FIELD: passport_move,
        RoadmapVerb.PREVIOUS_FIELD: passport_move,
        RoadmapVerb.LEAVE_PASSPORT: passport_move,
        RoadmapVerb.SUBMIT_PASSPORT: passport_submit,
        RoadmapVerb.APPROVE_PASSPORT: passport_approve,
        RoadmapVerb.ASK_PASSPORT_RETURN: passport_ask_comment,
    },
)
