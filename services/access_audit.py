"""The access audit: every time staff open a child's card, their self-presentation or an export
that contains them, a row says who, what and when (storage: `access_audit`). The subject reads
it in /mydata (services/mydata.py); the office exports all of it as CSV (/audit).

Rows hold ids and a kind, nothing else: no names, no content. Nothing here logs a person's data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from services.clock import Clock
from services.domain import AccessKind, Role
from services.errors import NotAllowed
from services.i18n import Texts
from services.notify import Notifier
from services.people import Identity
from storage.uow import UnitOfWork

CSV_COLUMNS = ("id", "at_utc", "staff_id", "kind", "subject_person_id", "application_id")
CSV_FILENAME = "access_audit.csv"


class AccessAuditService:
    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts

    async def record_export(
        self, me: Identity | None, subjects: Iterable[tuple[int, int | None]]
    ) -> int:
        """A staff export (a file with people's data) was made by `me` (None: the office's
        CLI, which acts as no person): one row per person in it, (person id, application id
        or None), each pair once, in one statement. Does not commit — the export's own use
        case does, with the file it queues."""
        rows = list(dict.fromkeys(subjects))
        staff_id = me.person_id if me is not None else None
        await self.uow.access_audit.record_many(self.clock.now(), staff_id, AccessKind.EXPORT, rows)
        return len(rows)

    async def export_csv(self, me: Identity) -> int:
        """The office's export of the whole audit: a CSV document through the outbox. Holds
        ids only, no one's data, so it is not itself an export to audit."""
        if not me.has(Role.OFFICE):
            raise NotAllowed()
        records = await self.uow.access_audit.everything()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for r in records:
            writer.writerow(
                [
                    r.id,
                    r.at.isoformat(),
                    r.staff_id or "",
                    r.kind.value,
                    r.subject_person_id,
                    r.application_id or "",
                ]
            )
        t = self.texts.for_language(me.language)
        await self.notifier.send_file(
            me.address,
            CSV_FILENAME,
            buffer.getvalue().encode("utf-8"),
            caption=t("audit-export-caption", count=len(records)),
            person_id=me.person_id,
        )
        await self.uow.commit()
        return len(records)
