"""Submitting an application and withdrawing it."""

from __future__ import annotations

import logging

from services.applications.screens import Screens
from services.applications.status import Status
from services.applications.views import (
    EDITABLE,
    Outcome,
    Problem,
    StatusView,
    SubmittedView,
    application_number,
    local_time,
)
from services.domain import ApplicationStatus
from services.errors import Conflict
from services.events import ApplicationSubmitted
from services.people import Identity
from services.questionnaire import Storage, resume_point

logger = logging.getLogger(__name__)


class Submission(Status, Screens):
    """Submit (with the reviewers' notices in the same transaction) and withdraw."""

    async def submit(self, me: Identity, application_id: int) -> Outcome:
        """Draft → submitted with its number, in one transaction. A second tap changes nothing."""
        context = await self._context(me, application_id)
        application, config = context.application, context.config
        if application.status is ApplicationStatus.SUBMITTED:
            assert application.number is not None
            return SubmittedView(
                application.id, application.number, False, local_time(config.closes, config)
            )
        missing = resume_point(context.steps, context.answers)
        if missing is not None:
            return await self._view(context, missing, False, problem=Problem("apply-incomplete"))
        waiting = next((s for s in context.steps if s.stored is Storage.PARENT), None)
        if waiting is not None and not context.answers.get(waiting.code):
            # Filled in meanwhile under the applicant's own consent: submitted only with the
            # parent's.
            return await self._view(
                context, waiting, False, problem=Problem("apply-parent-before-submit")
            )
        now = self.clock.now()
        number = application.number or application_number(config, application.id)
        if not await self.uow.applications.transition(
            application.id,
            [ApplicationStatus.DRAFT],
            ApplicationStatus.SUBMITTED,
            now,
            number=number,
            submitted_at=now,
        ):
            raise Conflict()
        await self.uow.audit.record(
            now, me.person_id, "application.submit", "application", application.id
        )
        # The reviewers' notices go in the same transaction: both happen, or neither.
        await self.consequences.application_submitted(
            ApplicationSubmitted(
                application.id,
                season_id=application.season_id,
                applicant_id=application.person_id,
                role=application.role,
                number=number,
            )
        )
        await self.uow.commit()
        logger.info("application %s submitted", application.id)
        return SubmittedView(application.id, number, True, local_time(config.closes, config))

    async def withdraw(self, me: Identity, application_id: int) -> StatusView:
        context = await self._context(me, application_id)
        now = self.clock.now()
        if not await self.uow.applications.transition(
            application_id, EDITABLE, ApplicationStatus.WITHDRAWN, now, withdrawn_at=now
        ):
            raise Conflict()
        await self.uow.audit.record(
            now, me.person_id, "application.withdraw", "application", application_id
        )
        await self.uow.commit()
        logger.info("application %s withdrawn", context.application.id)
        return await self.status(me)
