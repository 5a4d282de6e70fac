"""The ideas step of the questionnaire."""

from __future__ import annotations

from services.applications.screens import Screens
from services.applications.views import MAX_IDEAS, Context, Outcome, Problem, StepUnavailable
from services.errors import NotFound
from services.people import Identity
from services.seasons import IdeaInfo


class Ideas(Screens):
    """The ideas step: pages of ideas, picking up to MAX_IDEAS in order, and one idea's card."""

    async def ideas_page(
        self, me: Identity, application_id: int, page: int, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id, check_editable=False)
        return await self._view(context, context.step("ideas"), editing, page=page)

    async def toggle_idea(
        self, me: Identity, application_id: int, idea_id: int, page: int, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id)
        step = context.step("ideas")
        if not context.reachable(step):
            return await self._resume(context, editing=editing)
        if context.config.idea(idea_id) is None:
            raise StepUnavailable()
        picked = await self.uow.applications.preferences(context.application.id)
        if idea_id in picked:
            picked.remove(idea_id)
        elif len(picked) >= MAX_IDEAS:
            return await self._view(
                context,
                step,
                editing,
                problem=Problem("apply-ideas-max", {"max": MAX_IDEAS}),
                page=page,
            )
        else:
            picked.append(idea_id)
        await self.uow.applications.set_preferences(context.application.id, picked)
        if "ideas" in context.answers:  # already answered: keep the answer in step with the picks
            if picked:
                await self._save(context, "ideas", self._idea_codes(context, picked))
            else:
                await self.uow.applications.forget_answers(context.application.id, ["ideas"])
                context.answers.pop("ideas", None)
        await self.uow.commit()
        return await self._view(context, step, editing, page=page, picked=picked)

    async def ideas_done(self, me: Identity, application_id: int, *, editing: bool) -> Outcome:
        context = await self._context(me, application_id)
        step = context.step("ideas")
        if not context.reachable(step):
            return await self._resume(context, editing=editing)
        picked = await self.uow.applications.preferences(context.application.id)
        if not picked:
            return await self._view(context, step, editing, problem=Problem("apply-ideas-none"))
        await self._save(context, "ideas", self._idea_codes(context, picked))
        await self.uow.commit()
        return await self._after(context, step, editing)

    async def idea(self, me: Identity, application_id: int, idea_id: int) -> IdeaInfo:
        context = await self._context(me, application_id, check_editable=False)
        idea = context.config.idea(idea_id)
        if idea is None:
            raise NotFound()
        return idea

    @staticmethod
    def _idea_codes(context: Context, picked: list[int]) -> str:
        return ",".join(
            idea.code for idea_id in picked if (idea := context.config.idea(idea_id)) is not None
        )
