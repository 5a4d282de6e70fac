"""/mydata: everything stored about the person, as JSON and as a readable HTML page, both sent
to them through the outbox as documents.

What is "everything" is read from the schema: every table with a foreign key to a person or to
an application (storage.repositories.access_audit.referring_tables), each row that refers to
this person or to one of their applications — their profile and accounts, consents, answers,
the self-presentation's reference, status and decisions, reviewers' scores and comments, team,
tasks, bookings, the messages sent to them, and who on the staff opened their card (the access
audit). Every such table must have a section here (`SECTIONS`): a test fails for a new table
until it is given one, so nothing stored about a person is left out of their copy.
"""

from __future__ import annotations

import enum
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.clock import Clock
from services.domain import Address
from services.i18n import Texts, Translator
from services.notify import Notifier
from services.people import Identity
from storage.repositories.access_audit import referring_tables
from storage.uow import UnitOfWork

# Every table that refers to a person or an application, in the order the copy shows them,
# with its section's title key (services/locales/ru/mydata.ftl).
SECTIONS: dict[str, str] = {
    "people": "mydata-section-profile",
    "accounts": "mydata-section-accounts",
    "role_grants": "mydata-section-roles",
    "applications": "mydata-section-applications",
    "consents": "mydata-section-consents",
    "parent_links": "mydata-section-parent-links",
    "paper_consents": "mydata-section-paper-consents",
    "application_answers": "mydata-section-answers",
    "presentation_media": "mydata-section-media",
    "idea_preferences": "mydata-section-ideas",
    "selection_decisions": "mydata-section-decisions",
    "application_scores": "mydata-section-scores",
    "review_notes": "mydata-section-reviews",
    "team_members": "mydata-section-team",
    "plan_tasks": "mydata-section-tasks",
    "reminders": "mydata-section-reminders",
    "bookings": "mydata-section-bookings",
    "roadmap_stages": "mydata-section-stages",
    "project_passports": "mydata-section-passports",
    "plan_assign_drafts": "mydata-section-drafts",
    "slot_drafts": "mydata-section-slot-drafts",
    "sites": "mydata-section-sites",
    "slots": "mydata-section-slots",
    "results_publications": "mydata-section-publications",
    "invitations": "mydata-section-invitations",
    "link_codes": "mydata-section-link-codes",
    "outgoing_messages": "mydata-section-messages",
    "audit_log": "mydata-section-actions",
    "access_audit": "mydata-section-access",
    "broadcasts": "mydata-section-broadcasts",
    "survey_answers": "mydata-section-survey",
    "certificates": "mydata-section-certificates",
    "reserve_nominations": "mydata-section-reserve",
    "events": "mydata-section-events",
    "event_invitations": "mydata-section-event-invitations",
    "event_checkins": "mydata-section-event-checkins",
    "defence_jurors": "mydata-section-defence-jurors",
    "defence_scores": "mydata-section-defence-scores",
    "defence_publications": "mydata-section-defence-publications",
    "defence_presentations": "mydata-section-defence-presentations",
    "defence_comments": "mydata-section-defence-comments",
    "defence_marks": "mydata-section-defence-marks",
}

# Values that are secrets of the bot, not data about the person: shown as withheld.
WITHHELD = {("link_codes", "code_hash"), ("invitations", "code"), ("parent_links", "code_hash")}
WITHHELD_MARK = "(скрыто)"
JSON_FILENAME = "mydata.json"
HTML_FILENAME = "mydata.html"


@dataclass(frozen=True)
class PersonData:
    person_id: int
    generated_at: datetime
    sections: dict[str, list[dict[str, Any]]]  # table → its rows about the person


def _plain(value: Any) -> Any:
    """A stored value as JSON: times in ISO 8601 (UTC), enums by value."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _clean(table: str, row: dict[str, Any]) -> dict[str, Any]:
    cleaned = {
        name: WITHHELD_MARK if (table, name) in WITHHELD and value is not None else _plain(value)
        for name, value in row.items()
    }
    payload = cleaned.get("payload")
    if table == "outgoing_messages" and isinstance(payload, dict):
        # A file sent to them (an earlier copy of this very file): named, not nested again.
        cleaned["payload"] = {
            k: v for k, v in payload.items() if k not in ("content", "content_base64")
        }
    return cleaned


def missing_sections(tables: Mapping[str, object]) -> set[str]:
    """Tables that refer to a person but have no section: their rows would be left out."""
    return set(tables) - set(SECTIONS)


class MyDataService:
    def __init__(self, uow: UnitOfWork, clock: Clock, notifier: Notifier, texts: Texts) -> None:
        self.uow = uow
        self.clock = clock
        self.notifier = notifier
        self.texts = texts

    async def collect(self, person_id: int) -> PersonData:
        """Every row about the person, by section. A table that refers to people but has no
        section is a programming error: the copy would be incomplete."""
        missing = missing_sections(referring_tables())
        if missing:
            raise LookupError(f"tables without a /mydata section: {sorted(missing)}")
        applications = [a.id for a in await self.uow.applications.all_of_person(person_id)]
        sections: dict[str, list[dict[str, Any]]] = {}
        for table in SECTIONS:
            rows = await self.uow.person_data.rows(table, person_id, applications)
            if table == "outgoing_messages":
                rows = await self._with_messages_to_their_chats(person_id, rows)
            sections[table] = [_clean(table, row) for row in rows]
        return PersonData(person_id, self.clock.now(), sections)

    async def _with_messages_to_their_chats(
        self, person_id: int, rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Messages to them: rows naming them and rows to their private chats (an answer to a
        command names the chat only)."""
        chats = [
            Address(a.messenger, a.chat_id) for a in await self.uow.accounts.accounts_of(person_id)
        ]
        by_id = {row["id"]: row for row in rows}
        for row in await self.uow.person_data.messages_to(chats):
            by_id.setdefault(row["id"], row)
        return [by_id[key] for key in sorted(by_id)]

    async def send(self, me: Identity) -> None:
        """Queue the two files to the person; commits."""
        data = await self.collect(me.person_id)
        t = self.texts.for_language(me.language)
        await self.notifier.send_file(
            me.address, JSON_FILENAME, as_json(data).encode("utf-8"),
            caption=t("mydata-json-caption"), person_id=me.person_id,
        )  # fmt: skip
        await self.notifier.send_file(
            me.address, HTML_FILENAME, as_html(data, t).encode("utf-8"),
            caption=t("mydata-html-caption"), person_id=me.person_id,
        )  # fmt: skip
        await self.uow.commit()


def as_json(data: PersonData) -> str:
    document = {
        "person_id": data.person_id,
        "generated_at": data.generated_at.isoformat(),
        "sections": data.sections,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return html.escape(str(value))


def as_html(data: PersonData, t: Translator) -> str:
    """A page anyone can open: one table per section, every value escaped."""
    title = html.escape(t("mydata-title"))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ru"><head><meta charset="utf-8">',
        f"<title>{title}</title></head><body>",
        f"<h1>{title}</h1>",
        f"<p>{html.escape(t('mydata-generated', at=data.generated_at.isoformat()))}</p>",
    ]
    for table, rows in data.sections.items():
        parts.append(f"<h2>{html.escape(t(SECTIONS[table]))}</h2>")
        if not rows:
            parts.append(f"<p>{html.escape(t('mydata-empty'))}</p>")
            continue
        columns = list(rows[0])
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        parts.append(f'<table border="1"><tr>{head}</tr>')
        for row in rows:
            cells = "".join(f"<td>{_cell(row.get(c))}</td>" for c in columns)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
