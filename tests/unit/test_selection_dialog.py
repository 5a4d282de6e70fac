"""Selection through the recording messenger (no aiogram): a mentor opens an application from
/review, scores every criterion on its card, comments and recommends; the office accepts the
top of the ranking and publishes the results, which reach the applicant. The card comes through
the outbox, as the bot's sender delivers it; presses redraw its last message in place.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

from dialogs import office_selection, review
from services.clock import FixedClock
from services.domain import ApplicationStatus, Decision
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.recording_messenger import RecordingMessenger
from tests.selection_world import MENTOR_A, OFFICE, add_applicant, build_world

t = Texts().for_language("ru")
STUDENT = 9101
CRITERIA = 3  # the example season's


async def _mentor_scores_the_card(m: RecordingMessenger, number: str) -> None:
    await m.command(MENTOR_A, "review")
    chat = m.chat(MENTOR_A)
    assert chat.last.text.startswith(t("sel-review-title", filter=t("sel-review-all"), page=1,
                                       pages=1))  # fmt: skip
    item = t("sel-review-item", mark=t("sel-review-mark", progress="none"), number=number,
             role=t("sel-role-student"))  # fmt: skip
    await m.press(MENTOR_A, item)
    assert await m.deliver() >= 1  # the card (after its self-presentation) comes by the outbox
    card = chat.messages[-1]
    assert t("sel-card-scores") in card.screen.text
    for n in range(1, CRITERIA + 1):
        await m.press(MENTOR_A, t("sel-btn-score", n=n, v=4))
        assert chat.notices[-1] == (t("sel-score-saved"), False)
    assert chat.messages[-1] is card  # scoring redraws the card, sends nothing new
    assert t("sel-card-combined", score="4.00", reviewers=1) in card.screen.text
    assert t("sel-btn-score-mine", n=1, v=4) in [b.text for row in card.screen.rows for b in row]


async def _mentor_comments_and_recommends(m: RecordingMessenger, number: str) -> None:
    chat = m.chat(MENTOR_A)
    card = chat.messages[-1]
    await m.press(MENTOR_A, t("sel-btn-comment"))
    assert chat.last.text == t("sel-comment-ask", number=number)
    assert m.cursors[MENTOR_A].state == review.COMMENT
    await m.type(MENTOR_A, "Сильная мотивация, понятный опыт.")
    assert chat.last.text == t("sel-comment-saved")
    assert t("sel-card-my-comment", comment="Сильная мотивация, понятный опыт.") in card.screen.text
    assert m.cursors[MENTOR_A].state is None

    await m.press(MENTOR_A, t("sel-btn-rec-accept"))
    assert chat.notices[-1] == (t("sel-rec-saved"), False)
    assert card.screen.rows[-1][0].text == t("sel-btn-next-application")


async def _office_accepts_the_top(m: RecordingMessenger) -> None:
    await m.command(OFFICE, "selection")
    chat = m.chat(OFFICE)
    assert chat.last.text.startswith(t("sel-office-title", applications=1, undecided=1))
    await m.press(OFFICE, t("sel-btn-top"))
    preview = chat.messages[-1]
    assert preview.screen.text.startswith(t("sel-top-preview", count=1))
    await m.press(OFFICE, t("sel-btn-confirm"))
    assert chat.notices[-1] == (t("sel-top-done", count=1), False)
    assert preview.screen.rows == []  # the preview's buttons are spent
    assert chat.last.text == t("sel-top-done", count=1)
    await m.press_again(OFFICE)  # a double tap: nothing more is accepted
    assert chat.notices[-1] == (t("sel-top-again", count=1), True)


async def _office_publishes(m: RecordingMessenger) -> None:
    chat = m.chat(OFFICE)
    await m.command(OFFICE, "selection")
    await m.press(OFFICE, t("sel-btn-publish"))
    assert chat.last.text == t(
        "sel-publish-preview", accepted=1, waitlisted=0, rejected=0, undecided=0
    )
    await m.press(OFFICE, t("sel-btn-confirm"))
    assert chat.last.text.startswith(t("sel-publish-done", sent=1, teams=1))
    await m.press_again(OFFICE)
    assert chat.notices[-1] == (t("sel-publish-again"), True)
    await m.command(OFFICE, "selection")
    published = t("sel-office-published", accepted=1, waitlisted=0, rejected=0)
    assert published in chat.last.text
    assert t("sel-btn-publish") not in [b.text for row in chat.last.rows for b in row]


async def test_a_mentor_scores_a_card_and_the_office_publishes_through_a_messenger_without_aiogram(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_world(uow_factory, clock)
    app = await add_applicant(uow_factory, clock, world, STUDENT, ["peat-monitor"])
    number = f"T-{app:05d}"
    m = RecordingMessenger([review.DIALOG, office_selection.DIALOG], uow_factory, clock)

    await _mentor_scores_the_card(m, number)
    await _mentor_comments_and_recommends(m, number)
    await _office_accepts_the_top(m)
    await _office_publishes(m)

    async with uow_factory() as uow:
        decision = await uow.selection.decision(app)
        application = await uow.applications.get(app)
    assert decision is not None and decision.decision is Decision.ACCEPTED
    assert application is not None and application.status is not ApplicationStatus.SUBMITTED
    await m.deliver()
    result = m.chat(STUDENT).messages[0].screen.text  # the result, by the outbox
    greeting = t("sel-result-accepted", season="", idea="", mentor="").split("\n")[0].split()[0]
    assert result.startswith(greeting) and "«Мониторинг торфяных пожаров с дронов»" in result
