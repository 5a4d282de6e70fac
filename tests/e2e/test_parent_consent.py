"""A parent's consent from their own account, end to end on Telegram: the bot process against the
Bot API emulator.

A 13-year-old reaches the parent's step and cannot get past it: a typed birth date, the «parent
confirmed» button pressed too soon, nothing moves them on, and nothing but the path is stored.
They get the link (a t.me deep link, and its QR code as a document). Opening it from the child's
own account is refused; a link that has expired is refused; the child sends a new one, and the
parent, from a second account, opens it, shares their own phone by the contact key, names
themselves, picks the relation and confirms. The consent row names the parent's account and the
link; the child is told (in the morning, if the parent confirmed at night) and goes on to step 4;
the same link from a third account is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from services.domain import ConsentKind, Messenger
from services.reminders import ReminderPolicy
from storage.db import create_engine
from storage.models import Answer, Consent, OutgoingMessage, ParentLink, Person
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_apply import FAST, Applicant, _rows, season  # noqa: F401  (a fixture)

CHILD, PARENT, STRANGER = 811, 812, 813
TOLD = "Родитель подтвердил согласие"


async def _execute(database_url: str, statement: Any) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(statement)
    finally:
        await engine.dispose()


def _link(text: str) -> str:
    found = re.search(r"https://t\.me/\w+\?start=(pc_[\w-]+)", text)
    assert found is not None, text
    return found.group(1)


async def test_a_thirteen_year_old_waits_for_the_parent_who_confirms_from_a_second_account(
    emulator: BotApiEmulator,
    start_bot: StartBot,
    season: dict[str, str],  # noqa: F811
) -> None:
    url = season["DATABASE_URL"]
    await start_bot(**FAST)
    kid = Applicant(emulator, CHILD)
    await kid.say("/start", "Кадры будущего для регионов")
    await kid.press("📝 Подать заявку", "Шаг 1 из 20")
    await kid.press("обучающийся", "Шаг 2 из 20")
    await kid.press("младше 14", "Шаг 3 из 19")
    # The threshold holds: a typed answer and the button pressed too soon leave them on step 3.
    held = await kid.say("01.09.2013", "Шаг 3 из 19")
    assert held["text"].startswith("Ждём согласия родителя")
    answered = len(emulator.calls("answerCallbackQuery"))
    emulator.press_button(CHILD, *kid._button("✅ Родитель подтвердил"))  # an alert, no message
    alerts = await emulator.wait_for(
        lambda: emulator.calls("answerCallbackQuery")[answered:] or None
    )
    assert "Ждём согласия родителя" in alerts[-1].params.get("text", "")
    assert {step for step, _ in await _rows(url, select(Answer.step, Answer.value))} == {
        "role", "age_group",
    }  # fmt: skip
    [(name, username)] = await _rows(url, select(Person.full_name, Person.username))
    assert (name, username) == (None, None)  # nothing but the messenger id

    shown = await kid.press("🔗 Ссылка для родителя", "Ждём согласия родителя")
    first = _link(shown["text"])
    qr = await emulator.wait_for(
        lambda: [m for m in emulator.messages_to(CHILD) if "document" in m]
    )
    assert qr[-1].get("caption") == "QR-код ссылки для родителя"

    # The child's own account is refused: the point is that someone else agrees.
    refused = await kid.say(f"/start {first}", "аккаунта родителя")
    assert "не с аккаунта участника" in refused["text"]
    # A link past its 7 days is refused; the child sends a new one.
    await _execute(
        url, update(ParentLink).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    parent = Applicant(emulator, PARENT)
    await parent.say(f"/start {first}", "Ссылка не подходит")
    again = await kid.press("Отправить ссылку ещё раз", "Ждём согласия родителя")
    start = _link(again["text"])
    assert start != first

    request = await parent.say(f"/start {start}", "Вас просят дать согласие")
    assert "версия 2026.1" in request["text"]
    await parent.emulator.wait_for_message(PARENT, contains="поделитесь своим номером", since=0)
    await parent.say("", "Введите ваши фамилию", contact={"phone_number": "79131002030"})
    await parent.say("Петрова Ольга Ивановна", "Кем вы приходитесь")
    await parent.press_in_place("мать", "Проверьте и подтвердите")
    await parent.press("Даю согласие", "Согласие записано")

    [consent] = await _rows(url, select(Consent))
    assert consent.kind == ConsentKind.REPRESENTATIVE and consent.given_at is not None
    assert (consent.parent_messenger, consent.parent_user_id) == (Messenger.TELEGRAM, PARENT)
    assert (consent.representative_name, consent.representative_phone) == (
        "Петрова Ольга Ивановна", "+79131002030",
    )  # fmt: skip
    links = {row.id: row for row in await _rows(url, select(ParentLink))}
    assert consent.parent_link_id in links and links[consent.parent_link_id].used_at is not None

    await _told_not_at_night(emulator, url)
    await kid.press("✅ Родитель подтвердил", "Шаг 4 из 19")

    stranger = Applicant(emulator, STRANGER)
    reused = await stranger.say(f"/start {start}", "Ссылка не подходит")
    assert "уже использована" in reused["text"]


async def _told_not_at_night(emulator: BotApiEmulator, url: str) -> None:
    """The child is told at once, or, if the parent confirmed in the season's quiet hours, at
    their end: the message waits in the outbox until then."""
    sent = await _rows(url, select(OutgoingMessage).where(OutgoingMessage.chat_id == CHILD))
    [told] = [row for row in sent if TOLD in (row.payload.get("text") or "")]
    quiet = ReminderPolicy(ZoneInfo("Asia/Tomsk"))
    now = datetime.now(UTC)
    if quiet.in_quiet_hours(now):
        assert told.not_before.replace(tzinfo=UTC) > now
    else:
        await emulator.wait_for_message(CHILD, contains=TOLD, since=0)
