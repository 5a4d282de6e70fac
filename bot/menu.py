"""The command menu, per person, by role (setMyCommands with a chat scope)."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from services.i18n import Texts

# Which commands each role sees, in menu order. Features add their commands here.
EVERYONE = (
    "start", "help", "cancel", "apply", "status", "privacy", "mydata", "forget", "verify",
)  # fmt: skip
BY_ROLE: dict[str, tuple[str, ...]] = {
    "office": (
        "assign",
        "plan",
        "selection",
        "parents_waiting",
        "access",
        "audit",
        "invite",
        "people",
        "upload",
        "stats",
        "export",
        "broadcast",
        "survey_send",
        "survey_shift",
        "certificates",
        "coursework",
        "nominate",
        "reserve_export",
        "event_new",
        "checkin_code",
        "roster",
        "event_move",
        "defence",
    ),
    "mentor": (
        "review",
        "plan",
        "team",
        "passport",
        "roadmap",
        "announce",
        "stats",
        "nominate",
        "agenda",
        "checkin",
    ),
    "tutor": (
        "plan",
        "assign",
        "team",
        "passport",
        "roadmap",
        "certificate",
        "reserve_leave",
        "agenda",
        "checkin",
    ),
    "student": (
        "plan",
        "team",
        "passport",
        "roadmap",
        "internships",
        "bookings",
        "profile",
        "certificate",
        "reserve_leave",
        "agenda",
        "checkin",
        "presentation",
    ),
    "site_contact": ("slots",),
    "jury": ("jury",),
}


def commands_for(roles: Iterable[str]) -> list[str]:
    names = list(EVERYONE)
    for role in sorted(set(roles)):
        names.extend(name for name in BY_ROLE.get(role, ()) if name not in names)
    return names


def _bot_commands(texts: Texts, names: list[str]) -> list[BotCommand]:
    return [BotCommand(command=name, description=texts.get(f"cmd-{name}")) for name in names]


async def set_default_menu(bot: Bot, texts: Texts) -> None:
    await bot.set_my_commands(_bot_commands(texts, list(EVERYONE)), scope=BotCommandScopeDefault())


async def set_menu(bot: Bot, texts: Texts, chat_id: int, roles: Iterable[str]) -> bool:
    return await bot.set_my_commands(
        _bot_commands(texts, commands_for(roles)), scope=BotCommandScopeChat(chat_id=chat_id)
    )
