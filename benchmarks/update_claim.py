"""What handling each update once costs per update, in this process's CPU: the processed mark
written by the commit of a committing update (PostgreSQL and SQLite), against the Redis SET NX
every update once paid before its handler.

    python -m benchmarks.update_claim [--count 3000]

Needs PostgreSQL (TEST_POSTGRES_SERVER, default postgresql://postgres@127.0.0.1:5432) and Redis
(TEST_REDIS_URL, default redis://127.0.0.1:6379/0); creates and drops its own database and a
temporary SQLite file. Prints numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime

from redis.asyncio import Redis

from benchmarks._scratch import PG_SERVER, admin
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WARM_UP = 200


async def _mark_ms(url: str, count: int) -> float:
    """CPU per INSERT … ON CONFLICT DO NOTHING of the mark, as a commit runs it (one open
    transaction, as the handler's own)."""
    await upgrade_async(url)
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            for n in range(WARM_UP):
                await uow.updates.first_sighting(10**9 + n, now)
            began = time.process_time()
            for n in range(count):
                await uow.updates.first_sighting(n + 1, now)
            return (time.process_time() - began) / count * 1000
    finally:
        await engine.dispose()


async def _set_nx_ms(count: int) -> float:
    redis = Redis.from_url(REDIS_URL)
    prefix = f"kadry:bench:{uuid.uuid4().hex}"
    try:
        for n in range(WARM_UP):
            await redis.set(f"{prefix}:warm:{n}", 1, nx=True, ex=60)
        began = time.process_time()
        for n in range(count):
            await redis.set(f"{prefix}:{n}", 1, nx=True, ex=60)
        return (time.process_time() - began) / count * 1000
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
        for start in range(0, len(keys), 1000):
            await redis.delete(*keys[start : start + 1000])
        await redis.aclose()


async def run(count: int) -> None:
    name = f"kadry_bench_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{name}"')
    try:
        postgres = await _mark_ms(f"{PG_SERVER}/{name}", count)
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with tempfile.TemporaryDirectory() as folder:
        sqlite = await _mark_ms(f"sqlite:///{folder}/bench.sqlite3", count)
    set_nx = await _set_nx_ms(count)
    print(f"updates measured: {count}")
    print(f"mark in the commit, PostgreSQL (a committing update): {postgres:.3f} ms CPU")
    print(f"mark in the commit, SQLite (a committing update):     {sqlite:.3f} ms CPU")
    print(f"the former Redis SET NX (every update):               {set_nx:.3f} ms CPU")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.update_claim")
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args(argv)
    asyncio.run(run(args.count))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
