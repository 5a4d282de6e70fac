from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.clock import FixedClock
from tests.conftest import database_url
from tests.dispatcher.harness import Harness, build_harness


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, office_admin_ids="777")
    yield harness
    await harness.app.engine.dispose()


@pytest.fixture(params=["sqlite"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Dispatcher tests run on SQLite; `tests.databases.ON_BOTH_DATABASES` adds PostgreSQL."""
    return await database_url(request, tmp_path)
