"""The office's file upload and /invite through the real Dispatcher: a Telegram document update
is downloaded through getFile and the file server, a broken season file answers with its
problems and their paths and changes nothing, a good sites file is summarised and applied on
«Применить»; /invite answers with a t.me link; a student's forged presses are refused."""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.methods import GetFile
from aiogram.types import Chat, Document, File, Message, Update
from sqlalchemy import func, select

from services.actions import PeopleAdminAction, PeopleAdminVerb, encode
from services.clock import FixedClock
from services.config_upload import stamp_of
from services.i18n import Texts
from storage.models import Site
from tests.dispatcher.harness import Harness, build_harness, user
from tests.example_season import import_example
from tests.unit.test_people_admin_dialog import BROKEN_SEASON, SITES, everything

t = Texts().for_language("ru")
OFFICE, STUDENT = 777, 4343
_ids = itertools.count(900_000)


@pytest.fixture
async def harness(db_url: str, clock: FixedClock, bot_token: str) -> AsyncIterator[Harness]:
    harness = build_harness(
        db_url, clock, bot_token, office_admin_ids=str(OFFICE), throttle_rate_per_second=1000
    )
    yield harness
    await harness.app.engine.dispose()


def serve_file(harness: Harness, content: bytes) -> list[str]:
    """getFile answers with a path, the file server with `content`; the URLs asked for."""
    asked: list[str] = []

    def get_file(method: GetFile) -> File:
        return File(file_id=method.file_id, file_unique_id="u", file_size=len(content),
                    file_path="documents/file_1.yaml")  # fmt: skip

    async def stream(*args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        asked.append(str(kwargs.get("url", args[0] if args else "")))
        yield content

    harness.session.answers["GetFile"] = get_file
    harness.session.stream_content = stream  # type: ignore[method-assign]
    return asked


def document_update(user_id: int, size: int, name: str = "season.yaml") -> Update:
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=Chat(id=user_id, type="private"),
            from_user=user(user_id),
            document=Document(file_id=f"doc{next(_ids)}", file_unique_id="u", file_name=name,
                              mime_type="application/x-yaml", file_size=size),
        ),
    )  # fmt: skip


async def test_a_broken_season_document_lists_its_problems_and_changes_nothing(
    harness: Harness, clock: FixedClock
) -> None:
    await import_example(harness.app.uow_factory, clock)
    await harness.send(OFFICE, "/upload")
    assert harness.session.texts_to(OFFICE)[-1] == t("pa-upload-prompt")
    before = await everything(harness.app.uow_factory)
    content = BROKEN_SEASON.encode()
    asked = serve_file(harness, content)
    await harness.feed(document_update(OFFICE, len(content)))
    assert asked and asked[0].endswith("/documents/file_1.yaml")
    answer = harness.session.texts_to(OFFICE)[-1]
    assert "ideas[0].capacity.students:" in answer and "ideas[0].code:" in answer
    assert t("pa-upload-nothing-changed") in answer
    assert await everything(harness.app.uow_factory) == before


async def test_a_sites_document_is_summarised_then_applied(
    harness: Harness, clock: FixedClock
) -> None:
    await import_example(harness.app.uow_factory, clock)
    await harness.send(OFFICE, "/upload")
    content = SITES.encode()
    serve_file(harness, content)
    await harness.feed(document_update(OFFICE, len(content), "sites.yml"))
    assert t("pa-upload-valid-sites") in harness.session.texts_to(OFFICE)[-1]
    apply = PeopleAdminAction(verb=PeopleAdminVerb.APPLY_FILE, stamp=stamp_of(SITES))
    await harness.press(STUDENT, encode(apply))  # not theirs: refused, nothing written
    assert harness.session.alerts()[-1] == t("error-not-allowed")
    async with harness.app.uow_factory() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Site)) == 0
    await harness.press(OFFICE, encode(apply))
    edited = harness.session.of("EditMessageText")[-1].text
    assert edited.startswith(t("pa-upload-applied-sites"))
    assert "zavod: https://t.me/kadry_test_bot?start=inv_" in edited
    async with harness.app.uow_factory() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Site)) == 1


async def test_too_big_a_document_is_not_downloaded(harness: Harness, clock: FixedClock) -> None:
    await harness.send(OFFICE, "/upload")
    asked = serve_file(harness, b"x")
    await harness.feed(document_update(OFFICE, 5_000_000))
    assert asked == [] and harness.session.of("GetFile") == []
    assert harness.session.texts_to(OFFICE)[-1] == t("pa-upload-too-big", max=1000)


async def test_invite_answers_with_a_link_and_refuses_a_student(
    harness: Harness, clock: FixedClock
) -> None:
    await import_example(harness.app.uow_factory, clock)
    await harness.send(OFFICE, "/invite mentor")
    assert "https://t.me/kadry_test_bot?start=inv_" in harness.session.texts_to(OFFICE)[-1]
    invite = PeopleAdminAction(verb=PeopleAdminVerb.INVITE, role="office")
    await harness.press(STUDENT, encode(invite))
    assert harness.session.alerts()[-1] == t("error-not-allowed")
    await harness.send(STUDENT, "/people Иванов")
    assert harness.session.texts_to(STUDENT)[-1] == t("error-not-allowed")
