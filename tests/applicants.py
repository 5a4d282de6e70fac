"""Shared by the application tests: an applicant who fills the questionnaire through the real
Dispatcher (the dispatcher harness). The example season is in tests/example_season.py."""

from __future__ import annotations

from sqlalchemy import select

from services.actions import ApplyAction, ApplyVerb, encode
from storage.models import Application, Municipality, Person, ProjectIdea
from tests.dispatcher.harness import Harness
from tests.parents import parent_consents

ABOUT = (
    "Люблю робототехнику и походы, участвую в олимпиадах по физике, "
    "хочу научиться работать в команде."
)
WHY = (
    "Хочу попробовать себя в настоящем проекте для своего региона, познакомиться с наставниками "
    "и понять, какую профессию выбрать после школы."
)
EXPERIENCE = "Собирал с друзьями метеостанцию для школы и вёл её страницу в сети."


def cd(
    verb: ApplyVerb,
    app: int = 0,
    step: str = "",
    choice: str = "",
    *,
    item: int = 0,
    page: int = 0,
) -> str:
    """The payload of a questionnaire button, as the bot encodes it."""
    action = ApplyAction(verb=verb, application=app, step=step, choice=choice, item=item, page=page)
    return encode(action)


async def application_of(harness: Harness, tg_id: int) -> Application | None:
    async with harness.app.uow_factory() as uow:
        return await uow.session.scalar(
            select(Application)
            .join(Person, Person.id == Application.person_id)
            .where(Person.tg_id == tg_id)
        )


async def municipality_id(harness: Harness, name: str) -> int:
    async with harness.app.uow_factory() as uow:
        found = await uow.session.scalar(select(Municipality.id).where(Municipality.name == name))
    assert found is not None
    return found


async def idea_ids(harness: Harness, *codes: str) -> list[int]:
    async with harness.app.uow_factory() as uow:
        rows = dict((await uow.session.execute(select(ProjectIdea.code, ProjectIdea.id))).all())
    return [rows[code] for code in codes]


async def start_application(
    harness: Harness,
    uid: int,
    role: str = "student",
    age_group: str = "child",
    *,
    parent: bool = True,
) -> int:
    """/apply through the consents: a student answers the age group (default: under 14, so only
    the parent consents), then gives their own consent if the group asks for it, and the parent
    confirms from their own account (`parent=False`: the child is left waiting for them)."""
    await harness.send(uid, "/apply")
    application = await application_of(harness, uid)
    assert application is not None
    app = application.id
    await harness.press(uid, cd(ApplyVerb.CHOOSE, app, "role", role))
    if role == "student":
        await harness.press(uid, cd(ApplyVerb.CHOOSE, app, "age_group", age_group))
    if role == "tutor" or age_group != "child":
        await harness.press(uid, cd(ApplyVerb.CONFIRM, app, "consent"))
    if role == "student" and parent:  # the parent confirms from their own account; on we go
        await parent_consents(harness.app.uow_factory, harness.app.sender.clock, uid)
        await harness.press(uid, cd(ApplyVerb.CONFIRM, app, "parent"))
    return app


async def fill_after_consent(
    harness: Harness, uid: int, app: int, *, birth: str = "15.01.2013", role: str = "student"
) -> None:
    await harness.send(uid, birth)
    await harness.send(uid, "Иванов Пётр Алексеевич")
    await harness.press(
        uid, cd(ApplyVerb.PICK_MUNICIPALITY, app, item=await municipality_id(harness, "Томск"))
    )
    if role == "student":
        await harness.press(uid, cd(ApplyVerb.CHOOSE, app, "edu_type", "school"))
        await harness.send(uid, "МАОУ СОШ № 32 г. Томска")
        await harness.send(uid, "7")
    else:
        await harness.send(uid, "Томский государственный университет")
        await harness.send(uid, "2")
    await harness.send(uid, "8 (913) 555-44-33")
    await harness.send(uid, "Petr@Example.RU")
    await harness.press(uid, cd(ApplyVerb.SKIP, app, "leader_id"))
    await harness.send(uid, "petr.ivanov")
    await harness.send(uid, ABOUT)
    await harness.send(uid, ABOUT + " Ещё я веду блог о науке.")
    await harness.send(uid, WHY)
    await harness.send(uid, EXPERIENCE)
    await harness.press(uid, cd(ApplyVerb.CHOOSE, app, "q-teamwork", "4"))
    first, second = await idea_ids(harness, "space-sat", "peat-monitor")
    await harness.press(uid, cd(ApplyVerb.TOGGLE_IDEA, app, item=first, page=0))
    await harness.press(uid, cd(ApplyVerb.TOGGLE_IDEA, app, item=second, page=0))
    await harness.press(uid, cd(ApplyVerb.IDEAS_DONE, app))


async def fill_to_review(
    harness: Harness, uid: int, *, birth: str = "15.01.2013", age_group: str = "child"
) -> int:
    app = await start_application(harness, uid, age_group=age_group)
    await fill_after_consent(harness, uid, app, birth=birth)
    return app
