"""Teams end to end: the bot process against the Bot API emulator. A group is bound with /bind
(after the bot is told which rights it lacks); members join through their personal links and an
outsider's join request is declined; a removed member is taken out of the chat; the group
migrates to a supergroup and keeps receiving. A passport and a stage go submitted → returned →
resubmitted → approved, with the messages in the tutor's chat and in the team chat, and a
student forging the mentor's approve button is refused. The bot losing a right in the group,
then removed from it: the staff are told privately and the group is unbound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.clock import FixedClock
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.launcher import run_cli
from tests.plans_world import MENTOR, OUTSIDER, STUDENT, STUDENT2, TUTOR, build_world
from tests.texts import said

GROUP, SUPERGROUP = -100321, -1001000321
NOT_ALLOWED = "Недостаточно прав для этого действия."


async def _seed(database_url: str, chat_id: int | None) -> int:
    await upgrade_async(database_url)
    engine = create_engine(database_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        world = await build_world(factory, FixedClock(datetime.now(UTC)), chat_id=chat_id)
        return world.team_id
    finally:
        await engine.dispose()


def _callback(message: dict[str, Any], starts: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button.get("callback_data", "").startswith(starts):
                return str(button["callback_data"])
    raise AssertionError(f"no button {starts!r} in {message['reply_markup']}")


class Chats:
    """Small helpers over the emulator: act, then wait for what follows the action."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emu = emulator

    def mark(self, chat_id: int) -> int:
        return len(self.emu.messages_to(chat_id))

    async def say(
        self, user_id: int, text: str, reply_contains: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        where = user_id if chat_id is None else chat_id
        since = self.mark(where)
        self.emu.send_message(user_id, chat_id, text=text)
        return await self.emu.wait_for_message(where, reply_contains, since=since, timeout=15)

    async def press(
        self, user_id: int, message: dict[str, Any], starts: str, reply_contains: str
    ) -> dict[str, Any]:
        since = self.mark(user_id)
        self.emu.press_button(user_id, message["message_id"], _callback(message, starts))
        return await self.emu.wait_for_message(user_id, reply_contains, since=since, timeout=15)


async def test_bind_join_remove_and_migrate(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    await _seed(bot_env["DATABASE_URL"], chat_id=None)
    emulator.group(GROUP, "Команда «Альфа»")
    emulator.set_bot_admin(GROUP, can_invite_users=False)
    for user_id in (MENTOR, TUTOR, STUDENT, STUDENT2, OUTSIDER):
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot()

    refused = await chats.say(TUTOR, "/bind alpha", "не хватает прав", chat_id=GROUP)
    assert said("team-right-invite") in refused["text"]
    assert "Блокировка" not in refused["text"]
    emulator.set_bot_admin(GROUP)
    await chats.say(TUTOR, "/bind alpha", "Этот чат привязан к команде «Альфа»", chat_id=GROUP)

    links = {}
    for user_id in (MENTOR, STUDENT, STUDENT2):
        invite = await emulator.wait_for_message(user_id, "Вас ждут в чате", since=0, timeout=15)
        links[user_id] = invite["reply_markup"]["inline_keyboard"][0][0]["url"]
        assert emulator.invite_link(links[user_id])["creates_join_request"] is True
    assert len(set(links.values())) == 3
    assert not [m for m in emulator.messages_to(TUTOR) if "Вас ждут" in m.get("text", "")]

    emulator.chat_join_request(STUDENT, GROUP, invite_link=links[STUDENT])
    emulator.chat_join_request(STUDENT2, GROUP, invite_link=links[STUDENT2])
    emulator.chat_join_request(OUTSIDER, GROUP, invite_link=links[STUDENT])  # a shared link
    await emulator.wait_for(lambda: len(emulator.calls("approveChatJoinRequest")) == 2, 15)
    await emulator.wait_for(lambda: emulator.calls("declineChatJoinRequest"), 15)
    assert sorted(c.params["user_id"] for c in emulator.calls("approveChatJoinRequest")) == [
        STUDENT,
        STUDENT2,
    ]
    assert [c.params["user_id"] for c in emulator.calls("declineChatJoinRequest")] == [OUTSIDER]
    assert emulator.member(GROUP, STUDENT)["status"] == "member"

    # The office removes a student: they are taken out of the chat, and the chat is told.
    since = chats.mark(GROUP)
    code, _out, err = await run_cli(bot_env, "team", "remove", "alpha", str(STUDENT2))
    assert code == 0, err
    await emulator.wait_for_message(
        GROUP, "Участник №4 больше не в команде", since=since, timeout=15
    )
    await emulator.wait_for(lambda: emulator.calls("unbanChatMember"), 15)
    assert [c.params["user_id"] for c in emulator.calls("banChatMember")] == [STUDENT2]
    assert emulator.member(GROUP, STUDENT2)["status"] == "left"

    # The group becomes a supergroup; the mentor's announcement reaches the new chat.
    emulator.migrate_group_to_supergroup(GROUP, SUPERGROUP, user_id=TUTOR)
    await chats.say(MENTOR, "/announce", "Напишите текст объявления")
    since = chats.mark(SUPERGROUP)
    emulator.send_text(MENTOR, "Встреча команды в пятницу в 16:00")
    posted = await emulator.wait_for_message(
        SUPERGROUP, "Объявление наставника", since=since, timeout=15
    )
    assert posted["text"] == said("team-announcement", text="Встреча команды в пятницу в 16:00")
    # …and a join request to the supergroup is still decided by the roster.
    emulator.chat_join_request(MENTOR, SUPERGROUP, invite_link=links[MENTOR])
    await emulator.wait_for(
        lambda: [
            c for c in emulator.calls("approveChatJoinRequest") if c.params["user_id"] == MENTOR
        ],
        15,
    )


async def test_the_bot_demoted_then_removed_from_the_team_group(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    team_id = await _seed(bot_env["DATABASE_URL"], chat_id=None)
    emulator.group(GROUP, "Команда «Альфа»")
    emulator.set_bot_admin(GROUP)
    for user_id in (MENTOR, TUTOR, STUDENT, STUDENT2):
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot()
    await chats.say(TUTOR, "/bind alpha", "Этот чат привязан к команде «Альфа»", chat_id=GROUP)

    # The bot is asked about its own status only because a handler wants my_chat_member.
    emulator.my_chat_member(
        GROUP, "administrator", "administrator", from_user_id=MENTOR, can_invite_users=False
    )
    for staff in (MENTOR, TUTOR):
        notice = await emulator.wait_for_message(staff, "не хватает прав", since=0, timeout=15)
        assert said("team-right-invite") in notice["text"]
        assert notice["text"].endswith("Чат по-прежнему привязан к команде.")

    emulator.my_chat_member(GROUP, "kicked", "administrator", from_user_id=MENTOR)
    for staff in (MENTOR, TUTOR):
        notice = await emulator.wait_for_message(staff, "Бота удалили", since=0, timeout=15)
        assert notice["text"].endswith("/bind alpha")
    assert not [m for m in emulator.messages_to(STUDENT) if "Бота" in m.get("text", "")]
    engine = create_engine(bot_env["DATABASE_URL"])
    try:
        async with UnitOfWorkFactory(create_session_factory(engine))() as uow:
            team = await uow.teams.get(team_id)
            assert team is not None and team.chat_id is None
    finally:
        await engine.dispose()


async def test_passport_and_stage_review_with_a_forged_approve(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    team_id = await _seed(bot_env["DATABASE_URL"], chat_id=GROUP)
    emulator.group(GROUP, "Команда «Альфа»")
    for user_id in (MENTOR, TUTOR, STUDENT):
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot()

    # The passport, field by field.
    card = await chats.say(TUTOR, "/passport", "черновик")
    await chats.press(TUTOR, card, f"rm:2:pf:{team_id}", "Шаг 1 из 4")
    await chats.say(TUTOR, "Чистый воздух в городе", "Шаг 2 из 4")
    await chats.say(TUTOR, "Датчики, карта, отчёт", "Шаг 3 из 4")
    await chats.say(TUTOR, "Карта загрязнений", "Шаг 4 из 4")
    filled = await chats.say(TUTOR, "10 датчиков", "Ответы сохранены")
    since_mentor = chats.mark(MENTOR)
    await chats.press(TUTOR, filled, f"rm:2:ps:{team_id}", "отправлен наставнику")
    review = await emulator.wait_for_message(
        MENTOR, "на согласовании", since=since_mentor, timeout=15
    )
    assert "Цель: Чистый воздух в городе" in review["text"]
    since_group, since_tutor = chats.mark(GROUP), chats.mark(TUTOR)
    await chats.press(MENTOR, review, "rm:2:pret:", "Напишите комментарий")
    await chats.say(MENTOR, "Уточните задачи", "возвращён с комментарием")
    returned = await emulator.wait_for_message(
        TUTOR, "вернул паспорт", since=since_tutor, timeout=15
    )
    assert returned["text"].endswith("Комментарий: Уточните задачи")
    in_group = await emulator.wait_for_message(GROUP, "возвращён на доработку", since=since_group)
    assert in_group["text"].endswith(said("roadmap-comment-line", comment="Уточните задачи"))
    card = await chats.press(TUTOR, returned, f"rm:2:po:{team_id}", "возвращён на доработку")
    since_mentor = chats.mark(MENTOR)
    await chats.press(TUTOR, card, f"rm:2:ps:{team_id}", "отправлен наставнику")
    review = await emulator.wait_for_message(
        MENTOR, "на согласовании", since=since_mentor, timeout=15
    )
    since_group, since_tutor = chats.mark(GROUP), chats.mark(TUTOR)
    await chats.press(MENTOR, review, "rm:2:pok:", "согласован")
    await emulator.wait_for_message(TUTOR, "Наставник согласовал паспорт", since=since_tutor)
    await emulator.wait_for_message(GROUP, "согласован наставником", since=since_group)

    # A stage of the roadmap.
    due = (datetime.now(UTC) + timedelta(days=40)).strftime("%d.%m.%Y")
    roadmap = await chats.say(TUTOR, "/roadmap", "Дорожная карта команды «Альфа»")
    await chats.press(TUTOR, roadmap, f"rm:2:sa:{team_id}", "Как называется этап")
    await chats.say(TUTOR, "Сбор данных", "Срок этапа «Сбор данных»")
    stage = await chats.say(TUTOR, due, "Срок сохранён")
    assert f"Срок: {due} 23:59" in stage["text"]
    since_mentor = chats.mark(MENTOR)
    await chats.press(TUTOR, stage, "rm:2:ss:", "Пришлите короткий отчёт")
    await chats.say(TUTOR, "https://example.org/report-1", "отправлен наставнику на проверку")
    review = await emulator.wait_for_message(MENTOR, "сдала этап", since=since_mentor, timeout=15)
    stage_id = int(_callback(review, "rm:2:sok:").rsplit(":", 1)[1])

    # A student forges the mentor's approve button.
    await chats.say(STUDENT, "/team", "Команда «Альфа»")
    forged_at = len(emulator.calls("answerCallbackQuery"))
    emulator.press_button(
        STUDENT,
        emulator.messages_to(STUDENT)[-1]["message_id"],
        f"rm:2:sok:{stage_id}",
        check=False,
    )
    answer = await emulator.wait_for(lambda: emulator.calls("answerCallbackQuery")[forged_at:], 15)
    assert answer[0].params.get("text") == NOT_ALLOWED and answer[0].params.get("show_alert")

    since_group, since_tutor = chats.mark(GROUP), chats.mark(TUTOR)
    await chats.press(MENTOR, review, "rm:2:sret:", "Напишите комментарий")
    await chats.say(MENTOR, "Мало точек замера", "возвращён с комментарием")
    returned = await emulator.wait_for_message(TUTOR, "вернул этап", since=since_tutor, timeout=15)
    await emulator.wait_for_message(GROUP, "Мало точек замера", since=since_group)
    card = await chats.press(TUTOR, returned, f"rm:2:so:{stage_id}", "возвращён на доработку")
    since_mentor = chats.mark(MENTOR)
    await chats.press(TUTOR, card, "rm:2:ss:", "Пришлите короткий отчёт")
    await chats.say(TUTOR, "Добавили 20 точек: https://example.org/r2", "отправлен наставнику")
    review = await emulator.wait_for_message(MENTOR, "сдала этап", since=since_mentor, timeout=15)
    since_group, since_tutor = chats.mark(GROUP), chats.mark(TUTOR)
    await chats.press(MENTOR, review, "rm:2:sok:", "принят")
    approved = await emulator.wait_for_message(TUTOR, "принял этап", since=since_tutor, timeout=15)
    assert approved["text"] == said("roadmap-approved-notice", title="Сбор данных", team="Альфа")
    in_group = await emulator.wait_for_message(GROUP, "принят наставником", since=since_group)
    assert in_group["text"] == said("roadmap-approved-chat", title="Сбор данных")
    # The student's forged press changed nothing: the decisions in the group are exactly these.
    decisions = [
        m["text"] for m in emulator.messages_to(GROUP) if "Этап «Сбор данных»" in m["text"]
    ]
    assert decisions == [
        said("roadmap-returned-chat", title="Сбор данных", comment="Мало точек замера"),
        said("roadmap-approved-chat", title="Сбор данных"),
    ]
