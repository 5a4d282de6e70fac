"""A broadcast's progress: counted from its outbox rows in one aggregate query, shown by
editing the author's progress message (throttled: the job runs every few seconds, and a new
edit is queued only when the counts changed and the previous edit is out), and a final report
when nothing is left to send. Run by the scheduler (scheduler/jobs.py)."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from services.broadcasts.base import BroadcastBase, cancel_buttons, progress_key, subject_of
from services.domain import Address, BroadcastStatus, OutboxStatus
from services.i18n import Translator
from services.notify import Button, sent_message_ref
from storage.models import Broadcast, OutgoingMessage
from storage.repositories.outbox import CANCELLED_ERROR, UNCERTAIN_ERROR

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counts:
    total: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    uncertain: int = 0  # in flight at a crash: maybe delivered, not sent again
    cancelled: int = 0
    waiting: int = 0  # due later (minors, after quiet hours)
    queued: int = 0  # due now or being sent

    @property
    def unfinished(self) -> int:
        return self.waiting + self.queued

    def key(self) -> str:
        return ":".join(str(value) for value in asdict(self).values())


def progress_text(t: Translator, counts: Counts, finished: BroadcastStatus | None) -> str:
    """The progress message: the counts, and at the end whether it was done or cancelled."""
    state = finished.value if finished is not None else "sending"
    return t("broadcast-progress", state=state, **asdict(counts))


class BroadcastProgress(BroadcastBase):
    async def tick(self) -> int:
        """Advance every broadcast being sent; returns how many finished now."""
        finished = 0
        for broadcast in await self.uow.broadcasts.unfinished():
            finished += await self._advance(broadcast)
        await self.uow.commit()
        return finished

    async def counts(self, broadcast: Broadcast) -> Counts:
        found = dict(total=broadcast.total, sent=0, failed=0, blocked=0, uncertain=0,
                     cancelled=0, waiting=0, queued=0)  # fmt: skip
        now = self.clock.now()
        for status, error, later, count in await self.uow.broadcasts.outcomes(
            subject_of(broadcast.id), now
        ):
            if status is OutboxStatus.SENT:
                found["sent"] += count
            elif status is OutboxStatus.BLOCKED:
                found["blocked"] += count
            elif status is OutboxStatus.FAILED:
                bucket = {UNCERTAIN_ERROR: "uncertain", CANCELLED_ERROR: "cancelled"}
                found[bucket.get(error, "failed")] += count
            else:
                found["waiting" if later else "queued"] += count
        return Counts(**found)

    async def _advance(self, broadcast: Broadcast) -> int:
        counts = await self.counts(broadcast)
        progress = await self.uow.outbox.by_dedupe_key(progress_key(broadcast.id))
        shown = progress is not None and progress.status is OutboxStatus.SENT
        if progress is not None and not shown and progress.status in (
            OutboxStatus.PENDING, OutboxStatus.SENDING,
        ):  # fmt: skip
            return 0  # the progress message is not out yet: it is what gets edited
        if counts.unfinished == 0:
            return await self._finish(broadcast, counts, progress if shown and progress else None)
        if progress is None or not shown or broadcast.progress_shown == counts.key():
            return 0
        if await self.uow.outbox.unfinished_about(progress_key(broadcast.id)):
            return 0  # the previous edit still waits (a 429 pause): one at a time
        t = await self._translator(broadcast)
        await self._edit(broadcast, progress, progress_text(t, counts, None), counts, stop=True)
        return 0

    async def _finish(
        self, broadcast: Broadcast, counts: Counts, progress: OutgoingMessage | None
    ) -> int:
        finished = (
            BroadcastStatus.CANCELLED
            if broadcast.status is BroadcastStatus.CANCELLED
            else BroadcastStatus.DONE
        )
        now = self.clock.now()
        if not await self.uow.broadcasts.transition(
            broadcast.id, [broadcast.status], finished, finished_at=now, report=asdict(counts),
        ):  # fmt: skip
            return 0
        t = await self._translator(broadcast)
        text = progress_text(t, counts, finished)
        if progress is not None:
            await self._edit(broadcast, progress, text, counts, stop=False)
        address = self._author_address(broadcast)
        if address is not None:
            await self.notifier.send_text(
                address, t("broadcast-report", state=finished.value, **asdict(counts)),
                person_id=broadcast.author_id, dedupe_key=f"broadcast-report:{broadcast.id}",
            )  # fmt: skip
        logger.info("broadcast %s %s: %s", broadcast.id, finished.value, asdict(counts))
        return 1

    async def _edit(
        self,
        broadcast: Broadcast,
        progress: OutgoingMessage,
        text: str,
        counts: Counts,
        *,
        stop: bool,
    ) -> None:
        ref = sent_message_ref(progress)
        address = self._author_address(broadcast)
        if ref is None or address is None:
            return
        t = await self._translator(broadcast)
        buttons: list[list[Button]] | None = cancel_buttons(t, broadcast.id) if stop else None
        await self.notifier.edit_text(
            address, ref, text, buttons=buttons, subject=progress_key(broadcast.id),
            dedupe_key=None if stop else f"broadcast-final:{broadcast.id}",
        )  # fmt: skip
        await self.uow.broadcasts.set_progress_shown(broadcast.id, counts.key())

    @staticmethod
    def _author_address(broadcast: Broadcast) -> Address | None:
        if broadcast.progress_messenger is None or broadcast.progress_chat_id is None:
            return None
        return Address(broadcast.progress_messenger, broadcast.progress_chat_id)

    async def _translator(self, broadcast: Broadcast) -> Translator:
        author = await self.uow.people.get(broadcast.author_id) if broadcast.author_id else None
        return self.texts.for_language(author.language if author else None)
