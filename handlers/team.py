"""/team (the roster, the team's code and chat, the member's contact opt-in) and /announce in a
private chat (the mentor picks the team if several, then writes the text)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import answer, button, send_below
from services.actions import RoadmapAction, RoadmapVerb, TeamAction, TeamVerb
from services.container import Services
from services.errors import DomainError, InvalidInput, NotAllowed
from services.i18n import Translator
from services.people import Identity
from services.team_chat import BIND_PREFIX
from services.teams import Roster
from storage.models import Team


class AnnounceFlow(StatesGroup):
    text = State()


def _pick(teams: list[Team], verb: TeamVerb) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[button(team.name, TeamAction(verb=verb, team=team.id))] for team in teams]
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
        button(
            t("team-btn-share-off"), TeamAction(verb=TeamVerb.STOP_SHARING_CONTACT, team=team.id)
        )
        if roster.sharing
        else button(t("team-btn-share-on"), TeamAction(verb=TeamVerb.SHARE_CONTACT, team=team.id))
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [share],
            [
                button(
                    t("team-btn-passport"),
                    RoadmapAction(verb=RoadmapVerb.OPEN_PASSPORT, item=team.id),
                ),
                button(
                    t("team-btn-roadmap"),
                    RoadmapAction(verb=RoadmapVerb.OPEN_ROADMAP, item=team.id),
                ),
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
        await message.answer(t("team-pick"), reply_markup=_pick(teams, TeamVerb.OPEN_ROSTER))
        return
    text, markup = render_roster(
        await services.teams.roster(me, teams[0].id), t, await _username(bot)
    )
    await answer(message, text, markup)


async def open_roster(
    query: CallbackQuery,
    action: TeamAction,
    me: Identity,
    services: Services,
    t: Translator,
    bot: Bot,
) -> None:
    roster = await services.teams.roster(me, action.team)
    await query.answer()
    text, markup = render_roster(roster, t, await _username(bot))
    await send_below(query, text, markup)


async def toggle_share(
    query: CallbackQuery,
    action: TeamAction,
    me: Identity,
    services: Services,
    t: Translator,
    bot: Bot,
) -> None:
    share = action.verb is TeamVerb.SHARE_CONTACT
    roster = await services.teams.set_share_contact(
        me, action.team, share, query.from_user.username
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
        await message.answer(
            t("team-announce-pick"), reply_markup=_pick(teams, TeamVerb.ANNOUNCE_TO)
        )
        return
    team = await services.team_chat.check_announce(me, teams[0].id)
    await _ask_announcement(state, team, t, message.answer)


async def announce_pick(
    query: CallbackQuery,
    action: TeamAction,
    me: Identity,
    services: Services,
    t: Translator,
    state: FSMContext,
) -> None:
    team = await services.team_chat.check_announce(me, action.team)
    await query.answer()
    assert query.message is not None

    async def send(text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
        await send_below(query, text, reply_markup)

    await _ask_announcement(state, team, t, send)


async def _ask_announcement(state: FSMContext, team: Team, t: Translator, send) -> None:  # type: ignore[no-untyped-def]
    await state.set_state(AnnounceFlow.text)
    await state.update_data(team_id=team.id)
    back = InlineKeyboardMarkup(
        inline_keyboard=[[button(t("team-btn-back"), TeamAction(verb=TeamVerb.BACK))]]
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
    for verb, handler in (
        (TeamVerb.OPEN_ROSTER, open_roster),
        (TeamVerb.SHARE_CONTACT, toggle_share),
        (TeamVerb.STOP_SHARING_CONTACT, toggle_share),
        (TeamVerb.ANNOUNCE_TO, announce_pick),
        (TeamVerb.BACK, announce_back),
    ):
        router.callback_query.register(handler, Pressed(TeamAction, F.verb == verb))
    return router
