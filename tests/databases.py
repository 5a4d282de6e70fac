"""Which database a service test runs on.

Service tests (tests/unit) run on SQLite. PostgreSQL compiles some statements differently
(`insert_for` → INSERT … ON CONFLICT, `with_for_update`, SKIP LOCKED), so every repository
statement must also run on PostgreSQL somewhere: the dispatcher tier runs on both databases, and
tests/integration on PostgreSQL. A service test that reaches a repository statement none of those
reach keeps its PostgreSQL run with `@ON_BOTH_DATABASES` (the list was made by line coverage of
storage/: the lines a service test ran on PostgreSQL that no dispatcher or integration test ran
there; re-check it that way when adding repository code only service tests reach).
"""

from __future__ import annotations

import pytest

ON_BOTH_DATABASES = pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
