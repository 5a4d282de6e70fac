"""A parent's consent on paper, for a family without a messenger.

The child asks for the form (`paper_form`): a PDF with the season's representative consent text
and version, the child's name when known, and blank lines for the parent's name, relation,
signature and date, sent through the outbox. The parent prints and signs it; the child sends a
photo of the signed form (`submit_paper`), which waits for the project office (a new photo
replaces one still waiting) and each office member is told. The office lists the minors'
applications waiting for a parent (`parents_waiting`), opens a photo (`open_paper`: the photo is
sent to them and the access audit records it) and approves or refuses it (`decide_paper`: a
conditional update). Approval records the representative's consent naming the paper form, so
`parent_consent_in` holds; the child is told either way. Every office press is re-checked here.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.actions import PaperAction, PaperVerb
from services.applications.parents import ParentConsents, parent_consent_in
from services.domain import AccessKind, ApplicationStatus, ConsentKind, PaperStatus, Role
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.notify import Button
from services.paper_form_pdf import render_consent_form
from services.people import Identity
from services.privacy import application_subject
from services.questionnaire import Input
from services.questionnaire.groups import group_args
from services.reminders.base import MINOR_GROUPS
from storage.models import Application, PaperConsent

PAPER_FILENAME = "soglasie-roditelya.pdf"
FORM_FIELDS = ("paper-form-parent-name", "paper-form-relation", "paper-form-signature",
               "paper-form-date")  # fmt: skip


def is_form_photo(given: Input) -> bool:
    """A photo, or a picture sent as a file: what the office can look at."""
    if not given.file_id:
        return False
    if given.kind == "photo":
        return True
    return given.kind == "document" and (given.mime_type or "").startswith("image/")


@dataclass(frozen=True)
class WaitingParent:
    """A minor's application with no parent's consent yet, as the office's list shows it."""

    application_id: int
    number: str
    age_group: str  # its code (child, teen)
    group_label: str  # as the questionnaire's button says it, in the reader's language
    days: int  # since the application was opened
    paper_id: int | None  # a photo of a signed form waiting for the office


@dataclass(frozen=True)
class PaperView:
    paper_id: int
    application_id: int
    number: str
    status: PaperStatus


class PaperConsents(ParentConsents):
    """The child's paper form and the project office's decision on its photo."""

    async def paper_form(self, me: Identity) -> None:
        """The form to print, as a PDF through the outbox to the child's chat."""
        application = await self._own_application(me)
        request = await self._request_for(application)
        t = self.texts.for_language(me.language)
        child = request.child_name or t("paper-form-child-blank")
        content = render_consent_form(
            t("paper-form-title"),
            t("paper-form-heading", child=child, programme=request.programme,
              version=request.text_version),
            request.consent_text,
            [t(key) for key in FORM_FIELDS],
            t("paper-form-footer"),
        )  # fmt: skip
        await self.notifier.send_file(
            me.address, PAPER_FILENAME, content, caption=t("paper-form-caption"),
            person_id=me.person_id,
        )  # fmt: skip
        await self.uow.audit.record(
            self.clock.now(), me.person_id, "consent.paper_form", "application", application.id
        )
        await self.uow.commit()

    async def submit_paper(self, me: Identity, given: Input) -> bool:
        """The photo of the signed form waits for the office; each office member is told.
        Returns whether it replaced a photo still waiting."""
        if not is_form_photo(given) or given.file_id is None:
            raise InvalidInput("paper-not-a-photo")
        application = await self._own_application(me)
        now = self.clock.now()
        paper_id, replaced = await self.uow.paper_consents.submit(
            application.id, me.person_id, me.messenger, given.file_id, given.kind, now
        )
        await self.uow.audit.record(
            now, me.person_id, "consent.paper_submit", "application", application.id,
            paper=paper_id, replaced=replaced,
        )  # fmt: skip
        await self._tell_office(application, paper_id)
        await self.uow.commit()
        return replaced

    async def _tell_office(self, application: Application, paper_id: int) -> None:
        number = self._number(application)
        stamp = int(self.clock.now().timestamp())
        for person in await self.uow.selection.office_people():
            t = self.texts.for_language(person.language)
            button = Button.doing(t("paper-btn-open"), PaperAction(verb=PaperVerb.OPEN,
                                                                   item=paper_id))  # fmt: skip
            await self.notifier.send_text(
                person, t("paper-office-notice", number=number), buttons=[[button]],
                person_id=person.id, subject=application_subject(application.id),
                dedupe_key=f"paper:{paper_id}:{stamp}:{person.id}",
            )  # fmt: skip

    async def parents_waiting(self, me: Identity) -> tuple[WaitingParent, ...]:
        """The current season's minors' applications without a parent's consent, oldest first."""
        self._office_only(me)
        season, config = await self._current()
        t = self.texts.for_language(me.language)
        minors = await self.uow.paper_consents.minors(season.id, MINOR_GROUPS)
        ids = [application.id for application, _ in minors]
        consents = await self.uow.paper_consents.representative_consents(ids)
        waiting = await self.uow.paper_consents.waiting_of(ids)
        now = self.clock.now()
        found = []
        for application, group in minors:
            if parent_consent_in(consents.get(application.id)):
                continue
            paper = waiting.get(application.id)
            found.append(
                WaitingParent(
                    application.id, self._number(application), group,
                    t(f"apply-choice-age_group-{group}", **group_args(config)),
                    max((now - application.created_at).days, 0),
                    paper.id if paper is not None else None,
                )
            )  # fmt: skip
        return tuple(found)

    async def open_paper(self, me: Identity, paper_id: int) -> PaperView:
        """The photo of the form, then its decision buttons while it waits, sent in order to
        the office member who opened it; the access audit records the opening."""
        self._office_only(me)
        paper, application = await self._paper(paper_id)
        t = self.texts.for_language(me.language)
        number, subject = self._number(application), application_subject(application.id)
        sent = await self.notifier.send_media(
            me.address, paper.file_kind, paper.file_id,
            caption=t("paper-photo-caption", number=number), person_id=me.person_id,
            subject=subject,
        )  # fmt: skip
        if sent and application.person_id != me.person_id:
            await self.uow.access_audit.record(
                self.clock.now(), me.person_id, AccessKind.PAPER, application.person_id,
                application.id,
            )  # fmt: skip
        buttons = None
        if paper.status is PaperStatus.WAITING:
            buttons = [[
                Button.doing(t("paper-btn-approve"), PaperAction(verb=PaperVerb.APPROVE,
                                                                 item=paper.id)),
                Button.doing(t("paper-btn-refuse"), PaperAction(verb=PaperVerb.REFUSE,
                                                                item=paper.id)),
            ]]  # fmt: skip
        status = t(f"paper-status-{paper.status.value}")
        await self.notifier.send_text(
            me.address, t("paper-review", number=number, status=status), buttons=buttons,
            person_id=me.person_id, subject=subject,
        )  # fmt: skip
        await self.uow.commit()
        return PaperView(paper.id, application.id, number, paper.status)

    async def decide_paper(self, me: Identity, paper_id: int, *, approve: bool) -> PaperView:
        """waiting → approved (the representative's consent is recorded from the form) or
        refused; a second press, or one on a form already decided, is refused."""
        self._office_only(me)
        paper, application = await self._paper(paper_id)
        now = self.clock.now()
        to = PaperStatus.APPROVED if approve else PaperStatus.REFUSED
        if not await self.uow.paper_consents.decide(paper.id, to, me.person_id, now):
            raise Conflict("paper-already-decided")
        if approve:
            request = await self._request_for(application)
            await self.uow.applications.upsert_consent(
                application.id, application.person_id, ConsentKind.REPRESENTATIVE,
                consent_text_id=request.consent_text_id, text_version=request.text_version,
                given_at=now, withdrawn_at=None, valid=True, paper_consent_id=paper.id,
            )  # fmt: skip
        await self.uow.audit.record(
            now, me.person_id, f"consent.paper_{to.value}", "application", application.id,
            paper=paper.id,
        )  # fmt: skip
        key = "paper-child-approved" if approve else "paper-child-refused"
        await self._tell_child(application, now, key, go_on=approve)
        number = self._number(application)
        await self.uow.commit()
        return PaperView(paper.id, application.id, number, to)

    def _office_only(self, me: Identity) -> None:
        if not me.has(Role.OFFICE):
            raise NotAllowed("paper-office-only")

    async def _own_application(self, me: Identity) -> Application:
        season, _ = await self._current()
        application = await self.uow.applications.of_person(me.person_id, season.id)
        if application is None or application.status is ApplicationStatus.WITHDRAWN:
            raise NotFound("paper-no-application")
        return application

    async def _paper(self, paper_id: int) -> tuple[PaperConsent, Application]:
        paper = await self.uow.paper_consents.get(paper_id)
        application = await self.uow.applications.get(paper.application_id) if paper else None
        if paper is None or application is None:
            raise NotFound("paper-gone")
        return paper, application

    @staticmethod
    def _number(application: Application) -> str:
        """The application's number once submitted; a draft is named by its id."""
        return application.number or f"#{application.id}"
