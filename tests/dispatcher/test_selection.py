"""Selection through the real Dispatcher: submitting tells the mentors of the ranked ideas, a
mentor opens the card from the notice and scores by its buttons; a student replaying the
mentor's button is refused and nothing changes; the office sees the score and decides; the
office undoes a decision by the card's button (a second press and a student's replay change
nothing). The card shows the whole application after its self-presentation; reviewing is a
queue with a bounded cost in taps and messages; partial reviews do not count; a decision takes
the buttons off what was sent about the application; after publication the office and the
applicant keep seeing the results."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from services.actions import (
    ApplyVerb,
    OfficeAction,
    OfficeVerb,
    ReviewAction,
    ReviewVerb,
    decode,
    encode,
)
from services.clock import FixedClock
from services.domain import ApplicationStatus, Decision, Role
from storage.models import Application, ApplicationScore, SelectionCriterion, SelectionDecision
from tests.applicants import cd, fill_after_consent, fill_to_review, start_application
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness, callback_update
from tests.selection_world import (
    MENTOR_A,
    MENTOR_B,
    MENTOR_C,
    OFFICE,
    add_applicant,
    build_world,
)
from tests.texts import said

STUDENT = 9101
# What a screen looks like does not depend on the database: such tests run on SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
TUTOR = 9301
NOT_ALLOWED = "Недостаточно прав для этого действия."


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    yield harness
    await harness.app.engine.dispose()


def _callbacks(harness: Harness, chat_id: int) -> list[str]:
    found = []
    for message in harness.session.of("SendMessage"):
        if int(message.chat_id) == chat_id and message.reply_markup is not None:
            for row in message.reply_markup.inline_keyboard:
                found += [b.callback_data for b in row if b.callback_data]
    return found


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_submit_notifies_mentors_who_score_from_the_card_and_a_forgery_is_refused(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    await build_world(factory, clock)
    app = await fill_to_review(harness, STUDENT)  # ranks space-sat, then peat-monitor
    await harness.press(STUDENT, cd(ApplyVerb.SUBMIT, app))
    await harness.deliver()
    opened = encode(ReviewAction(verb=ReviewVerb.OPEN_CARD, application=app))
    for mentor in (MENTOR_A, MENTOR_B):
        assert any("Новая заявка" in text for text in harness.session.texts_to(mentor))
        assert opened in _callbacks(harness, mentor)
    assert harness.session.texts_to(MENTOR_C) == []  # river-clean was not ranked

    await harness.press(MENTOR_A, opened)
    await harness.deliver()
    card = harness.session.texts_to(MENTOR_A)[-1]
    assert "заявка TOMSK-2026-00001" in card and said("sel-card-scores") in card
    assert "Выбранные идеи (по приоритету):\n1. Школьный наноспутник" in card
    async with factory() as uow:
        criteria = {c.code: c.id for c in await uow.session.scalars(select(SelectionCriterion))}
    score = encode(
        ReviewAction(
            verb=ReviewVerb.SCORE, application=app, criterion=criteria["motivation"], value=4
        )
    )
    assert score in _callbacks(harness, MENTOR_A)
    await harness.press(MENTOR_A, score)
    await harness.press(MENTOR_A, score)  # a double tap
    edited = harness.session.of("EditMessageText")[-1]
    assert (
        said("sel-card-criterion", n=2, title="Мотивация к участию", weight="0.4", score=4)
        in edited.text
    )
    assert said("sel-card-no-score") in edited.text  # 1 of 3 scored
    for code in ("presentation", "interest"):
        await harness.press(
            MENTOR_A,
            encode(
                ReviewAction(
                    verb=ReviewVerb.SCORE, application=app, criterion=criteria[code], value=4
                )
            ),
        )
    edited = harness.session.of("EditMessageText")[-1]
    assert said("sel-card-combined", score="4.00", reviewers=1) in edited.text

    # The student replays the mentor's button with another value; another mentor tries too.
    forged = encode(
        ReviewAction(
            verb=ReviewVerb.SCORE, application=app, criterion=criteria["motivation"], value=5
        )
    )
    await harness.press(STUDENT, forged)
    await harness.press(MENTOR_C, forged)
    assert harness.session.alerts()[-2:] == [NOT_ALLOWED, NOT_ALLOWED]
    async with factory() as uow:
        scores = [(s.criterion_id, s.score) for s in await uow.session.scalars(
            select(ApplicationScore))]  # fmt: skip
        application = await uow.session.get(Application, app)
    assert sorted(scores) == sorted((c, 4) for c in criteria.values())
    assert application is not None and application.status is ApplicationStatus.IN_REVIEW

    # The office sees the score, and a student cannot decide.
    await harness.send(OFFICE, "/selection")
    await harness.press(
        OFFICE,
        encode(OfficeAction(verb=OfficeVerb.IDEA_RANKING, idea=await _idea(harness, "space-sat"))),
    )
    assert (
        "TOMSK-2026-00001 — 4.00 (оценщиков: 1, выбор № 1)" in harness.session.texts_to(OFFICE)[-1]
    )
    decide = encode(OfficeAction(verb=OfficeVerb.DECIDE, application=app, decision=2))
    await harness.press(STUDENT, decide)
    assert harness.session.alerts()[-1] == NOT_ALLOWED
    await harness.press(OFFICE, decide)
    async with factory() as uow:
        decisions = list(await uow.session.scalars(select(SelectionDecision)))
    assert [(d.application_id, d.decision.value) for d in decisions] == [(app, "rejected")]
    await harness.press(MENTOR_A, score)
    assert harness.session.alerts()[-1] == said("sel-decided")


async def _idea(harness: Harness, code: str) -> int:
    from tests.applicants import idea_ids

    [found] = await idea_ids(harness, code)
    return found


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_the_office_undoes_a_decision_from_the_card_once(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    app = await add_applicant(factory, clock, world, STUDENT, ["peat-monitor"], media=False)
    peat = world.ideas["peat-monitor"]
    await harness.press(
        OFFICE, encode(OfficeAction(verb=OfficeVerb.DECIDE, application=app, decision=0, idea=peat))
    )
    decided = harness.session.of("EditMessageText")[-1]
    assert "Решение принято: принят(а) в «" in decided.text
    undo = [
        b.callback_data
        for row in decided.reply_markup.inline_keyboard
        for b in row
        if b.text == "↩️ Отменить решение"
    ]
    assert len(undo) == 1 and decode(undo[0]).idea == peat

    await harness.press(STUDENT, undo[0])  # someone else's button, replayed
    assert harness.session.alerts()[-1] == NOT_ALLOWED
    async with factory() as uow:
        assert (await uow.selection.decision(app)) is not None

    await harness.press(OFFICE, undo[0])
    answered = harness.session.of("AnswerCallbackQuery")[-1]
    assert answered.text.startswith(said("sel-undo-done"))
    card = harness.session.of("EditMessageText")[-1]
    assert "Решение принято" not in card.text
    buttons = [b.text for row in card.reply_markup.inline_keyboard for b in row]
    assert said("sel-btn-reject") in buttons and said("sel-btn-undo") not in buttons
    async with factory() as uow:
        assert (await uow.selection.decision(app)) is None
        audit = [e.action for e in await uow.audit.for_object("application", app)]
    assert audit == ["selection.decide", "selection.undo"]

    await harness.press(OFFICE, undo[0])  # the double tap
    assert harness.session.alerts()[-1].startswith(said("sel-undo-stale"))
    await harness.press(
        OFFICE, encode(OfficeAction(verb=OfficeVerb.DECIDE, application=app, decision=2))
    )  # decided anew
    async with factory() as uow:
        decision = await uow.selection.decision(app)
    assert decision is not None and decision.decision is Decision.REJECTED


# --- helpers over what the bot drew ---------------------------------------------------------


def _sent_to(harness: Harness, chat_id: int, since: int = 0) -> list[Any]:
    """Every new message (text or media) to the chat, in order, from call number `since`."""
    return [
        call.method
        for call in harness.session.calls[since:]
        if call.name.startswith("Send") and int(getattr(call.method, "chat_id", 0)) == chat_id
    ]


def _buttons(markup: Any) -> list[tuple[str, str]]:
    if markup is None:
        return []
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]


def _press_data(markup: Any, text: str) -> str:
    [data] = [d for t, d in _buttons(markup) if t == text]
    return data


async def _criteria(harness: Harness) -> dict[str, int]:
    async with harness.app.uow_factory() as uow:
        rows = await uow.session.scalars(select(SelectionCriterion))
        return {c.code: c.id for c in rows}


# --- the card ---------------------------------------------------------------------------------

LONG_ABOUT = " ".join(f"увлечение{n}" for n in range(180))[:2000]
LONG_WHY = "\n".join(" ".join(f"причина{n}-{m}" for m in range(12)) for n in range(12))[:1500]
LONG_EXPERIENCE = " ".join(f"проект{n}" for n in range(200))[:1500]


@SQLITE_ONLY
async def test_the_card_shows_the_whole_application_in_order_with_short_buttons(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    answers = {
        "full_name": "Петрова Анна Сергеевна",
        "birth_date": "2010-05-01",
        "edu_type": "school",
        "institution": "Лицей № 7",
        "grade": "9",
        "about": LONG_ABOUT,
        "q-why": LONG_WHY,
        "q-experience": LONG_EXPERIENCE,
        "q-teamwork": "4",
    }
    presentation = "Я Анна, " + " ".join(f"слово{n}" for n in range(400))[:2900]
    app = await add_applicant(
        factory, clock, world, STUDENT, ["peat-monitor"], answers=answers,
        presentation_text=presentation,
    )  # fmt: skip

    since = len(harness.session.calls)
    await harness.press(MENTOR_A, encode(ReviewAction(verb=ReviewVerb.OPEN_CARD, application=app)))
    await harness.deliver()
    parts = _sent_to(harness, MENTOR_A, since)
    assert len(parts) > 1 and all(m.text and len(m.text) <= 4096 for m in parts)
    assert [m.reply_markup is not None for m in parts] == [False] * (len(parts) - 1) + [True]
    card = "\n\n".join(m.text for m in parts)
    assert card.startswith("📄 Петрова Анна Сергеевна — заявка ")
    words = " ".join(card.split())
    for value in (LONG_ABOUT, LONG_WHY, LONG_EXPERIENCE, presentation):
        assert " ".join(value.split()) in words  # whole, in order, never cut
    questions = [
        "Вопрос 1. Почему вы хотите участвовать в программе «Кадры будущего»? Чего ждёте от "
        "участия?",
        "Вопрос 2. Расскажите о проекте, конкурсе или деле, которым вы гордитесь. Какой была "
        "ваша роль?",
        "Вопрос 3. Насколько вам нравится работать в команде? Оцените от 1 (предпочитаю один) до "
        "5 (только в команде).\n4 из 5",
    ]
    order = ["Дата рождения: 01.05.2010", "Класс / курс: 9 класс", "О себе:",
             "Самопрезентация (текст)", *questions, "Выбранные идеи"]  # fmt: skip
    positions = [card.index(label) for label in order]
    assert positions == sorted(positions)
    for line in ("К1. Самопрезентация (вес 0.3): —", "К2. Мотивация к участию (вес 0.4): —",
                 "К3. Интерес к предложенным идеям (вес 0.3): —"):  # fmt: skip
        assert line in parts[-1].text
    labels = [text for text, _ in _buttons(parts[-1].reply_markup)]
    assert labels[:6] == [f"К1: {v}" for v in range(6)]
    assert max(len(label) for label in labels) <= 20 and "…" not in card

    # A score redraws the last message in place; the earlier ones keep their text.
    criteria = await _criteria(harness)
    await harness.press(MENTOR_A, _press_data(parts[-1].reply_markup, "К2: 4"))
    [edited] = harness.session.of("EditMessageText")
    assert edited.text.split("\n\n")[0] == parts[-1].text.split("\n\n")[0]
    assert (
        said("sel-card-criterion", n=2, title="Мотивация к участию", weight="0.4", score=4)
        in edited.text
    )
    assert (
        "•К2: 4•",
        encode(
            ReviewAction(
                verb=ReviewVerb.SCORE, application=app, criterion=criteria["motivation"], value=4
            )
        ),
    ) in (_buttons(edited.reply_markup))
    # A comment is asked for below and then shows on the card it was asked from.
    card_message = 4242
    await harness.feed(
        callback_update(
            MENTOR_A, _press_data(edited.reply_markup, "💬 Комментарий"), message_id=card_message
        )
    )
    await harness.send(MENTOR_A, "Сильная мотивация, стоит взять.")
    edited = harness.session.of("EditMessageText")[-1]
    assert edited.message_id == card_message and edited.chat_id == MENTOR_A
    assert "Ваш комментарий: Сильная мотивация, стоит взять." in edited.text
    assert harness.session.texts_to(MENTOR_A)[-1].startswith(said("sel-comment-saved"))


@SQLITE_ONLY
async def test_the_self_presentation_comes_before_the_card_and_names_whose_it_is(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    video = await add_applicant(factory, clock, world, STUDENT, ["peat-monitor"], media="video")
    note = await add_applicant(
        factory, clock, world, STUDENT + 1, ["peat-monitor"], media="video_note"
    )
    since = len(harness.session.calls)
    await harness.press(
        MENTOR_A, encode(ReviewAction(verb=ReviewVerb.OPEN_CARD, application=video))
    )
    await harness.deliver()
    sent = _sent_to(harness, MENTOR_A, since)
    assert [type(m).__name__ for m in sent] == ["SendVideo", "SendMessage"]
    assert sent[0].caption == f"Самопрезентация: Кандидат {STUDENT}, заявка T-{video:05d}"
    assert (
        said("sel-card-presentation", kind="video") in sent[1].text
        and "отправлено выше" not in sent[1].text
    )

    since = len(harness.session.calls)
    await harness.press(MENTOR_A, encode(ReviewAction(verb=ReviewVerb.OPEN_CARD, application=note)))
    await harness.deliver()
    sent = _sent_to(harness, MENTOR_A, since)
    assert [type(m).__name__ for m in sent] == ["SendMessage", "SendVideoNote", "SendMessage"]
    assert f"Кандидат {STUDENT + 1}, заявка T-{note:05d}" in sent[0].text
    assert sent[2].text.startswith(f"📄 Кандидат {STUDENT + 1} — заявка T-{note:05d}")


# --- the queue ---------------------------------------------------------------------------------


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_reviewing_is_a_queue_of_at_most_five_taps_and_two_new_messages_per_application(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    apps = [
        await add_applicant(factory, clock, world, STUDENT + n, ["peat-monitor"]) for n in range(5)
    ]
    criteria = await _criteria(harness)
    # The third one was scored in full before: the queue skips it.
    for criterion in criteria.values():
        await harness.press(
            MENTOR_A,
            encode(
                ReviewAction(
                    verb=ReviewVerb.SCORE, application=apps[2], criterion=criterion, value=3
                )
            ),
        )
    await harness.send(MENTOR_A, "/review")
    listing = harness.session.of("SendMessage")[-1]
    assert f"✅ T-{apps[2]:05d}" in listing.text and f"▫️ T-{apps[0]:05d}" in listing.text
    tap = _press_data(listing.reply_markup, next(t for t, _ in _buttons(listing.reply_markup)))

    reviewed = []
    for _ in range(4):
        since, taps = len(harness.session.calls), 0
        await harness.press(MENTOR_A, tap)  # open (from /review), then «Следующая заявка»
        taps += 1
        await harness.deliver()
        card = _sent_to(harness, MENTOR_A, since)[-1]
        reviewed.append(card.text.split("\n")[0])
        markup = card.reply_markup
        for n in (1, 2, 3):
            await harness.press(MENTOR_A, _press_data(markup, f"К{n}: 4"))
            taps += 1
            markup = harness.session.of("EditMessageText")[-1].reply_markup
        await harness.press(MENTOR_A, _press_data(markup, "👍 Принять"))
        taps += 1
        markup = harness.session.of("EditMessageText")[-1].reply_markup
        tap = _press_data(markup, "Следующая заявка ▶️")
        assert taps <= 5
        assert len(_sent_to(harness, MENTOR_A, since)) <= 2  # the video and the card
    assert reviewed == [
        f"📄 Кандидат {STUDENT + n} — заявка T-{apps[n]:05d}, обучающийся" for n in (0, 1, 3, 4)
    ]
    since = len(harness.session.calls)
    await harness.press(MENTOR_A, tap)  # nothing left to score
    assert harness.session.alerts()[-1].startswith(said("sel-queue-done"))
    assert _sent_to(harness, MENTOR_A, since) == []


# --- partial reviews ------------------------------------------------------------------------


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_a_partial_review_is_shown_as_incomplete_and_does_not_count_in_the_ranking(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    partial = await add_applicant(factory, clock, world, STUDENT, ["peat-monitor"])
    complete = await add_applicant(factory, clock, world, STUDENT + 1, ["peat-monitor"])
    criteria = await _criteria(harness)
    await harness.press(
        MENTOR_A,
        encode(
            ReviewAction(
                verb=ReviewVerb.SCORE,
                application=partial,
                criterion=criteria["motivation"],
                value=5,
            )
        ),
    )
    assert (
        said("sel-card-my-partial", scored=1, total=3)
        in harness.session.of("EditMessageText")[-1].text
    )
    for code, value in (("presentation", 5), ("motivation", 5), ("interest", 4)):
        await harness.press(
            MENTOR_A,
            encode(
                ReviewAction(
                    verb=ReviewVerb.SCORE,
                    application=complete,
                    criterion=criteria[code],
                    value=value,
                )
            ),
        )
    await harness.send(MENTOR_A, "/review")
    listing = harness.session.texts_to(MENTOR_A)[-1]
    assert f"◐ T-{partial:05d}" in listing and f"✅ T-{complete:05d}" in listing

    await harness.press(
        OFFICE, encode(OfficeAction(verb=OfficeVerb.IDEA_RANKING, idea=world.ideas["peat-monitor"]))
    )
    ranking = harness.session.texts_to(OFFICE)[-1]
    assert f"1. T-{complete:05d} — 4.70 (оценщиков: 1, выбор № 1)" in ranking
    assert (
        f"2. T-{partial:05d} — нет полных оценок (оценщиков: 0, выбор № 1), "
        "неполных оценок: 1" in ranking
    )
    await harness.press(OFFICE, encode(OfficeAction(verb=OfficeVerb.PREVIEW_TOP)))
    preview = harness.session.texts_to(OFFICE)[-1]
    assert f"T-{complete:05d}" in preview and f"T-{partial:05d}" not in preview
    await harness.press(
        OFFICE, encode(OfficeAction(verb=OfficeVerb.OPEN_CARD, application=partial))
    )
    await harness.deliver()
    card = harness.session.texts_to(OFFICE)[-1]
    assert said("sel-note-incomplete", scored=1, total=3) in card
    assert said("sel-card-no-score") in card


# --- the office -------------------------------------------------------------------------------


async def _published(harness: Harness, clock: FixedClock) -> tuple[list[int], dict[str, int]]:
    """Three applicants to peat-monitor (one place): the first accepted, the second rejected,
    the third undecided (waitlisted at publication); results published by the office."""
    factory = harness.app.uow_factory
    world = await build_world(factory, clock, capacity={"peat-monitor": 1})
    apps = [
        await add_applicant(factory, clock, world, STUDENT + n, ["peat-monitor"], media=False)
        for n in range(3)
    ]
    peat = world.ideas["peat-monitor"]
    await harness.press(
        OFFICE,
        encode(OfficeAction(verb=OfficeVerb.DECIDE, application=apps[0], decision=0, idea=peat)),
    )
    await harness.press(
        OFFICE, encode(OfficeAction(verb=OfficeVerb.DECIDE, application=apps[1], decision=2))
    )
    await harness.press(OFFICE, encode(OfficeAction(verb=OfficeVerb.PUBLISH)))
    assert "Результаты опубликованы" in harness.session.texts_to(OFFICE)[-1]
    return apps, world.ideas


async def test_after_publishing_the_office_still_sees_what_was_published(
    harness: Harness, clock: FixedClock
) -> None:
    apps, ideas = await _published(harness, clock)
    await harness.send(OFFICE, "/selection")
    overview = harness.session.texts_to(OFFICE)[-1]
    assert overview.startswith(said("sel-office-title", applications=3, undecided=0))
    assert said("sel-office-published", accepted=1, waitlisted=1, rejected=1) in overview
    assert "обучающиеся: выбрали 3, принято 1 из 1" in overview
    await harness.press(
        OFFICE, encode(OfficeAction(verb=OfficeVerb.IDEA_RANKING, idea=ideas["peat-monitor"]))
    )
    ranking = harness.session.texts_to(OFFICE)[-1]
    assert "никто не выбрал" not in ranking.split(said("sel-idea-tutors"))[0]
    assert f"T-{apps[0]:05d} — нет полных оценок" in ranking and "✅ принят(а)" in ranking
    assert f"T-{apps[1]:05d}" in ranking and "✖️ отказ" in ranking
    assert f"T-{apps[2]:05d}" in ranking and "⏳ лист ожидания" in ranking


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_after_publication_status_shows_the_result_and_nothing_opens_or_changes(
    harness: Harness, clock: FixedClock
) -> None:
    apps, _ = await _published(harness, clock)
    expected = {
        STUDENT: ("вы приняты в программу — в проектную команду идеи «Мониторинг торфяных "
                  "пожаров с дронов»", "Что дальше: бот пришлёт приглашение в чат команды"),
        STUDENT + 1: ("в этот раз вы не прошли отбор", "Что дальше: следите за новостями"),
        STUDENT + 2: ("вы в листе ожидания", "Что дальше: если в команде освободится место"),
    }  # fmt: skip
    for tg_id, (result, what_next) in expected.items():
        await harness.send(tg_id, "/status")
        status = harness.session.of("SendMessage")[-1]
        assert result in status.text and what_next in status.text
        assert "Приём заявок открыт" not in status.text and status.reply_markup is None
        # The «Открыть заявку» of an earlier /status, pressed now.
        await harness.press(tg_id, cd(ApplyVerb.OPEN))
        opened = harness.session.of("SendMessage")[-1]
        assert not opened.text.startswith("Заявка отозвана")
        assert opened.text.startswith(f"Заявка № T-{apps[tg_id - STUDENT]:05d}: ")
        assert "Результаты отбора опубликованы: заявку больше нельзя изменить." in opened.text
        assert opened.reply_markup is None


@SQLITE_ONLY
async def test_status_does_not_double_the_quotes_around_the_season_name(
    harness: Harness, clock: FixedClock
) -> None:
    await build_world(harness.app.uow_factory, clock)  # «Кадры будущего» — Томская область, …
    await harness.send(STUDENT, "/status")
    status = harness.session.texts_to(STUDENT)[-1]
    assert status.startswith("Набор: «Кадры будущего» — Томская область, 2026/27\n")
    assert "««" not in status and "»»" not in status


async def test_a_double_tap_on_accept_the_top_says_it_is_already_done(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    apps = [
        await add_applicant(factory, clock, world, STUDENT + n, ["peat-monitor"], media=False)
        for n in range(3)
    ]
    criteria = await _criteria(harness)
    for app in apps[:2]:
        for criterion in criteria.values():
            await harness.press(
                MENTOR_A,
                encode(
                    ReviewAction(
                        verb=ReviewVerb.SCORE, application=app, criterion=criterion, value=4
                    )
                ),
            )
    await harness.press(OFFICE, encode(OfficeAction(verb=OfficeVerb.PREVIEW_TOP)))
    preview = harness.session.of("SendMessage")[-1]
    assert preview.text.startswith(said("sel-top-preview", count=2))
    confirm = _press_data(preview.reply_markup, "✅ Подтвердить")
    await harness.press(OFFICE, confirm)
    assert harness.session.texts_to(OFFICE)[-1] == said("sel-top-done", count=2)
    sent = len(harness.session.of("SendMessage"))
    await harness.press(OFFICE, confirm)  # the double tap
    assert harness.session.alerts()[-1] == said("sel-top-again", count=2)
    assert len(harness.session.of("SendMessage")) == sent
    assert harness.session.of("EditMessageReplyMarkup")[-1].reply_markup is None  # spent
    async with factory() as uow:
        decisions = list(await uow.session.scalars(select(SelectionDecision)))
    assert sorted(d.application_id for d in decisions) == sorted(apps[:2])

    # A preview that something changed after is still refused, as before.
    for criterion in criteria.values():
        await harness.press(
            MENTOR_A,
            encode(
                ReviewAction(
                    verb=ReviewVerb.SCORE, application=apps[2], criterion=criterion, value=4
                )
            ),
        )
    await harness.press(OFFICE, encode(OfficeAction(verb=OfficeVerb.PREVIEW_TOP)))
    confirm = _press_data(harness.session.of("SendMessage")[-1].reply_markup, "✅ Подтвердить")
    await harness.press(
        OFFICE, encode(OfficeAction(verb=OfficeVerb.DECIDE, application=apps[2], decision=2))
    )  # decided meanwhile
    await harness.press(OFFICE, confirm)
    assert harness.session.alerts()[-1].startswith(said("sel-plan-changed"))


@SQLITE_ONLY
async def test_the_office_notice_about_a_tutor_is_worded_for_a_tutor(
    harness: Harness, clock: FixedClock
) -> None:
    await build_world(harness.app.uow_factory, clock)
    app = await start_application(harness, TUTOR, role="tutor")
    await fill_after_consent(harness, TUTOR, app, birth="15.01.2005", role="tutor")
    await harness.press(TUTOR, cd(ApplyVerb.SUBMIT, app))
    await harness.deliver()
    [notice] = harness.session.texts_to(OFFICE)
    assert notice.startswith("📥 Новая заявка тьютора TOMSK-2026-")
    assert "Выбранные ваши идеи" not in notice and "—" not in notice
    mentor_notice = harness.session.texts_to(MENTOR_A)[-1]  # the tutor ranked peat-monitor
    assert "Выбранные ваши идеи: «Мониторинг торфяных пожаров с дронов»." in mentor_notice


async def test_a_decision_takes_the_buttons_off_every_notice_and_card_about_the_application(
    harness: Harness, clock: FixedClock
) -> None:
    factory = harness.app.uow_factory
    await build_world(factory, clock)
    colleague = OFFICE + 1
    async with factory() as uow:
        person = await uow.people.ensure(colleague, "ru", clock.now())
        await uow.people.grant(person.id, Role.OFFICE, None, clock.now())
        await uow.commit()
    app = await fill_to_review(harness, STUDENT)  # ranks space-sat, then peat-monitor
    await harness.press(STUDENT, cd(ApplyVerb.SUBMIT, app))  # notices to mentors A and B
    await harness.press(
        MENTOR_A, encode(ReviewAction(verb=ReviewVerb.OPEN_CARD, application=app))
    )  # the mentor's card
    await harness.press(
        OFFICE, encode(OfficeAction(verb=OfficeVerb.OPEN_CARD, application=app))
    )  # the office's card…
    await harness.press(
        colleague, encode(OfficeAction(verb=OfficeVerb.OPEN_CARD, application=app))
    )  # …and a colleague's
    await harness.deliver()
    async with factory() as uow:
        with_buttons = {
            (r.chat_id, r.telegram_message_id)
            for r in await uow.outbox.about(f"application:{app}")
            if r.payload.get("buttons")
        }
    assert {chat for chat, _ in with_buttons} == {MENTOR_A, MENTOR_B, OFFICE, colleague}
    assert len(with_buttons) == 5  # two notices, three cards
    [pressed] = [(chat, message) for chat, message in with_buttons if chat == OFFICE]
    office_card = next(
        m for m in harness.session.of("SendMessage")
        if int(m.chat_id) == OFFICE and m.reply_markup is not None
    )  # fmt: skip
    await harness.feed(
        callback_update(
            OFFICE, _press_data(office_card.reply_markup, "✖️ Отказать"), message_id=pressed[1]
        )
    )
    redrawn = harness.session.of("EditMessageText")[-1]
    assert said("sel-btn-undo") in [text for text, _ in _buttons(redrawn.reply_markup)]
    await harness.deliver()
    staff = {MENTOR_A, MENTOR_B, OFFICE, colleague}
    taken_off = {
        (int(m.chat_id), m.message_id)
        for m in harness.session.of("EditMessageReplyMarkup")
        if m.reply_markup is None and int(m.chat_id) in staff
    }
    assert taken_off == with_buttons - {pressed}
    await harness.press(
        MENTOR_A, encode(ReviewAction(verb=ReviewVerb.OPEN_CARD, application=app))
    )  # opened again: read-only
    await harness.deliver()
    assert harness.session.of("SendMessage")[-1].reply_markup is None
