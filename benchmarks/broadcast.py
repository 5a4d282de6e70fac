"""A broadcast to 10 000 students: the bot process (`python -m bot run`) sends it through its
outbox to the Bot API emulator of the e2e tests, and halfway through the emulator answers 429
with retry_after 5 s for five seconds (a flood-control storm).

Prints the send rate outside the pause (messages per second from the first delivery to the
storm, and from the first delivery after it to the last), the pause itself, how many students
got nothing (lost) and more than one message (doubled), and the broadcast's final counts.

    python -m benchmarks.broadcast [--recipients 10000] [--sqlite]

PostgreSQL by default (BENCH_POSTGRES_SERVER, default postgresql://postgres@127.0.0.1:5432; a
scratch database, dropped at the end); `--sqlite` uses the embedded default instead. Prints
numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks._scratch import PG_SERVER, admin
from services.clock import SystemClock
from services.container import ServiceConfig, Services
from services.domain import BroadcastSegment
from services.i18n import Texts
from services.questionnaire import Input
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.models import Broadcast
from storage.uow import UnitOfWorkFactory
from tests.broadcast_world import Someone, add_people
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.launcher import launch
from tests.example_season import import_example

OFFICE = 9_000_000
FIRST_STUDENT = 10_000_000
TEXT = "Завтра в 10:00 общий сбор участников программы «Кадры будущего»."
STORM_SECONDS = 5


async def _seed_and_confirm(url: str, students: list[int]) -> int:
    """The season, the students, and the broadcast confirmed as the office's button does."""
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        clock = SystemClock()
        await import_example(factory, clock)
        await add_people(factory, datetime.now(UTC), [Someone(tg) for tg in students])
        config = ServiceConfig(office_admin_ids=frozenset({OFFICE}))
        async with factory() as uow:
            services = Services(uow, clock, Texts(), config)
            me = await services.people.identify(OFFICE, "ru")
            await uow.commit()
            draft = await services.broadcasts.create(me, BroadcastSegment.STUDENTS)
            await services.broadcasts.set_content(me, draft.id, Input("text", text=TEXT))
            started = await services.broadcasts.confirm(me, draft.id)
        return started.total
    finally:
        await engine.dispose()


async def _final_report(url: str) -> dict[str, int] | None:
    engine = create_engine(url)
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            broadcast = await uow.session.get(Broadcast, 1)
            return broadcast.report if broadcast is not None else None
    finally:
        await engine.dispose()


async def _run(url: str, recipients: int, log: Path) -> None:
    students = list(range(FIRST_STUDENT, FIRST_STUDENT + recipients))
    async with BotApiEmulator(token="123456:BENCH") as emulator:
        for user_id in [OFFICE, *students]:
            emulator.user(user_id)
        queued = await _seed_and_confirm(url, students)
        env = {
            "PATH": os.environ.get("PATH", ""), "BOT_TOKEN": emulator.token,
            "TELEGRAM_API_BASE": emulator.base_url, "DATABASE_URL": url,
            "LOG_LEVEL": "WARNING", "OFFICE_ADMIN_IDS": str(OFFICE),
            "BROADCAST_PROGRESS_SECONDS": "2",
        }  # fmt: skip
        bot = await launch(["run"], env, log, log)
        try:
            await _storm_midway(emulator, students)
            await _until(lambda: _delivered(emulator, students) == len(students), 600)
            await _until(
                lambda: any("Отчёт о рассылке" in m.get("text", "")
                            for m in emulator.messages_to(OFFICE)), 60,
            )  # fmt: skip
            _print(emulator, students, queued)
        finally:
            bot.send_signal(15)
            await bot.wait()
    print(f"final counts:         {await _final_report(url)}")


def _delivered(emulator: BotApiEmulator, students: list[int]) -> int:
    """Students with a message: counted from the calls, cheaply (no copies of messages)."""
    chats = set(students)
    return len({c.params.get("chat_id") for c in emulator.calls("sendMessage") if c.ok} & chats)


async def _until(condition: Callable[[], bool], timeout: float) -> None:
    """Polled four times a second: the emulator's own wait_for re-checks on every call, which
    at ten thousand recipients would cost the emulator more than it answers."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the broadcast did not get there in time")
        await asyncio.sleep(0.25)


async def _storm_midway(emulator: BotApiEmulator, students: list[int]) -> None:
    await _until(lambda: _delivered(emulator, students) >= len(students) // 2, 600)
    emulator.flood(retry_after=STORM_SECONDS)


def _print(emulator: BotApiEmulator, students: list[int], queued: int) -> None:
    chats = set(students)
    [window] = emulator.flood_windows
    sends = [c for c in emulator.calls("sendMessage") if c.params.get("chat_id") in chats]
    ok = sorted(c.time for c in sends if c.ok)
    before = [moment for moment in ok if moment < window.start]
    after = [moment for moment in ok if moment >= window.start]
    counts = [len(emulator.messages_to(user_id)) for user_id in students]
    outside = (before[-1] - before[0]) + (after[-1] - after[0])
    print(f"recipients:           {len(students)} (queued {queued})")
    print(f"before the storm:     {len(before)} in {before[-1] - before[0]:.1f} s "
          f"= {(len(before) - 1) / (before[-1] - before[0]):.1f} msg/s")  # fmt: skip
    print(f"after the storm:      {len(after)} in {after[-1] - after[0]:.1f} s "
          f"= {(len(after) - 1) / (after[-1] - after[0]):.1f} msg/s")  # fmt: skip
    print(f"outside the pause:    {(len(ok) - 2) / outside:.1f} msg/s")
    print(f"pause (429 to next):  {after[0] - window.start:.1f} s "
          f"({len(window.rejected)} requests answered 429)")  # fmt: skip
    print(f"lost:                 {sum(1 for c in counts if c == 0)}")
    print(f"doubled:              {sum(1 for c in counts if c > 1)}")


async def _main(recipients: int, sqlite: bool) -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as folder:
        log = Path(folder) / "bot.log"
        if sqlite:
            await _run(f"sqlite:///{Path(folder) / 'bot.sqlite3'}", recipients, log)
        else:
            name = f"bench_broadcast_{uuid.uuid4().hex[:8]}"
            await admin(f'CREATE DATABASE "{name}"')
            try:
                await _run(f"{PG_SERVER}/{name}", recipients, log)
            finally:
                await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
        print(f"bot log errors:       {len(errors)}")
    print(f"whole run:            {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--sqlite", action="store_true", help="the embedded SQLite database")
    args, _ = parser.parse_known_args()
    asyncio.run(_main(args.recipients, args.sqlite))


if __name__ == "__main__":
    main()
