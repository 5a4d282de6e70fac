"""A parent consents from their own account: one-time links, and whose account confirmed.

`parent_links` keeps a minor's application's one-time link for the parent (the code only as a
hash), when it expires, when it was used and by which account. A representative's consent row
names the parent's own account and the link it came through.

Revision ID: 0015_parent_links
Revises: 0014_access_audit
Create Date: 2026-12-07 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_parent_links"
down_revision: str | None = "0014_access_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parent_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("parent_messenger", sa.String(length=16), nullable=True),
        sa.Column("parent_user_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_parent_links_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parent_links")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_parent_links_code_hash")),
    )
    op.create_index(
        op.f("ix_parent_links_application_id"), "parent_links", ["application_id"], unique=False
    )
    with op.batch_alter_table("consents") as batch:
        batch.add_column(sa.Column("parent_messenger", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("parent_user_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("parent_link_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_consents_parent_link_id_parent_links"),
            "parent_links",
            ["parent_link_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.drop_constraint(op.f("fk_consents_parent_link_id_parent_links"), type_="foreignkey")
        batch.drop_column("parent_link_id")
        batch.drop_column("parent_user_id")
        batch.drop_column("parent_messenger")
    op.drop_index(op.f("ix_parent_links_application_id"), table_name="parent_links")
    op.drop_table("parent_links")
