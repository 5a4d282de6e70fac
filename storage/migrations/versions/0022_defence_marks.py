"""The jurors' comments on teams and the office's marks on a team's project.

`defence_comments` (one per juror and team, the juror's text) and `defence_marks` (per season
and team: recommended to the region head, the federal level, the startup track).

Revision ID: 0022_defence_marks
Revises: 0021_defence
Create Date: 2026-12-07 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_defence_marks"
down_revision: str | None = "0021_defence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "defence_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _fk("defence_comments", "session_id", "defence_sessions", "CASCADE"),
        _fk("defence_comments", "juror_id", "people", "CASCADE"),
        _fk("defence_comments", "team_id", "teams", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defence_comments")),
        sa.UniqueConstraint("juror_id", "team_id", name=op.f("uq_defence_comments_juror_id")),
    )
    for column in ("session_id", "juror_id", "team_id"):
        op.create_index(op.f(f"ix_defence_comments_{column}"), "defence_comments", [column])
    op.create_table(
        "defence_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("region_head", sa.Boolean(), nullable=False),
        sa.Column("federal", sa.Boolean(), nullable=False),
        sa.Column("startup", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("defence_marks", "season_id", "seasons", "CASCADE"),
        _fk("defence_marks", "team_id", "teams", "CASCADE"),
        _fk("defence_marks", "updated_by", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defence_marks")),
        sa.UniqueConstraint("season_id", "team_id", name=op.f("uq_defence_marks_season_id")),
    )
    op.create_index(op.f("ix_defence_marks_season_id"), "defence_marks", ["season_id"])
    op.create_index(op.f("ix_defence_marks_team_id"), "defence_marks", ["team_id"])


def downgrade() -> None:
    op.drop_table("defence_marks")
    op.drop_table("defence_comments")
