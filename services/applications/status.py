"""/status: the application's standing, its progress, or its published result."""

from __future__ import annotations

from services.applications.base import ApplicationBase
from services.applications.views import EDITABLE, StatusView, local_time
from services.domain import ApplicationStatus
from services.people import Identity
from storage.repositories.selection import RESULTS


class Status(ApplicationBase):
    """/status: where the person's application stands."""

    async def status(self, me: Identity) -> StatusView:
        season, config = await self._current()
        now = self.clock.now()
        application = await self.uow.applications.of_person(me.person_id, season.id)
        window = config.window_open(now)
        closes = local_time(config.closes, config)
        if application is None:
            return StatusView(season.name, None, None, None, None, False, window, closes)
        if application.status in RESULTS:
            # The results are out: the window no longer concerns this application; it opens
            # and changes no more, and the person reads their result and what comes next.
            decision = await self.uow.selection.decision(application.id)
            idea = config.idea(decision.idea_id) if decision and decision.idea_id else None
            return StatusView(
                season.name, application.id, application.status, application.number,
                None, False, False, None, idea.title if idea else None,
            )  # fmt: skip
        progress = None
        if application.status is ApplicationStatus.DRAFT:
            context = await self._load(application, config)
            done = sum(1 for step in context.steps if step.code in context.answers)
            progress = (done, len(context.steps))
        return StatusView(
            season.name,
            application.id,
            application.status,
            application.number,
            progress,
            window and application.status in EDITABLE,
            window,
            closes,
        )
