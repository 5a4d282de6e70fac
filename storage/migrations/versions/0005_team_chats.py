"""teams: chat binding, member chat state and contact opt-in; project passport; roadmap

Revision ID: 0005_team_chats
Revises: 0004_bookings
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_team_chats"
down_revision: str | None = "0004_bookings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "project_passports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=True),
        sa.Column("tasks", sa.Text(), nullable=True),
        sa.Column("results", sa.Text(), nullable=True),
        sa.Column("resources", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "returned",
                "approved",
                name="reviewstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("return_comment", sa.String(length=1000), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["people.id"],
            name=op.f("fk_project_passports_decided_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["people.id"],
            name=op.f("fk_project_passports_submitted_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_project_passports_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_passports")),
        sa.UniqueConstraint("team_id", name=op.f("uq_project_passports_team_id")),
    )
    op.create_table(
        "roadmap_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "returned",
                "approved",
                name="reviewstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("report_kind", sa.String(length=16), nullable=True),
        sa.Column("report_text", sa.Text(), nullable=True),
        sa.Column("report_file_id", sa.String(length=255), nullable=True),
        sa.Column("return_comment", sa.String(length=1000), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["people.id"],
            name=op.f("fk_roadmap_stages_created_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["people.id"],
            name=op.f("fk_roadmap_stages_decided_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["people.id"],
            name=op.f("fk_roadmap_stages_submitted_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_roadmap_stages_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_stages")),
    )
    with op.batch_alter_table("roadmap_stages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roadmap_stages_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_contact", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "chat_state",
                sa.Enum(
                    "invited",
                    "approved",
                    "joined",
                    "left",
                    "removed",
                    name="chatstate",
                    native_enum=False,
                    length=16,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("invite_link", sa.String(length=128), nullable=True))

    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chat_title", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("chat_bound_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("source_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_teams_chat_id"), ["chat_id"])
        batch_op.create_unique_constraint(
            batch_op.f("uq_teams_season_id"), ["season_id", "source_key"]
        )


def downgrade() -> None:

    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_teams_season_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_teams_chat_id"), type_="unique")
        batch_op.drop_column("source_key")
        batch_op.drop_column("chat_bound_at")
        batch_op.drop_column("chat_title")

    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_column("invite_link")
        batch_op.drop_column("chat_state")
        batch_op.drop_column("share_contact")

    with op.batch_alter_table("roadmap_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roadmap_stages_team_id"))

    op.drop_table("roadmap_stages")
    op.drop_table("project_passports")
