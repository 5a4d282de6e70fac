"""A scheduled job that meets a database outage logs one warning line and returns (the next run
retries); any other error reaches the scheduler as the bug it is."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from scheduler.jobs import Jobs
from services.clock import FixedClock


def _failing(error: BaseException) -> Any:
    def factory() -> Any:
        raise error

    return factory


async def test_an_outage_is_one_warning_without_a_traceback(
    clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    jobs = Jobs(_failing(TimeoutError()), clock)
    with caplog.at_level(logging.WARNING, logger="scheduler.jobs"):
        await jobs.sweep_reminders()
        await jobs.broadcast_progress()
    lines = [r for r in caplog.records if r.name == "scheduler.jobs"]
    assert [r.getMessage() for r in lines] == [
        "job sweep_reminders: database unavailable (TimeoutError); the next run retries",
        "job broadcast_progress: database unavailable (TimeoutError); the next run retries",
    ]
    assert not any(r.exc_info for r in lines)


async def test_a_bug_still_raises(clock: FixedClock) -> None:
    jobs = Jobs(_failing(ValueError("a bug")), clock)
    with pytest.raises(ValueError):
        await jobs.sweep_internships()
