"""Blocking is per account: `accounts.is_active`.

A person who blocked the bot on MAX may still use it on Telegram (and the other way round), so
the transport's "blocked" marks the account it came from, not the person. `people.is_active`
stays, now derived: True while any account of theirs is active (storage/repositories/people.py
keeps it so). Until now a block marked the person, on whichever messenger: every account of a
person inactive today starts inactive; writing from one reactivates it.

Another branch may add its own 0011 at the same time: this one names itself `0011_account_active`
and follows the head it was written on (0010_accounts); a merge renumbers whichever comes second.

Revision ID: 0011_account_active
Revises: 0010_accounts
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_account_active"
down_revision: str | None = "0010_accounts"
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
