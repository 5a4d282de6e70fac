"""The outbox of outgoing messages: enqueue, claim due rows, record outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.domain import Address, Messenger, OutboxStatus
from storage.models import Account, OutgoingMessage, Person
from storage.sql import insert_for, rowcount

# What an erased message keeps of its content, and why one never sent was not sent.
ERASED_PAYLOAD: dict[str, Any] = {"erased": True}
ERASED_ERROR = "erased before sending"
# A row the person's erasure reached while the sender held it: the sender must not write its
# content back nor put it back in the queue.
NOT_ERASED = func.coalesce(OutgoingMessage.error, "") != ERASED_ERROR
# A broadcast's message its author cancelled before it was sent.
CANCELLED_ERROR = "cancelled before sending"
# A message sent at most once whose sender died during its call: it may or may not have
# arrived, and it is not sent again (services/notify.py AT_MOST_ONCE).
UNCERTAIN_ERROR = "uncertain: the sender stopped during the call"
# Bulk messages (a broadcast's, subject "broadcast:<id>") are claimed after every other due
# message: ten thousand of them never hold back an answer to someone's action.
BULK = case((OutgoingMessage.subject.like("broadcast:%"), 1), else_=0)


class OutboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        to: Address | int,
        kind: str,
        payload: dict[str, Any],
        now: datetime,
        person_id: int | None = None,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
        subject: str | None = None,
    ) -> bool:
        """Queue one message (to a Telegram chat when `to` is a bare id); with a dedupe key, a
        second identical request queues nothing."""
        address = to if isinstance(to, Address) else Address.telegram(to)
        values = dict(
            messenger=address.messenger,
            chat_id=address.chat_id,
            person_id=person_id,
            kind=kind,
            payload=payload,
            dedupe_key=dedupe_key,
            subject=subject,
            status=OutboxStatus.PENDING,
            attempts=0,
            not_before=not_before or now,
            created_at=now,
        )
        statement = insert_for(self.session, OutgoingMessage).values(**values)
        if dedupe_key is not None:
            statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
        result = await self.session.execute(statement)
        return bool(rowcount(result))

    async def add_many(self, rows: list[dict[str, Any]], now: datetime) -> int:
        """Queue many messages in one statement; rows whose dedupe key exists are skipped.

        Each row holds address (an `Address`, or a Telegram chat id), kind, payload and
        optionally person_id, dedupe_key, not_before, subject.
        """
        if not rows:
            return 0
        addresses = [
            row["address"]
            if isinstance(row["address"], Address)
            else Address.telegram(row["address"])
            for row in rows
        ]
        values = [
            dict(
                messenger=address.messenger,
                chat_id=address.chat_id,
                person_id=row.get("person_id"),
                kind=row["kind"],
                payload=row["payload"],
                dedupe_key=row.get("dedupe_key"),
                subject=row.get("subject"),
                status=OutboxStatus.PENDING,
                attempts=0,
                not_before=row.get("not_before") or now,
                created_at=now,
            )
            for row, address in zip(rows, addresses, strict=True)
        ]
        statement = insert_for(self.session, OutgoingMessage).on_conflict_do_nothing(
            index_elements=["dedupe_key"]
        )
        # executemany: compiled once, sent in batches by the driver. Its row count is not
        # reliable across drivers, so the caller learns how many were asked for.
        await self.session.execute(statement, values)
        return len(values)

    async def addresses_of(self, people: Sequence[Person]) -> dict[int, Address]:
        """Where each person is reached (by person id): their account on the messenger they use
        now; when that one blocked the bot, their other active account (the one seen last).
        A person no account lets the bot reach is left out: nothing is queued for them."""
        if not people:
            return {}
        preferred = {person.id: person.preferred_messenger for person in people}
        accounts = await self.session.scalars(
            select(Account)
            .where(Account.person_id.in_(list(preferred)), Account.is_active.is_(True))
            .order_by(Account.last_seen_at, Account.id)
        )
        found: dict[int, Address] = {}
        for account in accounts:
            if account.person_id in found and account.messenger != preferred[account.person_id]:
                continue  # the account they use now was already found
            found[account.person_id] = Address(account.messenger, account.chat_id)
        return found

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        lease: timedelta,
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> list[OutgoingMessage]:
        """Take up to `limit` due rows for this messenger's sender, oldest first.

        Rows another sender holds are skipped (SKIP LOCKED on PostgreSQL; SQLite has one
        writer, so the single UPDATE is atomic there). A row whose claim expired, because its
        sender died mid-send, is due again. A chat with an earlier row still claimed (a sender
        killed mid-batch, its claim not expired yet) is skipped whole, so a later message never
        overtakes it: one chat's messages go out in order across a crash and a new sender (one
        sender at a time holds the claims: bot/background.py).
        """
        earlier = aliased(OutgoingMessage)
        held_before = exists().where(
            earlier.messenger == OutgoingMessage.messenger,
            earlier.chat_id == OutgoingMessage.chat_id,
            earlier.status == OutboxStatus.SENDING,
            earlier.claimed_until >= now,
            earlier.id < OutgoingMessage.id,
        )
        due = (
            select(OutgoingMessage.id)
            .where(
                OutgoingMessage.messenger == messenger,
                ~held_before,
                or_(
                    and_(
                        OutgoingMessage.status == OutboxStatus.PENDING,
                        OutgoingMessage.not_before <= now,
                    ),
                    and_(
                        OutgoingMessage.status == OutboxStatus.SENDING,
                        OutgoingMessage.claimed_until < now,
                    ),
                ),
            )
            .order_by(BULK, OutgoingMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = await self.session.scalars(
            update(OutgoingMessage)
            .where(OutgoingMessage.id.in_(due.scalar_subquery()))
            .values(status=OutboxStatus.SENDING, claimed_until=now + lease)
            .returning(OutgoingMessage)
            .execution_options(synchronize_session=False)
        )
        return sorted(rows, key=lambda row: row.id)

    async def mark_sent(self, row_id: int, message_id: int | None, now: datetime) -> bool:
        """Record the delivery. False when the person's data was erased while the row was
        being sent: it is recorded as delivered, without content, and the caller must take
        back what went out."""
        error = await self.session.scalar(
            select(OutgoingMessage.error).where(OutgoingMessage.id == row_id)
        )
        await self._finish(row_id, OutboxStatus.SENT, sent_at=now, telegram_message_id=message_id)
        return error != ERASED_ERROR

    async def mark_blocked(self, row_id: int, error: str) -> None:
        await self._finish(row_id, OutboxStatus.BLOCKED, error=error[:200])

    async def mark_failed(self, row_id: int, error: str) -> None:
        await self._finish(row_id, OutboxStatus.FAILED, error=error[:200])

    async def mark_uncertain(self, row_id: int) -> None:
        """An at-most-once row claimed again after its sender died during the call: never
        sent again, counted apart (it may have arrived)."""
        await self.session.execute(
            update(OutgoingMessage)
            .where(OutgoingMessage.id == row_id)
            .values(status=OutboxStatus.FAILED, claimed_until=None, error=UNCERTAIN_ERROR)
            .execution_options(synchronize_session=False)
        )

    async def cancel_pending(self, subject: str) -> int:
        """Every message about `subject` not claimed yet is never sent; those being sent and
        sent are left as they are."""
        result = await self.session.execute(
            update(OutgoingMessage)
            .where(
                OutgoingMessage.subject == subject,
                OutgoingMessage.status == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.FAILED, error=CANCELLED_ERROR)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def by_dedupe_key(self, dedupe_key: str) -> OutgoingMessage | None:
        return await self.session.scalar(
            select(OutgoingMessage).where(OutgoingMessage.dedupe_key == dedupe_key)
        )

    async def unfinished_about(self, subject: str) -> int:
        """How many messages about `subject` still wait or are being sent."""
        count = await self.session.scalar(
            select(func.count()).where(
                OutgoingMessage.subject == subject,
                OutgoingMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            )
        )
        return int(count or 0)

    async def save_payload(self, row_id: int, payload: dict[str, Any]) -> bool:
        """Record the progress of a row being sent (the parts of a long message already out).
        False when the row was erased meanwhile: its content is not written back."""
        result = await self.session.execute(
            update(OutgoingMessage)
            .where(OutgoingMessage.id == row_id, NOT_ERASED)
            .values(payload=payload)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def release(
        self, row_id: int, not_before: datetime, *, attempted: bool, error: str | None = None
    ) -> None:
        """Put a claimed row back to wait until `not_before`."""
        values: dict[str, Any] = dict(
            status=OutboxStatus.PENDING, not_before=not_before, claimed_until=None
        )
        if attempted:
            values["attempts"] = OutgoingMessage.attempts + 1
        if error is not None:
            values["error"] = error[:200]
        # An erased row stays failed: it is never sent again.
        await self.session.execute(
            update(OutgoingMessage)
            .where(OutgoingMessage.id == row_id, NOT_ERASED)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def hold_chat_after(
        self,
        chat_id: int,
        after_id: int,
        not_before: datetime,
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> None:
        """Keep a chat's later messages behind an earlier one that must wait, preserving order."""
        await self.session.execute(
            update(OutgoingMessage)
            .where(
                OutgoingMessage.messenger == messenger,
                OutgoingMessage.chat_id == chat_id,
                OutgoingMessage.id > after_id,
                OutgoingMessage.status == OutboxStatus.PENDING,
                OutgoingMessage.not_before < not_before,
            )
            .values(not_before=not_before)
        )

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """A group became a supergroup: what still waits for the old id goes to the new one."""
        result = await self.session.execute(
            update(OutgoingMessage)
            .where(
                OutgoingMessage.chat_id == old_chat_id,
                OutgoingMessage.messenger == Messenger.TELEGRAM,
                OutgoingMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            )
            .values(chat_id=new_chat_id)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def about(self, subject: str) -> list[OutgoingMessage]:
        """Every message queued about `subject`, oldest first."""
        rows = await self.session.scalars(
            select(OutgoingMessage)
            .where(OutgoingMessage.subject == subject)
            .order_by(OutgoingMessage.id)
        )
        return list(rows)

    async def withdraw_pending(self, row_id: int, *, drop_only_buttons: bool) -> int:
        """A message not sent yet: take its buttons off, or fail it so it is never sent.

        Conditional on the row still pending: one the sender already claimed goes out as it is
        and is retracted after it was sent."""
        values: dict[str, Any]
        if drop_only_buttons:
            row = await self.session.get(OutgoingMessage, row_id)
            if row is None or not row.payload.get("buttons"):
                return 0
            values = {"payload": {k: v for k, v in row.payload.items() if k != "buttons"}}
        else:
            values = {"status": OutboxStatus.FAILED, "error": "retracted before sending"}
        result = await self.session.execute(
            update(OutgoingMessage)
            .where(OutgoingMessage.id == row_id, OutgoingMessage.status == OutboxStatus.PENDING)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def erase_content(
        self, person_id: int, chats: Sequence[Address], subjects: Sequence[str]
    ) -> int:
        """Messages to a person (their id or their private chats) and about them (`subjects`)
        keep the fact of delivery (chat, kind, status, times) but not their content; those not
        sent yet are never sent. Retractions carry no content and must still go out.

        A row the sender holds at this very moment goes out as it was read (it was not sent yet
        when the caller retracted what was sent) and is then recorded as sent, without content;
        one whose sender died is never sent again."""
        concerned = and_(
            OutgoingMessage.kind != "retract",
            or_(
                OutgoingMessage.person_id == person_id,
                *(
                    and_(
                        OutgoingMessage.messenger == chat.messenger,
                        OutgoingMessage.chat_id == chat.chat_id,
                    )
                    for chat in chats
                ),
                OutgoingMessage.subject.in_(list(subjects)),
            ),
        )
        await self.session.execute(
            update(OutgoingMessage)
            .where(
                concerned,
                OutgoingMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            )
            .values(status=OutboxStatus.FAILED, claimed_until=None, error=ERASED_ERROR)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(
            update(OutgoingMessage)
            .where(concerned)
            .values(payload=ERASED_PAYLOAD)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def counts(self) -> dict[OutboxStatus, int]:
        rows = await self.session.execute(
            select(OutgoingMessage.status, func.count()).group_by(OutgoingMessage.status)
        )
        return {status: count for status, count in rows}

    async def backlog(self) -> tuple[int, datetime | None]:
        """How many rows still wait to be sent (pending or sending), and the oldest one's
        creation time: one aggregate query, for the metrics."""
        row = (
            await self.session.execute(
                select(func.count(), func.min(OutgoingMessage.created_at)).where(
                    OutgoingMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                )
            )
        ).one()
        return int(row[0]), row[1]

    async def _finish(self, row_id: int, status: OutboxStatus, **values: Any) -> None:
        await self.session.execute(
            update(OutgoingMessage)
            .where(OutgoingMessage.id == row_id)
            .values(
                status=status, claimed_until=None, attempts=OutgoingMessage.attempts + 1, **values
            )
        )
