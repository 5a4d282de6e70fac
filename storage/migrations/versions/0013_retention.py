"""Retention: applications not accepted are erased N days after the season's results.

`seasons.retention_days_after_results` (90 by default) is the period; `applications.erased_at`
marks an application whose applicant's data the retention job erased, so the daily job erases
each once.

Revision ID: 0013_retention
Revises: 0012_account_active
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_retention"
down_revision: str | None = "0012_account_active"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("seasons") as batch:
        batch.add_column(
            sa.Column(
                "retention_days_after_results",
                sa.Integer(),
                nullable=False,
                server_default=sa.text("90"),
            )
        )
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("seasons") as batch:
        batch.drop_column("retention_days_after_results")
