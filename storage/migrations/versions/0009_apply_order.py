"""Applications: the age group a student answers before consent, derived for earlier drafts.

The questionnaire now asks a student's age group (under the season's threshold / up to the
adult age / adult) before consent, so that it asks only the consents that group needs. A
student application that already has a birth date gets the group that date gave on the day
it was answered, in the season's zone; one without a birth date is asked when it is opened.
Data only: no table changes.

Revision ID: 0009_apply_order
Revises: 0008_invitations
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0009_apply_order"
down_revision: str | None = "0008_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

answers = sa.table(
    "application_answers",
    sa.column("application_id", sa.Integer()),
    sa.column("step", sa.String()),
    sa.column("value", sa.Text()),
    sa.column("answered_at", sa.DateTime(timezone=True)),
)


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def upgrade() -> None:
    rows = op.get_bind().execute(
        sa.text(
            """
            SELECT a.id, b.value, b.answered_at, s.timezone,
                   c.representative_only_under, c.adult_age
            FROM applications a
            JOIN application_answers b ON b.application_id = a.id AND b.step = 'birth_date'
            JOIN seasons s ON s.id = a.season_id
            JOIN season_settings c ON c.season_id = a.season_id
            WHERE a.role = 'student' AND NOT EXISTS (
                SELECT 1 FROM application_answers g
                WHERE g.application_id = a.id AND g.step = 'age_group'
            )
            """
        ).columns(answered_at=sa.DateTime(timezone=True))
    )
    found = []
    for application_id, birth, answered_at, zone, threshold, adult in rows:
        moment: datetime = answered_at if answered_at.tzinfo else answered_at.replace(tzinfo=UTC)
        age = _age(date.fromisoformat(birth), moment.astimezone(ZoneInfo(zone)).date())
        group = "child" if age < threshold else "teen" if age < adult else "adult"
        found.append(
            {"application_id": application_id, "step": "age_group", "value": group,
             "answered_at": moment}
        )  # fmt: skip
    if found:
        op.bulk_insert(answers, found)


def downgrade() -> None:
    op.execute(answers.delete().where(answers.c.step == "age_group"))
