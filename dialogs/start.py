"""/start (with an invitation's deep link), /help and /cancel, for any messenger."""

from __future__ import annotations

from dialogs.apply import CANCELLED
from dialogs.parent import is_parent_link, parent_start
from dialogs.screen import Dialog, Screen, Turn, doing
from services.actions import Action, ApplyAction, ApplyVerb
from services.domain import Role
from services.i18n import Translator
from services.invitations import INVITE_PREFIX


def _role_names(t: Translator, roles: frozenset[Role]) -> str:
    return ", ".join(t(f"role-{role.value}") for role in sorted(roles))


async def start_command(turn: Turn, args: str) -> None:
    """A greeting with the way to apply; an invitation's link (`/start inv_…`) is redeemed
    and a parent's link (`/start pc_…`) opened instead, whatever else the link carries being
    just a /start."""
    if args.startswith(INVITE_PREFIX):
        await redeem_invitation(turn, args)
        return
    if is_parent_link(args):  # a parent opening their child's link for their consent
        await parent_start(turn, args)
        return
    t = turn.t
    apply_button = [[doing(t("apply-btn-apply"), ApplyAction(verb=ApplyVerb.OPEN))]]
    if turn.me.roles:
        text = t("start-welcome-back", roles=_role_names(t, turn.me.roles))
    else:
        text = t("start-welcome")
    await turn.chat.show(Screen(text, apply_button))


async def redeem_invitation(turn: Turn, payload: str) -> None:
    # The invitation records how the messenger names the person, for whoever invited them.
    assert turn.profile is not None
    redeemed = await turn.services.invitations.redeem(
        turn.me, payload, turn.profile.full_name, turn.profile.username
    )
    key = "invite-granted" if redeemed.newly_granted else "invite-already"
    if redeemed.idea_title is not None:
        key += "-idea"  # an idea's mentor link: the welcome names the idea and what to do next
    t = turn.t
    await turn.chat.show(
        Screen(t(key, role=t(f"role-{redeemed.role.value}"), idea=redeemed.idea_title or ""))
    )


async def help_command(turn: Turn, args: str) -> None:
    t = turn.t
    parts = [t("help-intro"), t("help-everyone")]
    parts.extend(t(f"help-{role.value}") for role in sorted(turn.me.roles))
    await turn.chat.show(Screen("\n\n".join(parts)))


async def cancel_command(turn: Turn, args: str) -> None:
    # The cursor is only a cursor: answers are already in the database, so clearing it loses
    # nothing. The mark says the person left on purpose: their next message is not taken as an
    # answer to a draft whose cursor the database could give back (handlers/fallback.py).
    cursor = turn.cursor
    had_state = await cursor.get_state() is not None
    await cursor.set_state(None)
    await cursor.set_data({CANCELLED: True})
    await turn.chat.show(Screen(turn.t("cancel-done" if had_state else "cancel-nothing")))


DIALOG = Dialog(
    name="start",
    action=Action,  # no buttons of its own: Apply is the application dialog's
    commands={"start": start_command, "help": help_command, "cancel": cancel_command},
)
