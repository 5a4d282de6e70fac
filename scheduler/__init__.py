"""APScheduler wiring: periodic jobs with fixed ids, memory job store, nothing pickled.

Reminders and other timed messages are database rows; the jobs here only sweep them, so a
restart loses nothing and jobs never carry aiogram objects.
"""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.jobs import Jobs


def build_scheduler(jobs: Jobs) -> AsyncIOScheduler:
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
    return scheduler
