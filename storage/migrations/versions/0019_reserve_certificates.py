"""Certificates and the talent reserve.

Certificates of a finished season (verification code, coursework mark) and the talent reserve
(nominations with a reason and the person's separate consent to share).

Revision ID: 0019_reserve_certificates
Revises: 0018_surveys
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0019_reserve_certificates"
down_revision: str | None = "0018_surveys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _person_and_season(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f(f"fk_{table}_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"], ["seasons.id"], name=op.f(f"fk_{table}_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "certificates",
        *_person_and_season("certificates"),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("coursework", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("person_id", "season_id", name=op.f("uq_certificates_person_id")),
    )
    op.create_index(op.f("ix_certificates_person_id"), "certificates", ["person_id"])
    op.create_table(
        "reserve_nominations",
        *_person_and_season("reserve_nominations"),
        sa.Column("nominated_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["nominated_by"], ["people.id"],
            name=op.f("fk_reserve_nominations_nominated_by_people"), ondelete="SET NULL",
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_reserve_nominations_person_id"), "reserve_nominations", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_reserve_nominations_person_id"), table_name="reserve_nominations")
    op.drop_table("reserve_nominations")
    op.drop_index(op.f("ix_certificates_person_id"), table_name="certificates")
    op.drop_table("certificates")
