"""The start and end surveys (whether youth stay).

`survey_waves`: when the office opened a season's wave (start, end). `survey_answers`: one
answer per person, season, wave and question (None: skipped).

Revision ID: 0018_surveys
Revises: 0017_broadcasts
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_surveys"
down_revision: str | None = "0017_broadcasts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_waves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("wave", sa.String(length=8), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["season_id"], ["seasons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("season_id", "wave"),
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("wave", sa.String(length=8), nullable=False),
        sa.Column("question", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["season_id"], ["seasons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "season_id", "wave", "question"),
    )
    op.create_index("ix_survey_answers_person_id", "survey_answers", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_survey_answers_person_id", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_table("survey_waves")
