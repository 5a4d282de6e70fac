"""`python -m bot worker` on MAX alone (only MAX_BOT_TOKEN): it sends MAX's outbox rows, takes
no updates, serves /metrics on HEALTH_PORT, and exits 0 on SIGTERM."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import ClientSession, ClientTimeout

from services.clock import SystemClock
from services.domain import Address, Messenger
from services.notify import OutboxNotifier
from storage.db import create_engine, create_session_factory
from storage.uow import UnitOfWorkFactory
from tests.e2e.conftest import free_port
from tests.e2e.max_emulator import MaxApiEmulator
from tests.e2e.multiproc import start_worker, stop
from tests.e2e.test_foundation import _sample


async def test_the_worker_sends_max_rows_and_takes_no_updates(
    max_emulator: MaxApiEmulator, max_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "worker.log"
    worker = await start_worker({**max_env, "HEALTH_PORT": str(port)}, log)
    chat = max_emulator.dialog_id(4242)
    engine = create_engine(max_env["DATABASE_URL"])
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            notifier = OutboxNotifier(uow.outbox, SystemClock())
            await notifier.send_text(Address(Messenger.MAX, chat), "Первое")
            await notifier.send_text(Address(Messenger.MAX, chat), "Второе")
            await uow.commit()
    finally:
        await engine.dispose()
    await max_emulator.wait_for(lambda: len(max_emulator.texts_to(4242)) == 2, timeout=20)
    assert max_emulator.texts_to(4242) == ["Первое", "Второе"]
    assert max_emulator.calls("GET /updates") == []  # no intake: nothing polled
    sent = 0.0
    async with ClientSession(timeout=ClientTimeout(total=10)) as client:
        for _ in range(50):  # the sender counts a send just after the emulator has it
            async with client.get(f"http://127.0.0.1:{port}/metrics") as response:
                sent = _sample(await response.text(), "kadry_messages_sent_total", messenger="max")
            if sent == 2:
                break
            await asyncio.sleep(0.1)
    assert sent == 2
    assert await stop(worker, log) == 0
    assert "worker stopped" in log.read_text()
