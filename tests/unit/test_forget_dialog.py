"""/forget through the messenger with no aiogram (tests/recording_messenger.py): the question
(yes / changed my mind), then the application withdrawn, the data erased, the team membership
ended with the team's chat told only that a member left, the cursor cleared, and the answer
listing the consent records kept by law without any personal value.

Screens are checked by their text keys (rendered by the same Texts), not by their wording."""

from __future__ import annotations

from sqlalchemy import select

from dialogs import apply, forget
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import ApplicationStatus, TeamRole
from services.i18n import Texts
from storage.models import OutgoingMessage, TeamMember
from storage.uow import UnitOfWorkFactory
from tests.example_season import import_example
from tests.parents import parent_consents
from tests.recording_messenger import RecordingMessenger

t = Texts().for_language("ru")
ME = 5
TEAM_CHAT = -100700
PARENT = "Иванова Елена Сергеевна"
PARENT_PHONE = "+7 913 100-20-30"


async def _start_application(m: RecordingMessenger) -> None:
    await m.command(ME, "apply")
    await m.press(ME, t("apply-choice-role-student"))
    await m.press(ME, t("apply-choice-age_group-child", under=14))
    await parent_consents(m.uow_factory, m.clock, ME, name=PARENT, phone=PARENT_PHONE)
    await m.press(ME, t("apply-btn-parent-check"))
    await m.type(ME, "15.01.2013")
    assert m.cursors[ME].state == apply.STEP  # on a step, mid-questionnaire


async def _join_team(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    async with uow_factory() as uow:
        teams = Services(uow, clock, Texts(), ServiceConfig()).teams
        await teams.create_team("Альфа", code="alpha")
        await teams.add_member("alpha", ME, TeamRole.STUDENT)
        await teams.bind_chat("alpha", TEAM_CHAT)


async def test_forget_asks_then_erases_and_lists_what_is_kept(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await import_example(uow_factory, clock)
    m = RecordingMessenger(
        [forget.DIALOG, apply.DIALOG], uow_factory, clock
    )  # the registry's order
    await _start_application(m)
    await _join_team(uow_factory, clock)
    chat = m.chat(ME)

    await m.command(ME, "forget")  # typed on a questionnaire step: /forget's, not the step's
    assert chat.last.text == t("forget-ask")
    await m.press(ME, t("forget-btn-no"))
    assert chat.last.text == t("forget-kept")
    assert m.cursors[ME].state == apply.STEP  # nothing changed

    await m.command(ME, "forget")
    await m.press(ME, t("forget-btn-confirm"))
    done = chat.last.text
    assert done.startswith(t("forget-done", list="").split("\n")[0])
    assert "ваше согласие" in done or "законного представителя" in done
    assert PARENT not in done and PARENT_PHONE not in done  # no personal value in the answer
    assert m.cursors[ME].state is None

    async with uow_factory() as uow:
        person = await uow.people.by_tg_id(ME)
        assert person is not None and person.full_name is None
        (application,) = await uow.applications.all_of_person(person.id)
        assert application.status is ApplicationStatus.WITHDRAWN
        assert await uow.applications.answers(application.id) == {}
        consents = await uow.applications.consents(application.id)
        assert consents and all(c.withdrawn_at is not None for c in consents.values())
        assert all(c.representative_phone is None for c in consents.values())
        member = (
            await uow.session.execute(select(TeamMember).where(TeamMember.person_id == person.id))
        ).scalar_one()
        assert member.left_at is not None
        to_team = (
            (
                await uow.session.execute(
                    select(OutgoingMessage).where(OutgoingMessage.chat_id == TEAM_CHAT)
                )
            )
            .scalars()
            .all()
        )
    told = [row.payload.get("text") for row in to_team]
    assert t("team-chat-member-forgotten") in told  # the neutral line, no name
