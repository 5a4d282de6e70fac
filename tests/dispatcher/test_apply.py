"""The application flow through the real Dispatcher: /apply to submitted with an edit from the
review, bad inputs answered and the step repeated, Back / Keep / Skip, municipality narrowing,
idea ranking, the age group before consent and what follows from it, refusals with the way
forward (change the role, start over), resume after the FSM is lost, /status, withdrawal,
/privacy, logs without personal data."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Chat, Contact, Message, PhotoSize, Sticker, Update
from sqlalchemy import select

from services.actions import ApplyVerb
from services.clock import FixedClock
from services.domain import ApplicationStatus, ConsentKind
from storage.models import Answer, Consent, IdeaPreference, Person
from tests.applicants import (
    ABOUT,
    application_of,
    cd,
    fill_after_consent,
    fill_to_review,
    idea_ids,
    municipality_id,
    start_application,
)
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness, user
from tests.example_season import import_example
from tests.texts import fragment, opening, said

_ids = iter(range(10_000_000, 20_000_000))


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    await import_example(harness.app.uow_factory, clock)
    yield harness
    await harness.app.engine.dispose()


def _message(uid: int, **content: Any) -> Update:
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=Chat(id=uid, type="private"),
            from_user=user(uid),
            **content,
        ),
    )


def _last(harness: Harness, uid: int) -> str:
    return harness.session.texts_to(uid)[-1]


def _buttons(harness: Harness, uid: int) -> list[tuple[str, str]]:
    markup = harness.session.of("SendMessage")[-1].reply_markup
    if markup is None:
        return []
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]


async def _answers(harness: Harness, app: int) -> dict[str, str | None]:
    async with harness.app.uow_factory() as uow:
        return await uow.applications.answers(app)


async def _consents(harness: Harness, app: int | None = None) -> dict[ConsentKind, Consent]:
    """The consents of one application (of the only one when `app` is not given)."""
    query = select(Consent)
    if app is not None:
        query = query.where(Consent.application_id == app)
    async with harness.app.uow_factory() as uow:
        return {row.kind: row for row in await uow.session.scalars(query)}


def _lose_the_cursor(harness: Harness) -> None:
    """What a restart on the embedded default (or Redis losing its keys) does to the FSM."""
    storage = harness.app.dp.storage
    assert isinstance(storage, MemoryStorage)
    storage.storage.clear()


async def test_student_fills_edits_from_review_and_submits(harness: Harness) -> None:
    await harness.send(10, "/start")
    assert (said("apply-btn-apply"), cd(ApplyVerb.OPEN)) in _buttons(harness, 10)
    app = await fill_to_review(harness, 10)
    review = _last(harness, 10)
    assert review.startswith(said("apply-review-title", status="draft"))
    assert "ФИО: Иванов Пётр Алексеевич" in review and "Класс / курс: 7 класс" in review
    assert "Проектные идеи: 1. Школьный наноспутник; 2. Мониторинг торфяных пожаров" in review
    assert ("✏️ Учебное заведение", cd(ApplyVerb.EDIT_FROM_REVIEW, app, "institution")) in _buttons(
        harness, 10
    )

    await harness.press(10, cd(ApplyVerb.EDIT_FROM_REVIEW, app, "institution"))
    step = _last(harness, 10)
    assert (
        said("apply-progress", n=8, total=19) in step
        and said("apply-current", value="МАОУ СОШ № 32 г. Томска") in step
    )
    await harness.send(10, "Лицей № 7 г. Томска")
    review = _last(harness, 10)
    assert (
        review.startswith(said("apply-review-title", status="draft"))
        and "Учебное заведение: Лицей № 7 г. Томска" in review
    )

    await harness.press(10, cd(ApplyVerb.SUBMIT, app))
    assert _last(harness, 10).startswith(
        said("apply-submitted", number="TOMSK-2026-00001", closes="20.12.2026 23:59")
    )
    await harness.press(10, cd(ApplyVerb.SUBMIT, app))  # a double tap changes nothing
    await harness.send(10, "/status")
    assert "Заявка № TOMSK-2026-00001 отправлена" in _last(harness, 10)
    application = await application_of(harness, 10)
    assert application is not None and application.status is ApplicationStatus.SUBMITTED
    assert (await _answers(harness, app))["institution"] == "Лицей № 7 г. Томска"


async def test_bad_inputs_are_answered_and_the_step_repeated(harness: Harness) -> None:
    app = await start_application(harness, 11)
    sticker = Sticker(
        file_id="S", file_unique_id="s", type="regular", width=512, height=512,
        is_animated=False, is_video=False,
    )  # fmt: skip
    await harness.feed(_message(11, sticker=sticker))
    assert _last(harness, 11).startswith(said("apply-bad-sticker"))
    assert said("apply-progress", n=4, total=19) in _last(harness, 11) and "ДД.ММ.ГГГГ" in _last(
        harness, 11
    )
    await harness.feed(
        _message(11, photo=[PhotoSize(file_id="P", file_unique_id="p", width=10, height=10)])
    )
    assert _last(harness, 11).startswith(said("apply-bad-media"))
    await harness.send(11, "/foo")
    assert _last(harness, 11).startswith(said("apply-bad-command", command="/foo"))
    await harness.send(11, "2013-01-15")
    assert _last(harness, 11).startswith(said("apply-bad-date"))
    await harness.send(11, "15.01.2013")
    await harness.send(11, "Петя")
    assert _last(harness, 11).startswith(said("apply-bad-name"))
    await harness.send(11, "Иванов Пётр")
    await harness.send(11, "Москва")
    assert said("apply-muni-none", typed="Москва") in _last(harness, 11)
    await harness.send(11, "том")
    assert _last(harness, 11).startswith(said("apply-muni-pick"))
    assert [text for text, _ in _buttons(harness, 11)][:2] == ["Томск", "Томский район"]
    await harness.press(
        11,
        cd(ApplyVerb.PICK_MUNICIPALITY, app, item=await municipality_id(harness, "Томский район")),
    )
    await harness.send(11, "колледж")  # a typed label works like the button
    await harness.send(11, "Томский политехнический техникум")
    await harness.send(11, "9")
    assert _last(harness, 11).startswith(said("apply-bad-grade", kind="college", low=1, high=4))
    await harness.send(11, "2")
    # Phone: someone else's contact is refused; one's own is stored as +7…
    await harness.feed(
        _message(11, contact=Contact(phone_number="+79990001122", first_name="Х", user_id=999))
    )
    assert _last(harness, 11).startswith(said("apply-contact-not-own"))
    await harness.send(11, "12345")
    assert _last(harness, 11).startswith(said("apply-bad-phone"))
    await harness.feed(
        _message(11, contact=Contact(phone_number="79990001122", first_name="П", user_id=11))
    )
    removal = harness.session.of("SendMessage")[-2]
    assert removal.text == said("apply-phone-saved", phone="+79990001122")
    assert removal.reply_markup is not None and removal.reply_markup.remove_keyboard
    await harness.send(11, "not-an-email")
    assert _last(harness, 11).startswith(said("apply-bad-email"))
    await harness.press(11, cd(ApplyVerb.SKIP, app, "email"))
    await harness.send(11, "https://leader-id.ru/events/5")
    assert _last(harness, 11).startswith(said("apply-bad-leader-id"))
    await harness.send(11, "https://leader-id.ru/users/424242")
    await harness.press(11, cd(ApplyVerb.SKIP, app, "meo"))
    await harness.send(11, "Коротко о себе")
    assert _last(harness, 11).startswith(said("apply-text-too-short", length=14, low=50))
    await harness.send(11, ABOUT)
    await harness.feed(_message(11, sticker=sticker))
    assert _last(harness, 11).startswith(said("apply-bad-sticker"))
    await harness.feed(
        _message(
            11,
            video={
                "file_id": "V",
                "file_unique_id": "v",
                "width": 1,
                "height": 1,
                "duration": 90,
                "file_size": 300 * 2**20,
            },
        )
    )
    assert _last(harness, 11).startswith(said("apply-media-too-big", size=300, limit=50))
    await harness.feed(
        _message(
            11,
            video_note={
                "file_id": "N",
                "file_unique_id": "n",
                "length": 240,
                "duration": 30,
                "file_size": 2**20,
            },
        )
    )
    answers = await _answers(harness, app)
    assert answers["phone"] == "+79990001122" and answers["edu_type"] == "college"
    assert answers["email"] is None and answers["leader_id"] == "424242"
    assert answers["presentation"] == "video_note"
    async with harness.app.uow_factory() as uow:
        media = await uow.applications.media(app)
    assert media is not None and (media.kind, media.file_id, media.duration) == (
        "video_note",
        "N",
        30,
    )
    assert said("apply-progress", n=16, total=19) in _last(harness, 11)


async def test_back_keep_and_skip(harness: Harness) -> None:
    app = await start_application(harness, 12, role="tutor")
    assert said("apply-progress", n=3, total=17) in _last(harness, 12)
    # Back from the birth date steps over the given consent to the role.
    await harness.press(12, cd(ApplyVerb.BACK, app, "birth_date"))
    assert said("apply-progress", n=1, total=17) in _last(harness, 12) and said(
        "apply-current", value="тьютор"
    ) in _last(harness, 12)
    await harness.press(12, cd(ApplyVerb.KEEP, app, "role"))
    assert said("apply-progress", n=3, total=17) in _last(harness, 12)
    await harness.send(12, "01.02.2004")
    await harness.send(12, "Сидорова Анна Игоревна")
    await harness.press(12, cd(ApplyVerb.BACK, app, "municipality"))
    back = _last(harness, 12)
    assert (
        said("apply-progress", n=4, total=17) in back
        and said("apply-current", value="Сидорова Анна Игоревна") in back
    )
    await harness.press(12, cd(ApplyVerb.KEEP, app, "full_name"))
    assert said("apply-progress", n=5, total=17) in _last(harness, 12)
    await harness.press(12, cd(ApplyVerb.SKIP, app, "municipality"))  # not optional: refused
    assert harness.session.alerts()[-1].startswith(said("apply-step-unavailable"))
    assert (await _answers(harness, app)).keys() == {"role", "consent", "birth_date", "full_name"}


async def test_ideas_are_ranked_one_to_three_in_order(harness: Harness) -> None:
    app = await start_application(harness, 13, role="tutor")
    await harness.send(13, "01.02.2004")
    async with harness.app.uow_factory() as uow:  # jump to the ideas: answer the rest directly
        for step, value in {
            "full_name": "Сидорова Анна Игоревна", "municipality": "1", "institution": "ТГУ",
            "grade": "2", "phone": "+79001234567", "email": None, "leader_id": None,
            "meo": None, "about": ABOUT, "presentation": "text", "q-why": "x" * 120,
            "q-experience": "y" * 60, "q-teamwork": "3",
        }.items():  # fmt: skip
            await uow.applications.save_answer(app, step, value, datetime.now(UTC))
        await uow.commit()
    await harness.send(13, "/apply")
    assert said("apply-progress", n=17, total=17) in _last(
        harness, 13
    ) and "Страница 1 из 3" in _last(harness, 13)
    await harness.send(13, "Мне нравятся все")
    assert _last(harness, 13).startswith(said("apply-ideas-use-buttons"))
    a, b, c, d = await idea_ids(harness, "milk-trace", "river-clean", "med-ai", "yard-lab")
    await harness.press(13, cd(ApplyVerb.IDEAS_PAGE, app, page=2))
    edited = harness.session.of("EditMessageText")[-1]
    assert "Страница 3 из 3" in edited.text and "Молоко с историей" in edited.text
    for idea in (a, b, c, d):
        await harness.press(13, cd(ApplyVerb.TOGGLE_IDEA, app, item=idea, page=2))
    assert harness.session.alerts()[-1].startswith(said("apply-ideas-max", max=3))
    await harness.press(13, cd(ApplyVerb.TOGGLE_IDEA, app, item=b, page=2))  # unpick the second
    await harness.press(13, cd(ApplyVerb.TOGGLE_IDEA, app, item=d, page=2))
    assert said(
        "apply-ideas-picked",
        list="1. Молоко с историей; 2. Помощник для сельского фельдшера; 3. Двор",
    ) in (harness.session.of("EditMessageText")[-1].text)
    await harness.press(13, cd(ApplyVerb.IDEAS_DONE, app))
    assert _last(harness, 13).startswith(said("apply-review-title", status="draft"))
    async with harness.app.uow_factory() as uow:
        ranked = list(await uow.session.execute(
            select(IdeaPreference.rank, IdeaPreference.idea_id).order_by(IdeaPreference.rank)
        ))  # fmt: skip
    assert [tuple(row) for row in ranked] == [(1, a), (2, c), (3, d)]


async def test_cancel_or_a_lost_cursor_resumes_at_the_first_unanswered_step(
    harness: Harness, db_url: str, clock: FixedClock, bot_token: str
) -> None:
    app = await start_application(harness, 14)
    await harness.send(14, "15.01.2013")
    await harness.send(14, "/cancel")
    assert _last(harness, 14) == said("cancel-done")
    await harness.send(14, "Иванов Пётр")  # left on purpose: not taken as an answer
    assert _last(harness, 14) == said("apply-resume-hint", n=5, total=19, label="ФИО")
    assert "full_name" not in await _answers(harness, app)
    await harness.send(14, "/apply")
    assert said("apply-progress", n=5, total=19) in _last(harness, 14)
    # A new process with an empty in-memory FSM: /apply opens the same application.
    restarted = build_harness(db_url, clock, bot_token, throttle_rate_per_second=10_000)
    try:
        await restarted.send(14, "/apply")
        assert said("apply-progress", n=5, total=19) in restarted.session.texts_to(14)[-1]
        await restarted.send(14, "Иванов Пётр")
        assert said("apply-progress", n=6, total=19) in restarted.session.texts_to(14)[-1]
    finally:
        await restarted.app.engine.dispose()
    application = await application_of(harness, 14)
    assert application is not None and application.id == app
    assert (await _answers(harness, app))["full_name"] == "Иванов Пётр"


async def test_status_withdraw_and_privacy(harness: Harness) -> None:
    await harness.send(15, "/status")
    assert "Заявки у вас пока нет" in _last(harness, 15)
    await harness.send(15, "/privacy")
    assert _last(harness, 15).startswith(said("apply-privacy-none"))
    app = await fill_to_review(harness, 15, birth="15.01.2011", age_group="teen")
    await harness.press(15, cd(ApplyVerb.SUBMIT, app))
    await harness.send(15, "/status")
    assert (said("apply-btn-withdraw"), cd(ApplyVerb.ASK_WITHDRAW, app)) in _buttons(harness, 15)
    await harness.press(15, cd(ApplyVerb.ASK_WITHDRAW, app))
    await harness.press(15, cd(ApplyVerb.WITHDRAW, app))
    assert _last(harness, 15).startswith(said("apply-withdrawn"))
    await harness.send(15, "/privacy")
    privacy = _last(harness, 15)
    assert (
        said("apply-privacy-consent", kind="applicant", version="2026.1", when="01.09.2026 14:00")
        in privacy
    )
    assert (
        said(
            "apply-privacy-consent",
            kind="representative",
            version="2026.1",
            when="01.09.2026 14:00",
        )
        in privacy
    )
    await harness.press(15, cd(ApplyVerb.ASK_WITHDRAW_CONSENT))
    await harness.press(15, cd(ApplyVerb.WITHDRAW_CONSENT))
    assert _last(harness, 15).startswith(said("apply-privacy-done"))
    async with harness.app.uow_factory() as uow:
        person = await uow.session.scalar(select(Person).where(Person.tg_id == 15))
        answers = list(await uow.session.scalars(select(Answer)))
    assert person is not None and person.full_name is None and answers == []
    await harness.send(15, "/privacy")
    assert _last(harness, 15).startswith(opening("apply-privacy-withdrawn"))


async def test_someone_elses_buttons_are_refused(harness: Harness) -> None:
    app = await start_application(harness, 16, role="tutor")
    await harness.press(17, cd(ApplyVerb.CHOOSE, app, "role", "student"))
    assert harness.session.alerts() == [said("error-not-allowed")]


async def test_logs_carry_no_personal_data(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # Everything of ours and aiogram's down to DEBUG; database drivers at the INFO we run with
    # (at DEBUG aiosqlite echoes bound values, as any driver's debug output would).
    caplog.set_level(logging.INFO)
    for name in ("services", "handlers", "bot", "storage", "scheduler", "aiogram"):
        caplog.set_level(logging.DEBUG, logger=name)
    app = await start_application(harness, 18)
    await fill_after_consent(harness, 18, app)
    await harness.press(18, cd(ApplyVerb.SUBMIT, app))
    assert "application 1 submitted" in caplog.text
    # Phones by their last seven digits, typed and normalised: a bare "913" also turns up in
    # the random bot id aiogram logs.
    personal = ("Иванов", "Иванова", "555-44", "5554433", "100-20", "1002030", "Petr@", "Томск")
    for value in (*personal, "метеостанцию", "2013"):
        assert value not in caplog.text, value


async def test_phone_step_reply_keyboard_back_and_keep(harness: Harness) -> None:
    app = await fill_to_review(harness, 19)
    await harness.press(19, cd(ApplyVerb.EDIT_FROM_REVIEW, app, "phone"))
    prompt = harness.session.of("SendMessage")[-1]
    assert said("apply-current", value="+79135554433") in prompt.text
    assert [[b.text for b in row] for row in prompt.reply_markup.keyboard] == [
        [said("apply-btn-share-contact")],
        [said("apply-btn-keep")],
        [said("apply-btn-back")],
    ]
    await harness.send(19, "Оставить как есть ➡️")
    closing, review = harness.session.of("SendMessage")[-2:]
    assert closing.reply_markup.remove_keyboard and review.text.startswith(
        said("apply-review-title", status="draft")
    )
    await harness.press(19, cd(ApplyVerb.EDIT_FROM_REVIEW, app, "phone"))
    await harness.send(19, "⬅️ Назад")
    assert _last(harness, 19).startswith(said("apply-review-title", status="draft"))
    assert (await _answers(harness, app))["phone"] == "+79135554433"


async def test_a_student_of_eighteen_is_refused_at_the_age_group_with_the_way_forward(
    harness: Harness,
) -> None:
    await harness.send(30, "/apply")
    application = await application_of(harness, 30)
    assert application is not None
    app = application.id
    await harness.press(30, cd(ApplyVerb.CHOOSE, app, "role", "student"))
    asked = _last(harness, 30)
    assert (
        said("apply-progress", n=2, total=20) in asked and fragment("apply-step-age_group") in asked
    )
    assert [text for text, _ in _buttons(harness, 30)][:3] == [
        said("apply-choice-age_group-child", under=14),
        said("apply-choice-age_group-teen", under=14, top=17),
        said("apply-choice-age_group-adult", adult=18),
    ]
    await harness.press(30, cd(ApplyVerb.CHOOSE, app, "age_group", "adult"))
    refusal = _last(harness, 30)
    assert refusal.startswith(said("apply-age-group-refused", role="student", low=13, high=17))
    assert (said("apply-btn-change-role"), cd(ApplyVerb.CHANGE_PATH, app, "role")) in _buttons(
        harness, 30
    )
    assert (said("apply-btn-restart"), cd(ApplyVerb.ASK_RESTART, app)) in _buttons(harness, 30)
    assert (said("apply-btn-back"), cd(ApplyVerb.BACK, app, "age_group")) in _buttons(harness, 30)
    assert await _answers(harness, app) == {"role": "student"}  # the refused group is not kept

    await harness.press(30, cd(ApplyVerb.CHANGE_PATH, app, "role"))
    assert said("apply-progress", n=1, total=20) in _last(harness, 30) and said(
        "apply-step-role"
    ) in _last(harness, 30)
    await harness.press(30, cd(ApplyVerb.CHOOSE, app, "role", "tutor"))
    assert said("apply-progress", n=2, total=17) in _last(harness, 30) and opening(
        "apply-step-consent"
    ) in _last(harness, 30)
    await harness.press(30, cd(ApplyVerb.CONFIRM, app, "consent"))
    await harness.send(30, "01.01.2007")
    assert said("apply-progress", n=4, total=17) in _last(harness, 30)  # nineteen: a tutor
    assert (await _answers(harness, app)).keys() == {"role", "consent", "birth_date"}


async def test_a_refused_birth_date_offers_back_change_role_and_start_over(
    harness: Harness,
) -> None:
    # A nineteen-year-old who said 14–17: own and parent's consent given, then the date.
    app = await start_application(harness, 31, age_group="teen")
    assert said("apply-progress", n=5, total=20) in _last(harness, 31)
    await harness.send(31, "01.01.2007")
    refusal = _last(harness, 31)
    assert said("apply-age-refused", role="student", low=13, high=17, age=19) in refusal
    assert said("apply-progress", n=5, total=20) in refusal
    buttons = _buttons(harness, 31)
    assert (said("apply-btn-back"), cd(ApplyVerb.BACK, app, "birth_date")) in buttons
    assert (said("apply-btn-change-role"), cd(ApplyVerb.CHANGE_PATH, app, "role")) in buttons
    assert (said("apply-btn-restart"), cd(ApplyVerb.ASK_RESTART, app)) in buttons
    # /apply brings the same step back, and it still has its way out.
    await harness.send(31, "/apply")
    assert (said("apply-btn-back"), cd(ApplyVerb.BACK, app, "birth_date")) in _buttons(harness, 31)

    # Change the role: the own consent still applies; the parent's details go.
    await harness.press(31, cd(ApplyVerb.CHANGE_PATH, app, "role"))
    await harness.press(31, cd(ApplyVerb.CHOOSE, app, "role", "tutor"))
    assert said("apply-progress", n=3, total=17) in _last(harness, 31) and "ДД.ММ.ГГГГ" in _last(
        harness, 31
    )
    assert await _answers(harness, app) == {"role": "tutor", "consent": "2026.1"}
    assert set(await _consents(harness)) == {ConsentKind.APPLICANT}
    await harness.send(31, "01.01.2007")
    assert said("apply-progress", n=4, total=17) in _last(harness, 31)

    # Start over: asked first, then a clean draft at the role.
    await harness.press(31, cd(ApplyVerb.ASK_RESTART, app))
    assert _last(harness, 31).startswith(said("apply-restart-ask"))
    await harness.press(31, cd(ApplyVerb.RESTART, app))
    assert said("apply-progress", n=1, total=20) in _last(harness, 31) and said(
        "apply-step-role"
    ) in _last(harness, 31)
    assert await _answers(harness, app) == {}
    assert await _consents(harness) == {}
    application = await application_of(harness, 31)
    assert application is not None and application.role is None
    assert application.status is ApplicationStatus.DRAFT


async def test_every_step_after_the_role_has_back(harness: Harness) -> None:
    for uid, age_group, birth in ((32, "teen", "15.01.2011"), (38, "child", "15.01.2013")):
        await fill_to_review(harness, uid, birth=birth, age_group=age_group)
        screens = [
            m for m in harness.session.of("SendMessage")
            if int(m.chat_id) == uid and (m.text or "").startswith("Шаг")
        ]  # fmt: skip
        numbers = {int(m.text.split()[1]) for m in screens}  # "Шаг N из M"
        assert numbers == set(range(1, int(screens[-1].text.split()[3]) + 1))
        for screen in screens:
            markup = screen.reply_markup
            rows = markup.inline_keyboard if hasattr(markup, "inline_keyboard") else markup.keyboard
            has_back = any(button.text == "⬅️ Назад" for row in rows for button in row)
            assert has_back or screen.text.startswith("Шаг 1 из"), screen.text[:40]


async def test_a_parent_is_asked_only_when_needed_and_their_data_erased_when_no_longer(
    harness: Harness,
) -> None:
    # Under 14: only the parent consents; the applicant is not asked for their own consent.
    app = await start_application(harness, 33, age_group="child")
    answers = await _answers(harness, app)
    # Nothing but the path is stored: the parent's step stands on their consent record.
    assert set(answers) == {"role", "age_group"}
    assert set(await _consents(harness)) == {ConsentKind.REPRESENTATIVE}
    # The date says fifteen: not stored; the applicant is sent back to fix the date or the age.
    await harness.send(33, "15.01.2011")
    mismatch = _last(harness, 33)
    assert mismatch.startswith(said("apply-age-group-mismatch", group="child", age=15, under=14))
    assert (
        said("apply-btn-change-age_group"),
        cd(ApplyVerb.CHANGE_PATH, app, "age_group"),
    ) in _buttons(harness, 33)
    assert "birth_date" not in await _answers(harness, app)
    await harness.press(33, cd(ApplyVerb.CHANGE_PATH, app, "age_group"))
    await harness.press(33, cd(ApplyVerb.CHOOSE, app, "age_group", "teen"))
    # 14–17: their own consent is missing, so it is asked next; the parent's still applies.
    assert said("apply-progress", n=3, total=20) in _last(harness, 33) and opening(
        "apply-step-consent"
    ) in _last(harness, 33)
    await harness.press(33, cd(ApplyVerb.CONFIRM, app, "consent"))
    assert said("apply-progress", n=5, total=20) in _last(harness, 33)
    await harness.send(33, "15.01.2011")
    assert said("apply-progress", n=6, total=20) in _last(harness, 33)
    assert set(await _consents(harness)) == {ConsentKind.APPLICANT, ConsentKind.REPRESENTATIVE}

    # An adult (a tutor) never meets the parent's steps.
    tutor = await start_application(harness, 34, role="tutor")
    await fill_after_consent(harness, 34, tutor, birth="01.02.2004", role="tutor")
    assert "parent" not in (await _answers(harness, tutor))
    assert set(await _consents(harness, tutor)) == {ConsentKind.APPLICANT}


@ON_BOTH_DATABASES  # reaches statements only this test runs on PG
async def test_back_to_a_younger_age_group_erases_the_consent_it_does_not_ask_for(
    harness: Harness,
) -> None:
    app = await start_application(harness, 35, age_group="teen")
    await harness.send(35, "15.01.2013")  # thirteen, but said 14–17
    assert _last(harness, 35).startswith(
        said("apply-age-group-mismatch", age=13, group="teen", under=14, top=17)
    )
    await harness.press(35, cd(ApplyVerb.BACK, app, "birth_date"))
    assert said("apply-progress", n=2, total=20) in _last(
        harness, 35
    )  # over the given consents to the age group
    await harness.press(35, cd(ApplyVerb.CHOOSE, app, "age_group", "child"))
    assert said("apply-progress", n=4, total=19) in _last(
        harness, 35
    )  # the parent's consent still applies
    assert "consent" not in await _answers(harness, app)
    assert set(await _consents(harness)) == {ConsentKind.REPRESENTATIVE}
    await harness.send(35, "15.01.2013")
    assert said("apply-progress", n=5, total=19) in _last(harness, 35)


async def test_a_typed_answer_after_the_fsm_lost_its_cursor_resumes_the_draft(
    harness: Harness,
) -> None:
    app = await start_application(harness, 36)
    await harness.send(36, "15.01.2013")
    _lose_the_cursor(harness)
    await harness.send(36, "Иванов Пётр Алексеевич")
    assert said("apply-progress", n=6, total=19) in _last(harness, 36) and "муниципалитет" in _last(
        harness, 36
    )
    assert (await _answers(harness, app))["full_name"] == "Иванов Пётр Алексеевич"
    # A refused answer repeats the step the draft stands at, with the reason.
    _lose_the_cursor(harness)
    await harness.send(36, "Москва")
    assert said("apply-muni-none", typed="Москва") in _last(harness, 36) and said(
        "apply-progress", n=6, total=19
    ) in _last(harness, 36)
    await harness.press(
        36, cd(ApplyVerb.PICK_MUNICIPALITY, app, item=await municipality_id(harness, "Томск"))
    )
    await harness.press(36, cd(ApplyVerb.CHOOSE, app, "edu_type", "school"))
    await harness.send(36, "МАОУ СОШ № 32 г. Томска")
    await harness.send(36, "7")
    # A shared contact after the cursor is lost is the phone step's answer.
    _lose_the_cursor(harness)
    await harness.feed(
        _message(36, contact=Contact(phone_number="79990001122", first_name="П", user_id=36))
    )
    assert (await _answers(harness, app))["phone"] == "+79990001122"
    assert said("apply-progress", n=11, total=19) in _last(harness, 36)
    # Someone with no draft still gets the honest fallback.
    await harness.send(37, "Привет")
    assert _last(harness, 37).startswith(said("fallback-unknown"))
