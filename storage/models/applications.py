"""Applications to a season: consents, the application, its answers, the self-presentation media
and the ranked project ideas.

Every questionnaire answer is its own row, written the moment it is given (one row per step,
unique per application), so the FSM state is only a cursor and a restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.domain import ApplicationStatus, ConsentKind, Messenger, PaperStatus, Role
from storage.models.base import Base, str_enum


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("season_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[Role | None] = mapped_column(str_enum(Role))
    status: Mapped[ApplicationStatus] = mapped_column(
        str_enum(ApplicationStatus), default=ApplicationStatus.DRAFT
    )
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    # Set when the retention job erased the applicant's data (services/retention.py).
    erased_at: Mapped[datetime | None]


class Consent(Base):
    """Consent to the processing of personal data: who gave it, for whom, when, which text.

    `kind = applicant` is the applicant's own confirmation; `kind = representative` is a legal
    representative's, with their name, relation and phone (given_at stays empty until the
    representative confirms). `valid` says whether the row is a legal basis: under the season's
    age threshold only the representative's consent is.
    """

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    consent_text_id: Mapped[int] = mapped_column(ForeignKey("consent_texts.id"))
    kind: Mapped[ConsentKind] = mapped_column(str_enum(ConsentKind))
    text_version: Mapped[str] = mapped_column(String(32))
    representative_name: Mapped[str | None] = mapped_column(String(200))
    representative_relation: Mapped[str | None] = mapped_column(String(64))
    representative_phone: Mapped[str | None] = mapped_column(String(16))
    given_at: Mapped[datetime | None]
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    withdrawn_at: Mapped[datetime | None]
    # A representative who confirmed from their own account (services/applications/parents.py):
    # which account, and the one-time link they opened. Empty when the child pressed for them.
    parent_messenger: Mapped[Messenger | None] = mapped_column(str_enum(Messenger))
    parent_user_id: Mapped[int | None] = mapped_column(BigInteger)
    parent_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("parent_links.id", ondelete="SET NULL")
    )
    # A representative's consent given on paper: the photo of the signed form the project office
    # approved (services/applications/paper.py).
    paper_consent_id: Mapped[int | None] = mapped_column(
        ForeignKey("paper_consents.id", ondelete="SET NULL")
    )


class ParentLink(Base):
    """A one-time link a minor's parent opens from their own account to consent.

    Only the code's hash is kept; the link works once (`used_at`) and until `expires_at`, and
    once used names the parent's account that used it.
    """

    __tablename__ = "parent_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    parent_messenger: Mapped[Messenger | None] = mapped_column(str_enum(Messenger))
    parent_user_id: Mapped[int | None] = mapped_column(BigInteger)


class PaperConsent(Base):
    """A photo of a parent's signed paper consent form, sent by the child (a family without a
    messenger), and the project office's decision on it.

    `file_id` is the messenger's reference to the photo (`messenger` says whose); the file
    itself stays on the messenger's servers. A new photo replaces one still waiting.
    `decided_by` is the office member's person id, kept without a foreign key on purpose: a
    key to `people` would put the child's form into the staff member's own /mydata copy.
    """

    __tablename__ = "paper_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    messenger: Mapped[Messenger] = mapped_column(str_enum(Messenger))
    file_id: Mapped[str] = mapped_column(String(256))
    file_kind: Mapped[str] = mapped_column(String(16))  # photo, or document (an image file)
    submitted_at: Mapped[datetime]
    status: Mapped[PaperStatus] = mapped_column(str_enum(PaperStatus), default=PaperStatus.WAITING)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None]


class Answer(Base):
    """One questionnaire step's answer. `value` is None when an optional step was skipped."""

    __tablename__ = "application_answers"
    __table_args__ = (UniqueConstraint("application_id", "step"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]


class PresentationMedia(Base):
    """The self-presentation: text, or a file kept on Telegram's servers by its file_id."""

    __tablename__ = "presentation_media"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str | None] = mapped_column(String(256))
    file_unique_id: Mapped[str | None] = mapped_column(String(64))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    mime_type: Mapped[str | None] = mapped_column(String(128))
    duration: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class IdeaPreference(Base):
    """The ideas an applicant is interested in, 1 = the first choice."""

    __tablename__ = "idea_preferences"
    __table_args__ = (UniqueConstraint("application_id", "idea_id"),)

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("project_ideas.id", ondelete="CASCADE"))
