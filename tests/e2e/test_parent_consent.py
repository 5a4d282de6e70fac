"""A parent's consent from their own account, end to end on Telegram: the bot process against the
Bot API emulator. A 13-year-old, on the parent's step of the questionnaire, asks for the
parent's link (`/parent_link`): a t.me deep link
and its QR code as a document; the child's own account opening it is refused; the parent, from a
second account, opens it, shares their own phone by the contact key, names themselves, picks the
relation and confirms; the child is told; the consent row names the parent's account; the same
link from a third account is refused."""

from __future__ import annotations

import re

from sqlalchemy import select

from services.domain import ConsentKind, Messenger
from storage.models import Consent
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_apply import FAST, Applicant, _rows, season  # noqa: F401  (a fixture)

CHILD, PARENT, STRANGER = 811, 812, 813


async def test_the_parent_confirms_from_a_second_account_and_the_link_works_once(
    emulator: BotApiEmulator,
    start_bot: StartBot,
    season: dict[str, str],  # noqa: F811
) -> None:
    await start_bot(**FAST)
    kid = Applicant(emulator, CHILD)
    await kid.say("/start", "Кадры будущего для регионов")
    await kid.press("📝 Подать заявку", "Шаг 1 из 23")
    await kid.press("обучающийся", "Шаг 2 из 23")
    await kid.press("младше 14", "Шаг 3 из 22")
    # Asked for on a step of the questionnaire: the child stays on the step.
    shown = await kid.say("/parent_link", "Ждём согласия родителя")
    found = re.search(r"https://t\.me/\w+\?start=(pc_[\w-]+)", shown["text"])
    assert found is not None, shown["text"]
    start = found.group(1)
    qr = await emulator.wait_for(
        lambda: [m for m in emulator.messages_to(CHILD) if "document" in m]
    )
    assert qr[-1].get("caption") == "QR-код ссылки для родителя"

    refused = await kid.say(f"/start {start}", "аккаунта родителя")
    assert "не с аккаунта участника" in refused["text"]

    parent = Applicant(emulator, PARENT)
    request = await parent.say(f"/start {start}", "Вас просят дать согласие")
    assert "версия 2026.1" in request["text"]
    await parent.emulator.wait_for_message(PARENT, contains="поделитесь своим номером", since=0)
    await parent.say("", "Введите ваши фамилию", contact={"phone_number": "79131002030"})
    await parent.say("Петрова Ольга Ивановна", "Кем вы приходитесь")
    await parent.press_in_place("мать", "Проверьте и подтвердите")
    since = len(emulator.messages_to(CHILD))
    await parent.press("Даю согласие", "Согласие записано")
    await emulator.wait_for_message(CHILD, contains="Родитель подтвердил согласие", since=since)

    [consent] = await _rows(season["DATABASE_URL"], select(Consent))
    assert consent.kind == ConsentKind.REPRESENTATIVE and consent.given_at is not None
    assert (consent.parent_messenger, consent.parent_user_id) == (Messenger.TELEGRAM, PARENT)
    assert (consent.representative_name, consent.representative_phone) == (
        "Петрова Ольга Ивановна", "+79131002030",
    )  # fmt: skip
    assert consent.parent_link_id is not None

    stranger = Applicant(emulator, STRANGER)
    again = await stranger.say(f"/start {start}", "Ссылка не подходит")
    assert "уже использована" in again["text"]
