"""What every selection use case stands on: the season as loaded for selection, the presser's
rights, and the season's state (applications, ranked ideas, combined scores, decisions)."""

from __future__ import annotations

from dataclasses import dataclass

from services.clock import Clock
from services.domain import Role
from services.errors import Conflict, DomainError, NotAllowed
from services.events import Consequences
from services.i18n import Texts
from services.notify import Notifier
from services.people import Identity
from services.seasons import SeasonConfig, load_config
from services.selection.arithmetic import Combined, combined_scores
from storage.models import (
    Application,
    Person,
    ProjectIdea,
    Season,
    SelectionCriterion,
    SelectionDecision,
)
from storage.repositories.selection import ACTIVE, IN_SELECTION
from storage.uow import UnitOfWork


class Decided(Conflict):
    key = "sel-decided"


def subject_of(application_id: int) -> str:
    """What every message to staff about the application is filed under (Notifier.retract)."""
    return f"application:{application_id}"


@dataclass
class LoadedSeason:
    season: Season
    config: SeasonConfig
    ideas: dict[int, ProjectIdea]
    criteria: list[SelectionCriterion]
    mentors: dict[int, int]

    @property
    def weights(self) -> dict[int, float]:
        return {c.id: c.weight for c in self.criteria}


SelectionState = tuple[
    list[tuple[Application, Person]],
    dict[int, list[int]],
    dict[int, Combined],
    dict[int, SelectionDecision],
]


def number_of(application: Application) -> str:
    return application.number or f"#{application.id}"


class SelectionBase:
    """The dependencies, loading and rights every selection use case shares."""

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

    # --- loading and rights -----------------------------------------------------------------

    async def _season_of(self, season: Season) -> LoadedSeason:
        config = await load_config(self.uow, season)
        if config is None:
            raise DomainError("sel-no-season")
        return LoadedSeason(
            season,
            config,
            {i.id: i for i in await self.uow.season_config.active(ProjectIdea, season.id)},
            await self.uow.season_config.active(SelectionCriterion, season.id),
            await self.uow.selection.idea_mentors(season.id),
        )

    async def _current(self) -> LoadedSeason:
        season = await self.uow.seasons.current()
        if season is None:
            raise DomainError("sel-no-season")
        return await self._season_of(season)

    async def _application(self, application_id: int) -> tuple[Application, LoadedSeason]:
        found = await self.uow.applications.with_season(application_id)
        if found is None:
            raise NotAllowed()
        application, season, _ = found
        await self.uow.applications.refresh(application)
        return application, await self._season_of(season)

    def _reviews(
        self, me: Identity, application: Application, ranked: list[int], season: LoadedSeason
    ) -> bool:
        """Whether `me` scores this application: a mentor of one of its ranked ideas, or the
        office for a tutor's application."""
        if me.has_in_season(Role.MENTOR, season.season.id) and any(
            season.mentors.get(idea_id) == me.person_id for idea_id in ranked
        ):
            return True
        return application.role is Role.TUTOR and me.has(Role.OFFICE)

    def _my_ideas(self, me: Identity, season: LoadedSeason) -> list[int]:
        if not me.has_in_season(Role.MENTOR, season.season.id):
            return []
        return sorted(i for i, p in season.mentors.items() if p == me.person_id)

    def _office(self, me: Identity) -> None:
        if not me.has(Role.OFFICE):
            raise NotAllowed()

    def cancel_decision(self, me: Identity) -> None:
        """The office's «Отмена» under a decision or a publication: nothing to undo, but the
        press is the office's, so anyone else's is refused like every other office press."""
        self._office(me)

    async def _for_scoring(
        self, me: Identity, application_id: int
    ) -> tuple[Application, LoadedSeason]:
        application, season = await self._application(application_id)
        ranked = (await self.uow.selection.ranked([application.id]))[application.id]
        if not self._reviews(me, application, ranked, season):
            raise NotAllowed()
        if application.status not in ACTIVE:
            raise Conflict("sel-not-active")
        if await self.uow.selection.decision(application.id) is not None:
            raise Decided()
        return application, season

    # --- the season's state ----------------------------------------------------------------------

    async def _state(self, season: LoadedSeason) -> SelectionState:
        """Every application in the season's selection (published results included), its ranked
        ideas, combined score and decision."""
        repo = self.uow.selection
        found = await repo.active_applications(season.season.id, statuses=IN_SELECTION)
        ids = [a.id for a, _ in found]
        ranked = await repo.ranked(ids)
        scores = combined_scores(await repo.scores(ids), season.weights)
        decisions = await repo.decisions(ids)
        return found, ranked, scores, decisions

    async def _published(self, season: LoadedSeason) -> bool:
        publication = await self.uow.selection.publication(season.season.id)
        return publication is not None and publication.published_at is not None

    async def _unpublished(self, season: LoadedSeason) -> None:
        if await self._published(season):
            raise Conflict("sel-published")

    async def _hold_unpublished(self, season: LoadedSeason) -> None:
        """For a change: refuse once published, and hold the publication row until commit, so a
        concurrent publication waits for this change and then sees it."""
        if not await self.uow.selection.hold_unpublished(season.season.id):
            raise Conflict("sel-published")
