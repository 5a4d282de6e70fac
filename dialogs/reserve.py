"""Certificates and the talent reserve, for any messenger.

Certificates: the office's /certificates issues them to everyone who finished the season;
/certificate sends one's own again; /verify CODE (anyone) says whether a code is genuine and
for whom; /coursework <id> да|нет (the office) marks the defence as coursework.
Reserve: /nominate <id> <reason> (a mentor for their team, or the office), the nominee's
«Согласен / Не согласен» buttons, /reserve_export (the office), /reserve_leave.
"""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn
from services.actions import ReserveAction, ReserveVerb
from services.certificates import role_text

YES = {"да", "yes", "on", "1"}
NO = {"нет", "no", "off", "0"}


async def certificates_command(turn: Turn, args: str) -> None:
    issued = await turn.services.certificates.issue_all(turn.me)
    text = turn.t("cert-issued", issued=issued.issued, already=issued.already)
    if issued.waiting:
        text += "\n" + turn.t("cert-issued-waiting", waiting=issued.waiting)
    await turn.chat.show(Screen(text))


async def certificate_command(turn: Turn, args: str) -> None:
    count = await turn.services.certificates.send_mine(turn.me)
    key = "cert-mine-sent" if count else "cert-mine-none"
    await turn.chat.show(Screen(turn.t(key, count=count)))


async def verify_command(turn: Turn, args: str) -> None:
    if not args.strip():
        await turn.chat.show(Screen(turn.t("cert-verify-usage")))
        return
    card = await turn.services.certificates.verify(args, turn.me.language)
    if card is None:
        await turn.chat.show(Screen(turn.t("cert-verify-not-found")))
        return
    text = turn.t(
        "cert-verify-ok", name=card.name, season=card.season, team=card.team,
        project=card.project, role=role_text(card, turn.t),
    )  # fmt: skip
    if card.coursework:
        text += "\n" + turn.t("cert-verify-coursework")
    await turn.chat.show(Screen(text))


async def coursework_command(turn: Turn, args: str) -> None:
    words = args.lower().split()
    if len(words) != 2 or not words[0].isdigit() or words[1] not in YES | NO:
        await turn.chat.show(Screen(turn.t("cert-coursework-usage")))
        return
    on = words[1] in YES
    changed = await turn.services.certificates.set_coursework(turn.me, int(words[0]), on)
    key = "cert-coursework-same" if not changed else (
        "cert-coursework-set" if on else "cert-coursework-unset"
    )  # fmt: skip
    await turn.chat.show(Screen(turn.t(key)))


async def nominate_command(turn: Turn, args: str) -> None:
    person, _, reason = args.strip().partition(" ")
    if not person.isdigit() or not reason.strip():
        await turn.chat.show(Screen(turn.t("reserve-usage")))
        return
    await turn.services.reserve.nominate(turn.me, int(person), reason)
    await turn.chat.show(Screen(turn.t("reserve-nominated")))


async def export_command(turn: Turn, args: str) -> None:
    await turn.services.reserve.send_export(turn.me)
    await turn.chat.show(Screen(turn.t("reserve-export-sent")))


async def leave_command(turn: Turn, args: str) -> None:
    count = await turn.services.reserve.leave(turn.me)
    await turn.chat.show(Screen(turn.t("reserve-left" if count else "reserve-left-none")))


async def answer(turn: Turn, action: ReserveAction) -> None:
    agree = action.verb is ReserveVerb.AGREE
    done = await turn.services.reserve.answer(turn.me, action.nomination, agree)
    await turn.chat.close_buttons()
    if not done:
        await turn.chat.notice(turn.t("reserve-answered"))
        return
    await turn.chat.notice()
    await turn.chat.show(Screen(turn.t("reserve-agreed" if agree else "reserve-refused")))


DIALOG = Dialog(
    name="reserve",
    action=ReserveAction,
    commands={
        "certificates": certificates_command,
        "certificate": certificate_command,
        "verify": verify_command,
        "coursework": coursework_command,
        "nominate": nominate_command,
        "reserve_export": export_command,
        "reserve_leave": leave_command,
    },
    actions={ReserveVerb.AGREE: answer, ReserveVerb.REFUSE: answer},
)
