"""The public defence, for any messenger: the juror's /jury (their session's teams; per team a
card with every criterion as 1–5 buttons) and the office's /defence (sessions, the ranking with
incomplete scores marked, closing a session, publishing once). Every press is re-checked by
services.defence."""

from __future__ import annotations

from dialogs.screen import Button, Dialog, Keyboard, Screen, Turn, doing
from services.actions import DefenceAction, DefenceVerb
from services.defence import (
    MARKS,
    SCALE,
    JuryCard,
    JuryHome,
    OfficeView,
    PublishPreview,
    RankedTeam,
    TeamReviews,
)
from services.errors import InvalidInput, NotAllowed
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
    if view.is_open:
        rows.append(
            [_do(t("df-btn-comment"), DefenceVerb.COMMENT, session=view.session_id,
                 team=view.team_id)]
        )  # fmt: skip
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
        lines.append(_rank_line(t, row, name) + _extras(t, view, row.team_id))
        rows.append(_mark_buttons(t, row.team_id, name, view.marks.get(row.team_id, ())))
    if any(view.comments.values()):
        rows.append([_do(t("df-btn-reviews"), DefenceVerb.REVIEWS)])
    if view.published:
        lines.append(t("df-office-published"))
    else:
        rows.append([_do(t("df-btn-publish"), DefenceVerb.PUBLISH)])
    return Screen("\n".join(lines), rows)


def _rank_line(t: Translator, row: RankedTeam, name: str) -> str:
    if row.mean is None:
        return t("df-rank-none", team=name)
    incomplete = "" if row.complete else t("df-rank-incomplete", given=row.given,
                                            expected=row.expected)  # fmt: skip
    return t("df-rank-line", rank=row.rank, team=name, mean=f"{row.mean:.2f}") + incomplete


def _extras(t: Translator, view: OfficeView, team_id: int) -> str:
    """The number of the jurors' comments and the office's marks on a ranking line."""
    extra = ""
    if view.comments.get(team_id):
        extra += t("df-rank-comments", count=view.comments[team_id])
    if view.marks.get(team_id):
        extra += t("df-rank-marks", marks=", ".join(_mark_name(t, m) for m in view.marks[team_id]))
    return extra


def _mark_name(t: Translator, mark: str) -> str:
    return t(f"df-mark-{mark.replace('_', '-')}")


def _mark_buttons(t: Translator, team_id: int, name: str, marks: tuple[str, ...]) -> list[Button]:
    return [
        _do(
            t(
                "df-btn-mark",
                team=name,
                state="✓ " if mark in marks else "",
                mark=_mark_name(t, mark),
            ),
            DefenceVerb.MARK,
            team=team_id,
            value=n,
        )
        for n, mark in enumerate(MARKS, start=1)
    ]


def reviews_screen(t: Translator, reviews: tuple[TeamReviews, ...]) -> Screen:
    lines = [t("df-reviews-title")]
    for item in reviews:
        lines.append(t("df-reviews-team", team=item.team))
        lines += [t("df-reviews-line", author=a, text=text) for a, text in item.comments]
    if not reviews:
        lines.append(t("df-reviews-empty"))
    return Screen("\n".join(lines), [[_do(t("df-btn-back"), DefenceVerb.OVERVIEW)]])


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
    """«Опубликовать» asks first (what goes out, to how many, who waits for the morning);
    «Да, опубликовать» (value 1) publishes, once: the confirmation becomes the outcome."""
    if not action.value:
        found = await turn.services.defence.publish_preview(turn.me)
        if found.published:
            await turn.chat.notice(turn.t("df-publish-again"), alert=True)
            return
        await turn.chat.notice()
        await turn.chat.show(confirm_screen(turn.t, found))
        return
    outcome = await turn.services.defence.publish(turn.me)
    if not outcome.first_time:
        await turn.chat.notice(turn.t("df-publish-again"), alert=True)
        return
    await turn.chat.notice()
    text = turn.t("df-published", sent=outcome.sent)
    if outcome.waiting:
        text += "\n" + turn.t("df-published-waiting", waiting=outcome.waiting)
    await turn.chat.redraw(Screen(text))


def confirm_screen(t: Translator, found: PublishPreview) -> Screen:
    lines = [
        t("df-publish-confirm", teams=found.teams, unscored=found.unscored,
          incomplete=found.incomplete, recipients=found.recipients),
    ]  # fmt: skip
    if found.open_sessions:
        lines.append(t("df-publish-confirm-open", sessions=found.open_sessions))
    if found.waiting:
        lines.append(t("df-publish-confirm-waiting", waiting=found.waiting))
    rows: Keyboard = [
        [_do(t("df-btn-publish-yes"), DefenceVerb.PUBLISH, value=1)],
        [_do(t("df-btn-publish-no"), DefenceVerb.OVERVIEW)],
    ]
    return Screen("\n".join(lines), rows)


async def reviews(turn: Turn, action: DefenceAction) -> None:
    found = await turn.services.defence_feedback.reviews(turn.me)
    await turn.chat.notice()
    await turn.chat.show(reviews_screen(turn.t, found))


async def mark(turn: Turn, action: DefenceAction) -> None:
    view = await turn.services.defence_feedback.toggle_mark(turn.me, action.team, action.value)
    await turn.chat.notice(turn.t("df-mark-saved"))
    await turn.chat.redraw(office_screen(turn.t, view))


COMMENT = "defence:comment"


async def ask_comment(turn: Turn, action: DefenceAction) -> None:
    name = await turn.services.defence_feedback.comment_target(turn.me, action.session, action.team)
    await turn.cursor.set_state(COMMENT)
    await turn.cursor.set_data({"session": action.session, "team": action.team})
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("df-comment-ask", team=name)))


async def comment(turn: Turn, given: Input) -> None:
    """The text sent after «Комментарий»: the juror's comment on that team (re-checked)."""
    if given.kind != "text" or not given.text:
        raise InvalidInput("df-comment-empty")
    data = await turn.cursor.get_data()
    session, team = int(data.get("session", 0)), int(data.get("team", 0))
    try:
        name = await turn.services.defence_feedback.comment(turn.me, session, team, given.text)
    except NotAllowed:
        await turn.cursor.clear()
        raise
    await turn.cursor.clear()
    back = _do(turn.t("df-btn-back"), DefenceVerb.CARD, session=session, team=team)
    await turn.chat.show(Screen(turn.t("df-comment-saved", team=name), [[back]]))


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
    states={PRESENTATION: presentation, COMMENT: comment},
    actions={
        DefenceVerb.JURY_LIST: jury_list,
        DefenceVerb.CARD: open_card,
        DefenceVerb.SCORE: score,
        DefenceVerb.OVERVIEW: overview,
        DefenceVerb.CLOSE: close,
        DefenceVerb.PUBLISH: publish,
        DefenceVerb.COMMENT: ask_comment,
        DefenceVerb.REVIEWS: reviews,
        DefenceVerb.MARK: mark,
    },
)
