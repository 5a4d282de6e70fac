"""People are known per messenger: accounts, link codes, the messenger of an outbox row.

A person had one Telegram id (`people.tg_id`); now each messenger account (Telegram, MAX) is a
row of `accounts`, and a person who uses both links them with a one-time code (`link_codes`).
Every existing person gets their Telegram account (on Telegram a private chat's id is the
user's id). `people.tg_id` stays, nullable (a person only on MAX has none), while staff
commands and team chats still name people by it. `people.preferred_messenger` is where they
are reached; `outgoing_messages.messenger` says which sender delivers a row.

Revision ID: 0010_accounts
Revises: 0009_apply_order
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010_accounts"
down_revision: str | None = "0009_apply_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("messenger", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_accounts_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("messenger", "user_id", name=op.f("uq_accounts_messenger")),
    )
    op.create_index(op.f("ix_accounts_person_id"), "accounts", ["person_id"], unique=False)
    op.create_table(
        "link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("messenger", sa.String(length=16), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_link_codes_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_link_codes_code_hash")),
    )
    op.create_index(op.f("ix_link_codes_person_id"), "link_codes", ["person_id"], unique=False)
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column(
                "preferred_messenger",
                sa.String(length=16),
                nullable=False,
                server_default="telegram",
            )
        )
        batch.alter_column("tg_id", existing_type=sa.BigInteger(), nullable=True)
    with op.batch_alter_table("outgoing_messages") as batch:
        batch.add_column(
            sa.Column("messenger", sa.String(length=16), nullable=False, server_default="telegram")
        )

    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite keeps naive UTC (storage/types.py)
    op.get_bind().execute(
        sa.text(
            "INSERT INTO accounts"
            " (person_id, messenger, user_id, chat_id, created_at, last_seen_at)"
            " SELECT id, 'telegram', tg_id, tg_id, :now, :now FROM people"
            " WHERE tg_id IS NOT NULL"
        ),
        {"now": now},
    )


def downgrade() -> None:
    # A person only on MAX has no Telegram id to go back to: they cannot be kept.
    op.execute("DELETE FROM people WHERE tg_id IS NULL")
    with op.batch_alter_table("outgoing_messages") as batch:
        batch.drop_column("messenger")
    with op.batch_alter_table("people") as batch:
        batch.alter_column("tg_id", existing_type=sa.BigInteger(), nullable=False)
        batch.drop_column("preferred_messenger")
    op.drop_index(op.f("ix_link_codes_person_id"), table_name="link_codes")
    op.drop_table("link_codes")
    op.drop_index(op.f("ix_accounts_person_id"), table_name="accounts")
    op.drop_table("accounts")
