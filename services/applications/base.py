"""The shared ground of the applicant's use cases: loading and checking the application."""

from __future__ import annotations

from datetime import datetime

from services.applications.views import (
    EDITABLE,
    Context,
    NoSeason,
    ReadOnly,
    WindowClosed,
    local_time,
)
from services.clock import Clock
from services.domain import ConsentKind
from services.errors import DomainError, NotAllowed
from services.events import Consequences
from services.i18n import Texts
from services.notify import Notifier
from services.people import Identity
from services.questionnaire import Step, Storage, steps_for
from services.seasons import SeasonConfig, load_config
from storage.models import Application, Consent, Season
from storage.uow import UnitOfWork


def parent_consent_in(consent: Consent | None) -> bool:
    """A parent confirmed from their own account, or the project office approved their signed
    paper form (services/applications/paper.py), and it has not been withdrawn."""
    return (
        consent is not None
        and consent.given_at is not None
        and consent.withdrawn_at is None
        and (consent.parent_user_id is not None or consent.paper_consent_id is not None)
    )


class ApplicationBase:
    """What every use case stands on: the unit of work, the clock, the season and the
    caller's own, re-read application."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        notifier: Notifier,
        texts: Texts,
        consequences: Consequences,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts
        self.consequences = consequences

    def _labels(self, context: Context, step: Step) -> dict[str, str]:
        """What a typed answer may say instead of pressing a choice button."""
        args = step.choice_args(context.config) if step.choice_args is not None else {}
        return {
            value: self.texts.get(f"apply-choice-{step.code}-{value}", **args)
            for value in step.choices
        }

    async def _current(self) -> tuple[Season, SeasonConfig]:
        season = await self.uow.seasons.current()
        config = await load_config(self.uow, season) if season is not None else None
        if season is None or config is None:
            raise NoSeason()
        return season, config

    def _closed(self, config: SeasonConfig, now: datetime) -> DomainError:
        before = config.opens is not None and now < config.opens
        return WindowClosed(
            when="before" if before else "after",
            opens=local_time(config.opens, config) or "—",
            closes=local_time(config.closes, config) or "—",
            timezone=config.timezone,
        )

    async def _load(
        self,
        application: Application,
        config: SeasonConfig,
        answers: dict[str, str | None] | None = None,
    ) -> Context:
        """The application's context; `answers`, when the caller read them with it, saves a
        query."""
        if answers is None:
            answers = dict(await self.uow.applications.answers(application.id))
        steps = steps_for(config, application.role, answers)
        if any(step.stored is Storage.PARENT for step in steps):
            # The parent's step is answered by their consent record, not by the applicant:
            # derived here, so a confirmation, a withdrawal or a start-over needs no copy.
            consents = await self.uow.applications.consents(application.id)
            consent = consents.get(ConsentKind.REPRESENTATIVE)
            if parent_consent_in(consent):
                assert consent is not None
                answers["parent"] = consent.text_version
            elif answers.get("parent"):
                answers.pop("parent")
        return Context(application, config, steps, answers)

    async def _context(
        self, me: Identity, application_id: int, *, check_editable: bool = True
    ) -> Context:
        found = await self.uow.applications.with_season_and_answers(application_id)
        if found is None or found[0].person_id != me.person_id:
            raise NotAllowed()
        application, season, stamp, answers = found
        config = await load_config(self.uow, season, stamp) if stamp else None
        if config is None:
            raise NoSeason()
        context = await self._load(application, config, answers)
        if check_editable and not self._editable(context):
            raise ReadOnly(reason=self._read_only_reason(context))
        return context

    def _editable(self, context: Context) -> bool:
        return context.application.status in EDITABLE and context.config.window_open(
            self.clock.now()
        )

    def _read_only_reason(self, context: Context) -> str:
        status = context.application.status
        if status in EDITABLE:
            return "closed"
        return status.value

    async def _save(self, context: Context, step: str, value: str | None) -> None:
        await self.uow.applications.save_answer(
            context.application.id, step, value, self.clock.now()
        )
        context.answers[step] = value
