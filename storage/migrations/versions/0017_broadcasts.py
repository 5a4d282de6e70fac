"""The project office's broadcasts.

`broadcasts` keeps a broadcast's segment, text and optional photo or document, whether it is
urgent (minors get it in quiet hours too), its status (draft, sending, cancelled, done), how
many recipients were queued, where its progress message is shown and the final counts. Its
messages are outbox rows with the subject `broadcast:<id>`.

Revision ID: 0017_broadcasts
Revises: 0016_paper_consents
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_broadcasts"
down_revision: str | None = "0016_paper_consents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column("media_file_id", sa.String(length=256), nullable=True),
        sa.Column("media_messenger", sa.String(length=16), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("deferred", sa.Integer(), nullable=False),
        sa.Column("progress_messenger", sa.String(length=16), nullable=True),
        sa.Column("progress_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_shown", sa.String(length=64), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_broadcasts_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_broadcasts_author_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    op.create_index(op.f("ix_broadcasts_season_id"), "broadcasts", ["season_id"], unique=False)
    op.create_index(op.f("ix_broadcasts_status"), "broadcasts", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_broadcasts_status"), table_name="broadcasts")
    op.drop_index(op.f("ix_broadcasts_season_id"), table_name="broadcasts")
    op.drop_table("broadcasts")
