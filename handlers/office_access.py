"""The office's /access: the invitation links nobody has opened yet and the people holding staff
roles, page by page, each with a revoke button that asks for confirmation first. One message,
redrawn in place; every press is re-checked by services/access.py."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.callback_data import Pressed
from handlers.replies import button, keyboard, redraw
from services.access import AccessPage, GrantEntry, InvitationEntry, Revoked
from services.actions import AccessAction, AccessVerb
from services.container import Services
from services.domain import Role
from services.i18n import Translator
from services.people import Identity

BUTTON_NAME_LIMIT = 24


def _invitation_what(entry: InvitationEntry, t: Translator) -> str:
    if entry.idea_title:
        return t("access-invitation-idea", idea=entry.idea_title)
    if entry.label:
        return t("access-invitation-label", label=entry.label)
    return ""


def _expires(entry: InvitationEntry, t: Translator) -> str:
    return entry.expires_local or t("access-invitation-forever")


def _name(entry: GrantEntry, t: Translator) -> str:
    name = entry.name or t("access-grant-no-name", tg_id=entry.tg_id)
    return f"{name} (@{entry.username})" if entry.username else name


def _season(entry: GrantEntry, t: Translator) -> str:
    return t("access-grant-season", season=entry.season_code) if entry.season_code else ""


def _grant_line(n: int, entry: GrantEntry, t: Translator) -> str:
    line = t(
        "access-grant-line",
        n=n,
        name=_name(entry, t),
        role=t(f"role-{entry.role.value}"),
        season=_season(entry, t),
        ideas=t("access-grant-ideas", ideas=", ".join(entry.ideas)) if entry.ideas else "",
    )
    if entry.role is Role.OFFICE and entry.from_settings:
        line += " " + t("access-grant-note-settings")
    elif entry.role is Role.OFFICE and entry.is_me:
        line += " " + t("access-grant-note-me")
    return line


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_NAME_LIMIT else text[: BUTTON_NAME_LIMIT - 1] + "…"


def _invitation_button(
    n: int, entry: InvitationEntry, role: str, page: int, t: Translator
) -> InlineKeyboardButton:
    return button(
        t("access-btn-revoke-invitation", n=n, role=_short(role)),
        AccessAction(verb=AccessVerb.ASK_REVOKE_INVITATION, item=entry.id, page=page),
    )


def _grant_button(n: int, entry: GrantEntry, page: int, t: Translator) -> InlineKeyboardButton:
    return button(
        t(
            "access-btn-revoke-grant",
            n=n,
            name=_short(entry.name or str(entry.tg_id)),
            role=_short(t(f"role-{entry.role.value}")),
        ),
        AccessAction(verb=AccessVerb.ASK_REVOKE_ROLE, item=entry.grant_id, page=page),
    )


def _paging(view: AccessPage, t: Translator) -> list[InlineKeyboardButton]:
    paging = []
    if view.page > 0:
        paging.append(
            button(
                t("access-btn-prev"), AccessAction(verb=AccessVerb.SHOW_PAGE, page=view.page - 1)
            )
        )
    if view.page + 1 < view.pages:
        paging.append(
            button(
                t("access-btn-next"), AccessAction(verb=AccessVerb.SHOW_PAGE, page=view.page + 1)
            )
        )
    return paging


def render_page(
    view: AccessPage, t: Translator, notice: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [notice, ""] if notice else []
    lines += [
        t("access-title"),
        t("access-summary", invitations=view.invitations_total, grants=view.grants_total),
    ]
    if view.pages > 1:
        lines.append(t("access-page", page=view.page + 1, pages=view.pages))
    rows: list[list[InlineKeyboardButton]] = []
    n = view.first_number
    if view.invitations:
        lines += ["", t("access-invitations")]
        for invitation in view.invitations:
            role = t(f"role-{invitation.role.value}")
            what = _invitation_what(invitation, t)
            lines.append(
                t("access-invitation-line", n=n, role=role, what=what,
                  expires=_expires(invitation, t))
            )  # fmt: skip
            rows.append([_invitation_button(n, invitation, role, view.page, t)])
            n += 1
    if view.grants:
        lines += ["", t("access-grants")]
        for grant in view.grants:
            lines.append(_grant_line(n, grant, t))
            if grant.revocable_in_bot:
                rows.append([_grant_button(n, grant, view.page, t)])
            n += 1
    if not view.invitations_total and not view.grants_total:
        lines += ["", t("access-empty")]
    lines += ["", t("access-hint")]
    rows.append(_paging(view, t))
    return "\n".join(lines), keyboard(rows)


def render_confirm_invitation(
    entry: InvitationEntry, page: int, t: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = t(
        "access-confirm-invitation",
        role=t(f"role-{entry.role.value}"),
        what=_invitation_what(entry, t),
        expires=_expires(entry, t),
    )
    return text, keyboard(
        [
            [
                button(
                    t("access-btn-confirm-invitation"),
                    AccessAction(verb=AccessVerb.REVOKE_INVITATION, item=entry.id, page=page),
                ),
                button(t("access-btn-back"), AccessAction(verb=AccessVerb.SHOW_PAGE, page=page)),
            ]
        ]
    )


def render_confirm_grant(
    entry: GrantEntry, page: int, t: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    parts = [
        t(
            "access-confirm-grant",
            role=t(f"role-{entry.role.value}"),
            season=_season(entry, t),
            name=_name(entry, t),
        )
    ]
    if entry.role is Role.MENTOR:
        parts.append(t("access-confirm-grant-mentor"))
    elif entry.role is Role.SITE_CONTACT:
        parts.append(t("access-confirm-grant-site"))
    return "\n\n".join(parts), keyboard(
        [
            [
                button(
                    t("access-btn-confirm-grant"),
                    AccessAction(verb=AccessVerb.REVOKE_ROLE, item=entry.grant_id, page=page),
                ),
                button(t("access-btn-back"), AccessAction(verb=AccessVerb.SHOW_PAGE, page=page)),
            ]
        ]
    )


OUTCOME_TEXT = {
    Revoked.ALREADY: "access-already-revoked",
    Revoked.USED: "access-invitation-used",
}


async def access_command(message: Message, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_page(await services.access.page(me), t)
    await message.answer(text, reply_markup=markup)


async def show_page(
    query: CallbackQuery, action: AccessAction, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_page(await services.access.page(me, action.page), t)
    await query.answer()
    await redraw(query, text, markup)


async def ask_invitation(
    query: CallbackQuery, action: AccessAction, me: Identity, services: Services, t: Translator
) -> None:
    entry = await services.access.invitation(me, action.item)
    text, markup = render_confirm_invitation(entry, action.page, t)
    await query.answer()
    await redraw(query, text, markup)


async def ask_grant(
    query: CallbackQuery, action: AccessAction, me: Identity, services: Services, t: Translator
) -> None:
    entry = await services.access.grant(me, action.item)
    text, markup = render_confirm_grant(entry, action.page, t)
    await query.answer()
    await redraw(query, text, markup)


async def revoke_invitation(
    query: CallbackQuery, action: AccessAction, me: Identity, services: Services, t: Translator
) -> None:
    outcome = await services.access.revoke_invitation(me, action.item)
    await _after_revoking(query, action, outcome, "access-invitation-revoked", me, services, t)


async def revoke_grant(
    query: CallbackQuery, action: AccessAction, me: Identity, services: Services, t: Translator
) -> None:
    outcome = await services.access.revoke_grant(me, action.item)
    await _after_revoking(query, action, outcome, "access-role-revoked", me, services, t)


async def _after_revoking(
    query: CallbackQuery,
    action: AccessAction,
    outcome: Revoked,
    done_key: str,
    me: Identity,
    services: Services,
    t: Translator,
) -> None:
    notice = t(done_key) if outcome is Revoked.DONE else t(OUTCOME_TEXT[outcome])
    await query.answer(notice, show_alert=outcome is not Revoked.DONE)
    text, markup = render_page(await services.access.page(me, action.page), t, notice)
    await redraw(query, text, markup)


def create_router() -> Router:
    router = Router(name="office_access")
    router.message.register(access_command, Command("access"), F.chat.type == "private")
    for verb, handler in (
        (AccessVerb.SHOW_PAGE, show_page),
        (AccessVerb.ASK_REVOKE_INVITATION, ask_invitation),
        (AccessVerb.ASK_REVOKE_ROLE, ask_grant),
        (AccessVerb.REVOKE_INVITATION, revoke_invitation),
        (AccessVerb.REVOKE_ROLE, revoke_grant),
    ):
        router.callback_query.register(handler, Pressed(AccessAction, F.verb == verb))
    return router
