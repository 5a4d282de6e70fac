"""Sending a broadcast and stopping it.

Confirmation moves the draft to sending and writes one outbox row per recipient in the same
transaction, each with the dedupe key `broadcast:<id>:<person>`: a double confirmation, a
replay or a crash cannot queue anyone twice, and after a restart the sender simply goes on
with what is queued. The rows are sent at most once (services/notify.py AT_MOST_ONCE). The
author gets a progress message with a cancel button, which the progress job edits
(services/broadcasts/progress.py). Cancelling fails the rows not claimed yet, never the sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.broadcasts.base import BroadcastGone, cancel_buttons, progress_key, subject_of
from services.broadcasts.drafts import BroadcastDrafts, Preview, Recipient
from services.broadcasts.progress import Counts, progress_text
from services.domain import BroadcastStatus
from services.errors import Conflict
from services.notify import AT_MOST_ONCE
from services.people import Identity
from storage.models import Broadcast


@dataclass(frozen=True)
class Started:
    id: int
    total: int
    deferred: int


class BroadcastService(BroadcastDrafts):
    async def confirm(self, me: Identity, broadcast_id: int) -> Started:
        broadcast = await self._draft(me, broadcast_id)
        if broadcast.text is None and broadcast.media_file_id is None:
            raise Conflict("broadcast-no-text")
        now = self.clock.now()
        recipients, _ = await self.audience(broadcast, now)
        if not recipients:
            raise Conflict("broadcast-nobody")
        deferred = sum(1 for r in recipients if r.not_before > now)
        address = me.address
        moved = await self.uow.broadcasts.transition(
            broadcast.id, [BroadcastStatus.DRAFT], BroadcastStatus.SENDING, started_at=now,
            total=len(recipients), deferred=deferred, progress_messenger=address.messenger,
            progress_chat_id=address.chat_id,
        )  # fmt: skip
        if not moved:
            raise BroadcastGone()  # a double tap: the first one sent it
        await self.uow.outbox.add_many([self._row(broadcast, r) for r in recipients], now)
        t = self.texts.for_language(me.language)
        counts = Counts(total=len(recipients), waiting=deferred)
        await self.notifier.send_text(
            address, progress_text(t, counts, finished=None),
            buttons=cancel_buttons(t, broadcast.id), person_id=me.person_id,
            dedupe_key=progress_key(broadcast.id), subject=progress_key(broadcast.id),
        )  # fmt: skip
        await self.uow.audit.record(
            now, me.person_id, "broadcast.send", "broadcast", broadcast.id,
            total=len(recipients), deferred=deferred, urgent=broadcast.urgent,
        )  # fmt: skip
        await self.uow.commit()
        return Started(broadcast.id, len(recipients), deferred)

    def _row(self, broadcast: Broadcast, recipient: Recipient) -> dict[str, Any]:
        """One recipient's message: the photo or document where its id is valid (the messenger
        it was sent from), the text alone elsewhere."""
        payload: dict[str, Any]
        if broadcast.media_kind and recipient.address.messenger == broadcast.media_messenger:
            kind = "media"
            payload = {
                "media_type": broadcast.media_kind,
                "file_id": broadcast.media_file_id,
                "caption": broadcast.text,
            }
        else:
            kind = "text"
            text = broadcast.text or self.texts.get("broadcast-media-elsewhere")
            payload = {"text": text}
        payload[AT_MOST_ONCE] = True
        return dict(
            address=recipient.address, kind=kind, payload=payload,
            person_id=recipient.person_id, not_before=recipient.not_before,
            dedupe_key=f"{subject_of(broadcast.id)}:{recipient.person_id}",
            subject=subject_of(broadcast.id),
        )  # fmt: skip

    async def cancel(self, me: Identity, broadcast_id: int) -> int:
        """Stop a broadcast being sent: the messages not claimed by the sender yet are never
        sent. Returns how many were stopped; a second press stops nothing more."""
        broadcast = await self._mine(me, broadcast_id)
        if not await self.uow.broadcasts.transition(
            broadcast.id, [BroadcastStatus.SENDING], BroadcastStatus.CANCELLED
        ):
            raise Conflict("broadcast-not-sending")
        stopped = await self.uow.outbox.cancel_pending(subject_of(broadcast.id))
        await self.uow.audit.record(
            self.clock.now(), me.person_id, "broadcast.cancel", "broadcast", broadcast.id,
            stopped=stopped,
        )  # fmt: skip
        await self.uow.commit()
        return stopped

    async def discard(self, me: Identity, broadcast_id: int) -> None:
        """A draft dropped before sending."""
        broadcast = await self._draft(me, broadcast_id)
        await self.uow.broadcasts.transition(
            broadcast.id, [BroadcastStatus.DRAFT], BroadcastStatus.CANCELLED,
            finished_at=self.clock.now(),
        )  # fmt: skip
        await self.uow.commit()

    async def show_preview(self, me: Identity, broadcast_id: int) -> Preview:
        return await self.preview(me, broadcast_id)
