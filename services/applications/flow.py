"""The questionnaire flow: /apply, answering, Back / Skip / Keep / Edit, resuming."""

from __future__ import annotations

from services.applications.answers import Answers, _Narrowed
from services.applications.screens import Screens
from services.applications.views import Outcome, Problem, StepUnavailable
from services.domain import ApplicationStatus, ConsentKind
from services.people import Identity
from services.questionnaire import (
    Input,
    InvalidAnswer,
    StepKind,
    previous_step,
    resume_point,
    steps_for,
)
from services.seasons import load_config


class Flow(Answers, Screens):
    """/apply and the moves through the questionnaire: answer, Back, Skip, Keep, Edit,
    the review, a refusal's way forward, start over, and the cursor."""

    async def open(self, me: Identity) -> Outcome:
        """/apply: the person's application to the current season, created on first use, at the
        step where they stopped (or the review, once everything is answered)."""
        season, config = await self._current()
        now = self.clock.now()
        existing = await self.uow.applications.of_person(me.person_id, season.id)
        if not config.window_open(now):
            if existing is not None and existing.status is not ApplicationStatus.WITHDRAWN:
                return await self._review(await self._load(existing, config))
            raise self._closed(config, now)
        application, created = await self.uow.applications.ensure(me.person_id, season.id, now)
        changed = created
        if application.status is ApplicationStatus.WITHDRAWN:
            changed = await self.uow.applications.transition(
                application.id,
                [ApplicationStatus.WITHDRAWN],
                ApplicationStatus.DRAFT,
                now,
                withdrawn_at=None,
            )
            await self.uow.applications.refresh(application)
        context = await self._load(application, config)
        if application.status is not ApplicationStatus.DRAFT:
            outcome: Outcome = await self._review(context)
        else:
            outcome = await self._resume(context, editing=False)
        if changed:
            await self.uow.commit()  # after the reads: one connection for the whole action
        return outcome

    async def answer(
        self, me: Identity, application_id: int, step_code: str, given: Input, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id)
        step = context.step(step_code)
        if not context.reachable(step):
            return await self._resume(context, editing=editing)
        if step.kind is StepKind.IDEAS:
            problem = "apply-ideas-use-buttons" if given.kind == "text" else "apply-bad-media"
            if given.kind == "sticker":
                problem = "apply-bad-sticker"
            return await self._view(context, step, editing, problem=Problem(problem))
        try:
            saved = await self._store(context, step, given)
        except InvalidAnswer as rejected:
            return await self._view(
                context,
                step,
                editing,
                problem=Problem(rejected.key, rejected.args_for_text),
                exits=self._exits(context, rejected.key),
            )
        except _Narrowed as narrowed:
            return await self._view(
                context, step, editing, problem=narrowed.problem, options=narrowed.options
            )
        await self.uow.commit()
        return await self._after(context, step, editing, saved=saved)

    async def show(self, me: Identity, application_id: int, step_code: str) -> Outcome:
        """Edit from the review: the step with its current answer; answering returns to review."""
        context = await self._context(me, application_id)
        step = context.step(step_code)
        if step.fixed or not context.reachable(step):
            raise StepUnavailable()
        return await self._view(context, step, editing=True)

    async def back(
        self, me: Identity, application_id: int, step_code: str, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id, check_editable=False)
        if editing:
            return await self._review(context)
        step = context.step(step_code)
        previous = previous_step(context.steps, context.answers, step.code)
        if previous is None:
            return await self._view(context, step, editing)
        return await self._view(context, previous, editing)

    async def skip(
        self, me: Identity, application_id: int, step_code: str, *, editing: bool
    ) -> Outcome:
        context = await self._context(me, application_id)
        step = context.step(step_code)
        if not step.optional or not context.reachable(step):
            raise StepUnavailable()
        await self.uow.applications.save_answer(
            context.application.id, step.code, None, self.clock.now()
        )
        context.answers[step.code] = None
        await self.uow.commit()
        return await self._after(context, step, editing)

    async def keep(
        self, me: Identity, application_id: int, step_code: str, *, editing: bool
    ) -> Outcome:
        """Leave an answered step as it is and move on."""
        context = await self._context(me, application_id, check_editable=False)
        step = context.step(step_code)
        if step.code not in context.answers:
            return await self._view(context, step, editing)
        return await self._after(context, step, editing)

    async def review(self, me: Identity, application_id: int) -> Outcome:
        context = await self._context(me, application_id, check_editable=False)
        if resume_point(context.steps, context.answers) is not None and self._editable(context):
            return await self._resume(context, editing=False)
        return await self._review(context)

    async def change(
        self, me: Identity, application_id: int, step_code: str, *, editing: bool
    ) -> Outcome:
        """A refusal's «change the role» / «change the age»: that step again, with its answer.
        Answering it keeps what still applies (services decide in `_settle_path`)."""
        context = await self._context(me, application_id)
        step = context.step(step_code)
        if not step.path or not context.reachable(step):
            raise StepUnavailable()
        return await self._view(context, step, editing)

    async def restart(self, me: Identity, application_id: int) -> Outcome:
        """Start over: a clean draft at the role step. The answers, self-presentation, idea
        choices, name and the applicant's own consent are erased."""
        context = await self._context(me, application_id)
        application = context.application
        if application.status is not ApplicationStatus.DRAFT:
            raise StepUnavailable()
        now = self.clock.now()
        await self.uow.applications.erase_personal_data(application.id)
        # The applicant's own consent goes with the draft; the parent's, given from their own
        # account, is theirs to withdraw and stays.
        await self.uow.applications.drop_consents(application.id, ConsentKind.APPLICANT)
        await self.uow.applications.set_role(application.id, None, now)
        await self.uow.applications.set_person_name(application.person_id, None, now)
        await self.uow.audit.record(
            now, me.person_id, "application.restart", "application", application.id
        )
        await self.uow.commit()
        application.role = None
        context.answers.clear()
        context.steps = steps_for(context.config, None)
        return await self._view(context, context.step("role"), False)

    async def cursor(self, me: Identity) -> Outcome | None:
        """Where the person stands, derived from the database: their open draft in the current
        season at its first unanswered step (or its review), or None when there is no draft
        open to answer. Used when the FSM cursor is lost (a restart on the in-memory FSM,
        Redis losing its keys); creates and changes nothing."""
        season = await self.uow.seasons.current()
        config = await load_config(self.uow, season) if season is not None else None
        if season is None or config is None or not config.window_open(self.clock.now()):
            return None
        application = await self.uow.applications.of_person(me.person_id, season.id)
        if application is None or application.status is not ApplicationStatus.DRAFT:
            return None
        return await self._resume(await self._load(application, config), editing=False)
