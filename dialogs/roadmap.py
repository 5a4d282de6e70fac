"""/roadmap: the tutor adds stages, sets their due dates and submits them with a report; the
mentor approves a stage or returns it with a comment, for any messenger. Back (leaving a typed
question) and the typed-text check are shared with the passport (dialogs/passport.py).

The cursor holds the question being answered and the team or stage it is about; the answers
themselves are saved by services.roadmap as they come.
"""

from __future__ import annotations

from typing import Any

from dialogs.evidence import evidence_from
from dialogs.roadmap_screens import asking_screen, pick_team_screen, roadmap_screen, stage_screen
from dialogs.screen import Cursor, Dialog, Screen, Turn
from services.actions import RoadmapAction, RoadmapVerb
from services.errors import DomainError, InvalidInput
from services.questionnaire import Input

# The cursor's states. The names are those aiogram gave the former StatesGroups (the comment
# keeps the name it had when passport and roadmap were one module), so a conversation saved
# before this module existed goes on.
STAGE_TITLE = "StageFlow:title"
STAGE_DUE = "StageFlow:due"
STAGE_REPORT = "StageFlow:report"
STAGE_COMMENT = "ReviewFlow:stage_comment"


async def remember(cursor: Cursor, state: str, **values: Any) -> None:
    """Move the cursor to `state`, adding `values` to what it holds."""
    await cursor.set_state(state)
    await cursor.set_data({**await cursor.get_data(), **values})


def typed_text(given: Input) -> str:
    """What was typed in answer to a question; anything else (a photo, a sticker) is refused."""
    if given.kind != "text" or given.text is None:
        raise InvalidInput("roadmap-text-expected")
    return given.text


# --- /roadmap and the typed answers -----------------------------------------------------------


async def roadmap_command(turn: Turn, args: str) -> None:
    roadmap = turn.services.roadmap
    teams = await roadmap.teams(turn.me)
    if not teams:
        raise DomainError("team-none")
    if len(teams) > 1:
        await turn.chat.show(pick_team_screen(turn.t, teams, RoadmapVerb.OPEN_ROADMAP))
        return
    await turn.chat.show(roadmap_screen(turn.t, await roadmap.roadmap(turn.me, teams[0].id)))


async def stage_title(turn: Turn, given: Input) -> None:
    team_id = int((await turn.cursor.get_data())["team_id"])
    stage = await turn.services.roadmap.add_stage(turn.me, team_id, typed_text(given))
    await remember(turn.cursor, STAGE_DUE, stage_id=stage.id)
    await turn.chat.show(asking_screen(turn.t("roadmap-ask-due", title=stage.title), turn.t))


async def stage_due(turn: Turn, given: Input) -> None:
    stage_id = int((await turn.cursor.get_data())["stage_id"])
    stage = await turn.services.roadmap.set_stage_due(turn.me, stage_id, typed_text(given))
    await turn.cursor.clear()
    await turn.chat.show(stage_screen(turn.t, stage, saved=True))


async def stage_report(turn: Turn, given: Input) -> None:
    stage_id = int((await turn.cursor.get_data())["stage_id"])
    stage = await turn.services.roadmap.submit_stage(turn.me, stage_id, evidence_from(given))
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("roadmap-submitted", title=stage.title)))


async def stage_comment(turn: Turn, given: Input) -> None:
    stage_id = int((await turn.cursor.get_data())["stage_id"])
    stage = await turn.services.roadmap.return_stage(turn.me, stage_id, typed_text(given))
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("roadmap-returned-done", title=stage.title)))


# --- presses: one handler per action -----------------------------------------------------------


async def roadmap_open(turn: Turn, action: RoadmapAction) -> None:
    view = await turn.services.roadmap.roadmap(turn.me, action.item)
    await turn.chat.notice()
    await turn.chat.show(roadmap_screen(turn.t, view))


async def stage_open(turn: Turn, action: RoadmapAction) -> None:
    view = await turn.services.roadmap.stage(turn.me, action.item)
    await turn.chat.notice()
    await turn.chat.show(stage_screen(turn.t, view))


async def stage_add(turn: Turn, action: RoadmapAction) -> None:
    team = await turn.services.roadmap.check_add_stage(turn.me, action.item)
    await remember(turn.cursor, STAGE_TITLE, team_id=team.id)
    await turn.chat.notice()
    await turn.chat.show(asking_screen(turn.t("roadmap-ask-title"), turn.t))


async def stage_ask_due(turn: Turn, action: RoadmapAction) -> None:
    stage = await turn.services.roadmap.check_set_due(turn.me, action.item)
    await remember(turn.cursor, STAGE_DUE, stage_id=stage.id)
    await turn.chat.notice()
    await turn.chat.show(asking_screen(turn.t("roadmap-ask-due", title=stage.title), turn.t))


async def stage_ask_report(turn: Turn, action: RoadmapAction) -> None:
    stage = await turn.services.roadmap.check_submit_stage(turn.me, action.item)
    await remember(turn.cursor, STAGE_REPORT, stage_id=stage.id)
    await turn.chat.notice()
    await turn.chat.show(asking_screen(turn.t("roadmap-ask-report", title=stage.title), turn.t))


async def stage_approve(turn: Turn, action: RoadmapAction) -> None:
    stage = await turn.services.roadmap.approve_stage(turn.me, action.item)
    done = turn.t("roadmap-approved-done", title=stage.title)
    await turn.chat.notice(done)
    await turn.chat.show(Screen(done))


async def stage_ask_comment(turn: Turn, action: RoadmapAction) -> None:
    stage = await turn.services.roadmap.check_stage_review(turn.me, action.item)
    await remember(turn.cursor, STAGE_COMMENT, stage_id=stage.id)
    await turn.chat.notice()
    await turn.chat.show(asking_screen(turn.t("roadmap-return-ask", title=stage.title), turn.t))


async def back(turn: Turn, action: RoadmapAction) -> None:
    """Leave the question being asked (a stage's or the passport's): nothing typed is kept."""
    await turn.cursor.clear()
    await turn.chat.notice(turn.t("roadmap-back-done"))


DIALOG = Dialog(
    name="roadmap",
    action=RoadmapAction,
    commands={"roadmap": roadmap_command},
    states={
        STAGE_TITLE: stage_title,
        STAGE_DUE: stage_due,
        STAGE_COMMENT: stage_comment,
        STAGE_REPORT: stage_report,
    },
    actions={
        RoadmapVerb.OPEN_ROADMAP: roadmap_open,
        RoadmapVerb.OPEN_STAGE: stage_open,
        RoadmapVerb.ADD_STAGE: stage_add,
        RoadmapVerb.ASK_STAGE_DUE: stage_ask_due,
        RoadmapVerb.ASK_STAGE_REPORT: stage_ask_report,
        RoadmapVerb.APPROVE_STAGE: stage_approve,
        RoadmapVerb.ASK_STAGE_RETURN: stage_ask_comment,
        RoadmapVerb.BACK: back,
    },
)
