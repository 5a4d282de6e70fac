"""The background work — the outbox senders (one per messenger) and the scheduler — and where
it runs when there are several processes.

`BACKGROUND=inline` (the default): every `run` or `webhook` process is ready to run it;
`BACKGROUND=worker`: only `python -m bot worker` does, and the update processes never start
it. Whatever is configured, on PostgreSQL the work runs in one process at a time: the one
holding the leader's advisory lock (storage/leader.py) on a connection of its own. The others
wait as standbys, trying the lock every STANDBY_POLL_SECONDS, and one takes over when the
leader stops or its connection dies. One sender per messenger is what keeps each chat's
messages in order: claims skip locked rows, but two senders could each claim a different
message of the same chat and send them out of order. SQLite is single-process: no lock.

A commit in a process that is not the leader wakes the leader's senders by NOTIFY (coalesced),
so what a webhook process queued goes out at once; the senders' poll is the fallback."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import ORMExecuteState, Session

from bot.metrics import observe_reminders, watch_pool
from bot.sender import Sender
from bot.settings import Settings
from scheduler import build_scheduler
from scheduler.jobs import Jobs
from services.clock import Clock
from services.i18n import Texts
from storage.db import is_sqlite
from storage.leader import LeaderConnection, WakePublisher
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)

STANDBY_POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 2.0
# After a connection failure, and after losing the lead: more than a standby's poll.
RECONNECT_SECONDS = 2.0
# A graceful stop lets each sender finish the sends it has started within this bound.
SENDER_GRACE_SECONDS = 5.0


class Background:
    def __init__(
        self,
        senders: list[Sender],
        new_scheduler: Callable[[], AsyncIOScheduler],
        database_url: str,
        timeout: float,
        *,
        here: bool = True,
    ) -> None:
        """`here`: whether this process may run the work (False: a webhook or polling process
        with BACKGROUND=worker, which only wakes the worker)."""
        self.senders = senders
        self.new_scheduler = new_scheduler
        self.here = here
        self.shared = not is_sqlite(database_url)
        self.database_url = database_url
        self.timeout = timeout
        self.leading = False
        self.scheduler: AsyncIOScheduler | None = None
        self._publisher: WakePublisher | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """After a commit that may have queued messages: the senders here, or the leader."""
        if self.leading:
            for sender in self.senders:
                sender.wake()
        elif self._publisher is not None:
            self._publisher.publish()

    async def start(self) -> None:
        self._stop.clear()
        if self.shared:
            self._publisher = WakePublisher(self.database_url, self.timeout)
        if not self.here:
            logger.info("background: runs in `python -m bot worker` (BACKGROUND=worker)")
            return
        campaign = self._campaign() if self.shared else self._lead(None)
        self._task = asyncio.create_task(campaign, name="background")

    async def stop(self) -> None:
        """The senders' sends in flight finish, the scheduler's jobs end (both bounded), and
        then the lock is released for a standby."""
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._publisher is not None:
            await self._publisher.close()
            self._publisher = None

    async def _campaign(self) -> None:
        """Until stopped: connect, wait for the lock, lead while the connection lives."""
        while not self._stop.is_set():
            connection = LeaderConnection(self.database_url, self.timeout)
            try:
                await connection.open()
                await connection.listen(self._wake_here)
                if await self._elected(connection):
                    await self._lead(connection)
                    # Lost it (or stopping): a standby, whose connection is sound, goes first.
                    await self._pause(RECONNECT_SECONDS)
            except Exception as error:
                if isinstance(error, asyncio.CancelledError):
                    raise
                logger.warning("background: leader connection failed (%s)", type(error).__name__)
                await self._pause(RECONNECT_SECONDS)
            finally:
                await connection.close()

    async def _elected(self, connection: LeaderConnection) -> bool:
        standby = False
        while not self._stop.is_set():
            if await connection.try_lock():
                return True
            if not standby:
                logger.info("background: another process leads; standing by")
                standby = True
            await self._pause(STANDBY_POLL_SECONDS)
            if connection.lost.is_set():
                return False
        return False

    async def _lead(self, connection: LeaderConnection | None) -> None:
        logger.info("background: leading (senders and scheduler run here)")
        self.leading = True
        self.scheduler = self.new_scheduler()
        self.scheduler.start()
        for sender in self.senders:
            sender.start()
        try:
            while not self._stop.is_set():
                if connection is None:
                    await self._stop.wait()
                elif connection.lost.is_set() or not await connection.heartbeat():
                    logger.warning("background: lost the leader's lock; stopping here")
                    break
                else:
                    await self._pause(HEARTBEAT_SECONDS, connection.lost)
        finally:
            await self._step_down()

    async def _step_down(self) -> None:
        self.leading = False
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None:
            await stop_scheduler(scheduler)
        await asyncio.gather(*(sender.stop(SENDER_GRACE_SECONDS) for sender in self.senders))
        logger.info("shutdown: outbox senders stopped")

    def _wake_here(self) -> None:
        if self.leading:
            for sender in self.senders:
                sender.wake()

    async def _pause(self, seconds: float, *also: asyncio.Event) -> None:
        """Sleep, cut short by a stop (or any of `also`)."""
        waits = [asyncio.ensure_future(event.wait()) for event in (self._stop, *also)]
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED), seconds
                )
        finally:
            for waiting in waits:
                waiting.cancel()


# Jobs running at shutdown (a sweep at start-up, say) get this long to finish, then are
# cancelled and given as long again to let go of their database connections.
JOB_GRACE_SECONDS = 2.0


async def stop_scheduler(scheduler: AsyncIOScheduler) -> None:
    """No new jobs; the running ones finished (or cancelled) within bounds."""
    if not scheduler.running:
        return
    scheduler.pause()
    # APScheduler 3's AsyncIOExecutor cancels its jobs' futures on shutdown and cannot wait for
    # them (its shutdown is no coroutine): wait for them here first.
    executor = scheduler._lookup_executor("default")
    running = [f for f in getattr(executor, "_pending_futures", ()) if not f.done()]
    if running:
        _, left = await asyncio.wait(running, timeout=JOB_GRACE_SECONDS)
    else:
        left = set()
    scheduler.shutdown(wait=False)
    if left:
        await asyncio.wait(left, timeout=JOB_GRACE_SECONDS)
    logger.info(
        "shutdown: scheduler stopped; %s jobs were running, %s cancelled", len(running), len(left)
    )


def scheduler_factory(
    settings: Settings, uow_factory: UnitOfWorkFactory, clock: Clock, texts: Texts
) -> Callable[[], AsyncIOScheduler]:
    """A fresh scheduler each time this process becomes the leader (APScheduler 3's is not
    restarted once shut down)."""
    jobs = Jobs(
        uow_factory, clock, texts, settings.default_timezone, observe_reminders=observe_reminders
    )
    return lambda: build_scheduler(
        jobs, settings.reminder_sweep_seconds, settings.broadcast_progress_seconds
    )


def build_background(
    settings: Settings,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    senders: list[Sender],
    schedulers: Callable[[], AsyncIOScheduler],
    *,
    first: AsyncIOScheduler | None = None,
    worker: bool = False,
) -> Background:
    """The senders and the scheduler of this process; woken after every commit. `worker`: the
    `python -m bot worker` process, which runs them whatever BACKGROUND says."""
    unused = [first] if first is not None else []

    def new_scheduler() -> AsyncIOScheduler:
        return unused.pop() if unused else schedulers()

    background = Background(
        senders,
        new_scheduler,
        settings.database_url,
        settings.database_connect_timeout_seconds,
        here=worker or settings.background == "inline",
    )
    wake_when_queued(uow_factory, background.wake)
    watch_pool(engine)
    return background


QUEUED = "outbox_queued"


def wake_when_queued(uow_factory: UnitOfWorkFactory, wake: Callable[[], None]) -> None:
    """Call `wake` after each commit that inserted outbox rows (and only then: a commit that
    queued nothing would cost the leader a claim for nothing, across processes a NOTIFY too).
    The sessions of this factory note their inserts into the outbox; the note is dropped on
    rollback."""
    outbox = OutgoingMessage.__tablename__

    class NotingSession(Session):
        pass

    def noted(state: ORMExecuteState) -> None:
        # The statement's table is an annotated copy of the Table: compared by name.
        if (
            state.is_insert
            and getattr(getattr(state.statement, "table", None), "name", "") == outbox
        ):
            state.session.info[QUEUED] = True

    def committed(session: Session) -> None:
        if session.info.pop(QUEUED, False):
            wake()

    def rolled_back(session: Session) -> None:
        session.info.pop(QUEUED, None)

    event.listen(NotingSession, "do_orm_execute", noted)
    event.listen(NotingSession, "after_commit", committed)
    event.listen(NotingSession, "after_soft_rollback", lambda session, _: rolled_back(session))
    uow_factory.sessions.configure(sync_session_class=NotingSession)
