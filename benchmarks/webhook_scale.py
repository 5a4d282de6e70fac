"""Throughput of one webhook process against two behind the round-robin proxy (issue 16's
"two webhook processes ≥ 1.7× one"), through the Bot API emulator, on PostgreSQL and Redis.

Each run starts `python -m bot webhook` process(es) with BACKGROUND=worker behind
tests/e2e/rr_proxy.py, and `python -m bot worker` beside them, as production would. The load
is a realistic mix for a season's first hour: each new person sends /start, /help, /apply,
/status and /privacy (new people: registration, the menu, the questionnaire's first screen).
Updates are POSTed as Telegram does, over several connections at once (CONNECTIONS, like
setWebhook's max_connections), to the proxy; the answers go to the emulator. The clock runs
from the first POST until the processes' /metrics count every update handled.

    python -m benchmarks.webhook_scale [--people 300] [--connections 40]

Prints updates/s for one process, for two, and the ratio. Numbers only: on a 2-core machine the
bot processes share the cores with PostgreSQL, Redis, the emulator and the proxy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, ClientTimeout

from benchmarks._scratch import PG_SERVER, admin
from storage.migrate import upgrade_async
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import free_port
from tests.e2e.launcher import Launched
from tests.e2e.multiproc import SECRET, start_webhook, start_worker, stop, webhook_env
from tests.e2e.rr_proxy import RoundRobinProxy

REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
MIX = ("/start", "/help", "/apply", "/status", "/privacy")
WARM_UP_PEOPLE = 20


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> float:
    """CPU seconds the whole machine spent busy so far (every process, ours or not)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu() -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "redis-server"):
                    total += _cpu_seconds(int(entry.name))
            except OSError:
                continue  # ended meanwhile
    return total


def _handled(metrics: str) -> float:
    total = 0.0
    for line in metrics.splitlines():
        if line.startswith('kadry_updates_total{messenger="telegram"'):
            total += float(line.rpartition(" ")[2])
    return total


async def _until_handled(client: ClientSession, ports: list[int], total: float) -> None:
    while await _counted(client, ports) < total:  # noqa: ASYNC110 - polling another process
        await asyncio.sleep(0.02)


async def _counted(client: ClientSession, ports: list[int]) -> float:
    total = 0.0
    for port in ports:
        async with client.get(f"http://127.0.0.1:{port}/metrics") as response:
            total += _handled(await response.text())
    return total


def _updates(emulator: BotApiEmulator, people: range) -> list[dict[str, Any]]:
    """The updates the emulator makes for these people's messages, taken out of its queue (the
    benchmark posts them itself, over several connections)."""
    for person in people:
        emulator.user(person)
    # Everyone's first command, then everyone's second...: a person's next message comes after
    # the bot answered the previous one, as a person types (one person's updates at once would
    # only queue on their per-user lock).
    for command in MIX:
        for person in people:
            emulator.send_text(person, command)
    updates = emulator.pending_updates()
    emulator._pending.clear()  # delivered by the benchmark below, not by the emulator's worker
    return updates


async def _post_all(updates: list[dict[str, Any]], url: str, connections: int) -> None:
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for update in updates:
        queue.put_nowait(update)
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def connection(client: ClientSession) -> None:
        while not queue.empty():
            update = queue.get_nowait()
            while True:
                async with client.post(url, json=update, headers=headers) as response:
                    await response.read()
                    if response.status == 200:
                        break
                await asyncio.sleep(0.05)  # Telegram retries an update not taken

    async with ClientSession(timeout=ClientTimeout(total=60)) as client:
        await asyncio.gather(*(connection(client) for _ in range(connections)))


async def _measure(
    emulator: BotApiEmulator, env: dict[str, str], processes: int, people: range, args: Any
) -> float:
    """Updates handled per second by `processes` webhook processes behind the proxy."""
    async with RoundRobinProxy([]) as proxy:
        started: list[tuple[Launched, Path]] = []
        ports: list[int] = []
        try:
            for index in range(processes):
                port = free_port()
                log = Path(env["LOGS"]) / f"webhook-{processes}-{index}.log"
                settings = webhook_env(env, proxy.url, port)
                started.append((await start_webhook(emulator, settings, log), log))
                proxy.backends.append(f"http://127.0.0.1:{port}")
                ports.append(port)
            url = f"{proxy.url}/telegram/webhook"
            warm = range(people.start - WARM_UP_PEOPLE, people.start)
            async with ClientSession(timeout=ClientTimeout(total=10)) as client:
                base = await _counted(client, ports)
                warm_updates = _updates(emulator, warm)
                await _post_all(warm_updates, url, args.connections)
                await _until_handled(client, ports, base + len(warm_updates))
                base = await _counted(client, ports)
                updates = _updates(emulator, people)
                pids = [process.pid for process, _ in started]
                cpu = [_cpu_seconds(pid) for pid in pids]
                own = time.process_time()
                machine, database = _machine_busy(), _postgres_cpu()
                began = time.perf_counter()
                await _post_all(updates, url, args.connections)
                await _until_handled(client, ports, base + len(updates))
                elapsed = time.perf_counter() - began
                bots = sum(_cpu_seconds(pid) for pid in pids) - sum(cpu)
                harness = time.process_time() - own
                machine, database = _machine_busy() - machine, _postgres_cpu() - database
        finally:
            for process, log in started:
                await stop(process, log)
    per_update = 1000 * bots / len(updates)
    print(
        f"  {processes} process(es): {len(updates) / elapsed:7.1f} updates/s; bot CPU "
        f"{per_update:.1f} ms per update; cores busy: bots {bots / elapsed:.2f}, PostgreSQL + "
        f"Redis {database / elapsed:.2f}, emulator + proxy + load {harness / elapsed:.2f}, "
        f"whole machine {machine / elapsed:.2f} of {os.cpu_count()}"
    )
    return len(updates) / elapsed


async def _run(args: argparse.Namespace) -> None:
    name = f"kadry_bench_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    emulator = BotApiEmulator(token=f"{uuid.uuid4().int % 10**9 + 10**9}:BENCH")
    await emulator.start()
    try:
        await upgrade_async(url)
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as logs:
            env = {
                **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
                "BOT_TOKEN": emulator.token,
                "TELEGRAM_API_BASE": emulator.base_url,
                "DATABASE_URL": url,
                "REDIS_URL": REDIS,
                "PYTHONUNBUFFERED": "1",
                "THROTTLE_RATE_PER_SECOND": "1000",
                "BACKGROUND": "worker",
                "LOG_LEVEL": "WARNING",
                "LOGS": logs,
            }
            worker_log = Path(logs) / "worker.log"
            worker = await start_worker({**env, "HEALTH_PORT": str(free_port())}, worker_log)
            try:
                n = args.people
                one = await _measure(emulator, env, 1, range(10_000_000, 10_000_000 + n), args)
                two = await _measure(emulator, env, 2, range(20_000_000, 20_000_000 + n), args)
            finally:
                await stop(worker, worker_log)
    finally:
        await emulator.stop()
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    updates = args.people * len(MIX)
    print(f"webhook scale: {updates} updates ({' '.join(MIX)} from {args.people} new people)")
    print(f"  one process:   {one:7.1f} updates/s")
    print(f"  two processes: {two:7.1f} updates/s")
    print(f"  two / one:     {two / one:7.2f}x (target >= 1.7x; {os.cpu_count()} CPU cores here)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.webhook_scale")
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--connections", type=int, default=40)
    asyncio.run(_run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
