"""The screens of the questionnaire: the next-step rule, a step's view and the review."""

from __future__ import annotations

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
from services.questionnaire import (
    Step,
    StepKind,
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
        prompt = step.prompt_args(context.facts)
        if step.kind is StepKind.MUNICIPALITY:
            if not options and len(config.municipalities) <= MUNICIPALITY_BUTTONS:
                options = config.municipalities
        elif step.kind is StepKind.IDEAS:
            if picked is None:
                picked = await self.uow.applications.preferences(context.application.id)
            ideas = self._ideas_page(config, picked, page)
            prompt = {"max": MAX_IDEAS, "picked": len(picked)}
        number = index_of(context.steps, step.code) + 1
        can_back = editing or previous_step(context.steps, answers, step.code) is not None
        current = step.shown(answers[step.code], context.facts) if step.code in answers else None
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

    async def _review(self, context: Context) -> ReviewView:
        editable = self._editable(context)
        rows = tuple(
            ReviewRow(
                step.code,
                step.shown(context.answers[step.code], context.facts)
                if step.code in context.answers
                else Shown(key="apply-unanswered"),
                editable and not step.fixed,
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
