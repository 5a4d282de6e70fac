"""Migration 0009_apply_order on SQLite and PostgreSQL: a student's application from before the
age-group step gets the group its birth date gave on the day it was answered."""

from __future__ import annotations

from datetime import UTC, datetime

from services.clock import FixedClock
from services.domain import Role
from storage.db import create_engine, create_session_factory
from storage.migrate import downgrade, upgrade
from storage.uow import UnitOfWorkFactory
from tests.example_season import import_example

BEFORE = "0009_apply_order-1"  # relative: stays right when the revisions are re-chained


async def test_an_earlier_students_application_gets_the_age_group_of_its_birth_date(
    db_url: str, clock: FixedClock
) -> None:
    engine = create_engine(db_url)
    factory = UnitOfWorkFactory(create_session_factory(engine))
    answered = datetime(2026, 8, 31, 18, 0, tzinfo=UTC)  # 1 September, 01:00 in Tomsk
    try:
        await import_example(factory, clock)
        apps = {}
        async with factory() as uow:
            season = await uow.seasons.current()
            assert season is not None
            for tg_id, role, birth in (
                (1, Role.STUDENT, "2013-01-15"), (2, Role.STUDENT, "2012-09-01"),
                (3, Role.STUDENT, None), (4, Role.TUTOR, "2004-01-15"),
            ):  # fmt: skip
                person = await uow.people.ensure(tg_id, "ru", answered)
                application, _ = await uow.applications.ensure(person.id, season.id, answered)
                await uow.applications.set_role(application.id, role, answered)
                if birth is not None:
                    await uow.applications.save_answer(
                        application.id, "birth_date", birth, answered
                    )
                apps[tg_id] = application.id
            await uow.commit()
        await engine.dispose()
        downgrade(db_url, BEFORE)
        upgrade(db_url, "head")
        async with factory() as uow:
            groups = {
                tg_id: (await uow.applications.answers(app)).get("age_group")
                for tg_id, app in apps.items()
            }
    finally:
        await engine.dispose()
    # 13; 14 that very day in Tomsk (still 13 in UTC); no birth date yet: asked; a tutor: none.
    assert groups == {1: "child", 2: "teen", 3: None, 4: None}
