"""A parent's consent on paper: the photo of the signed form and the project office's decision.

`paper_consents` keeps the messenger's reference to the photo a child sent of their parent's
signed consent form, its status (waiting, approved, refused) and who in the office decided and
when. A representative's consent row approved from paper names that row.

Revision ID: 0016_paper_consents
Revises: 0015_parent_links
Create Date: 2026-12-07 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_paper_consents"
down_revision: str | None = "0015_parent_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "paper_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("messenger", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.String(length=256), nullable=False),
        sa.Column("file_kind", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_paper_consents_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_paper_consents_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_consents")),
    )
    op.create_index(
        op.f("ix_paper_consents_application_id"),
        "paper_consents",
        ["application_id"],
        unique=False,
    )
    with op.batch_alter_table("consents") as batch:
        batch.add_column(sa.Column("paper_consent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_consents_paper_consent_id_paper_consents"),
            "paper_consents",
            ["paper_consent_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.drop_constraint(
            op.f("fk_consents_paper_consent_id_paper_consents"), type_="foreignkey"
        )
        batch.drop_column("paper_consent_id")
    op.drop_index(op.f("ix_paper_consents_application_id"), table_name="paper_consents")
    op.drop_table("paper_consents")
