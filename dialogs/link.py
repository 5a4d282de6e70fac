"""/link: one person on two messengers. Without a code it gives one; with a code typed on the
other messenger it attaches this account to the person who asked for it (services/linking.py)."""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn
from services.actions import Action


async def link_command(turn: Turn, args: str) -> None:
    t = turn.t
    linking = turn.services.linking
    if args.strip():
        linked = await linking.redeem(turn.me, args)
        text = t("link-done", asked_on=t(f"messenger-{linked.asked_on.value}"))
    else:
        issued = await linking.issue(turn.me)
        text = t("link-code", code=issued.code, minutes=issued.minutes)
    await turn.chat.show(Screen(text))


DIALOG = Dialog(
    name="link",
    action=Action,  # no buttons: a code is typed
    commands={"link": link_command},
)
