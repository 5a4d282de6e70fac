from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.clock import FixedClock
from tests.dispatcher.harness import Harness, build_harness


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, office_admin_ids="777")
    yield harness
    await harness.app.engine.dispose()
