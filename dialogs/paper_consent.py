"""A parent's consent on a signed paper form, for a family without a messenger
(services/applications/paper.py).

The child's `/parent_paper` (or the `PaperAction(verb=PaperVerb.START)` button on the screen
that waits for a parent) explains the way, sends the form as a PDF and waits for a photo of the
signed form; anything else is refused with the way out (/cancel). The project office's
`/parents_waiting` lists the minors' applications still without a parent's consent, with a
button to open each form waiting; opening sends the photo and the «Принять» / «Отклонить»
buttons; every press is re-checked by the service.
"""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn, doing
from services.actions import PaperAction, PaperVerb
from services.applications.paper import WaitingParent
from services.i18n import Translator
from services.questionnaire import Input

PHOTO = "PaperStates:photo"
# The office's list: lines shown (a message's length) and forms to open by a button.
MAX_LINES, MAX_BUTTONS = 40, 10


async def paper_command(turn: Turn, args: str) -> None:
    """The child's side: the form to print (through the outbox) and a wait for its photo."""
    await turn.services.applications.paper_form(turn.me)
    await turn.cursor.set_state(PHOTO)
    await turn.cursor.set_data({})
    await turn.chat.show(Screen(turn.t("paper-explain")))


async def start_pressed(turn: Turn, action: PaperAction) -> None:
    await turn.chat.notice()
    await paper_command(turn, "")


async def photo_given(turn: Turn, given: Input) -> None:
    replaced = await turn.services.applications.submit_paper(turn.me, given)
    await turn.cursor.clear()
    await turn.chat.show(Screen(turn.t("paper-replaced" if replaced else "paper-sent")))


def waiting_screen(t: Translator, waiting: tuple[WaitingParent, ...]) -> Screen:
    if not waiting:
        return Screen(t("parents-waiting-none"))
    lines = [t("parents-waiting-title", count=len(waiting))]
    for entry in waiting[:MAX_LINES]:
        lines.append(
            t("parents-waiting-line", number=entry.number, group=entry.group_label,
              days=entry.days, paper="yes" if entry.paper_id else "no")
        )  # fmt: skip
    if len(waiting) > MAX_LINES:
        lines.append(t("parents-waiting-more", count=len(waiting) - MAX_LINES))
    papers = [entry for entry in waiting if entry.paper_id is not None][:MAX_BUTTONS]
    buttons = [
        [doing(f"{t('paper-btn-open')} {entry.number}",
               PaperAction(verb=PaperVerb.OPEN, item=entry.paper_id or 0))]
        for entry in papers
    ]  # fmt: skip
    return Screen("\n".join(lines), buttons)


async def waiting_command(turn: Turn, args: str) -> None:
    waiting = await turn.services.applications.parents_waiting(turn.me)
    await turn.chat.show(waiting_screen(turn.t, waiting))


async def open_pressed(turn: Turn, action: PaperAction) -> None:
    """The photo and its decision buttons come through the outbox, in order."""
    await turn.services.applications.open_paper(turn.me, action.item)
    await turn.chat.notice()


async def approve_pressed(turn: Turn, action: PaperAction) -> None:
    view = await turn.services.applications.decide_paper(turn.me, action.item, approve=True)
    await turn.chat.notice()
    await turn.chat.redraw(Screen(turn.t("paper-approved-office", number=view.number)))


async def refuse_pressed(turn: Turn, action: PaperAction) -> None:
    view = await turn.services.applications.decide_paper(turn.me, action.item, approve=False)
    await turn.chat.notice()
    await turn.chat.redraw(Screen(turn.t("paper-refused-office", number=view.number)))


DIALOG = Dialog(
    name="paper_consent",
    action=PaperAction,
    commands={"parent_paper": paper_command, "parents_waiting": waiting_command},
    states={PHOTO: photo_given},
    actions={
        PaperVerb.START: start_pressed,
        PaperVerb.OPEN: open_pressed,
        PaperVerb.APPROVE: approve_pressed,
        PaperVerb.REFUSE: refuse_pressed,
    },
)
