"""The access audit: who on the staff opened a child's card, media or an export, and when.

Revision ID: 0014_access_audit
Revises: 0013_retention
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_access_audit"
down_revision: str | None = "0013_retention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_audit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_person_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["people.id"],
            name=op.f("fk_access_audit_staff_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subject_person_id"],
            ["people.id"],
            name=op.f("fk_access_audit_subject_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_access_audit_application_id_applications"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_audit")),
    )
    op.create_index(op.f("ix_access_audit_staff_id"), "access_audit", ["staff_id"], unique=False)
    op.create_index(
        op.f("ix_access_audit_subject_person_id"),
        "access_audit",
        ["subject_person_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_access_audit_subject_person_id"), table_name="access_audit")
    op.drop_index(op.f("ix_access_audit_staff_id"), table_name="access_audit")
    op.drop_table("access_audit")
