"""The season's events, for any messenger: the office's /event_new (YAML after the command),
/event_move, /checkin_code and /roster (with «✅ был» buttons); everyone's /agenda and
/checkin CODE; the invitation's «Буду / Не смогу». Every press is re-checked by
services/season_events/."""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn, doing
from services.actions import EventAction, EventVerb
from services.i18n import Translator
from services.season_events import EXAMPLE, Roster

DEFAULT_CODE_MINUTES = 10


def roster_screen(t: Translator, roster: Roster) -> Screen:
    lines = [t("event-roster", title=roster.title, total=roster.total, shown=len(roster.rows))]
    buttons = []
    for row in roster.rows:
        lines.append(t("event-roster-row", name=row.name, present="yes" if row.present else "no"))
        if not row.present:
            action = EventAction(verb=EventVerb.MARK, item=roster.event_id, value=row.person_id)
            buttons.append([doing(t("event-btn-mark", name=row.name), action)])
    return Screen("\n".join(lines), buttons)


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


async def event_new_command(turn: Turn, args: str) -> None:
    if not args.strip():
        await turn.chat.show(Screen(turn.t("event-new-help", example=EXAMPLE)))
        return
    created = await turn.services.season_events.create(turn.me, args)
    await turn.chat.show(Screen(turn.t("event-created", title=created.title, id=created.id,
                                       items=created.items, invited=created.invited)))  # fmt: skip


async def event_move_command(turn: Turn, args: str) -> None:
    parts = args.split(maxsplit=3)
    item = _number(parts[0]) if parts else None
    if item is None or len(parts) < 3:
        await turn.chat.show(Screen(turn.t("event-move-help")))
        return
    place = parts[3] if len(parts) > 3 else None
    told = await turn.services.season_events.move_item(
        turn.me, item, f"{parts[1]} {parts[2]}", place
    )
    await turn.chat.show(Screen(turn.t("event-moved", told=told)))


async def checkin_code_command(turn: Turn, args: str) -> None:
    parts = args.split()
    event_id = _number(parts[0]) if parts else None
    minutes = _number(parts[1]) if len(parts) > 1 else DEFAULT_CODE_MINUTES
    if event_id is None or minutes is None:
        await turn.chat.show(Screen(turn.t("event-code-help")))
        return
    code, until = await turn.services.season_events.new_code(turn.me, event_id, minutes)
    await turn.chat.show(Screen(turn.t("event-code-made", code=code, until=until)))


async def checkin_command(turn: Turn, args: str) -> None:
    if not args.strip():
        await turn.chat.show(Screen(turn.t("event-checkin-help")))
        return
    result = await turn.services.season_events.check_in(turn.me, args)
    key = "event-checked-in" if result.new else "event-checked-in-already"
    await turn.chat.show(Screen(turn.t(key, title=result.title)))


async def agenda_command(turn: Turn, args: str) -> None:
    await turn.chat.show(Screen(await turn.services.season_events.agenda(turn.me)))


async def roster_command(turn: Turn, args: str) -> None:
    event_id = _number(args.strip())
    if event_id is None:
        await turn.chat.show(Screen(turn.t("event-roster-help")))
        return
    roster = await turn.services.season_events.roster(turn.me, event_id)
    await turn.chat.show(roster_screen(turn.t, roster))


async def _answer(turn: Turn, action: EventAction, yes: bool) -> None:
    text, changed = await turn.services.season_events.answer(turn.me, action.item, yes)
    await turn.chat.notice(turn.t("event-answer-saved" if changed else "event-answer-same"))
    if changed:
        buttons = turn.services.season_events.answer_buttons(turn.t, action.item)
        await turn.chat.redraw(Screen(text, buttons))


async def yes_pressed(turn: Turn, action: EventAction) -> None:
    await _answer(turn, action, True)


async def no_pressed(turn: Turn, action: EventAction) -> None:
    await _answer(turn, action, False)


async def mark_pressed(turn: Turn, action: EventAction) -> None:
    roster = await turn.services.season_events.mark(turn.me, action.item, action.value)
    await turn.chat.notice()
    await turn.chat.redraw(roster_screen(turn.t, roster))


DIALOG = Dialog(
    name="season_events",
    action=EventAction,
    commands={
        "event_new": event_new_command,
        "event_move": event_move_command,
        "checkin_code": checkin_code_command,
        "checkin": checkin_command,
        "agenda": agenda_command,
        "roster": roster_command,
    },
    actions={
        EventVerb.YES: yes_pressed,
        EventVerb.NO: no_pressed,
        EventVerb.MARK: mark_pressed,
    },
)
