"""Events of the season: the summer school and others.

`events` (title, place, first and last agenda times), `event_items` (the agenda),
`event_invitations` (who is invited, their answer «Буду»/«Не смогу» and when), `event_checkins`
(who came, when, by a code or the organiser's roster; one per person per event) and
`event_codes` (the check-in codes' hashes and how long each is valid). Invitations, reminders
and change notices are outbox rows.

Revision ID: 0020_events
Revises: 0019_reserve_certificates
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_events"
down_revision: str | None = "0019_reserve_certificates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _person_rows(table: str) -> None:
    op.create_index(op.f(f"ix_{table}_event_id"), table, ["event_id"], unique=False)
    op.create_index(op.f(f"ix_{table}_person_id"), table, ["person_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("ends_at", TS, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        _fk("events", "season_id", "seasons", "CASCADE"),
        _fk("events", "created_by", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_season_id"), "events", ["season_id"], unique=False)
    op.create_table(
        "event_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        _fk("event_items", "event_id", "events", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_items")),
    )
    op.create_index(op.f("ix_event_items_event_id"), "event_items", ["event_id"], unique=False)
    op.create_table(
        "event_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("invited_at", TS, nullable=False),
        _fk("event_invitations", "event_id", "events", "CASCADE"),
        _fk("event_invitations", "person_id", "people", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_invitations")),
        sa.UniqueConstraint("event_id", "person_id", name=op.f("uq_event_invitations_event_id")),
    )
    _person_rows("event_invitations")
    op.create_table(
        "event_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("how", sa.String(length=8), nullable=False),
        sa.Column("marked_by", sa.Integer(), nullable=True),
        _fk("event_checkins", "event_id", "events", "CASCADE"),
        _fk("event_checkins", "person_id", "people", "CASCADE"),
        _fk("event_checkins", "marked_by", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_checkins")),
        sa.UniqueConstraint("event_id", "person_id", name=op.f("uq_event_checkins_event_id")),
    )
    _person_rows("event_checkins")
    op.create_table(
        "event_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("valid_until", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        _fk("event_codes", "event_id", "events", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_codes")),
    )
    op.create_index(op.f("ix_event_codes_event_id"), "event_codes", ["event_id"], unique=False)
    op.create_index(op.f("ix_event_codes_code_hash"), "event_codes", ["code_hash"], unique=False)


def downgrade() -> None:
    op.drop_table("event_codes")
    op.drop_table("event_checkins")
    op.drop_table("event_invitations")
    op.drop_table("event_items")
    op.drop_table("events")
