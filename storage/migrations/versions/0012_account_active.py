"""Blocking is per account: `accounts.is_active`.

A person who blocked the bot on MAX may still use it on Telegram (and the other way round), so
the transport's "blocked" marks the account it came from, not the person. `people.is_active`
stays, now derived: True while any account of theirs is active (storage/repositories/people.py
keeps it so). Until now a block marked the person, on whichever messenger: every account of a
person inactive today starts inactive; writing from one reactivates it.

Revision ID: 0012_account_active
Revises: 0011_team_chat_messenger
Create Date: 2026-12-07 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_account_active"
down_revision: str | None = "0011_team_chat_messenger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.execute(
        "UPDATE accounts SET is_active = false"
        " WHERE person_id IN (SELECT id FROM people WHERE NOT is_active)"
    )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("is_active")
