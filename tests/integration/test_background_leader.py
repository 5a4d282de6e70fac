"""The background's leader on PostgreSQL (bot/background.py, storage/leader.py): one leader at
a time among several processes' backgrounds, a standby taking over when the leader stops or
its connection dies, and a commit's wake-up reaching the leader's senders across processes by
NOTIFY."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, cast

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.background import Background
from bot.sender import Sender
from storage.leader import LEADER_LOCK_KEY

pytestmark = pytest.mark.postgres


class FakeSender:
    """What the background asks of a sender: started, stopped, woken."""

    def __init__(self) -> None:
        self.running = False
        self.wakes = 0

    def start(self) -> None:
        self.running = True

    async def stop(self, grace: float = 0.0) -> None:
        self.running = False

    def wake(self) -> None:
        self.wakes += 1


def _background(url: str, sender: FakeSender, *, here: bool = True) -> Background:
    return Background(
        [cast(Sender, sender)], AsyncIOScheduler, url, timeout=5.0, here=here
    )  # fmt: skip


async def _until(condition: Callable[[], Any], timeout: float = 10.0) -> float:
    began = time.monotonic()
    while not condition():
        assert time.monotonic() - began < timeout, "condition not met in time"
        await asyncio.sleep(0.02)
    return time.monotonic() - began


@pytest.fixture
async def backgrounds(postgres_url: str) -> AsyncIterator[list[tuple[Background, FakeSender]]]:
    made: list[tuple[Background, FakeSender]] = []
    for _ in range(2):
        sender = FakeSender()
        made.append((_background(postgres_url, sender), sender))
    yield made
    for background, _ in made:
        await background.stop()


async def test_one_leads_the_other_stands_by_and_takes_over_on_stop(
    backgrounds: list[tuple[Background, FakeSender]],
) -> None:
    (first, first_sender), (second, second_sender) = backgrounds
    await first.start()
    await _until(lambda: first.leading)
    await second.start()
    await asyncio.sleep(1.5)  # more than one standby poll
    assert first_sender.running and not second.leading and not second_sender.running

    await first.stop()
    assert not first_sender.running and not first.leading
    took = await _until(lambda: second.leading and second_sender.running)
    assert took < 3


async def test_a_standby_takes_over_when_the_leaders_connection_dies(
    backgrounds: list[tuple[Background, FakeSender]], postgres_url: str
) -> None:
    import asyncpg

    (first, first_sender), (second, second_sender) = backgrounds
    await first.start()
    await _until(lambda: first.leading)
    await second.start()
    await asyncio.sleep(0.5)
    admin = await asyncpg.connect(postgres_url)
    try:
        # The leader's session is the one holding the advisory lock: end it from outside.
        # Only this database's leader lock: other test sessions (and their bot processes) share
        # the server.
        ended = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
            "WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND (classid::bigint << 32 | objid::bigint) = $1",
            LEADER_LOCK_KEY,
        )
    finally:
        await admin.close()
    assert ended == 1
    await _until(lambda: not first_sender.running)
    await _until(lambda: second.leading and second_sender.running)
    # The old leader campaigns again, as a standby now: never two leaders.
    await asyncio.sleep(1.5)
    assert not first.leading and not first_sender.running


async def test_a_commit_elsewhere_wakes_the_leaders_senders_by_notify(
    backgrounds: list[tuple[Background, FakeSender]], postgres_url: str
) -> None:
    (leader, leader_sender), _ = backgrounds
    await leader.start()
    await _until(lambda: leader.leading)
    other_sender = FakeSender()
    # A webhook process with BACKGROUND=worker: it never leads, it only wakes the leader.
    webhook = _background(postgres_url, other_sender, here=False)
    await webhook.start()
    try:
        before = leader_sender.wakes
        webhook.wake()
        took = await _until(lambda: leader_sender.wakes > before, timeout=2)
        assert took < 0.5
        assert other_sender.wakes == 0 and not other_sender.running
    finally:
        await webhook.stop()
