"""What every benchmark needs from PostgreSQL: the server, and a statement run on its
maintenance database (CREATE / DROP of the benchmark's own scratch database)."""

from __future__ import annotations

import os

import asyncpg

# BENCH_POSTGRES_SERVER, else the tests' TEST_POSTGRES_SERVER, else the local server.
PG_SERVER = os.environ.get(
    "BENCH_POSTGRES_SERVER",
    os.environ.get("TEST_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432"),
)


async def admin(statement: str) -> None:
    connection = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
