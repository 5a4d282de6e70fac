"""A minor's parent consents from their own account (services/applications/parents.py).

The child's link opens `/start pc_<code>` here: the parent sees for whom and for what, shares
their own phone by the contact key, types their name, picks their relation and confirms.
`/parent_link` gives the child the link (and its QR code, and a button for a new one);
`/parent_withdraw` withdraws what they agreed to from this account. The code rides in the
cursor between the steps; every step's answer is checked again by the service at the end.
"""

from __future__ import annotations

from dialogs.screen import Dialog, Key, Screen, Turn, doing, rows_of
from services.actions import ParentAction, ParentVerb
from services.applications.parents import PARENT_START_PREFIX
from services.questionnaire import Input
from services.questionnaire.checks import InvalidAnswer, normalize_name, normalize_phone
from services.questionnaire.limits import RELATIONS

PHONE = "ParentStates:phone"
NAME = "ParentStates:name"
RELATION = "ParentStates:relation"
CODE, PARENT_PHONE, PARENT_NAME, PARENT_RELATION = "parent_code", "phone", "name", "relation"


def is_parent_link(args: str) -> bool:
    return args.startswith(PARENT_START_PREFIX)


def _share_phone(turn: Turn, key: str) -> Screen:
    t = turn.t
    return Screen(t(key), keys=[[Key(t("parent-btn-share-phone"), share_contact=True)]])


async def parent_start(turn: Turn, args: str) -> None:
    """The link opened: what the parent is asked to agree to, then their phone."""
    code = args.removeprefix(PARENT_START_PREFIX)
    request = await turn.services.applications.parent_request(turn.me, code)
    t = turn.t
    await turn.chat.show(
        Screen(
            t(
                "parent-request",
                child=request.child_name or t("parent-child-unnamed"),
                programme=request.programme,
                version=request.text_version,
                text=request.consent_text,
            )
        )
    )
    await turn.cursor.set_state(PHONE)
    await turn.cursor.set_data({CODE: code})
    await turn.chat.show(_share_phone(turn, "parent-ask-phone"))


async def phone_given(turn: Turn, given: Input) -> None:
    # Only the parent's own number, shared by the key: a typed one could be anybody's.
    if given.kind != "contact" or not given.contact_is_own or given.text is None:
        await turn.chat.show(_share_phone(turn, "parent-share-own-phone"))
        return
    try:
        phone = normalize_phone(given.text)
    except InvalidAnswer as bad:
        await turn.chat.show(_share_phone(turn, bad.key))
        return
    await turn.cursor.set_data({**await turn.cursor.get_data(), PARENT_PHONE: phone})
    await turn.cursor.set_state(NAME)
    await turn.chat.show(Screen(turn.t("parent-ask-name"), remove_keys=True))


async def name_given(turn: Turn, given: Input) -> None:
    try:
        name = normalize_name(given.text or "") if given.kind == "text" else None
    except InvalidAnswer:
        name = None
    if name is None:
        await turn.chat.show(Screen(turn.t("apply-bad-name")))
        return
    await turn.cursor.set_data({**await turn.cursor.get_data(), PARENT_NAME: name})
    await turn.cursor.set_state(RELATION)
    t = turn.t
    buttons = [
        doing(t(f"apply-choice-rep_relation-{relation}"), ParentAction(
            verb=ParentVerb.RELATION, choice=relation))
        for relation in RELATIONS
    ]  # fmt: skip
    await turn.chat.show(Screen(t("parent-ask-relation"), rows_of(buttons, 2)))


async def relation_chosen(turn: Turn, action: ParentAction) -> None:
    data = await turn.cursor.get_data()
    if CODE not in data or PARENT_NAME not in data or action.choice not in RELATIONS:
        await turn.chat.notice(turn.t("parent-start-again"), alert=True)
        return
    await turn.cursor.set_data({**data, PARENT_RELATION: action.choice})
    t = turn.t
    text = t(
        "parent-confirm",
        name=data[PARENT_NAME],
        relation=t(f"apply-choice-rep_relation-{action.choice}"),
        phone=data[PARENT_PHONE],
    )
    await turn.chat.redraw(
        Screen(text, [
            [doing(t("parent-btn-confirm"), ParentAction(verb=ParentVerb.CONFIRM))],
            [doing(t("parent-btn-cancel"), ParentAction(verb=ParentVerb.CANCEL))],
        ])
    )  # fmt: skip


async def confirmed(turn: Turn, action: ParentAction) -> None:
    data = await turn.cursor.get_data()
    if not {CODE, PARENT_PHONE, PARENT_NAME, PARENT_RELATION} <= data.keys():
        await turn.chat.notice(turn.t("parent-start-again"), alert=True)
        return
    await turn.services.applications.parent_confirm(
        turn.me, data[CODE], name=data[PARENT_NAME], relation=data[PARENT_RELATION],
        phone=data[PARENT_PHONE],
    )  # fmt: skip
    await turn.cursor.clear()
    await turn.chat.close_buttons()
    await turn.chat.show(Screen(turn.t("parent-consent-done")))


async def cancelled(turn: Turn, action: ParentAction) -> None:
    await turn.cursor.clear()
    await turn.chat.redraw(Screen(turn.t("parent-cancelled")))


async def link_command(turn: Turn, args: str) -> None:
    """The child's side: a one-time link for their parent, with its QR code, and the way to
    send a new one."""
    applications = turn.services.applications
    issued = await applications.parent_link(turn.me)
    url = await turn.chat.start_link(issued.start_argument)
    t = turn.t
    shown = url or f"/start {issued.start_argument}"
    resend = doing(t("parent-btn-resend"), ParentAction(verb=ParentVerb.RESEND))
    await turn.chat.show(Screen(t("parent-link-child", link=shown), [[resend]]))
    await applications.send_link_qr(turn.me, shown)


async def resend(turn: Turn, action: ParentAction) -> None:
    await turn.chat.close_buttons()
    await link_command(turn, "")


async def link_pressed(turn: Turn, action: ParentAction) -> None:
    """From the questionnaire's parent step: the link comes as a message of its own, and the
    step's buttons stay."""
    await turn.chat.notice()
    await link_command(turn, "")


async def withdraw_command(turn: Turn, args: str) -> None:
    t = turn.t
    button = doing(t("parent-btn-withdraw"), ParentAction(verb=ParentVerb.WITHDRAW))
    await turn.chat.show(Screen(t("parent-ask-withdraw"), [[button]]))


async def withdraw(turn: Turn, action: ParentAction) -> None:
    children = await turn.services.applications.parent_withdraw(turn.me)
    await turn.chat.redraw(Screen(turn.t("parent-withdrawn", count=children)))


DIALOG = Dialog(
    name="parent",
    action=ParentAction,
    commands={"parent_link": link_command, "parent_withdraw": withdraw_command},
    states={PHONE: phone_given, NAME: name_given, RELATION: name_given},
    actions={
        ParentVerb.RELATION: relation_chosen,
        ParentVerb.CONFIRM: confirmed,
        ParentVerb.CANCEL: cancelled,
        ParentVerb.RESEND: resend,
        ParentVerb.LINK: link_pressed,
        ParentVerb.WITHDRAW: withdraw,
    },
)
