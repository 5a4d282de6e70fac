"""What one export's writers share: the unit of work, the workbook, the season and its zone,
the labels, and the people whose data went into the file (for the access audit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from services.exports.cells import Labels
from services.seasons import SeasonConfig
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from openpyxl import Workbook


@dataclass
class ExportContext:
    uow: UnitOfWork
    workbook: Workbook
    season_id: int
    zone: ZoneInfo
    labels: Labels
    config: SeasonConfig | None
    page: int
    # (person id, application id or None) of everyone whose data is in the file.
    subjects: list[tuple[int, int | None]] = field(default_factory=list)

    def at(self, what: str) -> str:
        """A time column's header: what, and the zone its times are in."""
        return self.labels("export-col-time", what=what, zone=self.zone.key)
