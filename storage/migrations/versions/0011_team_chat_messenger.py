"""Team chats on MAX: the messenger of a team's chat.

A team's chat may be a MAX group: `teams.chat_messenger` says on which messenger `teams.chat_id`
is (every chat bound so far is a Telegram group).

Revision ID: 0011_team_chat_messenger
Revises: 0010_accounts
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_team_chat_messenger"
down_revision: str | None = "0010_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.add_column(
            sa.Column(
                "chat_messenger", sa.String(length=16), nullable=False, server_default="telegram"
            )
        )


def downgrade() -> None:
    # A MAX group cannot be a Telegram chat id: those teams lose their binding.
    op.execute("UPDATE teams SET chat_id = NULL, chat_title = NULL WHERE chat_messenger = 'max'")
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("chat_messenger")
