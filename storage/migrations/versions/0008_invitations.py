"""Invitations expire (a season setting) and can be revoked by the office.

Links made before this revision never expired; the unused ones get the default validity,
counted from the upgrade, so that a leaked old link stops working without cutting off a
mentor who is about to open theirs today.

Revision ID: 0008_invitations
Revises: 0007_outbox_subject
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0008_invitations"
down_revision: str | None = "0007_outbox_subject"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_INVITATION_DAYS = 14


def upgrade() -> None:
    with op.batch_alter_table("season_settings") as batch:
        batch.add_column(
            sa.Column(
                "invitation_valid_days",
                sa.Integer(),
                nullable=False,
                server_default=str(DEFAULT_INVITATION_DAYS),
            )
        )
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))

    deadline = datetime.now(UTC) + timedelta(days=DEFAULT_INVITATION_DAYS)
    if op.get_bind().dialect.name == "sqlite":
        deadline = deadline.replace(tzinfo=None)  # SQLite keeps naive UTC (storage/types.py)
    invitations = sa.table(
        "invitations",
        sa.column("expires_at", sa.DateTime(timezone=True)),
        sa.column("used_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        invitations.update()
        .where(invitations.c.expires_at.is_(None), invitations.c.used_at.is_(None))
        .values(expires_at=deadline)
    )


def downgrade() -> None:
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("revoked_at")
    with op.batch_alter_table("season_settings") as batch:
        batch.drop_column("invitation_valid_days")
