"""The application's screens: a questionnaire step, the review, /status and /privacy, drawn from
the views of services.applications. Pure functions of a view and the person's language."""

from __future__ import annotations

from typing import Any

from dialogs.screen import Button, Key, Keyboard, Screen, doing, rows_of
from services.actions import (
    ApplyAction,
    ApplyVerb,
    PaperAction,
    PaperVerb,
    ParentAction,
    ParentVerb,
)
from services.applications import (
    ConsentRecord,
    PrivacyView,
    ReviewView,
    Shown,
    StatusView,
    StepView,
)
from services.i18n import Translator
from services.questionnaire import StepKind

REVIEW_VALUE_LIMIT = 160
CURRENT_VALUE_LIMIT = 300
IDEA_TITLE_LIMIT = 40
# Steps whose current value is not repeated under the prompt: a consent is a button, the ideas
# are the list itself.
NO_CURRENT_VALUE = (StepKind.CONFIRM, StepKind.IDEAS, StepKind.PARENT)


def shown(t: Translator, value: Shown) -> str:
    if value.key is not None:
        return t(value.key, **value.args)
    return value.text or ""


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(t: Translator, questions: dict[str, int], step: str) -> str:
    if step.startswith("q-"):
        return t("apply-label-question", n=questions.get(step, 0))
    return t(f"apply-label-{step}")


def _do(text: str, verb: ApplyVerb, **fields: Any) -> Button:
    return doing(text, ApplyAction(verb=verb, **fields))


# --- a questionnaire step ---------------------------------------------------------------------


def step_screen(t: Translator, view: StepView) -> Screen:
    """The prompt of a step with whatever answers it: buttons for a choice, a scale, a consent,
    the municipalities or the ideas; a contact key for the phone; Back, Skip and Keep."""
    parts = _step_header(t, view)
    rows: Keyboard = []
    if view.step.kind is StepKind.IDEAS and view.ideas is not None:
        ideas_text, rows = _ideas(t, view)
        parts += ideas_text
    else:
        rows = _answer_buttons(t, view)
    text = "\n\n".join(parts)
    if view.step.code == "phone":
        return Screen(text, keys=_phone_keys(t, view))
    return Screen(text, [*rows, _exits(t, view), _step_moves(t, view)])


def _step_header(t: Translator, view: StepView) -> list[str]:
    parts = []
    if view.problem is not None:
        parts.append(t(view.problem.key, **view.problem.args))
    if view.exits:
        parts.append(t("apply-way-forward", way=view.exits[0]))
    parts.append(t("apply-progress", n=view.number, total=view.total))
    if view.editing:
        parts.append(t("apply-editing"))
    parts.append(t(view.step.prompt_key, **view.prompt))
    if view.current is not None and view.step.kind not in NO_CURRENT_VALUE:
        parts.append(t("apply-current", value=short(shown(t, view.current), CURRENT_VALUE_LIMIT)))
    return parts


def _answer_buttons(t: Translator, view: StepView) -> Keyboard:
    step, app = view.step, view.application_id
    if step.kind is StepKind.CHOICE:
        return [
            [
                _do(
                    t(f"apply-choice-{step.code}-{value}", **view.prompt),
                    ApplyVerb.CHOOSE,
                    application=app,
                    step=step.code,
                    choice=value,
                )
            ]
            for value in step.choices
        ]
    if step.kind is StepKind.CONFIRM:
        return [[_do(t("apply-btn-agree"), ApplyVerb.CONFIRM, application=app, step=step.code)]]
    if step.kind is StepKind.PARENT:
        return [
            [doing(t("apply-btn-parent-link"), ParentAction(verb=ParentVerb.LINK))],
            [doing(t("paper-btn-start"), PaperAction(verb=PaperVerb.START))],
            [_do(t("apply-btn-parent-check"), ApplyVerb.CONFIRM, application=app, step=step.code)],
        ]
    if step.kind is StepKind.SCALE:
        marks = [
            _do(str(n), ApplyVerb.CHOOSE, application=app, step=step.code, choice=str(n))
            for n in range(1, 6)
        ]
        return [marks]
    if step.kind is StepKind.MUNICIPALITY:
        names = [
            _do(name, ApplyVerb.PICK_MUNICIPALITY, application=app, item=mid)
            for mid, name in view.options
        ]
        return rows_of(names, 2)
    return []


def _ideas(t: Translator, view: StepView) -> tuple[list[str], Keyboard]:
    """One page of the ideas: each with its mark (picked, in rank order) and a details button,
    paging, and Done once something is picked."""
    assert view.ideas is not None
    page, app = view.ideas, view.application_id
    parts = [
        t(
            "apply-ideas-page",
            page=page.page + 1,
            pages=page.pages,
            picked=len(page.picked),
            max=view.prompt["max"],
        )
    ]
    rows: Keyboard = []
    for idea, rank in page.items:
        mark = f"✅ {rank}" if rank else "▫️"
        direction = f" ({idea.direction})" if idea.direction else ""
        parts.append(f"{mark} {idea.title}{direction}\n{idea.short}")
        toggle = _do(
            f"{mark} {short(idea.title, IDEA_TITLE_LIMIT)}",
            ApplyVerb.TOGGLE_IDEA,
            application=app,
            item=idea.id,
            page=page.page,
        )
        rows.append([toggle, _do("ℹ️", ApplyVerb.IDEA_DETAILS, application=app, item=idea.id)])
    if page.picked:
        listing = "; ".join(f"{n}. {idea.title}" for n, idea in enumerate(page.picked, 1))
        parts.append(t("apply-ideas-picked", list=listing))
    paging = []
    if page.page > 0:
        paging.append(
            _do(t("apply-btn-prev"), ApplyVerb.IDEAS_PAGE, application=app, page=page.page - 1)
        )
    if page.page < page.pages - 1:
        paging.append(
            _do(t("apply-btn-next"), ApplyVerb.IDEAS_PAGE, application=app, page=page.page + 1)
        )
    rows.append(paging)
    if page.picked:
        rows.append([_do(t("apply-btn-done"), ApplyVerb.IDEAS_DONE, application=app)])
    return parts, rows


def _phone_keys(t: Translator, view: StepView) -> list[list[Key]]:
    """The phone is shared with a key under the input field (only such a key can share the
    person's own contact); Keep and Back are keys there too, typed back as their text."""
    keys = [[Key(t("apply-btn-share-contact"), share_contact=True)]]
    if view.current is not None:
        keys.append([Key(t("apply-btn-keep"))])
    if view.can_back:
        keys.append([Key(t("apply-btn-back"))])
    return keys


def _exits(t: Translator, view: StepView) -> list[Button]:
    """A refusal's ways forward: start over, or change the role or the age group."""
    app = view.application_id
    return [
        _do(t("apply-btn-restart"), ApplyVerb.ASK_RESTART, application=app)
        if way == "restart"
        else _do(t(f"apply-btn-change-{way}"), ApplyVerb.CHANGE_PATH, application=app, step=way)
        for way in view.exits
    ]


def _step_moves(t: Translator, view: StepView) -> list[Button]:
    step, app = view.step, view.application_id
    moves = []
    if view.can_back:
        moves.append(_do(t("apply-btn-back"), ApplyVerb.BACK, application=app, step=step.code))
    if step.optional:
        # The parent's step is left only for now: submitting waits for the parent.
        skip = "apply-btn-parent-later" if step.kind is StepKind.PARENT else "apply-btn-skip"
        moves.append(_do(t(skip), ApplyVerb.SKIP, application=app, step=step.code))
    if view.current is not None and step.kind not in NO_CURRENT_VALUE:
        moves.append(_do(t("apply-btn-keep"), ApplyVerb.KEEP, application=app, step=step.code))
    return moves


# --- the review, /status, /privacy ------------------------------------------------------------


def review_screen(t: Translator, view: ReviewView) -> Screen:
    """Every answer in order, an edit button per editable answer, Submit when complete."""
    questions = {
        row.step: n
        for n, row in enumerate((r for r in view.rows if r.step.startswith("q-")), start=1)
    }
    parts = [t("apply-review-title", status=view.status.value, number=view.number or "")]
    lines = [
        f"{_label(t, questions, row.step)}: {short(shown(t, row.value), REVIEW_VALUE_LIMIT)}"
        for row in view.rows
    ]
    parts.append("\n".join(lines))
    rows: Keyboard = []
    if view.editable:
        parts.append(t("apply-review-edit-hint"))
        edits = [
            _do(
                t("apply-btn-edit", label=_label(t, questions, row.step)),
                ApplyVerb.EDIT_FROM_REVIEW,
                application=view.application_id,
                step=row.step,
            )
            for row in view.rows
            if row.editable
        ]
        rows += rows_of(edits, 2)
        if view.status.value == "draft" and view.complete:
            rows.append(
                [_do(t("apply-btn-submit"), ApplyVerb.SUBMIT, application=view.application_id)]
            )
    elif view.reason is not None:
        parts.append(t("apply-review-read-only", reason=view.reason))
    return Screen("\n\n".join(parts), rows)


def status_screen(t: Translator, view: StatusView) -> Screen:
    status = view.status.value if view.status is not None else "none"
    done, total = view.progress or (0, 0)
    parts = [
        t(
            "apply-status",
            status=status,
            season=view.season,
            number=view.number or "",
            done=done,
            total=total,
            idea=view.idea or "—",
        )
    ]
    if view.window_open and view.closes:
        parts.append(t("apply-status-window", closes=view.closes))
    rows: Keyboard = []
    if view.application_id is not None and view.window_open:
        rows.append([_do(t("apply-btn-open"), ApplyVerb.OPEN)])
    if view.can_withdraw and view.application_id is not None:
        withdraw = _do(
            t("apply-btn-withdraw"), ApplyVerb.ASK_WITHDRAW, application=view.application_id
        )
        rows.append([withdraw])
    return Screen("\n\n".join(parts), rows)


def _consent_line(t: Translator, record: ConsentRecord) -> str:
    """One consent with exactly what its record keeps: who gave it, which text, when."""
    line = t(
        "apply-privacy-consent", kind=record.kind.value, version=record.version, when=record.given
    )
    if record.representative:
        who = record.representative
        if record.relation:
            relation = t(f"apply-choice-rep_relation-{record.relation}")
            who = t("apply-privacy-who", name=who, relation=relation)
        line = t("apply-privacy-given-by", line=line, who=who)
    if record.withdrawn:
        line = t("apply-privacy-consent-withdrawn", line=line, withdrawn=record.withdrawn)
    return line


def privacy_screen(t: Translator, view: PrivacyView) -> Screen:
    if not view.has_data:
        if view.withdrawn:
            kept = "\n".join(_consent_line(t, record) for record in view.withdrawn)
            return Screen(t("apply-privacy-withdrawn", list=kept))
        return Screen(t("apply-privacy-none"))
    listing = "\n".join(_consent_line(t, record) for record in view.consents)
    withdraw = _do(t("apply-btn-privacy-withdraw"), ApplyVerb.ASK_WITHDRAW_CONSENT)
    return Screen(t("apply-privacy", list=listing or "—"), [[withdraw]])


def question_screen(t: Translator, question: str, yes: str, action: ApplyAction) -> Screen:
    """A question before an action that cannot be undone: yes, or changed my mind."""
    return Screen(
        t(question),
        [
            [_do(t(yes), action.verb, application=action.application)],
            [_do(t("apply-btn-no"), ApplyVerb.CHANGED_MIND)],
        ],
    )
