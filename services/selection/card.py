"""The application card: what a reviewer (or the office) reads and presses. The whole application
in the questionnaire's order (name first, each question with its full text, long answers whole),
then a panel with the criteria named in full, the scores, the comment, the recommendation and
short buttons («К1: 4»).

A long card is split into several messages at paragraph or line boundaries (services.text_fit);
the panel always ends the last one and carries the buttons. The body is split the same way
whatever the panel holds (room is kept for the largest panel), so redrawing the pressed last
message after a score never moves text between messages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from services.actions import OfficeAction, OfficeVerb, ReviewAction, ReviewVerb
from services.domain import Decision, Recommendation, Role
from services.i18n import Translator
from services.notify import Button, Keyboard
from services.text_fit import MESSAGE_LIMIT, split_text

COMMENT_LIMIT = 1000
RECOMMENDATIONS = (Recommendation.ACCEPT, Recommendation.WAITLIST, Recommendation.REJECT)
DECISIONS = (Decision.ACCEPTED, Decision.WAITLISTED, Decision.REJECTED)
SCORES_PER_ROW = 6  # Telegram shows at most 8 buttons in a row; 0–5 fit in one
BUTTON_TEXT_LIMIT = 60


class ReviewProgress(enum.StrEnum):
    """How far one reviewer scored one application: only a complete review counts."""

    NONE = "none"
    PARTIAL = "partial"
    COMPLETE = "complete"


@dataclass(frozen=True)
class CriterionLine:
    id: int
    title: str
    weight: float
    max_score: int
    mine: int | None


@dataclass(frozen=True)
class CardAnswer:
    label: str
    value: str
    block: bool  # free text: shown whole under its label, not after a colon


@dataclass(frozen=True)
class ReviewerNote:
    """One reviewer's review as the office sees it (no names: the office judges the content)."""

    progress: ReviewProgress
    scored: int  # criteria scored
    score: float | None  # their weighted mean, once complete
    recommendation: Recommendation | None
    comment: str | None


@dataclass(frozen=True)
class CardView:
    application_id: int
    number: str
    role: Role | None
    name: str | None
    answers: tuple[CardAnswer, ...]  # in the questionnaire's order, the name left out
    ranking: tuple[tuple[int, str], ...]  # idea id, title, first choice first
    criteria: tuple[CriterionLine, ...]
    combined: float | None  # over complete reviews only
    reviewers: int  # complete reviews
    incomplete: int  # reviews that do not count yet
    my_comment: str | None
    my_recommendation: Recommendation | None
    decision: Decision | None
    decided_idea: str | None
    decided_idea_id: int | None
    decision_stamp: str | None  # what the office's undo button names (services.selection.decisions)
    published: bool  # the season's results (for the office: no undo after publication)
    can_score: bool
    office: bool  # the viewer is the office: every reviewer's review is shown
    for_office: bool  # drawn for the office's decision, not for scoring
    notes: tuple[ReviewerNote, ...]

    @property
    def my_progress(self) -> ReviewProgress:
        scored = sum(1 for c in self.criteria if c.mine is not None)
        if scored == 0:
            return ReviewProgress.NONE
        return ReviewProgress.COMPLETE if scored == len(self.criteria) else ReviewProgress.PARTIAL


@dataclass(frozen=True)
class CardPart:
    text: str
    buttons: Keyboard | None = None


def clip(text: str, limit: int = BUTTON_TEXT_LIMIT) -> str:
    """A label that must stay short (a button): cut at a word boundary and marked with «…»."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,.;:—-") + "…"


def _score(value: float) -> str:
    return f"{value:.2f}"


def _role(view: CardView, t: Translator) -> str:
    return t(f"sel-role-{view.role.value if view.role else 'none'}")


def _body(view: CardView, t: Translator) -> str:
    """The application itself: it does not change while the card is redrawn."""
    blocks = [t("sel-card-title", name=view.name or "—", number=view.number, role=_role(view, t))]
    inline: list[str] = []
    for answer in view.answers:
        if answer.block:
            if inline:
                blocks.append("\n".join(inline))
                inline = []
            label = answer.label
            if not label.endswith(("?", ".", ":", "!")):
                label += ":"
            blocks.append(f"{label}\n{answer.value}")
        else:
            inline.append(f"{answer.label}: {answer.value}")
    if inline:
        blocks.append("\n".join(inline))
    ranking = [t("sel-card-ranking")]
    ranking += [f"{n}. {title}" for n, (_, title) in enumerate(view.ranking, start=1)]
    blocks.append("\n".join(ranking))
    if view.office and view.notes:
        notes = [t("sel-card-notes")]
        for note in view.notes:
            if note.progress is ReviewProgress.COMPLETE and note.score is not None:
                state = t("sel-note-complete", score=_score(note.score))
            else:
                state = t("sel-note-incomplete", scored=note.scored, total=len(view.criteria))
            rec = t(f"sel-rec-{note.recommendation.value}") if note.recommendation else None
            line = t("sel-card-note", state=state, rec=rec or t("sel-rec-none"))
            notes.append(f"{line}: {note.comment}" if note.comment else line)
        blocks.append("\n".join(notes))
    return "\n\n".join(blocks)


def _panel(view: CardView, t: Translator) -> str:
    """What changes with every press: the criteria and scores, the verdicts."""
    lines = []
    if view.for_office:
        lines.append(t("sel-card-criteria"))
    else:
        lines.append(t("sel-card-scores"))
    for n, criterion in enumerate(view.criteria, start=1):
        mine = t("sel-card-unscored") if criterion.mine is None else str(criterion.mine)
        key = "sel-card-criterion-office" if view.for_office else "sel-card-criterion"
        lines.append(t(key, n=n, title=criterion.title, weight=f"{criterion.weight:g}", score=mine))
    if not view.for_office and view.my_progress is ReviewProgress.PARTIAL:
        scored = sum(1 for c in view.criteria if c.mine is not None)
        lines.append(t("sel-card-my-partial", scored=scored, total=len(view.criteria)))
    if view.combined is None:
        lines.append(t("sel-card-no-score"))
    else:
        lines.append(t("sel-card-combined", score=_score(view.combined), reviewers=view.reviewers))
    if view.incomplete:
        lines.append(t("sel-card-incomplete", count=view.incomplete))
    if not view.for_office:
        if view.my_comment:
            lines.append(t("sel-card-my-comment", comment=view.my_comment))
        if view.my_recommendation:
            lines.append(t("sel-card-my-rec", rec=t(f"sel-rec-{view.my_recommendation.value}")))
        if view.can_score and view.my_recommendation is None:
            lines.append(t("sel-card-how", last=len(view.criteria)))
    if view.decision is not None:
        decision = t(f"sel-decision-{view.decision.value}", idea=view.decided_idea or "—")
        lines.append(t("sel-card-decided", decision=decision))
    return "\n".join(lines)


def _largest_panel(view: CardView, t: Translator) -> int:
    """The longest the panel can get for this application, so the body's split never depends
    on what the panel holds at the moment."""
    longest_idea = max((title for _, title in view.ranking), key=len, default="—")
    longest_rec = max(RECOMMENDATIONS, key=lambda r: len(t(f"sel-rec-{r.value}")))
    worst = replace(
        view,
        criteria=tuple(replace(c, mine=None) for c in view.criteria),
        combined=5.0,
        reviewers=999,
        incomplete=999,
        my_comment="x" * COMMENT_LIMIT,
        my_recommendation=None,
        decision=Decision.ACCEPTED,
        decided_idea=longest_idea,
        can_score=True,
    )
    # Unscored criteria print «—», wider than a digit. Lines that never show together are all
    # counted: the partial-review line, the recommendation and the how-to line.
    total = len(view.criteria)
    extra = len(t("sel-card-my-partial", scored=total, total=total)) + 1
    extra += len(t("sel-card-my-rec", rec=t(f"sel-rec-{longest_rec.value}"))) + 1
    return len(_panel(worst, t)) + len(_panel_header(view, t)) + extra + 64


def _panel_header(view: CardView, t: Translator) -> str:
    return t("sel-card-panel-of", number=view.number, name=view.name or "—")


def card_parts(view: CardView, t: Translator) -> list[CardPart]:
    """The card as the messages to send, in order; the buttons go on the last one."""
    body = split_text(_body(view, t), MESSAGE_LIMIT)
    panel = _panel(view, t)
    if len(body[-1]) + 2 + _largest_panel(view, t) <= MESSAGE_LIMIT:
        texts = [*body[:-1], f"{body[-1]}\n\n{panel}"]
    else:
        # The panel gets its own message, which says whose application it is.
        texts = [*body, *split_text(f"{_panel_header(view, t)}\n\n{panel}", MESSAGE_LIMIT)]
    buttons = office_buttons(view, t) if view.for_office else review_buttons(view, t)
    parts = [CardPart(text) for text in texts]
    parts[-1] = CardPart(texts[-1], buttons or None)
    return parts


def _review(text: str, verb: ReviewVerb, **fields: int) -> Button:
    return Button.doing(text, ReviewAction(verb=verb, **fields))


def _office(text: str, verb: OfficeVerb, **fields: int | str) -> Button:
    return Button.doing(text, OfficeAction.model_validate({"verb": verb, **fields}))


def review_buttons(view: CardView, t: Translator) -> Keyboard:
    """Scores per criterion («К1: 0» … «К1: 5»), a comment, the recommendation and, once it is
    given, the next application of the reviewer's queue."""
    if not view.can_score:
        return []
    app = view.application_id
    rows: Keyboard = []
    for n, criterion in enumerate(view.criteria, start=1):
        row = []
        for value in range(criterion.max_score + 1):
            key = "sel-btn-score-mine" if criterion.mine == value else "sel-btn-score"
            row.append(
                _review(
                    t(key, n=n, v=value),
                    ReviewVerb.SCORE,
                    application=app,
                    criterion=criterion.id,
                    value=value,
                )
            )
        rows += [row[i : i + SCORES_PER_ROW] for i in range(0, len(row), SCORES_PER_ROW)]
    rows.append([_review(t("sel-btn-comment"), ReviewVerb.ASK_COMMENT, application=app)])
    rows.append(
        [
            _review(
                ("✅ " if view.my_recommendation is rec else "") + t(f"sel-btn-rec-{rec.value}"),
                ReviewVerb.RECOMMEND,
                application=app,
                value=index,
            )
            for index, rec in enumerate(RECOMMENDATIONS)
        ]
    )
    if view.my_recommendation is not None:
        rows.append(
            [_review(t("sel-btn-next-application"), ReviewVerb.NEXT_APPLICATION, application=app)]
        )
    return rows


def office_buttons(view: CardView, t: Translator) -> Keyboard:
    """Accept into one of the ranked ideas, waitlist or reject; once decided, undo (until the
    results are published)."""
    app = view.application_id
    rows: Keyboard = []
    if view.decision is None:
        rows += [
            [
                _office(
                    clip(t("sel-btn-accept-to", idea=title)),
                    OfficeVerb.DECIDE,
                    application=app,
                    decision=0,
                    idea=idea_id,
                )
            ]
            for idea_id, title in view.ranking
        ]
        rows.append(
            [
                _office(t("sel-btn-waitlist"), OfficeVerb.DECIDE, application=app, decision=1),
                _office(t("sel-btn-reject"), OfficeVerb.DECIDE, application=app, decision=2),
            ]
        )
    elif not view.published and view.decision_stamp is not None:
        rows.append(
            [
                _office(
                    t("sel-btn-undo"),
                    OfficeVerb.UNDO,
                    application=app,
                    decision=DECISIONS.index(view.decision),
                    idea=view.decided_idea_id or 0,
                    stamp=view.decision_stamp,
                )
            ]
        )
    rows.append([_office(t("sel-btn-overview"), OfficeVerb.OVERVIEW)])
    return rows
