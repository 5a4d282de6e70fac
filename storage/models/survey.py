"""The programme's own measure of whether youth stay: the start and end surveys.

`survey_waves` records when the office opened a wave (start, end) of a season; an answer is
taken only while its wave is open. `survey_answers` holds one answer per person, season, wave
and question (value None: skipped). Questions are defined in code (services/survey/questions.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SurveyWave(Base):
    __tablename__ = "survey_waves"
    __table_args__ = (UniqueConstraint("season_id", "wave"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    wave: Mapped[str] = mapped_column(String(8))  # start | end
    opened_at: Mapped[datetime]


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("person_id", "season_id", "wave", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    wave: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(String(16))
    value: Mapped[str | None] = mapped_column(String(16))  # None: skipped
    answered_at: Mapped[datetime]
