"""The office's selection screens: the overview of the ideas, one idea's ranking, the previews
of "accept the top N" and of publication, the publication's report. Pure functions of a view
of services.selection and the person's language."""

from __future__ import annotations

from dialogs.screen import Button, Keyboard, Screen, doing
from services.actions import OfficeAction, OfficeVerb
from services.domain import Decision
from services.i18n import Translator
from services.selection import (
    IdeaRanking,
    Overview,
    PublishOutcome,
    PublishPreview,
    RankedRow,
    TopPlan,
)
from services.selection.card import clip

ROWS_SHOWN = 40


def _do(text: str, verb: OfficeVerb, **fields: int | str) -> Button:
    return doing(text, OfficeAction.model_validate({"verb": verb, **fields}))


def overview_screen(t: Translator, view: Overview) -> Screen:
    """Every idea with its places taken; before publication, the top N and publishing."""
    lines = [t("sel-office-title", applications=view.applications, undecided=view.undecided)]
    if view.published:
        accepted, waitlisted, rejected = view.results
        lines.append(
            t(
                "sel-office-published",
                accepted=accepted, waitlisted=waitlisted, rejected=rejected,
            )
        )  # fmt: skip
    rows: Keyboard = []
    for n, idea in enumerate(view.ideas, start=1):
        lines.append(
            t(
                "sel-office-idea", n=n, title=idea.title,
                s_ranked=idea.students[0], s_accepted=idea.students[1], s_capacity=idea.students[2],
                t_ranked=idea.tutors[0], t_accepted=idea.tutors[1], t_capacity=idea.tutors[2],
            )
        )  # fmt: skip
        rows.append([_do(clip(f"{n}. {idea.title}"), OfficeVerb.IDEA_RANKING, idea=idea.id)])
    lines.append(t("sel-office-hint"))
    if not view.published:
        rows.append([_do(t("sel-btn-top"), OfficeVerb.PREVIEW_TOP)])
        rows.append([_do(t("sel-btn-publish"), OfficeVerb.PREVIEW_PUBLISH)])
    return Screen("\n".join(lines), rows)


def _row_text(t: Translator, n: int, row: RankedRow) -> str:
    decision = ""
    if row.decision is not None:
        key = row.decision.value
        if row.decision is Decision.ACCEPTED and not row.here:
            key = "accepted-elsewhere"
        decision = " " + t("sel-idea-decision", decision=key)
    score = t("sel-idea-no-score") if row.score is None else f"{row.score:.2f}"
    incomplete = t("sel-idea-incomplete", count=row.incomplete) if row.incomplete else ""
    return t(
        "sel-idea-row", n=n, number=row.number, score=score, reviewers=row.reviewers,
        rank=row.rank, incomplete=incomplete, decision=decision,
    )  # fmt: skip


def idea_screen(t: Translator, view: IdeaRanking) -> Screen:
    """One idea's students and tutors ranked by combined score, a card button per applicant."""
    lines = [t("sel-idea-title", title=view.title, students=view.capacity[0],
               tutors=view.capacity[1])]  # fmt: skip
    rows: Keyboard = []
    for heading, group in (("sel-idea-students", view.students), ("sel-idea-tutors", view.tutors)):
        lines += ["", t(heading)]
        if not group:
            lines.append(t("sel-idea-none"))
        for n, row in enumerate(group[:ROWS_SHOWN], start=1):
            text = _row_text(t, n, row)
            lines.append(text)
            rows.append([_do(clip(text), OfficeVerb.OPEN_CARD, application=row.application_id)])
    rows.append([_do(t("sel-btn-overview"), OfficeVerb.OVERVIEW)])
    return Screen("\n".join(lines), rows)


def _confirm_or_cancel(t: Translator, confirm: OfficeVerb, **fields: int | str) -> Keyboard:
    yes = _do(t("sel-btn-confirm"), confirm, **fields)
    return [[yes, _do(t("sel-btn-cancel"), OfficeVerb.CANCEL)]]


def top_preview_screen(t: Translator, plan: TopPlan) -> Screen:
    """Who "accept the top N" would accept, to confirm (the digest stands for exactly this plan)."""
    lines = [t("sel-top-preview", count=len(plan.lines))]
    lines += [
        t("sel-top-line", number=number, idea=title, rank=rank, score=f"{score:.2f}")
        for number, title, rank, score in plan.lines
    ]
    lines += ["", t("sel-top-rule")]
    return Screen("\n".join(lines), _confirm_or_cancel(t, OfficeVerb.ACCEPT_TOP, stamp=plan.digest))


def publish_preview_screen(t: Translator, view: PublishPreview) -> Screen:
    text = t(
        "sel-publish-preview", accepted=view.accepted, waitlisted=view.waitlisted,
        rejected=view.rejected, undecided=view.undecided,
    )  # fmt: skip
    return Screen(text, _confirm_or_cancel(t, OfficeVerb.PUBLISH))


def published_screen(t: Translator, outcome: PublishOutcome) -> Screen:
    """What publication did: results sent, teams formed, ideas left without a mentor."""
    text = t("sel-publish-done", sent=outcome.sent, teams=outcome.teams)
    if outcome.waiting:
        text += "\n" + t("sel-publish-waiting", waiting=outcome.waiting)
    if outcome.without_mentor:
        text += "\n" + t("sel-publish-no-mentor", ideas=", ".join(outcome.without_mentor))
    return Screen(text)
