"""The sites file (internship sites and their slots; README, «A sites file») as typed models.
Times are local in the season's zone, which the caller gives as the validation context
(`{"zone": ZoneInfo}`): the season is named by the file or the command line, and known only
to the database."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    StrictBool,
    StrictStr,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from services.domain import SlotKind
from services.file_problems import (
    FileInvalid,
    NoneIsEmpty,
    Text,
    Text64,
    Text100,
    Text300,
    matching,
    problem,
    problems_of,
)

SITE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_CAPACITY = 500

SiteCode = Annotated[Text64, AfterValidator(matching(SITE_CODE, "file-site-code"))]


def _local_datetime(value: Any) -> datetime:
    """`2026-09-03 10:00` (or a YAML timestamp); the zone is added by the slot."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise problem("file-datetime")


LocalDateTime = Annotated[datetime, BeforeValidator(_local_datetime)]


def _directions(values: list[str]) -> list[str]:
    return [value.strip() for value in values if value.strip()]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SlotEntry(_Entry):
    kind: SlotKind = SlotKind.INTERNSHIP
    start: LocalDateTime
    end: LocalDateTime
    capacity: Annotated[int, Strict(), Ge(1), Le(MAX_CAPACITY)]
    requirements: StrictStr | None = None
    directions: Annotated[list[StrictStr], NoneIsEmpty, AfterValidator(_directions)] = []

    @model_validator(mode="after")
    def _in_utc(self, info: ValidationInfo) -> Self:
        """Naive local times are in the season's zone; kept in UTC, the end after the start."""
        zone: ZoneInfo = (info.context or {})["zone"]
        self.start = self.start.replace(tzinfo=self.start.tzinfo or zone).astimezone(UTC)
        self.end = self.end.replace(tzinfo=self.end.tzinfo or zone).astimezone(UTC)
        if self.end <= self.start:
            raise problem("file-end-before-start", "end")
        return self


class SiteEntry(_Entry):
    code: SiteCode
    organisation: Text
    address: Text300
    direction: Text100
    auto_confirm: StrictBool = False
    slots: Annotated[list[SlotEntry], NoneIsEmpty] = []

    @model_validator(mode="after")
    def _slots_once(self) -> Self:
        """A slot is keyed by its kind and start: the same twice in one site is a mistake."""
        seen: set[tuple[SlotKind, datetime]] = set()
        for index, slot in enumerate(self.slots):
            if (slot.kind, slot.start) in seen:
                raise problem("file-slot-repeated", "slots", index)
            seen.add((slot.kind, slot.start))
        return self


class SitesFile(_Entry):
    season: Annotated[str, BeforeValidator(str)] | None = None
    sites: list[SiteEntry]

    @model_validator(mode="after")
    def _codes_once(self) -> Self:
        codes = [site.code for site in self.sites]
        repeated = next((code for code in codes if codes.count(code) > 1), None)
        if repeated is not None:
            raise problem("file-site-code-repeated", "sites", value=repeated)
        return self


def requested_season(raw: Any) -> str | None:
    """The season the file names, read before the file is validated: its zone is needed for
    that."""
    season = raw.get("season") if isinstance(raw, dict) else None
    return None if season is None else str(season)


def read_sites(raw: Any, zone: ZoneInfo) -> SitesFile:
    """The validated sites file; FileInvalid lists every problem with its path."""
    try:
        return SitesFile.model_validate(raw, context={"zone": zone})
    except ValidationError as error:
        raise FileInvalid(problems_of(error)) from None
