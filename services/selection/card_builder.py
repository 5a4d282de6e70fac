"""The application card: built for a reviewer or the office, and sent with the
self-presentation before it (the view and its rendering: services.selection.card)."""

from __future__ import annotations

from services.domain import AccessKind, Role
from services.errors import NotAllowed
from services.i18n import Translator
from services.people import Identity
from services.questionnaire import Card, Facts, steps_for
from services.seasons import SeasonConfig
from services.selection.arithmetic import (
    Combined,
    by_reviewer,
    combined_scores,
    decision_stamp,
    progress_of,
    weighted,
)
from services.selection.base import LoadedSeason, SelectionBase, number_of, subject_of
from services.selection.card import (
    CardAnswer,
    CardView,
    CriterionLine,
    ReviewerNote,
    ReviewProgress,
    card_parts,
)
from storage.models import Application, ReviewNote
from storage.repositories.selection import ACTIVE


def _reviewer_notes(
    scores: dict[int, dict[int, int]], notes: list[ReviewNote], weights: dict[int, float]
) -> tuple[ReviewerNote, ...]:
    """Every reviewer's review of one application: how far they scored, their own weighted mean
    once complete, their recommendation and comment."""
    by_reviewer = {note.reviewer_id: note for note in notes}
    result = []
    for reviewer_id in sorted(set(scores) | set(by_reviewer)):
        given = scores.get(reviewer_id, {})
        progress = progress_of(given, weights)
        score = None
        if progress is ReviewProgress.COMPLETE:
            total, weight_sum = weighted(given, weights)
            score = total / weight_sum if weight_sum > 0 else None
        note = by_reviewer.get(reviewer_id)
        result.append(
            ReviewerNote(
                progress,
                len(given),
                score,
                note.recommendation if note else None,
                note.comment if note else None,
            )
        )
    return tuple(result)


class Cards(SelectionBase):
    # --- the card ---------------------------------------------------------------------------

    async def open_card(
        self, me: Identity, application_id: int, *, for_office: bool = False
    ) -> CardView:
        """Send the card: the self-presentation first (named: whose it is), then the card."""
        view = await self.card(me, application_id, for_office=for_office)
        media_sent = await self._send_card(me, view)
        await self._audit_opening(me, application_id, media_sent)
        await self.uow.commit()
        return view

    async def _audit_opening(self, me: Identity, application_id: int, media_sent: bool) -> None:
        """The access audit: staff opened the applicant's card (and their self-presentation)."""
        application = await self.uow.applications.get(application_id)
        if application is None or application.person_id == me.person_id:
            return
        now = self.clock.now()
        kinds = [AccessKind.CARD, *([AccessKind.MEDIA] if media_sent else [])]
        for kind in kinds:
            await self.uow.access_audit.record(
                now, me.person_id, kind, application.person_id, application_id
            )

    async def _send_card(self, me: Identity, view: CardView) -> bool:
        """Queue the card; whether the self-presentation's file went with it."""
        t = self.texts.for_language(me.language)
        subject = subject_of(view.application_id)
        media = await self.uow.applications.media(view.application_id)
        whose = {"name": view.name or "—", "number": view.number}
        media_sent = False
        if media is not None and media.file_id and media.kind != "text":
            if media.kind == "video_note":
                # A video note cannot carry a caption: a line before it says whose it is.
                await self.notifier.send_text(
                    me.address, t("sel-media-video-note", **whose),
                    person_id=me.person_id, subject=subject,
                )  # fmt: skip
                caption = None
            else:
                caption = t("sel-media-caption", **whose)
            media_sent = await self.notifier.send_media(
                me.address, media.kind, media.file_id,
                caption=caption, person_id=me.person_id, subject=subject,
            )  # fmt: skip
        for part in card_parts(view, t):
            await self.notifier.send_text(
                me.address, part.text, buttons=part.buttons or None,
                person_id=me.person_id, subject=subject,
            )  # fmt: skip
        return media_sent

    async def card(
        self, me: Identity, application_id: int, *, for_office: bool = False
    ) -> CardView:
        application, season = await self._application(application_id)
        ranked = (await self.uow.selection.ranked([application.id]))[application.id]
        reviewer = self._reviews(me, application, ranked, season)
        office = me.has(Role.OFFICE)
        if (for_office and not office) or (not reviewer and not office):
            raise NotAllowed()
        return await self._card(me, application, season, ranked, reviewer, for_office)

    async def _card(
        self,
        me: Identity,
        application: Application,
        season: LoadedSeason,
        ranked: list[int],
        reviewer: bool,
        for_office: bool,
    ) -> CardView:
        repo = self.uow.selection
        office = me.has(Role.OFFICE)
        rows = await repo.scores([application.id])
        weights = season.weights
        mine = {c: s for _, r, c, s in rows if r == me.person_id}
        combined = combined_scores(rows, weights).get(application.id, Combined(None, 0, 0))
        note = await repo.note(application.id, me.person_id)
        decision = await repo.decision(application.id)
        notes: tuple[ReviewerNote, ...] = ()
        if office:
            scores = by_reviewer(rows, weights).get(application.id, {})
            notes = _reviewer_notes(scores, await repo.notes(application.id), weights)
        decided_idea = None
        if decision is not None and decision.idea_id is not None:
            idea = season.ideas.get(decision.idea_id)
            decided_idea = idea.title if idea else None
        published = False
        if office:
            publication = await repo.publication(season.season.id)
            published = publication is not None and publication.published_at is not None
        t = self.texts.for_language(me.language)
        name, answers = await self._answers(application, season.config, t)
        return CardView(
            application_id=application.id,
            number=number_of(application),
            role=application.role,
            name=name,
            answers=answers,
            ranking=tuple((i, season.ideas[i].title if i in season.ideas else "—") for i in ranked),
            criteria=tuple(
                CriterionLine(c.id, c.title, c.weight, c.max_score, mine.get(c.id))
                for c in season.criteria
            ),
            combined=combined.score,
            reviewers=combined.reviewers,
            incomplete=combined.incomplete,
            my_comment=note.comment if note else None,
            my_recommendation=note.recommendation if note else None,
            decision=decision.decision if decision else None,
            decided_idea=decided_idea,
            decided_idea_id=decision.idea_id if decision else None,
            decision_stamp=decision_stamp(decision.decided_at) if decision else None,
            published=published,
            can_score=reviewer and decision is None and application.status in ACTIVE,
            office=office,
            for_office=for_office,
            notes=notes,
        )

    async def _answers(
        self, application: Application, config: SeasonConfig, t: Translator
    ) -> tuple[str | None, tuple[CardAnswer, ...]]:
        """The name, and the answers in the questionnaire's order: each question numbered and
        with its full text, every value whole."""
        answers = await self.uow.applications.answers(application.id)
        media = await self.uow.applications.media(application.id)
        shown = []
        question = 0
        facts = Facts(config, application.role, answers)
        for step in steps_for(config, application.role):
            if step.question is not None:
                question += 1
            value = answers.get(step.code)
            if step.card is Card.MEDIA and media is not None:
                if media.kind == "text":
                    label = t("sel-card-presentation-text")
                    shown.append(CardAnswer(label, media.text or "—", block=True))
                else:  # sent just before the card
                    label = t(f"apply-label-{step.code}")
                    kind = t("sel-card-presentation", kind=media.kind)
                    shown.append(CardAnswer(label, kind, block=False))
                continue
            if step.card in (Card.HIDDEN, Card.MEDIA) or value is None:
                continue
            if step.question is not None:
                label = f"{t('apply-label-question', n=question)}. {step.question.text}"
            else:
                label = t(f"apply-label-{step.code}")
            value_shown = step.shown(value, facts)
            text = t(value_shown.key, **value_shown.args) if value_shown.key else value_shown.text
            shown.append(CardAnswer(label, text or "", block=step.card is Card.BLOCK))
        return answers.get("full_name"), tuple(shown)
