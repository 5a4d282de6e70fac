"""The office's people and files, for any messenger: `/invite ROLE` gives a one-time link
(buttons to pick the role when none is named), `/people QUERY` finds people by name,
application number or @username with their roles (revoked through /access's confirmation),
and `/upload` takes the season or sites YAML as a document: its problems with their paths, or
what it will change and «Применить» / «Отмена». The file's text waits in the cursor between
the two steps and is validated again when applied; every press is re-checked by the services
(services/people_admin.py, services/config_upload.py)."""

from __future__ import annotations

from dialogs.people_admin_screens import (
    applied_screen,
    errors_screen,
    invite_screen,
    people_screen,
    role_choice_screen,
    summary_screen,
    upload_prompt_screen,
)
from dialogs.screen import Dialog, Screen, Turn
from services.actions import PeopleAdminAction, PeopleAdminVerb
from services.config_upload import MAX_FILE_BYTES, UploadCheck
from services.questionnaire import Input

UPLOAD = "PeopleAdmin:upload"
CONFIRM = "PeopleAdmin:confirm"
FILE_TEXT, FILE_STAMP = "pa_file", "pa_stamp"


async def invite_command(turn: Turn, args: str) -> None:
    roles = turn.services.people_admin.invitable(turn.me)
    if args.strip():
        await _issue(turn, args)
        return
    await turn.chat.show(role_choice_screen(turn.t, roles))


async def invite_pressed(turn: Turn, action: PeopleAdminAction) -> None:
    await _issue(turn, action.role)
    await turn.chat.close_buttons()


async def _issue(turn: Turn, role: str) -> None:
    issued = await turn.services.people_admin.invite(turn.me, role)
    link = await turn.chat.start_link(issued.payload) or f"/start {issued.payload}"
    await turn.chat.show(invite_screen(turn.t, issued, link))


async def people_command(turn: Turn, args: str) -> None:
    found = await turn.services.people_admin.find(turn.me, args)
    await turn.chat.show(people_screen(turn.t, found, args))


async def upload_command(turn: Turn, args: str) -> None:
    turn.services.people_admin.office_only(turn.me)
    await turn.cursor.set_state(UPLOAD)
    await turn.cursor.set_data({})
    await turn.chat.show(upload_prompt_screen(turn.t))


async def file_given(turn: Turn, given: Input) -> None:
    """A document in the upload's step: checked, then its problems or its summary."""
    turn.services.people_admin.office_only(turn.me)
    t = turn.t
    if given.kind != "document" or not given.file_id:
        await turn.chat.show(Screen(t("pa-upload-send-document")))
        return
    if given.file_size is not None and given.file_size > MAX_FILE_BYTES:
        await turn.chat.show(Screen(t("pa-upload-too-big", max=MAX_FILE_BYTES // 1000)))
        return
    content = await turn.chat.download(given.file_id)
    check, text = await turn.services.config_upload.check(turn.me, content)
    await _after_check(turn, check, text, redraw=False)


async def _after_check(turn: Turn, check: UploadCheck, text: str | None, *, redraw: bool) -> None:
    """Problems: listed, and the next document is awaited; none: the summary to confirm."""
    if check.errors or text is None:
        await turn.cursor.set_state(UPLOAD)
        await turn.cursor.set_data({})
        screen = errors_screen(turn.t, check)
    else:
        await turn.cursor.set_state(CONFIRM)
        await turn.cursor.set_data({FILE_TEXT: text, FILE_STAMP: check.stamp})
        screen = summary_screen(turn.t, check)
    await (turn.chat.redraw(screen) if redraw else turn.chat.show(screen))


async def apply_pressed(turn: Turn, action: PeopleAdminAction) -> None:
    data = await turn.cursor.get_data()
    text = data.get(FILE_TEXT) if data.get(FILE_STAMP) == action.stamp else None
    result = await turn.services.config_upload.apply(turn.me, text or "", action.stamp)
    if isinstance(result, UploadCheck):  # it no longer passes: what is stored changed since
        await turn.chat.notice()
        await _after_check(turn, result, text, redraw=True)
        return
    await turn.cursor.clear()
    t = turn.t
    links = []
    for code, payload in result.links:
        shown = (await turn.chat.start_link(payload) or f"/start {payload}") if payload else None
        links.append((code, shown or t("pa-upload-link-used")))
    await turn.chat.notice(t("pa-upload-applied-notice"))
    await turn.chat.redraw(applied_screen(t, result.kind, links))


async def cancel_pressed(turn: Turn, action: PeopleAdminAction) -> None:
    turn.services.people_admin.office_only(turn.me)
    await turn.cursor.clear()
    await turn.chat.redraw(Screen(turn.t("pa-upload-cancelled")))


DIALOG = Dialog(
    name="people_admin",
    action=PeopleAdminAction,
    commands={"invite": invite_command, "people": people_command, "upload": upload_command},
    states={UPLOAD: file_given, CONFIRM: file_given},
    actions={
        PeopleAdminVerb.INVITE: invite_pressed,
        PeopleAdminVerb.APPLY_FILE: apply_pressed,
        PeopleAdminVerb.CANCEL_FILE: cancel_pressed,
    },
)
