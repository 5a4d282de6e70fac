"""Alembic logs each migration's first docstring paragraph as it runs: one line each, or the
bot's start-up log gets a line that is not a log line (and an operator's one-line error is no
longer one line)."""

from __future__ import annotations

import ast
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "storage" / "migrations" / "versions"


def test_every_migration_summary_is_one_line() -> None:
    files = sorted(VERSIONS.glob("[0-9]*.py"))
    assert len(files) >= 20
    long = []
    for path in files:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        summary = doc.split("\n\n", 1)[0]
        if "\n" in summary:
            long.append(path.name)
    assert long == []
