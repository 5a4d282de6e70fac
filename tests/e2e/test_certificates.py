"""Certificates end to end: the bot process against the Bot API emulator. A student whose
application was accepted and who is in a team finished the season; a second applicant, not
accepted, did not. The office sends /certificates; the student receives a PDF that opens with
pypdf and carries their Cyrillic name; /verify of its code from another account says it is
genuine and for whom; a made-up code is not found; the unfinished applicant got no file.

The finished student is an adult (their age group says so): their PDF goes at once, whatever the
hour the test runs at. A second finished student is 14: their PDF waits in the outbox for the
end of the season's quiet hours when issued at night — the test checks the row's `not_before`
against the season's policy and, by day, that the file arrived."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from services.clock import FixedClock
from services.domain import ApplicationStatus, TeamRole
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.models import OutgoingMessage, Team
from storage.uow import UnitOfWorkFactory
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_defence import due_as_the_night_allows
from tests.e2e.test_teams import Chats
from tests.selection_world import OFFICE, add_applicant, build_world
from tests.texts import fragment, said

FINISHED, UNFINISHED, STRANGER, TEEN = 8501, 8502, 8503, 8504
NAME = "Иванова Мария Сергеевна"


async def _seed(url: str) -> None:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        clock = FixedClock(datetime.now(UTC))
        world = await build_world(factory, clock)
        accepted = [
            await add_applicant(
                factory,
                clock,
                world,
                tg_id,
                ["peat-monitor"],
                media=False,
                answers={"full_name": name, "age_group": age},
            )
            for tg_id, name, age in ((FINISHED, NAME, "adult"), (TEEN, "Петров Пётр", "teen"))
        ]
        await add_applicant(factory, clock, world, UNFINISHED, ["space-sat"], media=False)
        now = clock.now()
        async with factory() as uow:
            team = await uow.teams.add(
                Team(season_id=world.season_id, name="Торфяной мониторинг", code="peat-team",
                     source_key=f"idea:{world.ideas['peat-monitor']}", created_at=now)
            )  # fmt: skip
            for application, tg_id in zip(accepted, (FINISHED, TEEN), strict=True):
                await uow.applications.transition(
                    application, [ApplicationStatus.SUBMITTED], ApplicationStatus.ACCEPTED, now
                )
                await uow.teams.add_member(team.id, world.people[tg_id], TeamRole.STUDENT, now)
            await uow.commit()
    finally:
        await engine.dispose()


def _pdfs(emulator: BotApiEmulator, chat_id: int) -> list[bytes]:
    return [
        upload.data
        for call in emulator.calls("sendDocument")
        if str(call.params.get("chat_id")) == str(chat_id)
        for upload in call.files.values()
        if upload.filename == "certificate.pdf"
    ]


async def test_certificate_pdf_and_verify(
    emulator: BotApiEmulator, start_bot: StartBot, bot_env: dict[str, str]
) -> None:
    await _seed(bot_env["DATABASE_URL"])
    for user_id in (OFFICE, FINISHED, UNFINISHED, STRANGER, TEEN):
        emulator.user(user_id)
    chats = Chats(emulator)
    await start_bot(THROTTLE_RATE_PER_SECOND=1000)

    issued = await chats.say(OFFICE, "/certificates", said("cert-issued", issued=2, already=0))
    [data] = await emulator.wait_for(lambda: _pdfs(emulator, FINISHED), 30)
    by_day = await _teen_not_at_night(emulator, bot_env["DATABASE_URL"], issued["text"])
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert NAME in text
    assert "Торфяной мониторинг" in text
    match = re.search(r"([2-9A-HJ-NP-Z]{4})-([2-9A-HJ-NP-Z]{4})-([2-9A-HJ-NP-Z]{2})", text)
    assert match is not None
    code = match.group(0)

    # Anyone verifies it (lower case and spaces are fine); a made-up code is not found.
    reply = await chats.say(STRANGER, f"/verify {code.lower().replace('-', ' ')}", NAME)
    assert fragment("cert-verify-ok") in reply["text"]
    fake = "ABCD-EFGH-JK" if code != "ABCDEFGHJK" else "ZZZZ-ZZZZ-ZZ"
    await chats.say(STRANGER, f"/verify {fake}", said("cert-verify-not-found"))

    # Issuing again gives nobody a second one; the applicant not accepted has none.
    await chats.say(OFFICE, "/certificates", said("cert-issued", issued=0, already=2))
    assert _pdfs(emulator, UNFINISHED) == []
    assert len(_pdfs(emulator, FINISHED)) == 1
    assert len(_pdfs(emulator, TEEN)) == int(by_day)


async def _teen_not_at_night(emulator: BotApiEmulator, url: str, told: str) -> bool:
    """The 14-year-old's PDF is due as the night allows; by day it arrives; the office reads
    how many wait. True when it was queued by day."""
    by_day = await due_as_the_night_allows(
        url, OutgoingMessage.chat_id == TEEN, OutgoingMessage.kind == "file"
    )
    if by_day:
        await emulator.wait_for(lambda: _pdfs(emulator, TEEN), 30)
        assert fragment("cert-issued-waiting") not in told
    else:
        assert said("cert-issued-waiting", waiting=1) in told
        assert _pdfs(emulator, TEEN) == []
    return by_day
