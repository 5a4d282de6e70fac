"""The office's applications export at scale: 10 000 submitted applications with every answer
of the example season (long free texts, some starting with `=`), three idea choices each, two
reviewers' scores on half of them and decisions on a third, seeded into PostgreSQL; then
`python -m bot export applications --out FILE` runs in a child process, timed, its peak RSS
read from getrusage(RUSAGE_CHILDREN). Target: ≤ 10 s and ≤ 200 MB.

    python -m benchmarks.export [--applications 10000]

Needs PostgreSQL (TEST_POSTGRES_SERVER, default postgresql://postgres@127.0.0.1:5432); creates
and drops its own database. Prints numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import insert, select

from benchmarks._scratch import PG_SERVER, admin
from services.clock import FixedClock
from services.domain import ApplicationStatus, Decision, Role
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.models import (
    Answer,
    Application,
    ApplicationScore,
    IdeaPreference,
    Municipality,
    Person,
    ProjectIdea,
    SelectionCriterion,
    SelectionDecision,
)
from storage.uow import UnitOfWorkFactory
from tests.example_season import import_example

CLOCK = FixedClock(datetime(2026, 10, 1, 7, 0, tzinfo=UTC))
CHUNK = 2000
WHY = (
    "Хочу попробовать себя в настоящем проекте для своего региона, познакомиться с наставниками "
    "и понять, какую профессию выбрать после школы. "
) * 4
ABOUT = (
    "Люблю робототехнику и походы, участвую в олимпиадах по физике, хочу научиться работать "
    "в команде. "
) * 3


def _answers(app_id: int, n: int, municipality: int) -> list[dict[str, Any]]:
    values = {
        "age_group": "teen",
        "consent": "1",
        "birth_date": "2010-03-15",
        "full_name": f"Иванов Пётр {n}",
        "municipality": str(municipality),
        "edu_type": "school",
        "institution": "МАОУ СОШ № 32 г. Томска",
        "grade": "9",
        "phone": "+7 913 555-44-33",
        "email": f"pupil{n}@example.ru",
        "about": ("=1+1 " if n % 10 == 0 else "") + ABOUT,
        "presentation": "video",
        "q-why": WHY,
        "q-experience": "@команда " + ABOUT,
        "q-teamwork": "4",
        "ideas": "peat-monitor,space-sat,river-clean",
    }
    return [
        {"application_id": app_id, "step": step, "value": value, "answered_at": CLOCK.now()}
        for step, value in values.items()
    ]


async def _insert(uow: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        await uow.session.execute(insert(model), rows[start : start + CHUNK])


async def _seed(url: str, count: int) -> None:
    engine = create_engine(url)
    factory = UnitOfWorkFactory(create_session_factory(engine))
    now = CLOCK.now()
    try:
        await import_example(factory, CLOCK)
        async with factory() as uow:
            season = await uow.seasons.current()
            assert season is not None
            muni = await uow.session.scalar(select(Municipality.id).limit(1))
            ideas = list(await uow.session.scalars(select(ProjectIdea.id).limit(3)))
            criteria = list(await uow.session.scalars(select(SelectionCriterion.id)))
            people = [
                {"tg_id": 10_000_000 + n, "full_name": f"Иванов Пётр {n}", "language": "ru",
                 "is_active": True, "created_at": now, "updated_at": now}
                for n in range(count + 2)
            ]  # fmt: skip
            await _insert(uow, Person, people)
            ids = list(await uow.session.scalars(select(Person.id).order_by(Person.id)))
            reviewers, applicants = ids[:2], ids[2:]
            await _insert(uow, Application, [
                {"season_id": season.id, "person_id": pid, "role": Role.STUDENT,
                 "status": ApplicationStatus.SUBMITTED, "number": f"T-{n:05d}",
                 "created_at": now, "updated_at": now, "submitted_at": now}
                for n, pid in enumerate(applicants, start=1)
            ])  # fmt: skip
            apps = list(await uow.session.scalars(select(Application.id).order_by(Application.id)))
            answers = [row for n, a in enumerate(apps) for row in _answers(a, n, muni or 0)]
            await _insert(uow, Answer, answers)
            await _insert(uow, IdeaPreference, [
                {"application_id": a, "rank": rank, "idea_id": idea}
                for a in apps for rank, idea in enumerate(ideas, start=1)
            ])  # fmt: skip
            await _insert(uow, ApplicationScore, [
                {"application_id": a, "reviewer_id": r, "criterion_id": c, "score": 4,
                 "updated_at": now}
                for a in apps[::2] for r in reviewers for c in criteria
            ])  # fmt: skip
            await _insert(uow, SelectionDecision, [
                {"application_id": a, "decision": Decision.ACCEPTED, "idea_id": ideas[0],
                 "decided_at": now}
                for a in apps[::3]
            ])  # fmt: skip
            await uow.commit()
    finally:
        await engine.dispose()


def _export(url: str, out: Path) -> tuple[float, float, float]:
    env = {**os.environ, "DATABASE_URL": url, "BOT_TOKEN": "123456:BENCH-token"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "export", "applications", "--out", str(out)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # ru_maxrss is in KB on Linux. CPU time: what the export costs on a machine of its own.
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _profile(url: str, out: Path) -> None:
    """The same export in a child process under cProfile: where the time goes."""
    env = {**os.environ, "DATABASE_URL": url, "BOT_TOKEN": "123456:BENCH-token"}
    command = [sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "bot", "export"]
    done = subprocess.run(
        [*command, "applications", "--out", str(out)],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    print("\n".join(done.stdout.splitlines()[:70]))


async def run(count: int, profile: bool = False) -> None:
    name = f"bench_export_{uuid.uuid4().hex[:8]}"
    await admin(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    try:
        await upgrade_async(url)
        started = time.perf_counter()
        await _seed(url, count)
        print(f"seeded {count} applications in {time.perf_counter() - started:.1f} s")
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "applications.xlsx"
            elapsed, cpu, peak_mb = await asyncio.to_thread(_export, url, out)
            size_mb = out.stat().st_size / 1024 / 1024
            book = load_workbook(out, read_only=True)
            rows = sum(1 for _ in book["Заявки"].iter_rows(values_only=True)) - 1
            book.close()
            if profile:
                await asyncio.to_thread(_profile, url, out)
        load = os.getloadavg()[0]
        print(
            f"export of {rows} applications: {elapsed:.2f} s wall (target ≤ 10 s), "
            f"{cpu:.2f} s CPU, peak RSS {peak_mb:.0f} MB (target ≤ 200 MB), "
            f"file {size_mb:.1f} MB; load average {load:.1f} on {os.cpu_count()} CPUs"
        )
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="profile the export in-process")
    args = parser.parse_args(argv)
    asyncio.run(run(args.applications, args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
