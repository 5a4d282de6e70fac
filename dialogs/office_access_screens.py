"""The office's /access screens: a page of the invitation links nobody has opened yet and the
people holding staff roles, each with its revoke button, and the question before revoking. Pure
functions of a view and the person's language."""

from __future__ import annotations

from dialogs.screen import Button, Keyboard, Screen, doing
from services.access import AccessPage, GrantEntry, InvitationEntry
from services.actions import AccessAction, AccessVerb
from services.domain import Role
from services.i18n import Translator

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
) -> Button:
    return doing(
        t("access-btn-revoke-invitation", n=n, role=_short(role)),
        AccessAction(verb=AccessVerb.ASK_REVOKE_INVITATION, item=entry.id, page=page),
    )


def _grant_button(n: int, entry: GrantEntry, page: int, t: Translator) -> Button:
    return doing(
        t(
            "access-btn-revoke-grant",
            n=n,
            name=_short(entry.name or str(entry.tg_id)),
            role=_short(t(f"role-{entry.role.value}")),
        ),
        AccessAction(verb=AccessVerb.ASK_REVOKE_ROLE, item=entry.grant_id, page=page),
    )


def _paging(view: AccessPage, t: Translator) -> list[Button]:
    paging = []
    if view.page > 0:
        paging.append(
            doing(t("access-btn-prev"), AccessAction(verb=AccessVerb.SHOW_PAGE, page=view.page - 1))
        )
    if view.page + 1 < view.pages:
        paging.append(
            doing(t("access-btn-next"), AccessAction(verb=AccessVerb.SHOW_PAGE, page=view.page + 1))
        )
    return paging


def page_screen(t: Translator, view: AccessPage, notice: str | None = None) -> Screen:
    """One page of open invitations and staff roles; `notice` (what a revoke did) above it."""
    lines = [notice, ""] if notice else []
    lines += [
        t("access-title"),
        t("access-summary", invitations=view.invitations_total, grants=view.grants_total),
    ]
    if view.pages > 1:
        lines.append(t("access-page", page=view.page + 1, pages=view.pages))
    rows: Keyboard = []
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
    return Screen("\n".join(lines), rows)


def confirm_invitation_screen(t: Translator, entry: InvitationEntry, page: int) -> Screen:
    text = t(
        "access-confirm-invitation",
        role=t(f"role-{entry.role.value}"),
        what=_invitation_what(entry, t),
        expires=_expires(entry, t),
    )
    return Screen(
        text,
        [
            [
                doing(
                    t("access-btn-confirm-invitation"),
                    AccessAction(verb=AccessVerb.REVOKE_INVITATION, item=entry.id, page=page),
                ),
                doing(t("access-btn-back"), AccessAction(verb=AccessVerb.SHOW_PAGE, page=page)),
            ]
        ],
    )


def confirm_grant_screen(t: Translator, entry: GrantEntry, page: int) -> Screen:
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
    return Screen(
        "\n\n".join(parts),
        [
            [
                doing(
                    t("access-btn-confirm-grant"),
                    AccessAction(verb=AccessVerb.REVOKE_ROLE, item=entry.grant_id, page=page),
                ),
                doing(t("access-btn-back"), AccessAction(verb=AccessVerb.SHOW_PAGE, page=page)),
            ]
        ],
    )
