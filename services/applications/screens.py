"""The screens of the questionnaire: the next-step rule, a step's view and the review."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.applications.base import ApplicationBase
from services.applications.views import (
    IDEAS_PER_PAGE,
    MAX_IDEAS,
    MUNICIPALITY_BUTTONS,
    Context,
    Exit,
    IdeasPage,
    Outcome,
    Problem,
    ReviewRow,
    ReviewView,
    Shown,
    StepView,
)
from services.domain import ConsentKind
from services.questionnaire import (
    FIXED_STEPS,
    MB,
    MEDIA_DURATION_LIMITS,
    MEDIA_SIZE_LIMITS,
    PRESENTATION_TEXT,
    Step,
    StepKind,
    age_range,
    grade_range,
    group_args,
    index_of,
    next_step,
    previous_step,
    resume_point,
)
from services.seasons import SeasonConfig


class Screens(ApplicationBase):
    """Which screen comes next, and what it shows: a step or the review."""

    async def _after(
        self, context: Context, step: Step, editing: bool, saved: Shown | None = None
    ) -> Outcome:
        """The next-step rule: forward to the first unanswered step; from an edit back to the
        review (via whatever the edit left unanswered)."""
        following = (
            resume_point(context.steps, context.answers)
            if editing
            else next_step(context.steps, context.answers, step.code)
        )
        if following is None:
            return await self._review(context)
        return await self._view(context, following, editing, saved=saved)

    async def _resume(self, context: Context, *, editing: bool) -> Outcome:
        step = resume_point(context.steps, context.answers)
        if step is None:
            return await self._review(context)
        return await self._view(context, step, editing)

    async def _view(
        self,
        context: Context,
        step: Step,
        editing: bool,
        *,
        problem: Problem | None = None,
        options: tuple[tuple[int, str], ...] = (),
        page: int = 0,
        picked: list[int] | None = None,
        saved: Shown | None = None,
        exits: tuple[Exit, ...] = (),
    ) -> StepView:
        config, answers = context.config, context.answers
        ideas = None
        if step.kind is StepKind.MUNICIPALITY:
            prompt: dict[str, Any] = {"count": len(config.municipalities)}
            if not options and len(config.municipalities) <= MUNICIPALITY_BUTTONS:
                options = config.municipalities
        elif step.kind is StepKind.IDEAS:
            if picked is None:
                picked = await self.uow.applications.preferences(context.application.id)
            ideas = self._ideas_page(config, picked, page)
            prompt = {"max": MAX_IDEAS, "picked": len(picked)}
        else:
            prompt = _prompt(context, step)
        number = index_of(context.steps, step.code) + 1
        can_back = editing or previous_step(context.steps, answers, step.code) is not None
        current = (
            self._shown(context, step.code, answers[step.code]) if step.code in answers else None
        )
        return StepView(
            application_id=context.application.id,
            step=step,
            number=number,
            total=len(context.steps),
            prompt=prompt,
            current=current,
            can_back=can_back,
            editing=editing,
            problem=problem,
            options=options,
            ideas=ideas,
            saved=saved,
            exits=exits,
        )

    @staticmethod
    def _ideas_page(config: SeasonConfig, picked: list[int], page: int) -> IdeasPage:
        pages = max(1, -(-len(config.ideas) // IDEAS_PER_PAGE))
        page = min(max(page, 0), pages - 1)
        chunk = config.ideas[page * IDEAS_PER_PAGE : (page + 1) * IDEAS_PER_PAGE]
        ranks = {idea_id: rank for rank, idea_id in enumerate(picked, start=1)}
        chosen = tuple(idea for i in picked if (idea := config.idea(i)) is not None)
        return IdeasPage(page, pages, tuple((idea, ranks.get(idea.id)) for idea in chunk), chosen)

    def _shown(self, context: Context, step: str, value: str | None) -> Shown:
        config = context.config
        if value is None:
            return Shown(key="apply-skipped")
        if step in ("role", "rep_relation", "edu_type"):
            return Shown(key=f"apply-choice-{step}-{value}")
        if step == "age_group":
            return Shown(key=f"apply-choice-age_group-{value}", args=group_args(config))
        if step in ("consent", "rep_consent"):
            return Shown(key="apply-consent-shown", args={"version": value})
        if step == "birth_date":
            return Shown(text=date.fromisoformat(value).strftime("%d.%m.%Y"))
        if step == "municipality":
            return Shown(text=config.municipality(int(value)) or "—")
        if step == "grade":
            kind_name, _, _ = grade_range(context.application.role, context.answers.get("edu_type"))
            return Shown(key="apply-grade-shown", args={"kind": kind_name, "n": int(value)})
        if step == "presentation":
            return Shown(key="apply-media-shown", args={"kind": value})
        if step == "ideas":
            titles = [
                f"{rank}. {idea.title}"
                for rank, code in enumerate(value.split(","), start=1)
                if (idea := next((i for i in config.ideas if i.code == code), None)) is not None
            ]
            return Shown(text="; ".join(titles) or "—")
        step_def = next((s for s in context.steps if s.code == step), None)
        if step_def is not None and step_def.kind is StepKind.SCALE:
            return Shown(key="apply-scale-shown", args={"n": int(value)})
        return Shown(text=value)

    async def _review(self, context: Context) -> ReviewView:
        editable = self._editable(context)
        rows = tuple(
            ReviewRow(
                step.code,
                self._shown(context, step.code, context.answers[step.code])
                if step.code in context.answers
                else Shown(key="apply-unanswered"),
                editable and step.code not in FIXED_STEPS,
            )
            for step in context.steps
        )
        return ReviewView(
            application_id=context.application.id,
            status=context.application.status,
            number=context.application.number,
            rows=rows,
            editable=editable,
            complete=resume_point(context.steps, context.answers) is None,
            reason=None if editable else self._read_only_reason(context),
        )


def _prompt(context: Context, step: Step) -> dict[str, Any]:
    """The arguments of a step's question (the municipality and ideas steps have their own)."""
    config, answers = context.config, context.answers
    role = context.application.role
    if step.kind is StepKind.CONFIRM:
        kind = ConsentKind.APPLICANT if step.code == "consent" else ConsentKind.REPRESENTATIVE
        text = config.consent_texts.get(kind)
        return {
            "text": text.text if text else "",
            "version": text.version if text else "",
            "name": answers.get("rep_name") or "",
        }
    if step.code == "age_group":
        return group_args(config)
    if step.code == "birth_date" and role is not None:
        low, high = age_range(config, role)
        return {"role": role.value, "low": low, "high": high if high is not None else "none"}
    if step.code in ("institution", "grade"):
        kind_name, low, high = grade_range(role, answers.get("edu_type"))
        return {"kind": kind_name, "low": low, "high": high}
    if step.code == "about":
        return {"low": step.min_length, "high": step.max_length}
    if step.code == "presentation":
        return {
            "low": PRESENTATION_TEXT[0],
            "high": PRESENTATION_TEXT[1],
            "video": MEDIA_SIZE_LIMITS["video"] // MB,
            "minutes": MEDIA_DURATION_LIMITS["video"] // 60,
            "document": MEDIA_SIZE_LIMITS["document"] // MB,
        }
    if step.question is not None:
        return {
            "question": step.question.text,
            "kind": step.question.kind.value,
            "low": step.min_length,
            "high": step.max_length,
        }
    return {}
