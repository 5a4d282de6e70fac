"""The public defence, for any messenger: the juror's /jury (their session's teams; per team a
card with every criterion as 1–5 buttons) and the office's /defence (sessions, the ranking with
incomplete scores marked, closing a session, publishing once). Every press is re-checked by
services.defence."""

from __future__ import annotations

from dialogs.screen import Button, Dialog, Keyboard, Screen, Turn, doing
from services.actions import DefenceAction, DefenceVerb
from services.defence import SCALE, JuryCard, JuryHome, OfficeView
from services.errors import InvalidInput
from services.i18n import Translator
from services.questionnaire import Input


def _do(text: str, verb: DefenceVerb, **fields: int) -> Button:
    return doing(text, DefenceAction(verb=verb, **fields))


def jury_screen(t: Translator, view: JuryHome) -> Screen:
    lines = [t("df-jury-title")]
    rows: Keyboard = []
    for item in view.teams:
        mark = "✅" if item.scored >= item.criteria > 0 else ("◐" if item.scored else "▫️")
        text = t("df-jury-item", mark=mark, team=item.team_name, session=item.session_code)
        lines.append(text)
        rows.append([_do(text, DefenceVerb.CARD, session=item.session_id, team=item.team_id)])
    if not view.teams:
        lines.append(t("df-jury-empty"))
    return Screen("\n".join(lines), rows)


def card_screen(t: Translator, view: JuryCard) -> Screen:
    lines = [t("df-card-title", team=view.team_name, session=view.session_code, place=view.place)]
    rows: Keyboard = []
    for n, criterion in enumerate(view.criteria, start=1):
        given = "—" if criterion.value is None else str(criterion.value)
        lines.append(
            t("df-card-line", n=n, title=criterion.title, weight=criterion.weight, value=given)
        )
        if not view.is_open:
            continue
        rows.append(
            [
                _do(
                    f"•К{n}: {v}•" if criterion.value == v else f"К{n}: {v}",
                    DefenceVerb.SCORE,
                    session=view.session_id,
                    team=view.team_id,
                    criterion=criterion.id,
                    value=v,
                )
                for v in SCALE
            ]
        )
    lines.append(t("df-card-open") if view.is_open else t("df-card-closed"))
    rows.append([_do(t("df-btn-teams"), DefenceVerb.JURY_LIST)])
    return Screen("\n".join(lines), rows)


def office_screen(t: Translator, view: OfficeView) -> Screen:
    lines = [t("df-office-title")]
    rows: Keyboard = []
    for s in view.sessions:
        state = t("df-state-open") if s.is_open else t("df-state-closed")
        lines.append(
            t("df-office-session", code=s.code, place=s.place, state=state,
              jurors=s.jurors, teams=s.teams, at=s.starts_at.strftime("%d.%m %H:%M"))
        )  # fmt: skip
        if s.is_open:
            rows.append([_do(t("df-btn-close", code=s.code), DefenceVerb.CLOSE, session=s.id)])
    lines.append(t("df-office-ranking"))
    for row, name in view.ranking:
        if row.mean is None:
            lines.append(t("df-rank-none", team=name))
            continue
        incomplete = "" if row.complete else t("df-rank-incomplete", given=row.given,
                                                expected=row.expected)  # fmt: skip
        lines.append(
            t("df-rank-line", rank=row.rank, team=name, mean=f"{row.mean:.2f}") + incomplete
        )
    if view.published:
        lines.append(t("df-office-published"))
    else:
        rows.append([_do(t("df-btn-publish"), DefenceVerb.PUBLISH)])
    return Screen("\n".join(lines), rows)


async def jury_command(turn: Turn, args: str) -> None:
    await turn.chat.show(jury_screen(turn.t, await turn.services.defence.jury_home(turn.me)))


async def jury_list(turn: Turn, action: DefenceAction) -> None:
    view = await turn.services.defence.jury_home(turn.me)
    await turn.chat.notice()
    await turn.chat.redraw(jury_screen(turn.t, view))


async def open_card(turn: Turn, action: DefenceAction) -> None:
    view = await turn.services.defence.card(turn.me, action.session, action.team)
    await turn.chat.notice()
    await turn.chat.show(card_screen(turn.t, view))


async def score(turn: Turn, action: DefenceAction) -> None:
    view = await turn.services.defence.score(
        turn.me, action.session, action.team, action.criterion, action.value
    )
    await turn.chat.notice(turn.t("df-score-saved"))
    await turn.chat.redraw(card_screen(turn.t, view))


async def defence_command(turn: Turn, args: str) -> None:
    await turn.chat.show(office_screen(turn.t, await turn.services.defence.overview(turn.me)))


async def overview(turn: Turn, action: DefenceAction) -> None:
    view = await turn.services.defence.overview(turn.me)
    await turn.chat.notice()
    await turn.chat.redraw(office_screen(turn.t, view))


async def close(turn: Turn, action: DefenceAction) -> None:
    view = await turn.services.defence.close(turn.me, action.session)
    await turn.chat.notice(turn.t("df-closed"))
    await turn.chat.redraw(office_screen(turn.t, view))


async def publish(turn: Turn, action: DefenceAction) -> None:
    outcome = await turn.services.defence.publish(turn.me)
    if not outcome.first_time:
        await turn.chat.notice(turn.t("df-publish-again"), alert=True)
        return
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("df-published", sent=outcome.sent)))


PRESENTATION = "defence:presentation"


async def presentation_command(turn: Turn, args: str) -> None:
    _, name = await turn.services.defence.presentation_team(turn.me)
    await turn.cursor.set_state(PRESENTATION)
    await turn.chat.show(Screen(turn.t("df-presentation-ask", team=name)))


async def presentation(turn: Turn, given: Input) -> None:
    """The file sent after /presentation: the team's final presentation."""
    if given.kind != "document" or given.file_id is None:
        raise InvalidInput("df-presentation-document")
    name = await turn.services.defence.upload_presentation(turn.me, given.file_id)
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("df-presentation-saved", team=name)))


DIALOG = Dialog(
    name="defence",
    action=DefenceAction,
    commands={
        "jury": jury_command,
        "defence": defence_command,
        "presentation": presentation_command,
    },
    states={PRESENTATION: presentation},
    actions={
        DefenceVerb.JURY_LIST: jury_list,
        DefenceVerb.CARD: open_card,
        DefenceVerb.SCORE: score,
        DefenceVerb.OVERVIEW: overview,
        DefenceVerb.CLOSE: close,
        DefenceVerb.PUBLISH: publish,
    },
)
