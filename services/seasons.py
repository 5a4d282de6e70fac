"""A season's configuration read back for the questionnaire and selection, cached per process
by the season's revision (services/season_import.py writes it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.domain import ConsentKind, QuestionKind
from storage.models import (
    Direction,
    MotivationQuestion,
    Municipality,
    ProjectIdea,
    Season,
)
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class IdeaInfo:
    id: int
    code: str
    title: str
    short: str
    description: str
    direction: str | None


@dataclass(frozen=True)
class QuestionInfo:
    code: str
    kind: QuestionKind
    text: str
    min_length: int | None
    max_length: int | None


@dataclass(frozen=True)
class ConsentTextInfo:
    id: int
    version: str
    text: str


@dataclass(frozen=True)
class SeasonConfig:
    """Everything the questionnaire needs about a season; immutable, cached per revision."""

    season_id: int
    code: str
    name: str
    timezone: str
    opens: datetime | None
    closes: datetime | None
    revision: int
    student_ages: tuple[int, int]
    tutor_ages: tuple[int, int | None]
    representative_only_under: int
    adult_age: int
    consent_texts: dict[ConsentKind, ConsentTextInfo]
    municipalities: tuple[tuple[int, str], ...]
    ideas: tuple[IdeaInfo, ...]
    questions: tuple[QuestionInfo, ...]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def window_open(self, now: datetime) -> bool:
        if self.opens is not None and now < self.opens:
            return False
        return not (self.closes is not None and now > self.closes)

    def idea(self, idea_id: int) -> IdeaInfo | None:
        return next((idea for idea in self.ideas if idea.id == idea_id), None)

    def municipality(self, municipality_id: int) -> str | None:
        return next((name for mid, name in self.municipalities if mid == municipality_id), None)


_cache: dict[str, SeasonConfig] = {}


async def load_config(
    uow: UnitOfWork, season: Season, stamp: str | None = None
) -> SeasonConfig | None:
    """The season's configuration, or None if it was never imported. `stamp`, when the caller
    has just read it, saves a query."""
    if stamp is None:
        stamp = await uow.season_config.stamp(season.id)
    if stamp is None:
        return None
    cached = _cache.get(stamp)
    if cached is not None:
        return cached
    config = uow.season_config
    settings = await config.settings(season.id)
    assert settings is not None
    directions = {d.id: d.title for d in await config.all_of(Direction, season.id)}
    loaded = SeasonConfig(
        season_id=season.id,
        code=season.code,
        name=season.name,
        timezone=season.timezone,
        opens=season.applications_open_at,
        closes=season.applications_close_at,
        revision=settings.revision,
        student_ages=(settings.student_min_age, settings.student_max_age),
        tutor_ages=(settings.tutor_min_age, settings.tutor_max_age),
        representative_only_under=settings.representative_only_under,
        adult_age=settings.adult_age,
        consent_texts={
            row.kind: ConsentTextInfo(row.id, row.version, row.text)
            for row in await config.consent_texts(season.id)
            if row.is_current
        },
        municipalities=tuple((m.id, m.name) for m in await config.active(Municipality, season.id)),
        ideas=tuple(
            IdeaInfo(
                i.id,
                i.code,
                i.title,
                i.short_description,
                i.description,
                directions.get(i.direction_id) if i.direction_id else None,
            )
            for i in await config.active(ProjectIdea, season.id)
        ),
        questions=tuple(
            QuestionInfo(q.code, q.kind, q.text, q.min_length, q.max_length)
            for q in await config.active(MotivationQuestion, season.id)
        ),
    )
    if len(_cache) > 64:
        _cache.clear()
    _cache[stamp] = loaded
    return loaded
