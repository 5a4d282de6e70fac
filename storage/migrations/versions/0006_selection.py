"""Selection: scores, review notes, decisions, results publication.

Revision ID: 0006_selection
Revises: 0005_team_chats
Create Date: 2026-11-27 15:22:16.881533
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_selection"
down_revision: str | None = "0005_team_chats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "results_publications",
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by"],
            ["people.id"],
            name=op.f("fk_results_publications_published_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_results_publications_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("season_id", name=op.f("pk_results_publications")),
    )
    op.create_table(
        "application_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_scores_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["selection_criteria.id"],
            name=op.f("fk_application_scores_criterion_id_selection_criteria"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["people.id"],
            name=op.f("fk_application_scores_reviewer_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_scores")),
        sa.UniqueConstraint(
            "application_id",
            "reviewer_id",
            "criterion_id",
            name=op.f("uq_application_scores_application_id"),
        ),
    )
    with op.batch_alter_table("application_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_scores_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "review_notes",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column(
            "recommendation",
            sa.Enum(
                "accept", "waitlist", "reject", name="recommendation", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_review_notes_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["people.id"],
            name=op.f("fk_review_notes_reviewer_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("application_id", "reviewer_id", name=op.f("pk_review_notes")),
    )
    op.create_table(
        "selection_decisions",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "accepted", "waitlisted", "rejected", name="decision", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_selection_decisions_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["people.id"],
            name=op.f("fk_selection_decisions_decided_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["project_ideas.id"],
            name=op.f("fk_selection_decisions_idea_id_project_ideas"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_selection_decisions")),
    )


def downgrade() -> None:
    op.drop_table("selection_decisions")
    op.drop_table("review_notes")
    with op.batch_alter_table("application_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_scores_application_id"))

    op.drop_table("application_scores")
    op.drop_table("results_publications")
