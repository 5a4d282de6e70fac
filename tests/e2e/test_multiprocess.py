"""Several processes (issue 16): two `python -m bot webhook` processes behind a round-robin
proxy and `python -m bot worker`, all on one PostgreSQL and Redis, against the Bot API
emulator; and SIGTERM under load, with the background inline (the leader's standby takes over).

Every outbox message must be sent exactly once and, per chat, in the order it was queued; every
update must be answered (by the process that took it, or — refused while it stopped — by the
other after the redelivery)."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, ClientTimeout
from sqlalchemy import select

from services.actions import PlanAction, PlanVerb, encode
from services.clock import FixedClock
from services.domain import OutboxStatus, TaskKind
from storage.db import create_engine, create_session_factory
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.conftest import REDIS_URL
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import free_port
from tests.e2e.launcher import Launched
from tests.e2e.multiproc import start_webhook, start_worker, stop, webhook_env
from tests.e2e.rr_proxy import RoundRobinProxy
from tests.e2e.test_foundation import _queue, _sample
from tests.plans_world import STUDENT, STUDENT2, TUTOR, build_world, local, services

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

MSK = "Europe/Moscow"
TEAM_CHAT = -100881
# 10:00 in the region, whatever the hour of the run: no quiet hours defer anything.
START = local(MSK, 2026, 12, 1, 10, 0)
WELCOME = "Кадры будущего для регионов"


class Cluster:
    def __init__(self, emulator: BotApiEmulator, env: dict[str, str], tmp_path: Path) -> None:
        self.emulator, self.env, self.tmp_path = emulator, env, tmp_path
        self.proxy = RoundRobinProxy([])
        self.processes: list[tuple[Launched, Path]] = []

    async def webhook(self, **extra: object) -> tuple[Launched, Path, int]:
        port = free_port()
        log = self.tmp_path / f"webhook-{len(self.processes)}.log"
        env = webhook_env(self.env, self.proxy.url, port, **extra)
        process = await start_webhook(self.emulator, env, log)
        self.processes.append((process, log))
        self.proxy.backends.append(f"http://127.0.0.1:{port}")
        return process, log, port

    async def worker(self, **extra: object) -> tuple[Launched, Path, int]:
        port = free_port()
        log = self.tmp_path / f"worker-{len(self.processes)}.log"
        env = {**self.env, "HEALTH_PORT": str(port), **{k: str(v) for k, v in extra.items()}}
        process = await start_worker(env, log)
        self.processes.append((process, log))
        return process, log, port


@pytest.fixture
async def cluster(
    emulator: BotApiEmulator, postgres_url: str, tmp_path: Path
) -> AsyncIterator[Cluster]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = {
        **keep,
        "BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE": emulator.base_url,
        "DATABASE_URL": postgres_url,
        "REDIS_URL": REDIS_URL,
        "PYTHONUNBUFFERED": "1",
        "THROTTLE_RATE_PER_SECOND": "1000",
        "SEND_CHAT_INTERVAL_SECONDS": "0",
    }
    result = Cluster(emulator, env, tmp_path)
    await result.proxy.start()
    try:
        yield result
    finally:
        codes = [(await stop(process, log), log) for process, log in result.processes]
        await result.proxy.stop()
    for code, log in codes:
        assert code == 0, log.read_text()


async def _rows(url: str) -> list[OutgoingMessage]:
    engine = create_engine(url)
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            query = select(OutgoingMessage).order_by(OutgoingMessage.id)
            return list((await uow.session.scalars(query)).all())
    finally:
        await engine.dispose()


def _content(message: dict[str, Any]) -> str:
    return str(message.get("text") or message.get("caption") or "")


async def assert_sent_once_in_order(emulator: BotApiEmulator, url: str) -> int:
    """Every outbox row that carries a message was sent, exactly once, and each chat got its
    rows in the order they were queued. Returns how many were checked."""
    rows: list[OutgoingMessage] = []
    for _ in range(100):  # the sender records a send just after the emulator has it
        rows = [r for r in await _rows(url) if r.kind in ("text", "media")]
        if all(r.status is OutboxStatus.SENT for r in rows):
            break
        await asyncio.sleep(0.1)
    assert rows
    assert {r.status for r in rows} == {OutboxStatus.SENT}, [(r.id, r.status) for r in rows]
    by_chat: dict[int, list[OutgoingMessage]] = {}
    for row in rows:
        by_chat.setdefault(row.chat_id, []).append(row)
    for chat_id, queued in by_chat.items():
        ids = [row.telegram_message_id for row in queued]
        assert all(ids), (chat_id, ids)
        assert ids == sorted(ids), f"chat {chat_id}: sent out of order {ids}"
        received = emulator.messages_to(chat_id)
        texts = {m["message_id"]: _content(m) for m in received}
        for row in queued:
            text = texts[row.telegram_message_id]
            assert sum(_content(m) == text for m in received) == 1, f"sent twice: {text!r}"
    return len(rows)


async def _seed_tasks(url: str) -> dict[int, list[int]]:
    """The ИУП world and three tasks for each of two students, whose «in 1 day» reminders fall
    due a few seconds after START."""
    engine = create_engine(url)
    clock = FixedClock(START)
    tasks: dict[int, list[int]] = {STUDENT: [], STUDENT2: []}
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_world(factory, clock, MSK, chat_id=TEAM_CHAT)
        tutor = await world.me(TUTOR)
        for number in range(3):
            for student in (STUDENT, STUDENT2):
                async with factory() as uow:
                    [task] = await services(uow, clock).plans.assign(
                        tutor,
                        kind=TaskKind.ONLINE_COURSE,
                        title=f"Курс {number} для {student}",
                        due_at=START + timedelta(days=1, seconds=8 + number),
                        student_id=await world.person_id(student),
                    )
                tasks[student].append(task.id)
        return tasks
    finally:
        await engine.dispose()


async def _submit_and_approve(
    emulator: BotApiEmulator, student: int, task_id: int, reminder: dict[str, Any]
) -> None:
    """The student hands the task in from its reminder; the tutor approves it from the notice.
    The tutor's notice and the student's «принята» are queued by whichever webhook process
    took the update, and sent by the worker."""
    ask = encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task_id))
    # Only messages after the press count: an earlier task's prompt or «принята» would let the
    # next update overtake the one still being handled (by the other process).
    asked = len(emulator.messages_to(student))
    emulator.press_button(student, reminder["message_id"], ask, check=False)
    await emulator.wait_for_message(student, contains="Пришлите подтверждение", since=asked)
    before = len(emulator.messages_to(TUTOR))
    emulator.send_message(student, photo={}, caption=f"Сертификат {task_id}")
    notice = await emulator.wait_for_message(
        TUTOR, contains="сдал(а) задачу", since=before, timeout=20
    )
    approve = encode(PlanAction(verb=PlanVerb.APPROVE, task=task_id))
    approved = len(emulator.messages_to(student))
    emulator.press_button(TUTOR, notice["message_id"], approve, check=False)
    await emulator.wait_for_message(student, contains="принята", since=approved, timeout=20)


async def _metrics(port: int) -> str:
    async with (
        ClientSession(timeout=ClientTimeout(total=10)) as client,
        client.get(f"http://127.0.0.1:{port}/metrics") as response,
    ):
        assert response.status == 200
        return await response.text()


async def test_two_webhook_processes_and_a_worker_send_everything_once_in_order(
    emulator: BotApiEmulator, cluster: Cluster, postgres_url: str, tmp_path: Path
) -> None:
    offset_file = tmp_path / "clock-offset"
    offset_file.write_text(str((START - datetime.now(UTC)).total_seconds()))
    tasks = await _seed_tasks(postgres_url)
    emulator.group(TEAM_CHAT, "Команда «Альфа»")
    for user_id in (STUDENT, STUDENT2, TUTOR):
        emulator.user(user_id)
    common = {"BACKGROUND": "worker", "CLOCK_OFFSET_FILE": offset_file}
    _, first_log, first_port = await cluster.webhook(**common)
    _, second_log, _ = await cluster.webhook(**common)
    # The worker's senders poll once a minute only: what the webhook processes queue (the
    # tutor's notices, the approvals) goes out in time only if their NOTIFY wakes it.
    _, worker_log, worker_port = await cluster.worker(
        **common, REMINDER_SWEEP_SECONDS=1, OUTBOX_POLL_SECONDS=60
    )
    before = await _metrics(worker_port)

    reminders = {
        (student, task_id): await emulator.wait_for_message(
            student, contains=f"задачу «Курс {number} для {student}» нужно сдать", since=0,
            timeout=30,
        )
        for student, ids in tasks.items()
        for number, task_id in enumerate(ids)
    }  # fmt: skip
    for (student, task_id), reminder in reminders.items():
        await _submit_and_approve(emulator, student, task_id, reminder)
    await asyncio.sleep(2.5)  # more sweeps and polls: nothing goes out a second time

    checked = await assert_sent_once_in_order(emulator, postgres_url)
    # The assignments' notices, the reminders, each task's notice to the tutor and approval.
    assert checked >= 6 * 4
    for student, ids in tasks.items():
        texts = [_content(m) for m in emulator.messages_to(student)]
        assert sum("нужно сдать через" in t for t in texts) == len(ids)
        assert sum("принята" in t for t in texts) == len(ids)
    # Both webhook processes took updates; only the worker sent and swept.
    assert len([n for n in cluster.proxy.forwarded.values() if n > 0]) == 2
    assert "background: leading" in worker_log.read_text()
    for log in (first_log, second_log):
        assert "BACKGROUND=worker" in log.read_text()
        assert "background: leading" not in log.read_text()

    after = await _metrics(worker_port)
    for name in ("kadry_reminders_due_total", "kadry_reminders_sent_total"):
        assert _sample(after, name) - _sample(before, name) >= 6, name
    sent = _sample(after, "kadry_messages_sent_total", messenger="telegram")
    assert sent - _sample(before, "kadry_messages_sent_total", messenger="telegram") >= 18
    assert "kadry_db_pool_in_use" in after
    webhook_metrics = await _metrics(first_port)
    assert _sample(webhook_metrics, "kadry_messages_sent_total", messenger="telegram") == 0
    assert _sample(webhook_metrics, "kadry_db_pool_in_use") >= 0
    assert "kadry_db_pool_in_use" in webhook_metrics


async def _pool_in_use_peak(port: int, stop: asyncio.Event) -> float:
    peak = 0.0
    while not stop.is_set():
        try:
            peak = max(peak, _sample(await _metrics(port), "kadry_db_pool_in_use"))
        except (OSError, AssertionError):
            break  # the process is going away
        await asyncio.sleep(0.02)
    return peak


async def test_sigterm_under_load_loses_no_update_and_sends_every_message_once(
    emulator: BotApiEmulator, cluster: Cluster, postgres_url: str
) -> None:
    """BACKGROUND=inline: both webhook processes could send; the leader does. SIGTERM the
    leader while hundreds of updates and sends are in flight: it answers what it took, refuses
    (503) what comes after, finishes its sends and exits 0; the other takes every update the
    proxy redirects and, once the lock is free, the outbox."""
    users = list(range(20_000, 20_200))
    for user_id in users:
        emulator.user(user_id)
    first, first_log, first_port = await cluster.webhook()
    await asyncio.sleep(0.5)  # the first one is the leader
    _, second_log, _ = await cluster.webhook()
    assert "background: leading" in first_log.read_text()
    emulator.set_latency(1.5)  # a slow Bot API: answers and sends stay in flight a while
    news = users[::5]
    await _queue(postgres_url, [(u, f"Новость для {u}") for u in news])
    stop_sampling = asyncio.Event()
    peak = asyncio.create_task(_pool_in_use_peak(first_port, stop_sampling))
    for user_id in users:
        emulator.send_text(user_id, "/start")
    # A hundred updates delivered (half to each process): with every Bot API call taking 1.5 s,
    # most are still being handled.
    await emulator.wait_for(lambda: len(emulator.webhook_deliveries) >= 100, timeout=30)
    assert await stop(first, first_log) == 0
    stop_sampling.set()

    def answered() -> int:
        return sum(any(WELCOME in _content(m) for m in emulator.messages_to(u)) for u in users)

    await emulator.wait_for(lambda: answered() == len(users), timeout=120)
    await emulator.wait_for(
        lambda: all(
            any("Новость для" in _content(m) for m in emulator.messages_to(u)) for u in news
        ),
        timeout=120,
    )
    emulator.set_latency(0)
    assert await assert_sent_once_in_order(emulator, postgres_url) == len(news)
    for user_id in users:
        welcomes = [m for m in emulator.messages_to(user_id) if WELCOME in _content(m)]
        assert len(welcomes) == 1, user_id
    in_flight = re.search(r"shutdown: telegram: (\d+) updates in flight", first_log.read_text())
    # Telegram keeps at most max_connections (40 by default) requests open, each until its
    # update is handled; the proxy splits them over the two processes.
    assert in_flight is not None and int(in_flight[1]) >= 15, first_log.read_text()
    assert "updates in flight done, 0 cancelled" in first_log.read_text()
    assert "background: leading" in second_log.read_text()
    assert (await peak) >= 1  # the pool gauge moved with the load
