"""APScheduler wiring: periodic jobs with fixed ids, memory job store, nothing pickled.

Reminders and other timed messages are database rows; the jobs here only sweep them, so a
restart loses nothing and jobs never carry aiogram objects.
"""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.jobs import Jobs

REMINDER_SWEEP_JOB = "reminders.sweep"
BOOKINGS_SWEEP_JOB = "internships.sweep"
RETENTION_JOB = "privacy.retention"
BROADCAST_PROGRESS_JOB = "broadcasts.progress"


def build_scheduler(
    jobs: Jobs, reminder_sweep_seconds: float = 30.0, broadcast_progress_seconds: float = 3.0
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1}
    )
    scheduler.add_job(
        jobs.forget_old_update_ids,
        "interval",
        hours=1,
        id="maintenance.forget_update_ids",
        replace_existing=True,
    )
    # First run at start-up: what fell due while the bot was down goes out at once.
    scheduler.add_job(
        jobs.sweep_reminders,
        "interval",
        seconds=reminder_sweep_seconds,
        id=REMINDER_SWEEP_JOB,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
        misfire_grace_time=None,
    )
    scheduler.add_job(
        jobs.sweep_internships,
        "interval",
        seconds=reminder_sweep_seconds,
        id=BOOKINGS_SWEEP_JOB,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
        misfire_grace_time=None,
    )
    # Daily, first at start-up: a day's delay is within the period; each season's due day is
    # counted in its own zone by the service.
    scheduler.add_job(
        jobs.erase_past_retention,
        "interval",
        hours=24,
        id=RETENTION_JOB,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
        misfire_grace_time=None,
    )
    # Broadcasts' progress messages and final reports; first at start-up, so one interrupted
    # by a crash is reported on as soon as the bot is back.
    scheduler.add_job(
        jobs.broadcast_progress,
        "interval",
        seconds=broadcast_progress_seconds,
        id=BROADCAST_PROGRESS_JOB,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
        misfire_grace_time=None,
    )
    return scheduler
