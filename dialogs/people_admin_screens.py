"""The office's /invite, /people and file upload screens: pure functions of a service's answer
and the person's language."""

from __future__ import annotations

from dialogs.screen import Button, Keyboard, Screen, doing
from services.access import GrantEntry
from services.actions import AccessAction, AccessVerb, PeopleAdminAction, PeopleAdminVerb
from services.config_upload import FileKind, UploadCheck
from services.domain import Role
from services.i18n import Translator
from services.people_admin import IssuedInvite, PeopleFound, PersonCard

# Problems listed in one message: Telegram takes 4096 characters, the rest is counted.
ERRORS_BUDGET = 3500
BUTTON_NAME_LIMIT = 24


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_NAME_LIMIT else text[: BUTTON_NAME_LIMIT - 1] + "…"


def role_choice_screen(t: Translator, roles: tuple[Role, ...]) -> Screen:
    buttons = [
        [doing(t(f"role-{role.value}"), PeopleAdminAction(verb=PeopleAdminVerb.INVITE,
                                                          role=role.value))]
        for role in roles
    ]  # fmt: skip
    return Screen(t("pa-invite-pick-role"), buttons)


def invite_screen(t: Translator, issued: IssuedInvite, link: str) -> Screen:
    season = t("pa-invite-season", season=issued.season_code) if issued.season_code else ""
    text = t(
        "pa-invite-link",
        role=t(f"role-{issued.role.value}"),
        season=season,
        link=link,
        expires=issued.expires_local or "—",
    )
    revoke = doing(
        t("pa-btn-revoke-link"),
        AccessAction(verb=AccessVerb.ASK_REVOKE_INVITATION, item=issued.invitation_id),
    )
    return Screen(text, [[revoke]])


def _name(card: PersonCard, t: Translator) -> str:
    name = card.name or t("pa-people-no-name", id=card.person_id)
    return f"{name} (@{card.username})" if card.username else name


def _role_text(grant: GrantEntry, t: Translator) -> str:
    role = t(f"role-{grant.role.value}")
    return t("pa-people-role-season", role=role, season=grant.season_code) if grant.season_code \
        else role  # fmt: skip


def _card_lines(n: int, card: PersonCard, t: Translator) -> list[str]:
    lines = [t("pa-people-line", n=n, name=_name(card, t))]
    roles = ", ".join(_role_text(grant, t) for grant in card.grants)
    lines.append(t("pa-people-roles", roles=roles) if roles else t("pa-people-no-roles"))
    for application in card.applications:
        lines.append(
            t(
                "pa-people-application",
                number=application.number or t("pa-people-draft", id=application.application_id),
                status=t(f"pa-status-{application.status.value}"),
                season=application.season_code,
                role=t(f"role-{application.role.value}") if application.role else "—",
            )
        )
    return lines


def _revoke_button(n: int, card: PersonCard, grant: GrantEntry, t: Translator) -> Button:
    return doing(
        t(
            "pa-btn-revoke-role",
            n=n,
            name=_short(card.name or str(card.person_id)),
            role=_short(t(f"role-{grant.role.value}")),
        ),
        AccessAction(verb=AccessVerb.ASK_REVOKE_ROLE, item=grant.grant_id),
    )


def people_screen(t: Translator, found: PeopleFound, query: str) -> Screen:
    if not found.people:
        return Screen(t(f"pa-people-none-{found.kind}", query=query.strip()))
    lines = [t("pa-people-title", query=query.strip(), total=found.total)]
    rows: Keyboard = []
    for n, card in enumerate(found.people, start=1):
        lines += ["", *_card_lines(n, card, t)]
        rows += [[_revoke_button(n, card, grant, t)] for grant in card.revocable()]
    if found.total > len(found.people):
        lines += ["", t("pa-people-more", shown=len(found.people))]
    return Screen("\n".join(lines), rows)


def upload_prompt_screen(t: Translator) -> Screen:
    return Screen(t("pa-upload-prompt"))


def errors_screen(t: Translator, check: UploadCheck) -> Screen:
    """The file's problems, each with its path, as many as fit one message; then how many
    more there are."""
    lines = [t(f"pa-upload-errors-{check.kind.value}", count=len(check.errors)), ""]
    used = sum(len(line) + 1 for line in lines)
    shown = 0
    for error in check.errors:
        line = f"• {error}"
        if used + len(line) + 1 > ERRORS_BUDGET:
            break
        lines.append(line)
        used += len(line) + 1
        shown += 1
    if shown < len(check.errors):
        lines.append(t("pa-upload-errors-more", count=len(check.errors) - shown))
    lines += ["", t("pa-upload-nothing-changed")]
    return Screen("\n".join(lines))


def _summary_lines(t: Translator, check: UploadCheck) -> list[str]:
    if check.kind is FileKind.SITES:
        assert check.sites is not None
        sites_new, sites_updated, slots_new, slots_updated = check.sites
        return [t("pa-upload-sites-summary", sites_new=sites_new, sites_updated=sites_updated,
                  slots_new=slots_new, slots_updated=slots_updated)]  # fmt: skip
    key = "pa-upload-season-new" if check.season_new else "pa-upload-season-update"
    lines = [t(key, season=check.season_code or "—")]
    for change in check.sections:
        lines.append(
            t(
                "pa-upload-section",
                section=t(f"pa-section-{change.name}"),
                added=change.added,
                changed=change.changed,
                removed=change.removed,
                kept=change.kept,
            )
        )
    return lines


def summary_screen(t: Translator, check: UploadCheck) -> Screen:
    lines = [t(f"pa-upload-valid-{check.kind.value}"), "", *_summary_lines(t, check)]
    lines += ["", t("pa-upload-confirm")]
    apply = PeopleAdminAction(verb=PeopleAdminVerb.APPLY_FILE, stamp=check.stamp)
    cancel = PeopleAdminAction(verb=PeopleAdminVerb.CANCEL_FILE)
    return Screen(
        "\n".join(lines),
        [[doing(t("pa-btn-apply"), apply), doing(t("pa-btn-cancel"), cancel)]],
    )


def applied_screen(t: Translator, kind: FileKind, links: list[tuple[str, str]]) -> Screen:
    """Done; the links the import made or showed again (an idea's mentor, a site's contact)."""
    lines = [t(f"pa-upload-applied-{kind.value}")]
    if links:
        lines += ["", t(f"pa-upload-links-{kind.value}")]
        lines += [f"{code}: {link}" for code, link in links]
    return Screen("\n".join(lines))
