"""The public defence with a jury.

`defence_sessions` (season, code, place, start, status open/closed), `defence_criteria` (the
season's criteria with weights), `defence_jurors` (who scores in a session), `defence_slots`
(a team's time in a session), `defence_presentations` (a team's final presentation, before
the session's `presentation_due`), `defence_scores` (one per juror, team and criterion) and
`defence_publications` (the season's results sent once).

Revision ID: 0021_defence
Revises: 0020_events
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_defence"
down_revision: str | None = "0020_events"
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
        "defence_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("presentation_due", sa.DateTime(timezone=True), nullable=True),
        _fk("defence_sessions", "season_id", "seasons", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defence_sessions")),
        sa.UniqueConstraint("season_id", "code", name=op.f("uq_defence_sessions_season_id")),
    )
    op.create_index(op.f("ix_defence_sessions_season_id"), "defence_sessions", ["season_id"])
    op.create_table(
        "defence_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("defence_criteria", "season_id", "seasons", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defence_criteria")),
        sa.UniqueConstraint("season_id", "code", name=op.f("uq_defence_criteria_season_id")),
    )
    op.create_index(op.f("ix_defence_criteria_season_id"), "defence_criteria", ["season_id"])
    op.create_table(
        "defence_jurors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _fk("defence_jurors", "session_id", "defence_sessions", "CASCADE"),
        _fk("defence_jurors", "person_id", "people", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defence_jurors")),
        sa.UniqueConstraint("session_id", "person_id", name=op.f("uq_defence_jurors_session_id")),
    )
    op.create_index(op.f("ix_defence_jurors_session_id"), "defence_jurors", ["session_id"])
    op.create_index(op.f("ix_defence_jurors_person_id"), "defence_jurors", ["person_id"])
    op.create_table(
        "defence_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        _fk("defence_slots", "session_id", "defence_sessions", "CASCADE"),
        _fk("defence_slots", "team_id", "teams", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defence_slots")),
        sa.UniqueConstraint("session_id", "team_id", name=op.f("uq_defence_slots_session_id")),
    )
    op.create_index(op.f("ix_defence_slots_session_id"), "defence_slots", ["session_id"])
    op.create_index(op.f("ix_defence_slots_team_id"), "defence_slots", ["team_id"])
    op.create_table(
        "defence_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("defence_scores", "session_id", "defence_sessions", "CASCADE"),
        _fk("defence_scores", "juror_id", "people", "CASCADE"),
        _fk("defence_scores", "team_id", "teams", "CASCADE"),
        _fk("defence_scores", "criterion_id", "defence_criteria", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defence_scores")),
        sa.UniqueConstraint(
            "juror_id", "team_id", "criterion_id", name=op.f("uq_defence_scores_juror_id")
        ),
    )
    op.create_index(op.f("ix_defence_scores_session_id"), "defence_scores", ["session_id"])
    op.create_index(op.f("ix_defence_scores_team_id"), "defence_scores", ["team_id"])
    op.create_table(
        "defence_presentations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=256), nullable=False),
        sa.Column("messenger", sa.String(length=16), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("defence_presentations", "team_id", "teams", "CASCADE"),
        _fk("defence_presentations", "uploaded_by", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defence_presentations")),
        sa.UniqueConstraint("team_id", name=op.f("uq_defence_presentations_team_id")),
    )
    op.create_table(
        "defence_publications",
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.Integer(), nullable=True),
        _fk("defence_publications", "season_id", "seasons", "CASCADE"),
        _fk("defence_publications", "published_by", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("season_id", name=op.f("pk_defence_publications")),
    )


def downgrade() -> None:
    op.drop_table("defence_publications")
    op.drop_table("defence_presentations")
    op.drop_table("defence_scores")
    op.drop_table("defence_slots")
    op.drop_table("defence_jurors")
    op.drop_table("defence_criteria")
    op.drop_table("defence_sessions")
