"""/stats for a season of 10 000 applications on PostgreSQL, end to end: the service's snapshot
(its aggregate queries), the text, and the three charts drawn off the event loop and queued in
the outbox, committed — what the office waits for after typing /stats.

Creates a scratch database (dropped at the end) and fills it with INSERT … SELECT
generate_series: 20 municipalities (skewed: the regional centre largest), 12 ideas, 30 days of
applications (10 % drafts, 5 % withdrawn, the rest submitted, in review or decided), students
and tutors aged 11–50, one or two ideas each, consents, scores, decisions, a team per idea
with its accepted students, roadmap stages, ИУП tasks with reminders, internship bookings.

    python -m benchmarks.stats [--applications 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import text

from benchmarks._scratch import PG_SERVER, admin
from dialogs.stats_screens import stats_screen
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Role
from services.i18n import Texts
from services.people import Identity
from services.stats import StatsSnapshot, chart_labels
from services.stats_charts import render_charts
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
OFFICE_ID = 1  # person 1 holds the office role; applicants are 100 + i
MENTORS = 12  # people 2..13, one per idea

SEED = """
INSERT INTO seasons (id, code, name, region, timezone, created_at, retention_days_after_results)
VALUES (1, 'bench', 'Набор 2026', 'Томская область', 'Asia/Tomsk', :now, 90);
INSERT INTO municipalities (id, season_id, name, position, active)
SELECT m, 1, 'Муниципалитет ' || m, m, true FROM generate_series(1, 20) AS m;
INSERT INTO project_ideas (id, season_id, code, title, short_description, description,
                           capacity_students, capacity_tutors, position, active)
SELECT d, 1, 'idea-' || d, 'Идея проекта № ' || d, 'кратко', 'описание', 8, 2, d, true
FROM generate_series(1, 12) AS d;
INSERT INTO selection_criteria (id, season_id, code, title, weight, max_score, position, active)
SELECT c, 1, 'k' || c, 'Критерий ' || c, 1.0, 5, c, true FROM generate_series(1, 3) AS c;
INSERT INTO consent_texts (id, season_id, kind, version, text, is_current, created_at)
VALUES (1, 1, 'applicant', '1', 'текст', true, :now);
INSERT INTO people (id, tg_id, language, is_active, created_at, updated_at)
SELECT p, 1000000 + p, 'ru', true, :now, :now FROM generate_series(1, 13) AS p;
INSERT INTO role_grants (person_id, role, season_id, granted_at)
VALUES (1, 'office', NULL, :now);
INSERT INTO people (id, tg_id, language, is_active, created_at, updated_at)
SELECT 100 + i, 2000000 + i, 'ru', true, :now, :now FROM generate_series(1, :n) AS i;
INSERT INTO applications (id, season_id, person_id, role, status, number, created_at,
                          updated_at, submitted_at, withdrawn_at)
SELECT i, 1, 100 + i,
       CASE WHEN i % 5 = 0 THEN 'tutor' ELSE 'student' END,
       CASE WHEN i % 100 < 10 THEN 'draft' WHEN i % 100 < 15 THEN 'withdrawn'
            WHEN i % 100 < 50 THEN 'submitted' WHEN i % 100 < 70 THEN 'in_review'
            WHEN i % 100 < 80 THEN 'accepted' WHEN i % 100 < 90 THEN 'waitlisted'
            ELSE 'not_selected' END,
       'B-' || i, t.c, t.c,
       CASE WHEN i % 100 >= 10 THEN t.c + make_interval(hours => i % 48) END,
       CASE WHEN i % 100 BETWEEN 10 AND 14 THEN t.c + make_interval(days => 3) END
FROM generate_series(1, :n) AS i,
     LATERAL (SELECT CAST(:now AS timestamptz) - make_interval(days => 32 - (i * 7919) % 30,
                     mins => (i * 37) % 1440) AS c) AS t;
INSERT INTO application_answers (application_id, step, value, answered_at)
SELECT i, 'municipality', CAST(1 + floor(20 * power(((i * 7919) % 1000) / 1000.0, 2)) AS int),
       :now
FROM generate_series(1, :n) AS i;
INSERT INTO application_answers (application_id, step, value, answered_at)
SELECT i, 'birth_date',
       to_char(CASE WHEN i % 5 = 0 THEN DATE '1976-01-01' + (i * 13) % 9000
                    ELSE DATE '2008-06-01' + (i * 13) % 2400 END, 'YYYY-MM-DD'),
       :now
FROM generate_series(1, :n) AS i WHERE i % 50 <> 7;
INSERT INTO application_answers (application_id, step, value, answered_at)
SELECT i, 'role', CASE WHEN i % 5 = 0 THEN 'tutor' ELSE 'student' END, :now
FROM generate_series(1, :n) AS i;
INSERT INTO idea_preferences (application_id, rank, idea_id)
SELECT i, 1, 1 + (i * 31) % 12 FROM generate_series(1, :n) AS i;
INSERT INTO idea_preferences (application_id, rank, idea_id)
SELECT i, 2, 1 + ((i * 31) % 12 + 1 + i % 5) % 12 FROM generate_series(1, :n) AS i
WHERE i % 3 <> 0;
INSERT INTO consents (application_id, person_id, consent_text_id, kind, text_version, given_at,
                      valid)
SELECT i, 100 + i, 1, 'applicant', '1', :now, true FROM generate_series(1, :n) AS i
WHERE i % 100 >= 5;
INSERT INTO application_scores (application_id, reviewer_id, criterion_id, score, updated_at)
SELECT i, 2 + (i * 31) % 12, c, (i + c) % 6, :now
FROM generate_series(1, :n) AS i, generate_series(1, 3) AS c WHERE i % 100 >= 50;
INSERT INTO selection_decisions (application_id, decision, idea_id, decided_at)
SELECT i, CASE WHEN i % 100 < 80 THEN 'accepted' WHEN i % 100 < 90 THEN 'waitlisted'
               ELSE 'rejected' END, 1 + (i * 31) % 12, :now
FROM generate_series(1, :n) AS i WHERE i % 100 >= 70;
INSERT INTO teams (id, season_id, name, code, source_key, created_at)
SELECT d, 1, 'Команда ' || d, 'team-' || d, 'idea:' || d, :now FROM generate_series(1, 12) AS d;
INSERT INTO team_members (team_id, person_id, role, joined_at, share_contact)
SELECT d, 1 + d, 'mentor', :now, false FROM generate_series(1, 12) AS d;
INSERT INTO team_members (team_id, person_id, role, joined_at, share_contact)
SELECT 1 + (i * 31) % 12, 100 + i, CASE WHEN i % 5 = 0 THEN 'tutor' ELSE 'student' END, :now,
       false
FROM generate_series(1, :n) AS i WHERE i % 100 BETWEEN 70 AND 79;
INSERT INTO roadmap_stages (team_id, position, title, status, created_at, updated_at)
SELECT d, s, 'Этап ' || s,
       CASE WHEN s <= d % 4 THEN 'approved' WHEN s = d % 4 + 1 THEN 'submitted' ELSE 'draft' END,
       :now, :now
FROM generate_series(1, 12) AS d, generate_series(1, 5) AS s;
INSERT INTO plan_tasks (id, season_id, student_id, team_id, kind, title, due_at, status,
                        created_at, updated_at)
SELECT (i - 1) * 5 + k, 1, 100 + i, 1 + (i * 31) % 12, 'project_task', 'Задача ' || k,
       CAST(:now AS timestamptz) + make_interval(days => k * 7 - 14),
       (ARRAY['assigned','in_progress','submitted','done','returned'])[1 + (i + k) % 5],
       :now, :now
FROM generate_series(1, :n) AS i, generate_series(1, 5) AS k WHERE i % 100 BETWEEN 70 AND 79;
INSERT INTO reminders (task_id, person_id, kind, due_at, status, dedupe_key, created_at,
                       attempts)
SELECT t.id, t.student_id, r.kind, t.due_at - make_interval(days => 1),
       CASE WHEN t.id % 10 < 6 THEN 'sent' WHEN t.id % 10 < 8 THEN 'pending'
            ELSE 'cancelled' END,
       r.kind || ':' || t.id, :now, 0
FROM plan_tasks AS t, (VALUES ('before_1d'), ('overdue')) AS r(kind);
INSERT INTO sites (id, season_id, code, organisation, address, direction, auto_confirm,
                   created_at, updated_at)
SELECT s, 1, 'site-' || s, 'Организация ' || s, 'адрес', 'ecology', false, :now, :now
FROM generate_series(1, 5) AS s;
INSERT INTO slots (id, site_id, kind, starts_at, ends_at, capacity, seats_taken, directions,
                   status, created_at, updated_at)
SELECT s, 1 + s % 5, 'internship',
       CAST(:now AS timestamptz) + make_interval(days => s % 20 - 10, mins => s),
       CAST(:now AS timestamptz) + make_interval(days => s % 20 - 10, hours => 4, mins => s),
       40, 0, '[]', 'open', :now, :now
FROM generate_series(1, 50) AS s;
INSERT INTO bookings (slot_id, student_id, status, created_at, updated_at, attendance)
SELECT 1 + i % 50, 100 + i,
       (ARRAY['confirmed','requested','waitlisted','cancelled','confirmed'])[1 + i % 5],
       :now, :now,
       CASE WHEN i % 5 IN (0, 4) AND i % 50 < 25 THEN
            (CASE WHEN i % 7 = 0 THEN 'no_show' ELSE 'attended' END) END
FROM generate_series(1, :n) AS i WHERE i % 100 BETWEEN 70 AND 89
"""


OFFICE = Identity(
    person_id=OFFICE_ID,
    tg_id=1000000 + OFFICE_ID,
    language="ru",
    roles=frozenset({Role.OFFICE}),
    seasonal_roles=frozenset({(Role.OFFICE, None)}),
)


async def _stats_once(factory: UnitOfWorkFactory, texts: Texts) -> tuple[float, float, float]:
    """(snapshot, text, whole /stats) in ms: the snapshot, the text, the charts drawn in a
    worker thread and queued, committed."""
    clock = FixedClock(NOW)
    async with factory() as uow:
        started = time.perf_counter()
        services = Services(uow, clock, texts, ServiceConfig())
        snapshot = await services.stats.snapshot(OFFICE)
        queried = time.perf_counter()
        screen = stats_screen(texts.for_language("ru"), snapshot, charts_coming=True)
        written = time.perf_counter()
        charts = await services.stats.send_charts(OFFICE, snapshot)
        finished = time.perf_counter()
    assert charts == 3 and len(screen.text) <= 4096
    return (
        (queried - started) * 1000,
        (written - queried) * 1000,
        (finished - started) * 1000,
    )


def _summary(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    print(
        f"{label}: n={len(ordered)} median={statistics.median(ordered):.0f} ms "
        f"min={ordered[0]:.0f} ms max={ordered[-1]:.0f} ms"
    )


def _check(snapshot: StatsSnapshot, applications: int) -> None:
    f = snapshot.funnel
    print(
        f"funnel: started={f.started} consented={f.consented} submitted={f.submitted} "
        f"reviewed={f.reviewed} accepted={f.accepted}; days={len(snapshot.by_day)} "
        f"municipalities shown={len(snapshot.by_municipality)} ideas={len(snapshot.ideas)} "
        f"teams={len(snapshot.teams)} tasks={snapshot.tasks.total} "
        f"overdue={snapshot.tasks.overdue} reminders sent={snapshot.reminders_sent}"
    )
    assert f.started == applications, f.started


async def run(applications: int, runs: int) -> None:
    name = f"kadry_bench_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    engine = create_engine(url)
    try:
        await upgrade_async(url)
        started = time.perf_counter()
        async with engine.begin() as connection:
            for statement in SEED.strip().split(";\n"):
                await connection.execute(text(statement), {"now": NOW, "n": applications})
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
        print(f"applications={applications} seeded in {time.perf_counter() - started:.1f} s")

        factory = UnitOfWorkFactory(create_session_factory(engine))
        texts = Texts()
        async with factory() as uow:
            snapshot = await Services(uow, FixedClock(NOW), texts, ServiceConfig()).stats.snapshot(
                OFFICE
            )
        _check(snapshot, applications)
        labels = chart_labels(texts.for_language("ru"))
        render_started = time.perf_counter()
        render_charts(snapshot, labels)  # warm-up: font cache, first figure
        warm_up = (time.perf_counter() - render_started) * 1000
        print(f"first chart rendering (warm-up): {warm_up:.0f} ms")

        results = [await _stats_once(factory, texts) for _ in range(runs)]
        _summary("snapshot (aggregate queries)       ", [r[0] for r in results])
        _summary("text                               ", [r[1] for r in results])
        _summary("/stats end to end (+3 charts, sent)", [r[2] for r in results])
    finally:
        await engine.dispose()
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    asyncio.run(run(args.applications, args.runs))


if __name__ == "__main__":
    main()
