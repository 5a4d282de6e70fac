from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import database_url


@pytest.fixture(params=["sqlite"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Service tests run on SQLite; `tests.databases.ON_BOTH_DATABASES` adds PostgreSQL."""
    return await database_url(request, tmp_path)
