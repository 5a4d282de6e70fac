"""/team and /announce in a private chat through the messenger with no aiogram
(tests/recording_messenger.py): the roster with the bind link for the team's staff, a member
showing their contact (refused without a username), and the mentor's announcement written,
sent to the team's chat, or abandoned with Back.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

from sqlalchemy import select

from dialogs import team
from dialogs.screen import Profile
from services.clock import FixedClock
from services.i18n import Texts
from storage.models import OutgoingMessage
from storage.uow import UnitOfWorkFactory
from tests.plans_world import MENTOR, STUDENT, build_world
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
TEAM_CHAT = -100500


async def test_the_roster_and_a_member_showing_their_contact(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_world(uow_factory, clock, chat_id=None)
    m = RecordingMessenger([team.DIALOG], uow_factory, clock)
    await m.command(MENTOR, "team")
    roster = m.chat(MENTOR).last.text
    assert roster.startswith(t("team-roster-title", team="Альфа", code="alpha"))
    link = "https://messenger.test/add-bot?start=bind_alpha"  # the messenger's own link
    assert t("team-roster-bind-help", code="alpha", link=link) in roster

    student = m.chat(STUDENT)
    await m.command(STUDENT, "team")
    assert "bind_alpha" not in student.last.text  # binding is the staff's
    assert t("team-roster-sharing-off") in student.last.text
    await m.press(STUDENT, t("team-btn-share-on"))  # no username to show: refused
    assert student.notices[-1] == (t("team-share-no-username"), True)
    m.profiles[STUDENT] = Profile("Пётр", "petr")
    await m.press(STUDENT, t("team-btn-share-on"))
    assert student.notices[-1] == (t("team-share-on-done"), False)
    assert t("team-roster-sharing-on") in student.last.text
    await m.command(MENTOR, "team")
    assert t("team-roster-contact", contact="@petr") in m.chat(MENTOR).last.text


async def test_the_mentor_announces_to_the_team_chat_or_goes_back(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_world(uow_factory, clock, chat_id=TEAM_CHAT)
    m = RecordingMessenger([team.DIALOG], uow_factory, clock)
    mentor = m.chat(MENTOR)
    await m.command(MENTOR, "announce")
    assert mentor.last.text == t("team-announce-ask", team="Альфа")
    await m.press(MENTOR, t("team-btn-back"))
    assert mentor.notices[-1] == (t("team-back-done"), False)
    assert m.cursors[MENTOR].state is None

    await m.command(MENTOR, "announce")
    assert m.cursors[MENTOR].state == team.ANNOUNCE_TEXT
    await m.type(MENTOR, "Встреча в пятницу в 16:00")
    assert mentor.last.text == t("team-announce-sent", team="Альфа")
    assert m.cursors[MENTOR].state is None
    async with uow_factory() as uow:
        [posted] = await uow.session.scalars(
            select(OutgoingMessage).where(OutgoingMessage.chat_id == TEAM_CHAT)
        )
    assert "Встреча в пятницу в 16:00" in posted.payload["text"]

    await m.command(STUDENT, "announce")  # only the team's mentor announces
    assert m.chat(STUDENT).last.text == t("team-announce-not-mentor")
