"""Claiming a due batch of 1 000 reminders among 1 000 000 rows on PostgreSQL.

Creates a scratch database (dropped at the end), fills it with COPY-speed INSERT … SELECT
generate_series (60 % sent in the past, 5 % cancelled, 5 % pending and due, 30 % pending in the
future), then times the sweep's claim — the repository's UPDATE … WHERE id IN (SELECT … FOR
UPDATE SKIP LOCKED) RETURNING, committed — and prints EXPLAIN (ANALYZE, BUFFERS) of it.

    python -m benchmarks.reminder_claim [--rows N] [--claims N] [--batch N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from benchmarks._scratch import PG_SERVER, admin
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.repositories.plans import claim_statement
from storage.uow import UnitOfWorkFactory

INDEX = "ix_reminders_pending_due"


FILL = """
INSERT INTO reminders (task_id, person_id, kind, due_at, status, dedupe_key, created_at,
                       sent_at, attempts)
SELECT (i % 1000) + 1, (i % 1000) + 1,
       (ARRAY['before_3d','before_1d','due_morning','overdue','escalation'])[1 + i % 5],
       CASE WHEN i % 100 < 65 THEN t.now - make_interval(mins => (i % 100000) + 1)
            WHEN i % 100 < 70 THEN t.now - make_interval(secs => (i % 86400) + 1)
            ELSE t.now + make_interval(mins => (i % 200000) + 1) END,
       CASE WHEN i % 100 < 60 THEN 'sent' WHEN i % 100 < 65 THEN 'cancelled'
            ELSE 'pending' END,
       'task:' || i, t.now,
       CASE WHEN i % 100 < 60 THEN t.now - make_interval(mins => (i % 100000)) END,
       CASE WHEN i % 100 < 60 THEN 1 ELSE 0 END
FROM generate_series(1, CAST(:rows AS integer)) AS i,
     (SELECT CAST(:now AS timestamptz) AS now) AS t
"""

SEED = """
INSERT INTO seasons (id, code, name, region, timezone, created_at)
VALUES (1, 'bench', 'bench', 'bench', 'Europe/Moscow', :now);
INSERT INTO people (id, tg_id, language, is_active, created_at, updated_at)
SELECT i, 100000 + i, 'ru', true, :now, :now FROM generate_series(1, 1000) AS i;
INSERT INTO plan_tasks (id, season_id, student_id, kind, title, status, created_at, updated_at)
SELECT i, 1, i, 'other', 'task ' || i, 'assigned', :now, :now FROM generate_series(1, 1000) AS i;
"""


def _sql(now: datetime, batch: int) -> str:
    compiled = claim_statement(now, batch).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


async def _time_claims(
    factory: UnitOfWorkFactory, now: datetime, claims: int, batch: int
) -> tuple[list[float], list[float]]:
    """(the claim as the sweep runs it, claim + commit), in milliseconds."""
    queries, totals = [], []
    for _ in range(claims):
        async with factory() as uow:
            started = time.perf_counter()
            rows = await uow.reminders.claim_due(now, batch)
            claimed = time.perf_counter()
            await uow.commit()
            queries.append((claimed - started) * 1000)
            totals.append((time.perf_counter() - started) * 1000)
            assert len(rows) == batch, len(rows)
    return queries, totals


def _summary(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{label}: n={len(ordered)} median={statistics.median(ordered):.1f} ms "
        f"p95={p95:.1f} ms min={ordered[0]:.1f} ms max={ordered[-1]:.1f} ms"
    )


async def run(rows: int, claims: int, batch: int) -> None:
    name = f"kadry_bench_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    engine = create_engine(url)
    try:
        await upgrade_async(url)
        now = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        async with engine.begin() as connection:
            for statement in SEED.strip().split(";\n"):
                await connection.execute(text(statement), {"now": now})
            await connection.execute(text(FILL), {"now": now, "rows": rows})
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE reminders"))
            counts = dict(
                (
                    await connection.execute(
                        text("SELECT status, count(*) FROM reminders GROUP BY status ORDER BY 1")
                    )
                ).all()
            )
            due = await connection.scalar(
                text("SELECT count(*) FROM reminders WHERE status = 'pending' AND due_at <= :n"),
                {"n": now},
            )
        print(f"rows={rows} filled in {time.perf_counter() - started:.1f} s; by status {counts}")
        print(f"due now={due}; batch={batch}; claims={claims}")

        factory = UnitOfWorkFactory(create_session_factory(engine))
        await _time_claims(factory, now, 2, batch)  # warm-up: connection, statement cache
        queries, totals = await _time_claims(factory, now, claims, batch)
        _summary("claim (partial index)         ", queries)
        _summary("claim + commit (partial index)", totals)

        async with engine.begin() as connection:
            plan = await connection.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + _sql(now, batch)))
            print("EXPLAIN (ANALYZE, BUFFERS):")
            for (line,) in plan.all():
                print("  " + line)
            await connection.rollback()

        # The same claim without the partial index, for comparison.
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP INDEX {INDEX}"))
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE reminders"))
        queries, totals = await _time_claims(factory, now, 5, batch)
        _summary("claim (no index)              ", queries)
        _summary("claim + commit (no index)     ", totals)
    finally:
        await engine.dispose()
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--claims", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)
    asyncio.run(run(args.rows, args.claims, args.batch))


if __name__ == "__main__":
    main()
