"""The office's /export, for any messenger: the kinds of XLSX file as buttons (or the kind typed
after the command, `/export applications`); the file comes as a document through the outbox.
Every press is re-checked by services/exports/ (the office only)."""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn, doing
from services.actions import ExportAction, ExportVerb
from services.exports import ExportKind, ExportMenu
from services.i18n import Translator

KIND_OF_VERB = {
    ExportVerb.APPLICATIONS: ExportKind.APPLICATIONS,
    ExportVerb.TEAMS: ExportKind.TEAMS,
    ExportVerb.TASKS: ExportKind.TASKS,
    ExportVerb.BOOKINGS: ExportKind.BOOKINGS,
}
VERB_OF_KIND = {kind: verb for verb, kind in KIND_OF_VERB.items()}
# What may follow /export: the kind's own name, or its Russian word.
TYPED_KINDS = {
    **{kind.value: kind for kind in ExportKind},
    "заявки": ExportKind.APPLICATIONS,
    "команды": ExportKind.TEAMS,
    "задачи": ExportKind.TASKS,
    "бронирования": ExportKind.BOOKINGS,
}


def menu_screen(t: Translator, menu: ExportMenu, note: str | None = None) -> Screen:
    buttons = [
        [
            doing(
                t(f"export-btn-{kind.value}"),
                ExportAction(verb=VERB_OF_KIND[kind], season=menu.season_id),
            )
        ]
        for kind in menu.kinds
    ]
    text = t("export-menu", season=menu.season_name)
    return Screen(f"{note}\n\n{text}" if note else text, buttons)


async def export_command(turn: Turn, args: str) -> None:
    typed = args.strip().lower()
    kind = TYPED_KINDS.get(typed)
    if kind is not None:
        await turn.services.exports.send(turn.me, kind)
        await turn.chat.show(Screen(turn.t("export-sent")))
        return
    menu = await turn.services.exports.menu(turn.me)
    note = turn.t("export-unknown-kind", kind=typed[:40]) if typed else None
    await turn.chat.show(menu_screen(turn.t, menu, note))


async def make_file(turn: Turn, action: ExportAction) -> None:
    await turn.services.exports.send(turn.me, KIND_OF_VERB[action.verb], action.season)
    await turn.chat.notice(turn.t("export-sent"))


DIALOG = Dialog(
    name="exports",
    action=ExportAction,
    commands={"export": export_command},
    actions={verb: make_file for verb in ExportVerb},
)
