"""/start (with deep-link payloads), /help and /cancel."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from dialogs.apply import CANCELLED
from services.actions import ApplyAction, ApplyVerb, encode
from services.container import Services
from services.domain import Role
from services.i18n import Translator
from services.invitations import INVITE_PREFIX
from services.people import Identity


def _role_names(t: Translator, roles: frozenset[Role]) -> str:
    return ", ".join(t(f"role-{role.value}") for role in sorted(roles))


async def start_with_invitation(
    message: Message, command: CommandObject, me: Identity, services: Services, t: Translator
) -> None:
    assert command.args is not None and message.from_user is not None
    redeemed = await services.invitations.redeem(
        me, command.args, message.from_user.full_name, message.from_user.username
    )
    key = "invite-granted" if redeemed.newly_granted else "invite-already"
    if redeemed.idea_title is not None:
        key += "-idea"  # an idea's mentor link: the welcome names the idea and what to do next
    await message.answer(
        t(key, role=t(f"role-{redeemed.role.value}"), idea=redeemed.idea_title or "")
    )


async def start(message: Message, me: Identity, t: Translator) -> None:
    apply_button = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("apply-btn-apply"),
                    callback_data=encode(ApplyAction(verb=ApplyVerb.OPEN)),
                )
            ]
        ]
    )
    if me.roles:
        await message.answer(
            t("start-welcome-back", roles=_role_names(t, me.roles)), reply_markup=apply_button
        )
    else:
        await message.answer(t("start-welcome"), reply_markup=apply_button)


async def help_(message: Message, me: Identity, t: Translator) -> None:
    parts = [t("help-intro"), t("help-everyone")]
    parts.extend(t(f"help-{role.value}") for role in sorted(me.roles))
    await message.answer("\n\n".join(parts))


async def cancel(message: Message, state: FSMContext, t: Translator) -> None:
    # The FSM state is only a cursor: answers are already in the database, so clearing it
    # loses nothing. The mark says the person left on purpose: their next message is not taken
    # as an answer to a draft whose cursor the database could give back (handlers/fallback.py).
    had_state = await state.get_state() is not None
    await state.set_state(None)
    await state.set_data({CANCELLED: True})
    await message.answer(t("cancel-done" if had_state else "cancel-nothing"))


def create_router() -> Router:
    router = Router(name="start")
    router.message.filter(F.chat.type == "private")
    router.message.register(
        start_with_invitation,
        CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX)),
    )
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(cancel, Command("cancel"))
    return router
