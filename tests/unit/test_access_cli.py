"""The office's CLI for access, run in-process through the entry function: `invite list`,
`invite revoke CODE`, `role list`, `role revoke TG_ID ROLE`."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from services.clock import SystemClock
from services.container import ServiceConfig, Services
from services.domain import Role
from services.i18n import Texts
from storage.db import create_engine, create_session_factory
from storage.uow import UnitOfWorkFactory

ADMIN = 777


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("BOT_TOKEN", "123456:TEST-token")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("OFFICE_ADMIN_IDS", str(ADMIN))
    return url


def _seed(url: str) -> str:
    """An open mentor link and a mentor (who opened another); the settings admin wrote once."""

    async def run() -> str:
        engine = create_engine(url)
        try:
            factory = UnitOfWorkFactory(create_session_factory(engine))
            config = ServiceConfig(office_admin_ids=frozenset({ADMIN}))
            async with factory() as uow:
                services = Services(uow, SystemClock(), Texts(), config)
                [open_link] = await services.invitations.create(Role.MENTOR, label="для Ивана")
                [used] = await services.invitations.create(Role.MENTOR)
                mentor = await services.people.identify(1001, "ru")
                await services.invitations.redeem(mentor, used, "Ирина Петрова", "irina")
                await services.people.identify(ADMIN, "ru")
            return open_link
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_the_cli_lists_and_revokes_invitations_and_roles(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_link = _seed(database_url)

    assert main(["invite", "list"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{open_link}\tmentor\t-\texpires ") and line.endswith("\tдля Ивана")

    assert main(["role", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "777\toffice\t-\t-\tfrom OFFICE_ADMIN_IDS (revoke there)",
        "1001\tmentor\t-\tИрина Петрова @irina",
    ]

    assert main(["invite", "revoke", f"https://t.me/kadry_bot?start={open_link}"]) == 0
    assert main(["invite", "revoke", open_link]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "invitation revoked",
        "invitation was already revoked",
    ]

    assert main(["role", "revoke", "1001", "mentor"]) == 0
    assert main(["role", "revoke", "1001", "mentor"]) == 1  # nothing left to revoke
    assert main(["role", "revoke", str(ADMIN), "office"]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "revoked mentor from 1001 (1 grant(s))",
        "1001 holds no mentor role to revoke",
    ]
    assert "OFFICE_ADMIN_IDS" in captured.err
