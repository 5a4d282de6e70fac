"""The student's side of a task: starting it and submitting evidence, which tells the team's
reviewers (its tutors, else its mentors, else whoever assigned it if they may review)."""

from __future__ import annotations

from services.actions import PlanAction, PlanVerb
from services.domain import Evidence, TaskStatus, TeamRole
from services.errors import Conflict, InvalidInput, NotAllowed
from services.notify import Button, Keyboard
from services.people import Identity, display_name
from services.plans.base import PlanBase
from services.plans.views import TaskView
from services.reminders import OPEN_STATUSES
from services.text_fit import visible_length
from storage.models import PlanTask

EVIDENCE_LIMIT = 3000


class TaskProgress(PlanBase):
    """Start, submit, and the reviewers' notice of a submission."""

    async def start(self, me: Identity, task_id: int) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).owner:
            raise NotAllowed()
        await self._refuse_if_by_attendance(task)
        now = self.clock.now()
        changed = await self.uow.tasks.transition(
            task_id, {TaskStatus.ASSIGNED, TaskStatus.RETURNED}, TaskStatus.IN_PROGRESS, now
        )
        task = await self._task(task_id, fresh=True)
        if not changed and task.status is not TaskStatus.IN_PROGRESS:
            raise Conflict("plan-cannot-start")
        if changed:
            await self.uow.audit.record(now, me.person_id, "plan.start", "plan_task", task_id)
            await self.uow.commit()
        return await self._view(task, me)

    async def check_submit(self, me: Identity, task_id: int) -> TaskView:
        """Before asking for evidence: is this my task, and can it be submitted now?"""
        task = await self._task(task_id)
        if not (await self._access(me, task)).owner:
            raise NotAllowed()
        await self._refuse_if_by_attendance(task)
        if task.status not in OPEN_STATUSES:
            raise Conflict("plan-cannot-submit")
        return await self._view(task, me)

    async def submit(self, me: Identity, task_id: int, evidence: Evidence) -> TaskView:
        task = await self._task(task_id)
        if not (await self._access(me, task)).owner:
            raise NotAllowed()
        await self._refuse_if_by_attendance(task)
        if evidence.kind not in ("text", "link", "document", "photo"):
            raise InvalidInput("plan-evidence-unsupported")
        if evidence.text is not None and len(evidence.text) > EVIDENCE_LIMIT:
            raise InvalidInput("plan-evidence-long")
        if evidence.kind in ("text", "link") and not visible_length(evidence.text or ""):
            raise InvalidInput("plan-evidence-empty")
        now = self.clock.now()
        changed = await self.uow.tasks.transition(
            task_id,
            OPEN_STATUSES,
            TaskStatus.SUBMITTED,
            now,
            submitted_at=now,
            evidence_kind=evidence.kind,
            evidence_text=evidence.text,
            evidence_file_id=evidence.file_id,
        )
        if not changed:
            raise Conflict("plan-cannot-submit")
        task = await self._task(task_id, fresh=True)
        await self.reminders.cancel_for(task_id)
        await self.uow.audit.record(
            now, me.person_id, "plan.submit", "plan_task", task_id, evidence=evidence.kind
        )
        await self._notify_reviewers(task, evidence)
        await self.uow.commit()
        return await self._view(task, me)

    async def _reviewers_of(self, task: PlanTask) -> list[int]:
        """The team's tutors, else its mentors, else whoever assigned it if they may review."""
        reviewers: list[int] = []
        if task.team_id is not None:
            for role in (TeamRole.TUTOR, TeamRole.MENTOR):
                reviewers = [
                    m.person_id for m, _ in await self.uow.teams.members(task.team_id, role)
                ]
                if reviewers:
                    break
        if (
            not reviewers
            and task.assigned_by is not None
            and await self._may_review(task.assigned_by, task)
        ):
            reviewers = [task.assigned_by]
        return reviewers

    async def _notify_reviewers(self, task: PlanTask, evidence: Evidence) -> None:
        reviewers = await self._reviewers_of(task)
        people = await self.uow.tasks.people([*reviewers, task.student_id])
        student = people.get(task.student_id)
        stamp = int(self.clock.now().timestamp())
        for person_id in reviewers:
            person = people.get(person_id)
            if person is None or person_id == task.student_id:
                continue
            lang = person.language
            name = display_name(student, self.texts, lang) if student else "—"
            if evidence.file_id is not None:
                await self.notifier.send_media(
                    person,
                    evidence.kind,
                    evidence.file_id,
                    caption=self.texts.get("plan-evidence-caption", lang, title=task.title),
                    person_id=person.id,
                    dedupe_key=f"task-evidence:{task.id}:{stamp}:{person.id}",
                    subject=f"task:{task.id}",
                )
            text = self.texts.get(
                "plan-submitted-notice",
                lang,
                student=name,
                title=task.title,
                evidence=evidence.text or self.texts.get("plan-evidence-file", lang),
            )
            await self.notifier.send_text(
                person,
                text,
                buttons=self._review_buttons(task.id, lang),
                person_id=person.id,
                dedupe_key=f"task-submitted:{task.id}:{stamp}:{person.id}",
                subject=f"task:{task.id}",
            )

    def _review_buttons(self, task_id: int, lang: str) -> Keyboard:
        t = self.texts.get
        return [
            [
                Button.doing(
                    t("plan-btn-approve", lang), PlanAction(verb=PlanVerb.APPROVE, task=task_id)
                ),
                Button.doing(
                    t("plan-btn-return", lang),
                    PlanAction(verb=PlanVerb.ASK_RETURN_COMMENT, task=task_id),
                ),
            ],
            [Button.doing(t("plan-btn-open", lang), PlanAction(verb=PlanVerb.OPEN, task=task_id))],
        ]
