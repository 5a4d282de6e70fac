"""Outbox: what a message is about (its subject), so it can be retracted later.

Revision ID: 0007_outbox_subject
Revises: 0006_selection
Create Date: 2026-12-07 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_outbox_subject"
down_revision: str | None = "0006_selection"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outgoing_messages") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=64), nullable=True))
        batch.create_index("ix_outgoing_messages_subject", ["subject"])


def downgrade() -> None:
    with op.batch_alter_table("outgoing_messages") as batch:
        batch.drop_index("ix_outgoing_messages_subject")
        batch.drop_column("subject")
