"""/start, /help and /cancel through the messenger with no aiogram (tests/recording_messenger.py):
a newcomer's greeting and its Apply button, an invitation redeemed from its deep link (once,
with the messenger's profile name), /help by role, /cancel with and without a conversation.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

from dialogs import apply, start
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import Role
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.example_season import import_example
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
ME, SOMEONE = 5, 6


async def _invitation(uow_factory: UnitOfWorkFactory, clock: FixedClock, role: Role) -> str:
    async with uow_factory() as uow:
        [payload] = await Services(uow, clock, Texts(), ServiceConfig()).invitations.create(role)
    return payload


async def test_a_newcomer_is_greeted_with_the_way_to_apply(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = RecordingMessenger([start.DIALOG, apply.DIALOG], uow_factory, clock)
    await m.command(ME, "start")
    chat = m.chat(ME)
    assert chat.last.text == t("start-welcome")
    await m.press(ME, t("apply-btn-apply"))  # the application dialog's button
    assert chat.last.text.startswith(t("apply-progress", n=1, total=20))


async def test_an_invitation_is_redeemed_from_start_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    payload = await _invitation(uow_factory, clock, Role.OFFICE)
    m = RecordingMessenger([start.DIALOG], uow_factory, clock)
    office = t("role-office")

    await m.command(ME, "start", payload)
    assert m.chat(ME).last.text == t("invite-granted", role=office, idea="")
    await m.command(ME, "start", payload)  # the link tapped again: nothing new is granted
    assert m.chat(ME).last.text == t("invite-already", role=office, idea="")
    await m.command(SOMEONE, "start", payload)  # anybody else is refused
    assert m.chat(SOMEONE).last.text != t("invite-granted", role=office, idea="")
    async with uow_factory() as uow:
        invited = await uow.people.by_tg_id(ME)
    assert invited is not None and invited.full_name == f"Person {ME}"  # the profile's name

    await m.command(ME, "start")  # a plain /start greets the office worker back
    assert m.chat(ME).last.text == t("start-welcome-back", roles=office)
    await m.command(ME, "help")
    help_text = m.chat(ME).last.text
    assert help_text.startswith(t("help-intro")) and help_text.endswith(t("help-office"))
    await m.command(SOMEONE, "help")
    assert m.chat(SOMEONE).last.text == "\n\n".join([t("help-intro"), t("help-everyone")])


async def test_cancel_leaves_a_conversation_and_says_when_there_is_none(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = RecordingMessenger([start.DIALOG, apply.DIALOG], uow_factory, clock)
    await m.command(ME, "cancel")
    assert m.chat(ME).last.text == t("cancel-nothing")

    await m.command(ME, "apply")
    await m.press(ME, t("apply-choice-role-student"))
    assert m.cursors[ME].state == apply.STEP
    await m.command(ME, "cancel")
    assert m.chat(ME).last.text == t("cancel-done")
    cursor = m.cursors[ME]
    assert cursor.state is None and cursor.data == {apply.CANCELLED: True}
