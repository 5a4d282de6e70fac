"""/export through the messenger with no aiogram (tests/recording_messenger.py): the office gets
the kinds as buttons and, pressing one, the file as a document; `/export applications` typed
works too, an unknown kind shows the buttons with a note; a mentor typing /export and a student
pressing the office's button (forged) are refused with the Russian text, and get no file."""

from __future__ import annotations

from dialogs import exports
from services.actions import ExportAction, ExportVerb
from services.clock import FixedClock
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.recording_messenger import RecordingMessenger
from tests.selection_world import MENTOR_A, OFFICE, add_applicant, build_world

t = Texts().for_language("ru")
STUDENT = 8501


async def test_office_exports_others_are_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_world(uow_factory, clock)
    await add_applicant(uow_factory, clock, world, STUDENT, ["space-sat"])
    m = RecordingMessenger([exports.DIALOG], uow_factory, clock)
    office = m.chat(OFFICE)

    await m.command(OFFICE, "export")
    menu = office.last
    assert menu.text == t("export-menu", season="«Кадры будущего» — Томская область, 2026/27")
    assert [b.text for row in menu.rows for b in row] == [
        t("export-btn-applications"), t("export-btn-teams"), t("export-btn-tasks"),
        t("export-btn-bookings"),
    ]  # fmt: skip
    await m.press(OFFICE, t("export-btn-teams"))
    assert office.notices[-1] == (t("export-sent"), False)
    await m.command(OFFICE, "export", "applications")
    assert office.last.text == t("export-sent")
    assert await m.deliver() == 2
    captions = [s.screen.text for s in office.messages[-2:]]
    assert captions[0].startswith(t("export-kind-teams"))
    assert captions[1].startswith(t("export-kind-applications"))
    await m.command(OFFICE, "export", "nonsense")
    assert office.last.text.startswith(t("export-unknown-kind", kind="nonsense"))

    await m.command(MENTOR_A, "export")
    assert m.chat(MENTOR_A).last.text == t("export-not-allowed")
    forged = ExportAction(verb=ExportVerb.APPLICATIONS, season=world.season_id)
    await m.press_forged(STUDENT, forged)
    assert m.chat(STUDENT).notices[-1] == (t("export-not-allowed"), True)
    assert await m.deliver() == 0
