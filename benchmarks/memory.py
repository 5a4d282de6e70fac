"""The bot process's memory with 10 000 applicants mid-questionnaire (FSM in Redis).

    python -m benchmarks.memory [--users 10000]

One tutor is brought to the step asking for their university through the real Dispatcher; the
database rows and the Redis cursor of that applicant are then copied for `users` applicants (the
same answers, their own person, account, application and cursor). The bot process
(`python -m bot run`, PostgreSQL + Redis) polls the Bot API emulator; every applicant answers
their open step once, so each has passed through the process (identity cache, per-user lock,
FSM) and is still mid-questionnaire. Prints the process's resident set size at start, after
those answers, and its peak (from /proc). Needs PostgreSQL and Redis (as
benchmarks.questionnaire_step); creates and drops its own database. Prints numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from redis.asyncio import Redis

from benchmarks._scratch import PG_SERVER, admin
from benchmarks.questionnaire_step import CLOCK, REDIS_URL, STEPS, _prepare
from storage.migrate import upgrade_async
from tests.dispatcher.harness import build_harness
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.launcher import launch
from tests.example_season import import_example

TEMPLATE = 2_000_000
FIRST = TEMPLATE + 1
FSM_PREFIX = "kadry_fsm"
WAVE = 200

_CLONE = [
    """INSERT INTO people (tg_id, preferred_messenger, language, is_active, full_name, username,
           created_at, updated_at)
       SELECT g, t.preferred_messenger, t.language, t.is_active, t.full_name, t.username,
           t.created_at, t.updated_at
       FROM people t, generate_series($2::bigint, $3::bigint) g WHERE t.tg_id = $1""",
    """INSERT INTO accounts (person_id, messenger, user_id, chat_id, created_at, last_seen_at,
           is_active)
       SELECT p.id, t.messenger, p.tg_id, p.tg_id, t.created_at, t.last_seen_at, t.is_active
       FROM accounts t, people p WHERE t.user_id = $1 AND p.tg_id BETWEEN $2 AND $3""",
    """INSERT INTO applications (season_id, person_id, role, status, number, created_at,
           updated_at, submitted_at, withdrawn_at, erased_at)
       SELECT t.season_id, p.id, t.role, t.status,
           CASE WHEN t.number IS NULL THEN NULL ELSE t.number || '-' || p.tg_id END,
           t.created_at, t.updated_at, t.submitted_at, t.withdrawn_at, t.erased_at
       FROM applications t JOIN people tp ON tp.id = t.person_id AND tp.tg_id = $1,
           people p WHERE p.tg_id BETWEEN $2 AND $3""",
    """INSERT INTO application_answers (application_id, step, value, answered_at)
       SELECT a.id, t.step, t.value, t.answered_at
       FROM application_answers t
           JOIN applications ta ON ta.id = t.application_id
           JOIN people tp ON tp.id = ta.person_id AND tp.tg_id = $1,
           applications a JOIN people p ON p.id = a.person_id
       WHERE p.tg_id BETWEEN $2 AND $3""",
    """INSERT INTO consents (application_id, person_id, consent_text_id, kind, text_version,
           representative_name, representative_relation, representative_phone, given_at, valid,
           withdrawn_at, parent_messenger, parent_user_id, parent_link_id, paper_consent_id)
       SELECT a.id, p.id, t.consent_text_id, t.kind, t.text_version, t.representative_name,
           t.representative_relation, t.representative_phone, t.given_at, t.valid,
           t.withdrawn_at, t.parent_messenger, t.parent_user_id, t.parent_link_id,
           t.paper_consent_id
       FROM consents t JOIN people tp ON tp.id = t.person_id AND tp.tg_id = $1,
           applications a JOIN people p ON p.id = a.person_id
       WHERE p.tg_id BETWEEN $2 AND $3""",
]


def rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of the process, in KiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def _seed(url: str, token: str, users: int) -> None:
    """The template applicant through the Dispatcher, then copied `users` times."""
    # A bot of its own for the template: its update ids must not be taken as the bot's.
    seeder = f"{int(token.split(':')[0]) + 1}:SEED"
    harness = build_harness(url, CLOCK, seeder, redis_url=REDIS_URL, throttle_rate_per_second=1e6)
    try:
        await import_example(harness.app.uow_factory, CLOCK)
        await _prepare(harness, [TEMPLATE])
    finally:
        await harness.app.engine.dispose()
        if harness.app.redis is not None:
            await harness.app.redis.aclose()
    bot_id = int(token.split(":")[0])
    connection = await asyncpg.connect(url)
    try:
        for statement in _CLONE:
            await connection.execute(statement, TEMPLATE, FIRST, TEMPLATE + users)
        rows = await connection.fetch(
            "SELECT p.tg_id, a.id FROM applications a JOIN people p ON p.id = a.person_id"
            " WHERE p.tg_id BETWEEN $1 AND $2",
            FIRST,
            TEMPLATE + users,
        )
    finally:
        await connection.close()
    redis = Redis.from_url(REDIS_URL)
    try:
        base = f"{FSM_PREFIX}:{harness.app.bot.id}:{TEMPLATE}:{TEMPLATE}"
        state, raw = await redis.get(f"{base}:state"), await redis.get(f"{base}:data")
        assert state is not None and raw is not None, "the template has no cursor"
        template = json.loads(raw)
        pipe = redis.pipeline(transaction=False)
        for tg_id, application_id in rows:
            key = f"{FSM_PREFIX}:{bot_id}:{tg_id}:{tg_id}"
            pipe.set(f"{key}:state", state)
            pipe.set(f"{key}:data", json.dumps({**template, "app": application_id}))
        await pipe.execute()
    finally:
        await redis.aclose()
    assert len(rows) == users


async def _answered(emulator: BotApiEmulator, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(emulator.calls("sendMessage")) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(emulator.calls('sendMessage'))} of {count} answered")
        await asyncio.sleep(0.05)


async def _measure(env: dict[str, str], users: int) -> tuple[int, int, int, float]:
    emulator = BotApiEmulator(token=env["BOT_TOKEN"])
    await emulator.start()
    with tempfile.TemporaryDirectory(prefix="memory-") as directory:
        log = Path(directory) / "bot.log"
        process = await launch(["run"], {**env, "TELEGRAM_API_BASE": emulator.base_url}, log, log)
        assert process.pid is not None
        try:
            for _ in range(1200):  # until it polls, up to a minute
                if emulator.calls("getUpdates"):
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(1)
            at_start, _ = rss_kib(process.pid)
            began = time.perf_counter()
            # In waves, as Telegram hands them over: 10 000 updates at once would only measure
            # how long an overloaded process queues them.
            for start in range(FIRST, TEMPLATE + users + 1, WAVE):
                wave = range(start, min(start + WAVE, TEMPLATE + users + 1))
                for uid in wave:
                    emulator.user(uid)
                    emulator.send_text(uid, STEPS[0])
                try:
                    await _answered(emulator, wave[-1] - TEMPLATE, 120)
                except RuntimeError as error:
                    raise RuntimeError(f"{error}:\n{log.read_text()[-4000:]}") from None
            elapsed = time.perf_counter() - began
            texts = [call.params.get("text") or "" for call in emulator.calls("sendMessage")]
            if not all("Шаг" in text for text in texts):
                raise RuntimeError(f"not every answer took a step:\n{log.read_text()[-4000:]}")
            await asyncio.sleep(1)
            after, peak = rss_kib(process.pid)
        finally:
            process.send_signal(15)
            await process.wait()
            await emulator.stop()
    return at_start, after, peak, users / elapsed


async def run(users: int) -> None:
    name = f"kadry_bench_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{name}"')
    token = f"{uuid.uuid4().int % 10**9 + 10**9}:BENCH"
    url = f"{PG_SERVER}/{name}"
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = {
        **keep,
        "BOT_TOKEN": token,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "THROTTLE_RATE_PER_SECOND": "1000000",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    try:
        await upgrade_async(url)
        await _seed(url, token, users)
        at_start, after, peak, rate = await _measure(env, users)
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis = Redis.from_url(REDIS_URL)
        bot_id = int(token.split(":")[0])
        keys = [key async for key in redis.scan_iter(f"*:{bot_id}:*")]
        keys += [key async for key in redis.scan_iter(f"*:{bot_id + 1}:*")]
        for start in range(0, len(keys), 1000):
            await redis.delete(*keys[start : start + 1000])
        await redis.aclose()
    print(f"applicants mid-questionnaire (FSM in Redis): {users}, each answered one step")
    print(f"bot process RSS at start:                 {at_start / 1024:7.1f} MB")
    print(f"bot process RSS after every applicant:    {after / 1024:7.1f} MB")
    print(f"bot process peak RSS:                     {peak / 1024:7.1f} MB")
    print(f"per applicant: {(after - at_start) / users:.2f} KB; steps answered at {rate:.0f}/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument("--users", type=int, default=10_000)
    args = parser.parse_args(argv)
    asyncio.run(run(args.users))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
