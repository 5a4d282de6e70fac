"""/help through the Bot API emulator: the bot process (`python -m bot run`, PostgreSQL and
Redis, every middleware) against a bare aiogram bot answering the same command with the same
text, each polling the same emulator (tests/e2e/botapi_emulator.py) in a process of its own.

    python -m benchmarks.help_rate [--users 100] [--rounds 5]

Each of `users` users sends /help `rounds` times (once more first, unmeasured: the bot registers
them); the figure is answers per second from the first update queued to the last answer
recorded, and the bot process's own CPU per update (from /proc). Needs PostgreSQL and Redis
(as benchmarks.questionnaire_step); creates and drops its own database. Prints numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis

from benchmarks._scratch import PG_SERVER, admin
from benchmarks.questionnaire_step import REDIS_URL
from storage.migrate import upgrade_async
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.launcher import ROOT, launch

FIRST_USER = 3_000_000


def help_text() -> str:
    """What the bot answers a person with no role: the bare bot sends the same."""
    from services.i18n import Texts

    t = Texts().for_language("ru")
    return "\n\n".join([t("help-intro"), t("help-everyone")])


def bare_bot() -> None:
    """A bare aiogram bot: long polling, one handler answering /help, nothing else."""
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.filters import Command
    from aiogram.types import Message

    text = help_text()
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dispatcher = Dispatcher()

    @dispatcher.message(Command("help"))
    async def on_help(message: Message) -> None:
        await message.answer(text)

    asyncio.run(dispatcher.start_polling(bot, handle_signals=True))


def cpu_seconds(pid: int) -> float:
    """The process's user + system CPU time so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Rate:
    per_second: float
    cpu_ms: float  # the bot process's CPU per update


async def _answered(emulator: BotApiEmulator, count: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while len(emulator.calls("sendMessage")) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(emulator.calls('sendMessage'))} of {count} answered")
        await asyncio.sleep(0.005)


async def _measure(argv: list[str], env: dict[str, str], users: int, rounds: int) -> Rate:
    emulator = BotApiEmulator(token=env["BOT_TOKEN"])
    await emulator.start()
    env = {**env, "TELEGRAM_API_BASE": emulator.base_url}
    with tempfile.TemporaryDirectory(prefix="help-rate-") as directory:
        log = Path(directory) / "bot.log"
        if argv:
            process = await launch(argv, env, log, log)
            pid = process.pid
        else:
            spawned = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "benchmarks.help_rate", "--bare-bot", cwd=ROOT, env=env
            )
            pid = spawned.pid
        assert pid is not None
        try:
            ids = range(FIRST_USER, FIRST_USER + users)
            for uid in ids:
                emulator.user(uid)
                emulator.send_text(uid, "/help")  # warm-up: registration, first connections
            await _answered(emulator, users)
            emulator.clear_calls()
            spy = None
            if os.environ.get("BENCH_PYSPY") and argv:
                spy = await asyncio.create_subprocess_exec(
                    "py-spy",
                    "record",
                    "--pid",
                    str(pid),
                    "-r",
                    "500",
                    "-f",
                    "raw",
                    "-o",
                    os.environ["BENCH_PYSPY"],
                    "-d",
                    "15",
                )
                await asyncio.sleep(1.5)
            began, cpu = time.perf_counter(), cpu_seconds(pid)
            for _ in range(rounds):
                for uid in ids:
                    emulator.send_text(uid, "/help")
            await _answered(emulator, users * rounds)
            elapsed, used = time.perf_counter() - began, cpu_seconds(pid) - cpu
            if spy is not None:
                await spy.wait()
            texts = {call.params.get("text") for call in emulator.calls("sendMessage")}
            if texts != {help_text()}:
                raise RuntimeError(f"the bots did not answer alike:\n{log.read_text()[-4000:]}")
        finally:
            if argv:
                process.send_signal(15)
                await process.wait()
            else:
                spawned.terminate()
                await spawned.wait()
            await emulator.stop()
    count = users * rounds
    return Rate(count / elapsed, used / count * 1000)


async def run(users: int, rounds: int) -> None:
    name = f"kadry_bench_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{name}"')
    token = f"{uuid.uuid4().int % 10**9 + 10**9}:BENCH"
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = {
        **keep,
        "BOT_TOKEN": token,
        "DATABASE_URL": f"{PG_SERVER}/{name}",
        "REDIS_URL": REDIS_URL,
        "THROTTLE_RATE_PER_SECOND": "1000000",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    try:
        await upgrade_async(env["DATABASE_URL"])
        bare = await _measure([], env, users, rounds)
        bot = await _measure(["run"], env, users, rounds)
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis = Redis.from_url(REDIS_URL)
        keys = [key async for key in redis.scan_iter(f"*{token.split(':')[0]}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
    print(f"users: {users}, /help per run: {users * rounds}")
    print(
        f"bare aiogram bot:                 {bare.per_second:8.0f} answers/s"
        f"  ({bare.cpu_ms:.2f} ms CPU each in its process)"
    )
    print(
        f"the bot (PostgreSQL + Redis):     {bot.per_second:8.0f} answers/s"
        f"  ({bot.cpu_ms:.2f} ms CPU each in its process)"
    )
    print(f"ratio bot/bare: {bot.per_second / bare.per_second:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.help_rate")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--bare-bot", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_bot:
        bare_bot()
        return 0
    asyncio.run(run(args.users, args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
