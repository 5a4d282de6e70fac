"""A person's messenger accounts, the one-time codes that link them, and the merge they allow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.domain import Messenger
from storage.models import Account, AuditEntry, Base, LinkCode, OutgoingMessage, Person
from storage.sql import rowcount

# Tables that refer to a person without being "their data" for linking: their accounts and
# codes, what the bot sent them, and the log of what they did.
NOT_DATA = frozenset({"accounts", "link_codes", "outgoing_messages", "audit_log"})


def _references_to_people() -> list[Column[int]]:
    """Every column of every other table that names a person (read from the metadata, so a
    table added later counts without touching this)."""
    return [
        fk.parent
        for table in Base.metadata.sorted_tables
        if table.name not in NOT_DATA
        for fk in table.foreign_keys
        if fk.column.table.name == "people"
    ]


class AccountsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def accounts_of(self, person_id: int) -> list[Account]:
        rows = await self.session.scalars(
            select(Account).where(Account.person_id == person_id).order_by(Account.id)
        )
        return list(rows)

    async def add_link_code(
        self,
        person_id: int,
        messenger: Messenger,
        code_hash: str,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        """A new code for the person; the codes they asked for before stop working."""
        await self.drop_link_codes(person_id)
        self.session.add(
            LinkCode(
                person_id=person_id,
                messenger=messenger,
                code_hash=code_hash,
                created_at=now,
                expires_at=expires_at,
            )
        )
        await self.session.flush()

    async def link_code(self, code_hash: str) -> LinkCode | None:
        return await self.session.scalar(select(LinkCode).where(LinkCode.code_hash == code_hash))

    async def use_link_code(self, code_id: int, now: datetime) -> bool:
        """Spend the code; False when it was spent already (a race of two uses)."""
        result = await self.session.execute(
            update(LinkCode)
            .where(LinkCode.id == code_id, LinkCode.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def drop_link_codes(self, person_id: int) -> None:
        await self.session.execute(delete(LinkCode).where(LinkCode.person_id == person_id))

    async def has_data(self, person_id: int) -> bool:
        """Whether anything of the programme refers to this person (an application, a role, a
        team, a task, a booking…), beyond their accounts and the messages sent to them."""
        found = select(
            or_(
                *(
                    select(column).where(column == person_id).exists()
                    for column in _references_to_people()
                )
            )
        )
        return bool(await self.session.scalar(found))

    async def merge_into(self, source_id: int, target_id: int, now: datetime) -> None:
        """The accounts (and the messages and log entries) of person `source_id`, who has no
        data of their own, become `target_id`'s; `source_id` is gone."""
        source = await self.session.get(Person, source_id)
        assert source is not None
        tg_id = source.tg_id
        await self.drop_link_codes(source_id)
        for model, column in (
            (Account, Account.person_id),
            (OutgoingMessage, OutgoingMessage.person_id),
            (AuditEntry, AuditEntry.actor_id),
        ):
            await self.session.execute(
                update(model)
                .where(column == source_id)
                .values({column.key: target_id})
                .execution_options(synchronize_session=False)
            )
        await self.session.execute(delete(Person).where(Person.id == source_id))
        if tg_id is not None:
            # The Telegram id follows its account (staff commands still name people by it).
            await self.session.execute(
                update(Person).where(Person.id == target_id).values(tg_id=tg_id, updated_at=now)
            )
        self.session.expunge(source)
