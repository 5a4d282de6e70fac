"""/apply, the questionnaire's messages and buttons, /status and /privacy.

Handlers turn a message or a button into one call of `services.applications` and its result
into a message. The FSM holds only the cursor (application id, step, whether the applicant came
from the review); every answer is already in the database when the next screen is shown, so a
lost cursor is derived from the database again (`resume_lost_cursor`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from handlers.callback_data import Pressed
from handlers.replies import answer, redraw
from services.actions import ApplyAction, ApplyVerb, encode
from services.applications import (
    ApplicationService,
    ConsentRecord,
    Outcome,
    PrivacyView,
    ReviewView,
    Shown,
    StatusView,
    StepView,
)
from services.container import Services
from services.i18n import Translator
from services.people import Identity
from services.questionnaire import Input, StepKind

REVIEW_VALUE_LIMIT = 160
# Set in the FSM data by /cancel (handlers/start.py): the person left on purpose, so their next
# message is not taken as an answer to the draft the database says they stand at.
CANCELLED = "cancelled"


class ApplyStates(StatesGroup):
    step = State()
    review = State()


# --- parsing ----------------------------------------------------------------------------------


def to_input(message: Message) -> Input:
    """A message as the questionnaire sees it: its kind and, for files, id, size and type."""
    if message.text is not None:
        is_command = bool(
            message.entities
            and any(e.type == "bot_command" and e.offset == 0 for e in message.entities)
        )
        return Input("command" if is_command else "text", text=message.text)
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        return Input("contact", text=message.contact.phone_number, contact_is_own=own)
    if message.sticker is not None:
        return Input("sticker")
    if message.photo:
        photo = message.photo[-1]
        return Input(
            "photo",
            file_id=photo.file_id,
            file_unique_id=photo.file_unique_id,
            file_size=photo.file_size,
            mime_type="image/jpeg",
        )
    for kind in ("video", "video_note", "voice", "document"):
        media = getattr(message, kind)
        if media is not None:
            return Input(
                kind,
                file_id=media.file_id,
                file_unique_id=media.file_unique_id,
                file_size=media.file_size,
                mime_type=getattr(media, "mime_type", None),
                duration=getattr(media, "duration", None),
            )
    return Input("other")


# --- rendering --------------------------------------------------------------------------------


def _shown(t: Translator, shown: Shown) -> str:
    if shown.key is not None:
        return t(shown.key, **shown.args)
    return shown.text or ""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(t: Translator, view_steps: dict[str, int], step: str) -> str:
    if step.startswith("q-"):
        return t("apply-label-question", n=view_steps.get(step, 0))
    return t(f"apply-label-{step}")


def _button(text: str, verb: ApplyVerb, **fields: Any) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=encode(ApplyAction(verb=verb, **fields)))


def render_step(t: Translator, view: StepView) -> tuple[str, Any]:
    step, app = view.step, view.application_id
    parts = []
    if view.problem is not None:
        parts.append(t(view.problem.key, **view.problem.args))
    if view.exits:
        parts.append(t("apply-way-forward", way=view.exits[0]))
    parts.append(t("apply-progress", n=view.number, total=view.total))
    if view.editing:
        parts.append(t("apply-editing"))
    parts.append(t(step.prompt_key, **view.prompt))
    if view.current is not None and step.kind not in (StepKind.CONFIRM, StepKind.IDEAS):
        parts.append(t("apply-current", value=_short(_shown(t, view.current), 300)))
    rows: list[list[InlineKeyboardButton]] = []
    if step.kind is StepKind.CHOICE:
        rows += [
            [
                _button(
                    t(f"apply-choice-{step.code}-{value}", **view.prompt),
                    ApplyVerb.CHOOSE,
                    application=app,
                    step=step.code,
                    choice=value,
                )
            ]
            for value in step.choices
        ]
    elif step.kind is StepKind.CONFIRM:
        key = "apply-btn-agree" if step.code == "consent" else "apply-btn-parent-agree"
        rows.append([_button(t(key), ApplyVerb.CONFIRM, application=app, step=step.code)])
    elif step.kind is StepKind.SCALE:
        rows.append(
            [
                _button(str(n), ApplyVerb.CHOOSE, application=app, step=step.code, choice=str(n))
                for n in range(1, 6)
            ]
        )
    elif step.kind is StepKind.MUNICIPALITY:
        buttons = [
            _button(name, ApplyVerb.PICK_MUNICIPALITY, application=app, item=mid)
            for mid, name in view.options
        ]
        rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    elif step.kind is StepKind.IDEAS and view.ideas is not None:
        page = view.ideas
        parts.append(
            t(
                "apply-ideas-page",
                page=page.page + 1,
                pages=page.pages,
                picked=len(page.picked),
                max=view.prompt["max"],
            )
        )
        for idea, rank in page.items:
            mark = f"✅ {rank}" if rank else "▫️"
            direction = f" ({idea.direction})" if idea.direction else ""
            parts.append(f"{mark} {idea.title}{direction}\n{idea.short}")
            rows.append(
                [
                    _button(
                        f"{mark} {_short(idea.title, 40)}",
                        ApplyVerb.TOGGLE_IDEA,
                        application=app,
                        item=idea.id,
                        page=page.page,
                    ),
                    _button("ℹ️", ApplyVerb.IDEA_DETAILS, application=app, item=idea.id),
                ]
            )
        if page.picked:
            listing = "; ".join(f"{n}. {idea.title}" for n, idea in enumerate(page.picked, 1))
            parts.append(t("apply-ideas-picked", list=listing))
        nav = []
        if page.page > 0:
            nav.append(
                _button(
                    t("apply-btn-prev"), ApplyVerb.IDEAS_PAGE, application=app, page=page.page - 1
                )
            )
        if page.page < page.pages - 1:
            nav.append(
                _button(
                    t("apply-btn-next"), ApplyVerb.IDEAS_PAGE, application=app, page=page.page + 1
                )
            )
        if nav:
            rows.append(nav)
        if page.picked:
            rows.append([_button(t("apply-btn-done"), ApplyVerb.IDEAS_DONE, application=app)])
    text = "\n\n".join(parts)
    if step.code == "phone":
        keyboard = [[KeyboardButton(text=t("apply-btn-share-contact"), request_contact=True)]]
        if view.current is not None:
            keyboard.append([KeyboardButton(text=t("apply-btn-keep"))])
        if view.can_back:
            keyboard.append([KeyboardButton(text=t("apply-btn-back"))])
        return text, ReplyKeyboardMarkup(
            keyboard=keyboard, resize_keyboard=True, one_time_keyboard=True
        )
    if view.exits:
        rows.append(
            [
                _button(t("apply-btn-restart"), ApplyVerb.ASK_RESTART, application=app)
                if way == "restart"
                else _button(
                    t(f"apply-btn-change-{way}"), ApplyVerb.CHANGE_PATH, application=app, step=way
                )
                for way in view.exits
            ]
        )
    bottom = []
    if view.can_back:
        bottom.append(_button(t("apply-btn-back"), ApplyVerb.BACK, application=app, step=step.code))
    if step.optional:
        bottom.append(_button(t("apply-btn-skip"), ApplyVerb.SKIP, application=app, step=step.code))
    if view.current is not None and step.kind not in (StepKind.CONFIRM, StepKind.IDEAS):
        bottom.append(_button(t("apply-btn-keep"), ApplyVerb.KEEP, application=app, step=step.code))
    if bottom:
        rows.append(bottom)
    return text, InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def render_review(t: Translator, view: ReviewView) -> tuple[str, InlineKeyboardMarkup | None]:
    questions = {
        row.step: n
        for n, row in enumerate((r for r in view.rows if r.step.startswith("q-")), start=1)
    }
    parts = [t("apply-review-title", status=view.status.value, number=view.number or "")]
    lines = [
        f"{_label(t, questions, row.step)}: {_short(_shown(t, row.value), REVIEW_VALUE_LIMIT)}"
        for row in view.rows
    ]
    parts.append("\n".join(lines))
    rows: list[list[InlineKeyboardButton]] = []
    if view.editable:
        parts.append(t("apply-review-edit-hint"))
        edits = [
            _button(
                t("apply-btn-edit", label=_label(t, questions, row.step)),
                ApplyVerb.EDIT_FROM_REVIEW,
                application=view.application_id,
                step=row.step,
            )
            for row in view.rows
            if row.editable
        ]
        rows += [edits[i : i + 2] for i in range(0, len(edits), 2)]
        if view.status.value == "draft" and view.complete:
            rows.append(
                [_button(t("apply-btn-submit"), ApplyVerb.SUBMIT, application=view.application_id)]
            )
    elif view.reason is not None:
        parts.append(t("apply-review-read-only", reason=view.reason))
    return "\n\n".join(parts), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def render_status(t: Translator, view: StatusView) -> tuple[str, InlineKeyboardMarkup | None]:
    status = view.status.value if view.status is not None else "none"
    done, total = view.progress or (0, 0)
    parts = [
        t(
            "apply-status",
            status=status,
            season=view.season,
            number=view.number or "",
            done=done,
            total=total,
            idea=view.idea or "—",
        )
    ]
    if view.window_open and view.closes:
        parts.append(t("apply-status-window", closes=view.closes))
    rows = []
    if view.application_id is not None and view.window_open:
        rows.append([_button(t("apply-btn-open"), ApplyVerb.OPEN)])
    if view.can_withdraw and view.application_id is not None:
        rows.append(
            [
                _button(
                    t("apply-btn-withdraw"), ApplyVerb.ASK_WITHDRAW, application=view.application_id
                )
            ]
        )
    return "\n\n".join(parts), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def show(
    message: Message,
    outcome: Outcome,
    state: FSMContext,
    t: Translator,
    previous_step: str | None = None,
) -> None:
    """Send the screen for an outcome and move the cursor to it."""
    if previous_step == "phone" and not (
        isinstance(outcome, StepView) and outcome.step.code == "phone"
    ):
        saved = outcome.saved if isinstance(outcome, StepView) else None
        await message.answer(
            _shown(t, saved) if saved else t("apply-keyboard-closed"),
            reply_markup=ReplyKeyboardRemove(),
        )
    # The cursor moves before the screen is sent: if sending fails, /apply shows it again.
    if isinstance(outcome, StepView):
        if previous_step in (None, "review"):  # otherwise the state is already `step`
            await state.set_state(ApplyStates.step)
        await state.set_data(
            {"app": outcome.application_id, "step": outcome.step.code, "edit": outcome.editing}
        )
        text, markup = render_step(t, outcome)
        await answer(message, text, markup)
    elif isinstance(outcome, ReviewView):
        await state.set_state(ApplyStates.review)
        await state.set_data({"app": outcome.application_id, "step": "review", "edit": False})
        text, markup = render_review(t, outcome)
        await answer(message, text, markup)
    else:
        await state.clear()
        key = "apply-submitted" if outcome.first_time else "apply-submitted-again"
        await message.answer(t(key, number=outcome.number, closes=outcome.closes or "—"))


# --- handlers ---------------------------------------------------------------------------------


async def apply_command(
    message: Message, me: Identity, services: Services, state: FSMContext, t: Translator
) -> None:
    previous = (await state.get_data()).get("step")
    await show(message, await services.applications.open(me), state, t, previous)


async def status_command(message: Message, me: Identity, services: Services, t: Translator) -> None:
    text, markup = render_status(t, await services.applications.status(me))
    await answer(message, text, markup)


def _consent_line(t: Translator, record: ConsentRecord) -> str:
    """One consent with exactly what its record keeps: who gave it, which text, when."""
    line = t(
        "apply-privacy-consent", kind=record.kind.value, version=record.version, when=record.given
    )
    if record.representative:
        who = record.representative
        if record.relation:
            relation = t(f"apply-choice-rep_relation-{record.relation}")
            who = t("apply-privacy-who", name=who, relation=relation)
        line = t("apply-privacy-given-by", line=line, who=who)
    if record.withdrawn:
        line = t("apply-privacy-consent-withdrawn", line=line, withdrawn=record.withdrawn)
    return line


def render_privacy(t: Translator, view: PrivacyView) -> tuple[str, InlineKeyboardMarkup | None]:
    if not view.has_data:
        if view.withdrawn:
            kept = "\n".join(_consent_line(t, record) for record in view.withdrawn)
            return t("apply-privacy-withdrawn", list=kept), None
        return t("apply-privacy-none"), None
    listing = "\n".join(_consent_line(t, record) for record in view.consents)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[_button(t("apply-btn-privacy-withdraw"), ApplyVerb.ASK_WITHDRAW_CONSENT)]]
    )
    return t("apply-privacy", list=listing or "—"), markup


async def privacy_command(
    message: Message, me: Identity, services: Services, t: Translator
) -> None:
    text, markup = render_privacy(t, await services.applications.privacy(me))
    await answer(message, text, markup)


async def step_message(
    message: Message, me: Identity, services: Services, state: FSMContext, t: Translator
) -> None:
    """Any message while a step is open: it is the answer to that step (or is refused)."""
    data = await state.get_data()
    app, step, editing = int(data.get("app", 0)), str(data.get("step", "")), bool(data.get("edit"))
    applications = services.applications
    typed = (message.text or "").strip()
    if typed == t("apply-btn-back"):  # the reply keyboard's buttons (the phone step)
        outcome = await applications.back(me, app, step, editing=editing)
    elif typed == t("apply-btn-keep"):
        outcome = await applications.keep(me, app, step, editing=editing)
    else:
        outcome = await applications.answer(me, app, step, to_input(message), editing=editing)
    await show(message, outcome, state, t, previous_step=step)


async def review_message(message: Message, t: Translator) -> None:
    await message.answer(t("apply-review-use-buttons"))


async def resume_lost_cursor(
    message: Message, me: Identity, services: Services, state: FSMContext, t: Translator
) -> bool:
    """A message in no FSM state from someone with an open draft: the cursor was lost (a
    restart on the in-memory FSM, Redis losing its keys), so it is derived from the database
    and the message is taken as the answer to the step the draft stands at. After /cancel the
    person left on purpose: the reply names that step and points to /apply instead. False when
    there is no open draft (the message is someone else's to answer)."""
    outcome = await services.applications.cursor(me)
    if outcome is None:
        return False
    if (await state.get_data()).get(CANCELLED):
        if isinstance(outcome, StepView):
            label = (
                _short(outcome.step.question.text, 80)
                if outcome.step.question is not None
                else t(f"apply-label-{outcome.step.code}")
            )
            await message.answer(
                t("apply-resume-hint", n=outcome.number, total=outcome.total, label=label)
            )
        else:
            await message.answer(t("apply-resume-hint-review"))
        return True
    if isinstance(outcome, StepView):
        await state.set_state(ApplyStates.step)
        await state.set_data(
            {"app": outcome.application_id, "step": outcome.step.code, "edit": False}
        )
        await step_message(message, me, services, state, t)
    else:  # every step answered: the review, whose buttons are the only answers
        await show(message, outcome, state, t)
    return True


# --- buttons: one handler per action ----------------------------------------------------------

# A press that moves the questionnaire: one call of the service, given the pressing person, the
# action and whether the applicant came from the review to edit this application.
Move = Callable[[Identity, ApplicationService, ApplyAction, bool], Awaitable[Outcome]]


# What each press that moves the questionnaire asks of the service.
MOVES: dict[ApplyVerb, Move] = {
    ApplyVerb.OPEN: lambda me, apps, action, editing: apps.open(me),
    ApplyVerb.CHOOSE: lambda me, apps, action, editing: apps.answer(
        me, action.application, action.step, Input("choice", text=action.choice), editing=editing
    ),
    # The service reads a municipality as the choice of its id, as if it were typed.
    ApplyVerb.PICK_MUNICIPALITY: lambda me, apps, action, editing: apps.answer(
        me,
        action.application,
        "municipality",
        Input("choice", text=str(action.item)),
        editing=editing,
    ),
    ApplyVerb.CONFIRM: lambda me, apps, action, editing: apps.answer(
        me, action.application, action.step, Input("confirm"), editing=editing
    ),
    ApplyVerb.SKIP: lambda me, apps, action, editing: apps.skip(
        me, action.application, action.step, editing=editing
    ),
    ApplyVerb.BACK: lambda me, apps, action, editing: apps.back(
        me, action.application, action.step, editing=editing
    ),
    ApplyVerb.KEEP: lambda me, apps, action, editing: apps.keep(
        me, action.application, action.step, editing=editing
    ),
    ApplyVerb.EDIT_FROM_REVIEW: lambda me, apps, action, editing: apps.show(
        me, action.application, action.step
    ),
    ApplyVerb.REVIEW: lambda me, apps, action, editing: apps.review(me, action.application),
    ApplyVerb.CHANGE_PATH: lambda me, apps, action, editing: apps.change(
        me, action.application, action.step, editing=editing
    ),
    ApplyVerb.RESTART: lambda me, apps, action, editing: apps.restart(me, action.application),
    ApplyVerb.SUBMIT: lambda me, apps, action, editing: apps.submit(me, action.application),
    ApplyVerb.IDEAS_DONE: lambda me, apps, action, editing: apps.ideas_done(
        me, action.application, editing=editing
    ),
}
# Paging and picking ideas redraw the list in place instead of sending the next screen.
IDEAS_MOVES: dict[ApplyVerb, Move] = {
    ApplyVerb.IDEAS_PAGE: lambda me, apps, action, editing: apps.ideas_page(
        me, action.application, action.page, editing=editing
    ),
    ApplyVerb.TOGGLE_IDEA: lambda me, apps, action, editing: apps.toggle_idea(
        me, action.application, action.item, action.page, editing=editing
    ),
}


async def _pressed_message(query: CallbackQuery, t: Translator) -> Message | None:
    """The message whose button was pressed, or None (answered) when it is too old to reach."""
    if isinstance(query.message, Message):
        return query.message
    await query.answer(t("fallback-button"), show_alert=True)
    return None


def moving(
    verb: ApplyVerb, move: Move, *, in_place: bool = False
) -> Callable[..., Awaitable[None]]:
    """The handler of a press that moves the questionnaire: `move`, then the screen it leads to
    (or, `in_place`, the ideas list redrawn)."""

    async def handler(
        query: CallbackQuery,
        action: ApplyAction,
        me: Identity,
        services: Services,
        state: FSMContext,
        t: Translator,
    ) -> None:
        message = await _pressed_message(query, t)
        if message is None:
            return
        data = await state.get_data()
        editing = bool(data.get("edit")) and data.get("app") == action.application
        outcome = await move(me, services.applications, action, editing)
        if in_place:
            await _update_ideas(query, message, outcome, state, t)
            return
        if (
            isinstance(outcome, StepView)
            and outcome.problem is not None
            and outcome.step.code == action.step
            and not outcome.exits
        ):
            # The press was refused on this very step: say why, leave the screen as it is. A
            # refusal with a way forward is a new screen: its buttons are the way.
            await query.answer(t(outcome.problem.key, **outcome.problem.args), show_alert=True)
            return
        await _close_buttons(query, message)
        await show(message, outcome, state, t, previous_step=data.get("step"))

    handler.__name__ = handler.__qualname__ = verb.name.lower()
    return handler


async def idea_details(
    query: CallbackQuery, action: ApplyAction, me: Identity, services: Services, t: Translator
) -> None:
    message = await _pressed_message(query, t)
    if message is None:
        return
    idea_info = await services.applications.idea(me, action.application, action.item)
    await query.answer()
    await answer(message, f"{idea_info.title}\n\n{idea_info.description}")


async def _ask(
    query: CallbackQuery, t: Translator, question: str, yes: str, action: ApplyAction
) -> None:
    """A question before an action that cannot be undone: yes, or changed my mind."""
    message = await _pressed_message(query, t)
    if message is None:
        return
    await query.answer()
    await message.answer(
        t(question),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [_button(t(yes), action.verb, application=action.application)],
                [_button(t("apply-btn-no"), ApplyVerb.CHANGED_MIND)],
            ]
        ),
    )


async def ask_restart(query: CallbackQuery, action: ApplyAction, t: Translator) -> None:
    confirmed = action.model_copy(update={"verb": ApplyVerb.RESTART})
    await _ask(query, t, "apply-restart-ask", "apply-btn-restart-confirm", confirmed)


async def ask_withdraw(query: CallbackQuery, action: ApplyAction, t: Translator) -> None:
    confirmed = action.model_copy(update={"verb": ApplyVerb.WITHDRAW})
    await _ask(query, t, "apply-withdraw-ask", "apply-btn-withdraw-confirm", confirmed)


async def ask_withdraw_consent(query: CallbackQuery, action: ApplyAction, t: Translator) -> None:
    confirmed = action.model_copy(update={"verb": ApplyVerb.WITHDRAW_CONSENT})
    await _ask(query, t, "apply-privacy-ask", "apply-btn-privacy-confirm", confirmed)


async def withdraw(
    query: CallbackQuery,
    action: ApplyAction,
    me: Identity,
    services: Services,
    state: FSMContext,
    t: Translator,
) -> None:
    message = await _pressed_message(query, t)
    if message is None:
        return
    await services.applications.withdraw(me, action.application)
    await _close_buttons(query, message)
    await message.answer(t("apply-withdrawn"))
    await state.clear()


async def withdraw_consent(
    query: CallbackQuery, me: Identity, services: Services, state: FSMContext, t: Translator
) -> None:
    message = await _pressed_message(query, t)
    if message is None:
        return
    await services.applications.withdraw_consent(me)
    # The conversation's state may hold what was being typed: it goes before anything else can
    # fail. The FSM lives in private chats only, so this is all of it.
    await state.clear()
    await _close_buttons(query, message)
    await message.answer(t("apply-privacy-done"))


async def changed_mind(query: CallbackQuery, t: Translator) -> None:
    message = await _pressed_message(query, t)
    if message is None:
        return
    await _close_buttons(query, message)
    await message.answer(t("apply-kept"))


async def _close_buttons(query: CallbackQuery, message: Message) -> None:
    await query.answer()
    with contextlib.suppress(TelegramBadRequest):
        await message.edit_reply_markup(reply_markup=None)


async def _update_ideas(
    query: CallbackQuery, message: Message, outcome: Outcome, state: FSMContext, t: Translator
) -> None:
    """Paging and picking redraw the list in place."""
    if not isinstance(outcome, StepView) or outcome.step.code != "ideas":
        await _close_buttons(query, message)
        await show(message, outcome, state, t)
        return
    if outcome.problem is not None:
        await query.answer(t(outcome.problem.key, **outcome.problem.args), show_alert=True)
        return
    await query.answer()
    text, markup = render_step(t, outcome)
    await redraw(query, text, markup)
    await state.set_state(ApplyStates.step)
    await state.set_data({"app": outcome.application_id, "step": "ideas", "edit": outcome.editing})


def create_router() -> Router:
    router = Router(name="apply")
    router.message.filter(F.chat.type == "private")
    router.message.register(apply_command, Command("apply"))
    router.message.register(status_command, Command("status"))
    router.message.register(privacy_command, Command("privacy"))
    router.message.register(step_message, StateFilter(ApplyStates.step))
    router.message.register(review_message, StateFilter(ApplyStates.review))
    for verb, move in MOVES.items():
        router.callback_query.register(moving(verb, move), Pressed(ApplyAction, F.verb == verb))
    for verb, move in IDEAS_MOVES.items():
        router.callback_query.register(
            moving(verb, move, in_place=True), Pressed(ApplyAction, F.verb == verb)
        )
    for verb, handler in (
        (ApplyVerb.IDEA_DETAILS, idea_details),
        (ApplyVerb.ASK_RESTART, ask_restart),
        (ApplyVerb.ASK_WITHDRAW, ask_withdraw),
        (ApplyVerb.WITHDRAW, withdraw),
        (ApplyVerb.ASK_WITHDRAW_CONSENT, ask_withdraw_consent),
        (ApplyVerb.WITHDRAW_CONSENT, withdraw_consent),
        (ApplyVerb.CHANGED_MIND, changed_mind),
    ):
        router.callback_query.register(handler, Pressed(ApplyAction, F.verb == verb))
    return router
