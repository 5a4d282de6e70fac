"""One questionnaire answer: checked, stored, and what it changes besides."""

from __future__ import annotations

from datetime import datetime

from services.applications.consent import Consents
from services.applications.views import EXITS, MUNICIPALITY_BUTTONS, Context, Exit, Problem, Shown
from services.domain import ApplicationStatus
from services.questionnaire import (
    Input,
    InvalidAnswer,
    Step,
    Storage,
    check_choice,
    check_presentation,
    check_simple,
    narrow,
    normalize_key,
)


class Answers(Consents):
    """Storing one answer: the checks of services.questionnaire, then what follows."""

    async def _store(self, context: Context, step: Step, given: Input) -> Shown | None:
        """Check and store one answer as its definition says (`step.stored`), and what follows
        from it. Returns what to echo on the next screen."""
        now = self.clock.now()
        match step.stored:
            case Storage.ROLE:
                await self._store_role(context, step, given, now)
            case Storage.AGE_GROUP:
                await self._store_age_group(context, step, given)
            case Storage.CONSENT:
                await self._give_consent(context, step, given, now)
            case Storage.MEDIA:
                await self._store_media(context, step, given, now)
            case Storage.PARENT:
                self._check_parent(context)
            case Storage.CHOICE:
                value = check_choice(step, given, self._labels(context, step))
                return await self._store_value(context, step, value, now)
            case Storage.MUNICIPALITY:
                municipality_id = self._municipality(context, given)
                return await self._store_value(context, step, str(municipality_id), now)
            case Storage.ANSWER:
                value = check_simple(
                    step,
                    given,
                    config=context.config,
                    role=context.application.role,
                    answers=context.answers,
                    now=now,
                )
                return await self._store_value(context, step, value, now)
        return None

    async def _store_value(
        self, context: Context, step: Step, value: str, now: datetime
    ) -> Shown | None:
        """One accepted string answer, and what its definition says follows from it."""
        application = context.application
        if step.resets and context.answers.get(step.code) not in (None, value):
            await self.uow.applications.forget_answers(application.id, list(step.resets))
            for code in step.resets:
                context.answers.pop(code, None)
        await self._save(context, step.code, value)
        if step.person_name:
            await self.uow.applications.set_person_name(application.person_id, value, now)
        if step.echo is not None:
            return Shown(key=step.echo, args={step.code: value})
        return None

    async def _store_media(self, context: Context, step: Step, given: Input, now: datetime) -> None:
        media = check_presentation(given)
        await self.uow.applications.save_media(
            context.application.id,
            now,
            kind=media.kind,
            file_id=media.file_id,
            file_unique_id=media.file_unique_id,
            file_size=media.file_size,
            mime_type=media.mime_type,
            duration=media.duration,
            text=media.text,
        )
        await self._save(context, step.code, media.kind)

    def _exits(self, context: Context, key: str) -> tuple[Exit, ...]:
        """The way forward a refusal offers: only in a draft (the path of a submitted
        application is fixed; its Back returns to the review)."""
        if context.application.status is not ApplicationStatus.DRAFT:
            return ()
        return EXITS.get(key, ())

    def _municipality(self, context: Context, given: Input) -> int:
        names = context.config.municipalities
        if given.kind == "choice":
            try:
                chosen = int(given.text or "")
            except ValueError:
                chosen = -1
            if context.config.municipality(chosen) is None:
                raise InvalidAnswer("apply-muni-unknown")
            return chosen
        if given.kind != "text" or not given.text:
            raise _not_text_error(given)
        typed = given.text.strip()
        if typed.startswith("/"):
            raise InvalidAnswer("apply-bad-command", command=typed.split()[0][:32])
        exact = [m for m in names if normalize_key(m[1]) == normalize_key(typed)]
        if len(exact) == 1:
            return exact[0][0]
        found = narrow(names, typed)
        if not found:
            raise InvalidAnswer("apply-muni-none", typed=typed[:40])
        if len(found) > MUNICIPALITY_BUTTONS:
            raise _Narrowed(
                Problem("apply-muni-many", {"count": len(found)}),
                tuple(found[:MUNICIPALITY_BUTTONS]),
            )
        raise _Narrowed(Problem("apply-muni-pick", {"count": len(found)}), tuple(found))


class _Narrowed(Exception):
    """Typed letters matched several municipalities: offer them as buttons."""

    def __init__(self, problem: Problem, options: tuple[tuple[int, str], ...]) -> None:
        super().__init__(problem.key)
        self.problem = problem
        self.options = options


def _not_text_error(given: Input) -> InvalidAnswer:
    if given.kind == "sticker":
        return InvalidAnswer("apply-bad-sticker")
    if given.kind == "choice":
        return InvalidAnswer("apply-muni-unknown")
    return InvalidAnswer("apply-bad-media")
