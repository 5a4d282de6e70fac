"""/team (the roster, the team's code and chat, the member's contact opt-in) and /announce in a
private chat (the mentor picks the team if several, then writes the text)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from handlers.callback_data import Id
from handlers.replies import answer, button, send_below
from handlers.roadmap import RoadmapCD
from services.container import Services
from services.errors import DomainError, InvalidInput, NotAllowed
from services.i18n import Translator
from services.people import Identity
from services.team_chat import BIND_PREFIX
from services.teams import Roster
from storage.models import Team


class TeamCD(CallbackData, prefix="tm"):
    act: str
    id: Id


class AnnounceFlow(StatesGroup):
    text = State()


def _pick(
    teams: list[Team], act: str, factory: type[CallbackData] = TeamCD
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[button(team.name, factory(act=act, id=team.id))] for team in teams]
    )


def render_roster(
    roster: Roster, t: Translator, bot_username: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    team = roster.team
    lines = [t("team-roster-title", team=team.name, code=team.code), ""]
    for line in roster.lines:
        contact = t("team-roster-contact", contact=line.contact) if line.contact else ""
        me = t("team-roster-me") if line.is_me else ""
        lines.append(
            t(
                "team-roster-line",
                role=t(f"team-role-{line.role.value}"),
                name=line.name,
                contact=contact,
                me=me,
            )
        )
    lines.append("")
    if team.chat_id is not None:
        lines.append(t("team-roster-chat", title=team.chat_title or "—"))
    else:
        lines.append(t("team-roster-no-chat"))
    if roster.is_staff:
        link = (
            f"https://t.me/{bot_username}?startgroup={BIND_PREFIX}{team.code}"
            if bot_username
            else "—"
        )
        lines.append(t("team-roster-bind-help", code=team.code, link=link))
    lines.append("")
    lines.append(t("team-roster-sharing-on" if roster.sharing else "team-roster-sharing-off"))
    share = (
        button(t("team-btn-share-off"), TeamCD(act="sh0", id=team.id))
        if roster.sharing
        else button(t("team-btn-share-on"), TeamCD(act="sh1", id=team.id))
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [share],
            [
                button(t("team-btn-passport"), RoadmapCD(act="po", id=team.id)),
                button(t("team-btn-roadmap"), RoadmapCD(act="ro", id=team.id)),
            ],
        ]
    )
    return "\n".join(lines), markup


async def _username(bot: Bot) -> str | None:
    return (await bot.me()).username


async def team_command(
    message: Message, me: Identity, services: Services, t: Translator, bot: Bot
) -> None:
    teams = await services.teams.my_teams(me)
    if not teams:
        raise DomainError("team-none")
    if len(teams) > 1:
        await message.answer(t("team-pick"), reply_markup=_pick(teams, "r"))
        return
    text, markup = render_roster(
        await services.teams.roster(me, teams[0].id), t, await _username(bot)
    )
    await answer(message, text, markup)


async def open_roster(
    query: CallbackQuery,
    callback_data: TeamCD,
    me: Identity,
    services: Services,
    t: Translator,
    bot: Bot,
) -> None:
    roster = await services.teams.roster(me, callback_data.id)
    await query.answer()
    text, markup = render_roster(roster, t, await _username(bot))
    await send_below(query, text, markup)


async def toggle_share(
    query: CallbackQuery,
    callback_data: TeamCD,
    me: Identity,
    services: Services,
    t: Translator,
    bot: Bot,
) -> None:
    share = callback_data.act == "sh1"
    roster = await services.teams.set_share_contact(
        me, callback_data.id, share, query.from_user.username
    )
    await query.answer(t("team-share-on-done" if share else "team-share-off-done"))
    text, markup = render_roster(roster, t, await _username(bot))
    await send_below(query, text, markup)


# /announce in a private chat.


async def announce_command(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    teams = await services.team_chat.announce_teams(me)
    if len(teams) > 1:
        await message.answer(t("team-announce-pick"), reply_markup=_pick(teams, "an"))
        return
    team = await services.team_chat.check_announce(me, teams[0].id)
    await _ask_announcement(state, team, t, message.answer)


async def announce_pick(
    query: CallbackQuery,
    callback_data: TeamCD,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    team = await services.team_chat.check_announce(me, callback_data.id)
    await query.answer()
    assert query.message is not None

    async def send(text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
        await send_below(query, text, reply_markup)

    await _ask_announcement(state, team, t, send)


async def _ask_announcement(state: FSMContext, team: Team, t: Translator, send) -> None:  # type: ignore[no-untyped-def]
    await state.set_state(AnnounceFlow.text)
    await state.update_data(team_id=team.id)
    back = InlineKeyboardMarkup(
        inline_keyboard=[[button(t("team-btn-back"), TeamCD(act="x", id=0))]]
    )
    await send(t("team-announce-ask", team=team.name), reply_markup=back)


async def announce_text(
    message: Message, me: Identity, services: Services, t: Translator, state: FSMContext
) -> None:
    team_id = (await state.get_data()).get("team_id")
    if team_id is None:
        await state.clear()
        raise NotAllowed()
    team = await services.team_chat.announce(me, int(team_id), message.text or "")
    await state.clear()
    await message.answer(t("team-announce-sent", team=team.name))


async def announce_back(query: CallbackQuery, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await query.answer(t("team-back-done"))


async def wrong_input(message: Message) -> None:
    raise InvalidInput("team-text-expected")


def create_router() -> Router:
    router = Router(name="team")
    private = F.chat.type == "private"
    router.message.register(team_command, Command("team"), private)
    router.message.register(announce_command, Command("announce"), private)
    router.message.register(
        announce_text, AnnounceFlow.text, private, F.text, ~F.text.startswith("/")
    )
    router.message.register(wrong_input, StateFilter(AnnounceFlow.text), private, ~F.text)
    router.callback_query.register(open_roster, TeamCD.filter(F.act == "r"))
    router.callback_query.register(toggle_share, TeamCD.filter(F.act.in_({"sh0", "sh1"})))
    router.callback_query.register(announce_pick, TeamCD.filter(F.act == "an"))
    router.callback_query.register(announce_back, TeamCD.filter(F.act == "x"))
    return router
