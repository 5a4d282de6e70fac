"""Running Alembic from code: `python -m bot migrate`, start-up, and the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

from storage.db import normalize_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", normalize_url(database_url).replace("%", "%%"))
    return config


def _in_own_thread(function: Callable[[], None]) -> None:
    """Alembic's env.py runs its own event loop, which cannot start inside a running one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(function).result()


def upgrade(database_url: str, revision: str = "head") -> None:
    _in_own_thread(lambda: command.upgrade(alembic_config(database_url), revision))


def downgrade(database_url: str, revision: str) -> None:
    _in_own_thread(lambda: command.downgrade(alembic_config(database_url), revision))


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, database_url, revision)
