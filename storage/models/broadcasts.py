"""The project office's broadcasts: what is sent to whom, and where its progress is shown.

The messages themselves are outbox rows (subject `broadcast:<id>`), written at confirmation in
the same transaction that moves the broadcast from draft to sending; what became of them is
counted from those rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import BroadcastStatus, Messenger
from storage.models.base import Base, str_enum


class Broadcast(Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int | None] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # Who gets it: {"segment": "students", "filter": "municipality", "value": 3}.
    spec: Mapped[dict[str, Any]]
    text: Mapped[str | None] = mapped_column(Text)
    # An optional photo or document, by its id on the messenger it was sent from.
    media_kind: Mapped[str | None] = mapped_column(String(16))
    media_file_id: Mapped[str | None] = mapped_column(String(256))
    media_messenger: Mapped[Messenger | None] = mapped_column(str_enum(Messenger))
    # Urgent: minors get it in quiet hours too.
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[BroadcastStatus] = mapped_column(
        str_enum(BroadcastStatus), default=BroadcastStatus.DRAFT, index=True
    )
    total: Mapped[int] = mapped_column(Integer, default=0)  # recipients queued
    deferred: Mapped[int] = mapped_column(Integer, default=0)  # minors moved to the morning
    # Where the progress message is: the author's chat; the message itself is the outbox row
    # with dedupe key `broadcast-progress:<id>`.
    progress_messenger: Mapped[Messenger | None] = mapped_column(str_enum(Messenger))
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_shown: Mapped[str | None] = mapped_column(String(64))  # the counts last shown
    # The counts at the end: sent, failed, blocked, uncertain, cancelled.
    report: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
