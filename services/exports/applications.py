"""The applications export: one row per application (its number, status, role and age group,
every answer of the season's questionnaire including the season's own questions, the ideas in
the order chosen, the office's decision), and a second sheet of reviewers' scores per criterion
with their recommendation and comment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from services.applications import MAX_IDEAS
from services.domain import Role
from services.exports.cells import Pipeline, Sheet, local
from services.exports.context import ExportContext
from services.questionnaire import Step, StepKind, steps_for
from services.questionnaire.display import Facts
from services.questionnaire.steps import STEPS_BY_CODE
from services.seasons import SeasonConfig

# Shown in columns of their own (role, age group) or as the idea columns.
OWN_COLUMNS = frozenset({"role", "age_group", "ideas"})
QUESTION_HEADER_LIMIT = 120
# Answers shown as they were typed (services/questionnaire/display.py shows them so too).
LITERAL = frozenset(
    {StepKind.TEXT, StepKind.NAME, StepKind.PHONE, StepKind.EMAIL, StepKind.LEADER_ID,
     StepKind.MEO}
)  # fmt: skip


def answer_steps(config: SeasonConfig) -> list[Step]:
    """Every step with an answer to show, the student's path first, then what only tutors
    are asked: the fixed steps and the season's questions."""
    found: dict[str, Step] = {}
    for role in (Role.STUDENT, Role.TUTOR):
        for step in steps_for(config, role):
            if step.code not in OWN_COLUMNS:
                found.setdefault(step.code, step)
    return list(found.values())


def _header(ctx: ExportContext, step: Step, n: int) -> str:
    if step.question is None:
        return ctx.labels(f"apply-label-{step.code}")
    text = " ".join(step.question.text.split())
    if len(text) > QUESTION_HEADER_LIMIT:
        text = text[: QUESTION_HEADER_LIMIT - 1] + "…"
    return ctx.labels("export-col-question", n=n, text=text)


def _headers(ctx: ExportContext, steps: list[Step]) -> list[str]:
    t = ctx.labels
    questions = iter(range(1, len(steps) + 1))
    return [
        t("export-col-number"),
        t("export-col-status"),
        t("export-col-role"),
        t("export-col-age-group"),
        ctx.at(t("export-col-created")),
        ctx.at(t("export-col-submitted")),
        *(_header(ctx, s, next(questions) if s.question else 0) for s in steps),
        *(t("export-col-idea", n=n) for n in range(1, MAX_IDEAS + 1)),
        t("export-col-decision"),
        t("export-col-decision-idea"),
        ctx.at(t("export-col-decided")),
    ]


def _shown(ctx: ExportContext, step: Step, value: str | None, facts: Facts) -> str | None:
    if value is None or step.kind in LITERAL:
        return value
    shown = step.shown(value, facts)
    if shown.text is not None:
        return shown.text
    return ctx.labels(shown.key or "", **shown.args)


class _Page:
    """One page of applications with everything about them, fetched in a few queries."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.ids = [row[0] for row in rows]
        self.answers: dict[int, dict[str, str | None]] = defaultdict(dict)
        self.ideas: dict[int, list[str]] = defaultdict(list)
        self.decisions: dict[int, tuple[Any, ...]] = {}

    async def load(self, ctx: ExportContext) -> None:
        repo = ctx.uow.exports
        for app_id, step, value in await repo.answers(self.ids):
            self.answers[app_id][step] = value
        for app_id, _, title in await repo.preferences(self.ids):
            self.ideas[app_id].append(title)
        for app_id, *decision in await repo.decisions(self.ids):
            self.decisions[app_id] = tuple(decision)


def _row(ctx: ExportContext, page: _Page, row: tuple[Any, ...], steps: list[Step]) -> list[Any]:
    app_id, _, number, status, role, created, submitted = row
    t, config = ctx.labels, ctx.config
    assert config is not None
    answers = page.answers.get(app_id, {})
    facts = Facts(config, role, answers)
    group = _shown(ctx, _AGE_GROUP, answers.get("age_group"), facts)
    ideas = page.ideas.get(app_id, [])[:MAX_IDEAS]
    decision, decision_idea, decided = page.decisions.get(app_id, (None, None, None))
    return [
        number,
        t.of("export-status", status),
        t.of("export-role", role),
        group,
        local(created, ctx.zone),
        local(submitted, ctx.zone),
        *(_shown(ctx, step, answers.get(step.code), facts) for step in steps),
        *ideas,
        *([None] * (MAX_IDEAS - len(ideas))),
        t.of("export-decision", decision),
        decision_idea,
        local(decided, ctx.zone),
    ]


_AGE_GROUP = STEPS_BY_CODE["age_group"]


class _Scores:
    """The second sheet: one row per application and reviewer."""

    def __init__(self, ctx: ExportContext, criteria: Sequence[tuple[int, str]]) -> None:
        t = ctx.labels
        self.criteria = [criterion_id for criterion_id, _ in criteria]
        self.sheet = Sheet(
            ctx.workbook,
            t("export-sheet-scores"),
            [
                t("export-col-number"),
                t("apply-label-full_name"),
                t("export-col-reviewer"),
                *(title for _, title in criteria),
                t("export-col-recommendation"),
                t("export-col-comment"),
            ],
        )
        self.names: dict[int, str | None] = {}

    async def rows(
        self, ctx: ExportContext, page: _Page, numbers: dict[int, str | None]
    ) -> list[list[Any]]:
        repo = ctx.uow.exports
        scores: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for app_id, reviewer, criterion, score in await repo.scores(page.ids):
            scores[(app_id, reviewer)][criterion] = score
        notes = {(a, r): (rec, comment) for a, r, rec, comment in await repo.notes(page.ids)}
        pairs = sorted(set(scores) | set(notes))
        missing = {reviewer for _, reviewer in pairs if reviewer not in self.names}
        self.names.update(await repo.names(missing))
        rows = []
        for app_id, reviewer in pairs:
            given = scores.get((app_id, reviewer), {})
            recommendation, comment = notes.get((app_id, reviewer), (None, None))
            rows.append(
                [
                    numbers[app_id],
                    page.answers.get(app_id, {}).get("full_name"),
                    self.names.get(reviewer),
                    *(given.get(criterion) for criterion in self.criteria),
                    ctx.labels.of("export-recommendation", recommendation),
                    comment,
                ]
            )
            ctx.subjects.append((reviewer, None))
        return rows


async def write_applications(ctx: ExportContext) -> int:
    """Both sheets, a page of applications at a time; returns how many applications."""
    assert ctx.config is not None
    steps = answer_steps(ctx.config)
    sheet = Sheet(ctx.workbook, ctx.labels("export-sheet-applications"), _headers(ctx, steps))
    scores = _Scores(ctx, await ctx.uow.exports.criteria(ctx.season_id))
    pipeline = Pipeline()
    after = 0
    try:
        while rows := await ctx.uow.exports.applications(ctx.season_id, after, ctx.page):
            page = _Page(rows)
            await page.load(ctx)
            ctx.subjects.extend((row[1], row[0]) for row in rows)
            reviews = await scores.rows(ctx, page, {row[0]: row[2] for row in rows})
            await pipeline.put(
                (sheet, [_row(ctx, page, row, steps) for row in rows]), (scores.sheet, reviews)
            )
            after = rows[-1][0]
    finally:
        await pipeline.drain()
    return sheet.rows
