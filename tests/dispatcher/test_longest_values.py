"""The longest value every free-text field accepts, typed into the bot as its users would.

What results for the user, the mentors and the team chat fits Telegram (no message over 4096
characters, no caption over 1024), carries no «{???}», fails nowhere, and holds the value whole
and in order across its parts wherever the value is shown. Also: an answer of invisible
characters only is empty, whatever its length.

The bounds are the services' own: FIELD_LIMIT and friends in services/roadmap.py, plans.py,
team_chat.py, selection.py, questionnaire.py, and the season's question bounds (at most 4000).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiogram.types import Chat, Message, MessageEntity, Update
from sqlalchemy import select, update

from services import plans, roadmap, selection, team_chat
from services.actions import (
    ApplyVerb,
    AssignAction,
    AssignVerb,
    PlanAction,
    PlanVerb,
    ReviewAction,
    ReviewVerb,
    RoadmapAction,
    RoadmapVerb,
    encode,
)
from services.clock import FixedClock
from services.domain import PASSPORT_FIELDS, OutboxStatus, TaskKind
from services.i18n import Texts
from services.questionnaire import ABOUT_TEXT, PRESENTATION_TEXT
from services.text_fit import CAPTION_LIMIT, MESSAGE_LIMIT
from storage.models import (
    MotivationQuestion,
    PlanTask,
    ProjectIdea,
    ProjectPassport,
    RoadmapStage,
    SeasonSettings,
)
from tests import plans_world, selection_world
from tests.applicants import cd, idea_ids, municipality_id, start_application
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness, user
from tests.long_texts import long_text, whole

MSK = "Europe/Moscow"
GROUP = -100500  # the team chat of plans_world's team «Альфа»
APPLICANT = 9301
APOLOGY = Texts().get("error-unexpected")
_ids = itertools.count(700_000)


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    yield harness
    await harness.app.engine.dispose()


# What was sent.


def _shown(harness: Harness, start: int = 0, end: int | None = None) -> list[tuple[int, str, int]]:
    """(chat, text or caption, its limit) of every message sent or edited in calls[start:end]."""
    shown = []
    for call in harness.session.calls[start:end]:
        method = call.method
        text, caption = getattr(method, "text", None), getattr(method, "caption", None)
        chat = int(getattr(method, "chat_id", 0) or 0)
        if call.name in ("SendMessage", "EditMessageText") and text is not None:
            shown.append((chat, text, MESSAGE_LIMIT))
        elif caption is not None:
            shown.append((chat, caption, CAPTION_LIMIT))
    return shown


def _to(harness: Harness, chat: int, start: int, end: int | None = None) -> list[str]:
    return [text for to, text, _ in _shown(harness, start, end) if to == chat]


def assert_whole_in_order(parts: list[str], *values: str) -> None:
    """Each value whole in the parts, and the values in this order."""
    joined = " ".join(" ".join(parts).split())
    for value in values:
        assert whole(parts, value), f"not whole: {value[:40]}…"
    positions = [joined.index(" ".join(value.split())) for value in values]
    assert positions == sorted(positions)


async def assert_everything_fits(harness: Harness) -> None:
    for chat, text, limit in _shown(harness):
        assert len(text) <= limit, (chat, len(text))
        assert "{???}" not in text and text != APOLOGY, (chat, text[:80])
    assert harness.session.alerts() == []
    async with harness.app.uow_factory() as uow:
        assert set(await uow.outbox.counts()) <= {OutboxStatus.SENT}


# The team: passport, roadmap, comments, announcements, the ИУП.


@pytest.fixture
async def team(harness: Harness, clock: FixedClock) -> plans_world.World:
    clock.moment = plans_world.local(MSK, 2026, 9, 1, 10, 0).astimezone(UTC)
    return await plans_world.build_world(harness.app.uow_factory, clock, MSK, chat_id=GROUP)


def group_message(user_id: int, text: str) -> Update:
    command = len(text.split(maxsplit=1)[0])
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=Chat(id=GROUP, type="supergroup", title="Альфа"),
            from_user=user(user_id),
            text=text,
            entities=[MessageEntity(type="bot_command", offset=0, length=command)],
        ),
    )


async def _one(harness: Harness, model: type) -> int:
    async with harness.app.uow_factory() as uow:
        [found] = await uow.session.scalars(select(model.id))  # type: ignore[attr-defined]
        return int(found)


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_the_longest_team_texts_reach_the_tutor_the_mentor_and_the_chat_whole(
    harness: Harness, team: plans_world.World
) -> None:
    tutor, mentor, student = plans_world.TUTOR, plans_world.MENTOR, plans_world.STUDENT
    calls = harness.session.calls

    # The passport: four fields of 2000 characters render as about 8 100.
    fields = [long_text(f"{name}-", roadmap.FIELD_LIMIT) for name in PASSPORT_FIELDS]
    start = len(calls)
    await harness.send(tutor, "/passport")
    await harness.press(
        tutor, encode(RoadmapAction(verb=RoadmapVerb.FILL_PASSPORT, item=team.team_id))
    )
    for value in fields:
        await harness.send(tutor, value)
    filled = len(calls)
    await harness.press(
        tutor, encode(RoadmapAction(verb=RoadmapVerb.SUBMIT_PASSPORT, item=team.team_id))
    )
    await harness.deliver()
    notice = len(calls)
    await harness.send(mentor, "/passport")
    assert_whole_in_order(_to(harness, tutor, start, filled)[-3:], *fields)  # after the 4th
    assert_whole_in_order(_to(harness, mentor, filled, notice), *fields)  # the notice
    assert_whole_in_order(_to(harness, mentor, notice), *fields)  # /passport

    comment = long_text("паспорт-доработать", roadmap.COMMENT_LIMIT)
    start = len(calls)
    passport = await _one(harness, ProjectPassport)
    await harness.press(
        mentor, encode(RoadmapAction(verb=RoadmapVerb.ASK_PASSPORT_RETURN, item=passport))
    )
    await harness.send(mentor, comment)
    await harness.deliver()
    assert_whole_in_order(_to(harness, tutor, start), comment)
    assert_whole_in_order(_to(harness, GROUP, start), comment)

    # A stage: a 200-character title, a 3000-character report, a 1000-character comment.
    title = long_text("этап", roadmap.TITLE_LIMIT)
    report = long_text("отчёт", roadmap.REPORT_LIMIT)
    await harness.press(tutor, encode(RoadmapAction(verb=RoadmapVerb.ADD_STAGE, item=team.team_id)))
    await harness.send(tutor, title)
    await harness.send(tutor, "15.10.2026")
    stage = await _one(harness, RoadmapStage)
    await harness.press(tutor, encode(RoadmapAction(verb=RoadmapVerb.ASK_STAGE_REPORT, item=stage)))
    start = len(calls)
    await harness.send(tutor, report)
    await harness.deliver()
    assert_whole_in_order(_to(harness, mentor, start), title, report)
    start = len(calls)
    await harness.press(mentor, encode(RoadmapAction(verb=RoadmapVerb.OPEN_STAGE, item=stage)))
    assert_whole_in_order(_to(harness, mentor, start), title, report)
    comment = long_text("этап-доработать", roadmap.COMMENT_LIMIT)
    start = len(calls)
    await harness.press(
        mentor, encode(RoadmapAction(verb=RoadmapVerb.ASK_STAGE_RETURN, item=stage))
    )
    await harness.send(mentor, comment)
    await harness.deliver()
    assert_whole_in_order(_to(harness, tutor, start), title, comment)
    assert_whole_in_order(_to(harness, GROUP, start), title, comment)

    # Announcements of 3500 characters, from the private chat and in the group.
    for index, send in enumerate(("private", "group")):
        text = long_text(f"объявление{index}-", team_chat.MAX_ANNOUNCEMENT)
        start = len(calls)
        if send == "private":
            await harness.send(mentor, "/announce")
            await harness.send(mentor, text)
        else:
            await harness.feed(group_message(mentor, f"/announce {text}"))
        await harness.deliver()
        assert_whole_in_order(_to(harness, GROUP, start), text)

    # The ИУП: a task with the longest title, link and description; evidence; a comment.
    task_title = long_text("задача", plans.TITLE_LIMIT)
    link = "https://example.org/" + "к" * (plans.LINK_LIMIT - len("https://example.org/"))
    description = long_text("описание", plans.DESCRIPTION_LIMIT)
    start = len(calls)
    await harness.send(tutor, "/assign")
    target = AssignAction(
        verb=AssignVerb.PICK_TARGET, kind="student", target=await team.person_id(student)
    )
    await harness.press(tutor, encode(target))
    await harness.press(
        tutor, encode(AssignAction(verb=AssignVerb.PICK_KIND, kind=TaskKind.ONLINE_COURSE.value))
    )
    for answer in (task_title, "10.09.2026 18:00", link, description):
        await harness.send(tutor, answer)
    assert_whole_in_order(_to(harness, tutor, start)[-2:], task_title, link, description)
    await harness.press(tutor, encode(AssignAction(verb=AssignVerb.CONFIRM)))
    await harness.deliver()
    task = await _one(harness, PlanTask)
    start = len(calls)
    await harness.press(student, encode(PlanAction(verb=PlanVerb.OPEN, task=task)))
    assert_whole_in_order(_to(harness, student, start), task_title, link, description)

    evidence = long_text("сделано", plans.EVIDENCE_LIMIT)
    await harness.press(student, encode(PlanAction(verb=PlanVerb.ASK_EVIDENCE, task=task)))
    start = len(calls)
    await harness.send(student, evidence)
    await harness.deliver()
    assert_whole_in_order(_to(harness, tutor, start), task_title, evidence)
    start = len(calls)
    await harness.press(tutor, encode(PlanAction(verb=PlanVerb.OPEN, task=task)))
    assert_whole_in_order(_to(harness, tutor, start), task_title, description, evidence)
    comment = long_text("задача-доработать", plans.COMMENT_LIMIT)
    await harness.press(tutor, encode(PlanAction(verb=PlanVerb.ASK_RETURN_COMMENT, task=task)))
    start = len(calls)
    await harness.send(tutor, comment)
    await harness.deliver()
    assert_whole_in_order(_to(harness, student, start), task_title, comment)

    await assert_everything_fits(harness)


# The questionnaire and the mentor's review.


def _name(length: int) -> str:
    return " ".join(itertools.repeat("Константинопольский", length))[:length].rstrip()


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_the_longest_answers_and_idea_texts_go_through_the_questionnaire_to_the_mentor(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    await selection_world.build_world(factory, clock)
    # The longest a season's file allows (services/seasons.py): a question's answer of 4000
    # characters, an idea's title of 200 and description of 4000.
    idea_title, idea_description = _name(200), long_text("идея", 4000)
    async with factory() as uow:
        why = update(MotivationQuestion).where(MotivationQuestion.code == "why")
        await uow.session.execute(why.values(max_length=4000))
        await uow.session.execute(
            update(ProjectIdea)
            .where(ProjectIdea.code == "space-sat")
            .values(title=idea_title, description=idea_description)
        )
        await uow.session.execute(update(SeasonSettings).values(stamp=uuid.uuid4().hex))
        await uow.commit()
    answers = {
        "full_name": _name(200),
        "institution": long_text("школа", 200),
        "about": long_text("о-себе", ABOUT_TEXT[1]),
        "presentation": long_text("самопрезентация", PRESENTATION_TEXT[1]),
        "why": long_text("почему", 4000),
        "experience": long_text("опыт", 1500),
    }
    app = await start_application(harness, APPLICANT)
    await harness.send(APPLICANT, "15.01.2013")
    await harness.send(APPLICANT, answers["full_name"])
    await harness.press(
        APPLICANT,
        cd(ApplyVerb.PICK_MUNICIPALITY, app, item=await municipality_id(harness, "Томск")),
    )
    await harness.press(APPLICANT, cd(ApplyVerb.CHOOSE, app, "edu_type", "school"))
    for typed in (answers["institution"], "7", "8 (913) 555-44-33", "petr@example.ru"):
        await harness.send(APPLICANT, typed)
    await harness.press(APPLICANT, cd(ApplyVerb.SKIP, app, "leader_id"))
    await harness.send(APPLICANT, "petr.ivanov")
    for code in ("about", "presentation", "why", "experience"):
        await harness.send(APPLICANT, answers[code])
    await harness.press(APPLICANT, cd(ApplyVerb.CHOOSE, app, "q-teamwork", "4"))
    first, second = await idea_ids(harness, "space-sat", "peat-monitor")
    start = len(harness.session.calls)
    await harness.press(
        APPLICANT, cd(ApplyVerb.IDEA_DETAILS, app, item=first)
    )  # the idea's details
    assert_whole_in_order(_to(harness, APPLICANT, start), idea_title, idea_description)
    await harness.press(APPLICANT, cd(ApplyVerb.TOGGLE_IDEA, app, item=first, page=0))
    await harness.press(APPLICANT, cd(ApplyVerb.TOGGLE_IDEA, app, item=second, page=0))
    start = len(harness.session.calls)
    await harness.press(APPLICANT, cd(ApplyVerb.IDEAS_DONE, app))
    # The review shows the beginning of each typed answer (marked «…» where shortened); the
    # self-presentation by its kind.
    review = _to(harness, APPLICANT, start)[-1]
    for code, value in answers.items():
        assert whole([review], value[:100] if code != "presentation" else "Самопрезентация: текст")
    await harness.press(APPLICANT, cd(ApplyVerb.SUBMIT, app))
    await harness.deliver()

    mentor = selection_world.MENTOR_A
    start = len(harness.session.calls)
    await harness.press(mentor, encode(ReviewAction(verb=ReviewVerb.OPEN_CARD, application=app)))
    await harness.deliver()  # the card goes through the outbox, after the self-presentation
    card = _to(harness, mentor, start)
    for value in answers.values():
        assert whole(card, value)
    comment = long_text("комментарий", selection.COMMENT_LIMIT)
    await harness.press(mentor, encode(ReviewAction(verb=ReviewVerb.ASK_COMMENT, application=app)))
    start = len(harness.session.calls)
    await harness.send(mentor, comment)
    assert_whole_in_order(_to(harness, mentor, start), comment)

    await assert_everything_fits(harness)


# Invisible answers.

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u3164 " * 30


async def test_an_answer_of_invisible_characters_is_refused_as_empty(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    await selection_world.build_world(factory, clock)
    app = await start_application(harness, APPLICANT)
    for typed in ("15.01.2013", "Иванов Пётр Алексеевич"):
        await harness.send(APPLICANT, typed)
    await harness.press(
        APPLICANT,
        cd(ApplyVerb.PICK_MUNICIPALITY, app, item=await municipality_id(harness, "Томск")),
    )
    await harness.press(APPLICANT, cd(ApplyVerb.CHOOSE, app, "edu_type", "school"))
    for typed in ("МАОУ СОШ № 32", "7", "8 (913) 555-44-33", "petr@example.ru"):
        await harness.send(APPLICANT, typed)
    await harness.press(APPLICANT, cd(ApplyVerb.SKIP, app, "leader_id"))
    await harness.send(APPLICANT, "petr.ivanov")
    # «О себе» (at least 50) and then a motivation question (at least 100) with 210 invisible
    # characters: refused as empty each time, and the step stays.
    await harness.send(APPLICANT, INVISIBLE)
    assert harness.session.texts_to(APPLICANT)[-1].startswith(
        "Слишком коротко: 0 из минимум 50 символов."
    )
    await harness.send(APPLICANT, "Люблю физику и походы. " * 3)
    await harness.send(APPLICANT, "Самопрезентация текстом: " + "расскажу о себе. " * 3)
    await harness.send(APPLICANT, INVISIBLE)
    assert harness.session.texts_to(APPLICANT)[-1].startswith(
        "Слишком коротко: 0 из минимум 100 символов."
    )
    async with factory() as uow:
        answered = await uow.applications.answers(app)
    assert "about" in answered and "q-why" not in answered
