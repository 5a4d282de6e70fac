"""The office's /broadcast, for any messenger: a segment, an optional filter, the text (or a
photo or document with its caption), a preview with the number of recipients and the
«Срочно (и ночью)» toggle, then «Отправить» or «Отмена». The progress message that follows
comes through the outbox with a stop button. Every press is re-checked by
services/broadcasts/."""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn, doing, rows_of
from services.actions import BroadcastAction, BroadcastVerb
from services.broadcasts import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    BroadcastView,
    FilterPage,
    Preview,
)
from services.domain import BroadcastFilter, BroadcastSegment
from services.i18n import Translator
from services.questionnaire import Input

WRITE = "BroadcastStates:write"
FILTER_CODES = {
    BroadcastFilter.MUNICIPALITY: "mu",
    BroadcastFilter.IDEA: "id",
    BroadcastFilter.TEAM: "tm",
    BroadcastFilter.STATUS: "st",
}
FILTER_OF_CODE = {code: kind for kind, code in FILTER_CODES.items()}
SEGMENTS = list(BroadcastSegment)


def _act(verb: BroadcastVerb, item: int = 0, **fields: object) -> BroadcastAction:
    return BroadcastAction.model_validate({"verb": verb, "item": item, **fields})


def segments_screen(t: Translator) -> Screen:
    buttons = [
        doing(t(f"broadcast-segment-{segment.value}"),
              _act(BroadcastVerb.SEGMENT, value=SEGMENTS.index(segment)))
        for segment in SEGMENTS
    ]  # fmt: skip
    return Screen(t("broadcast-choose-segment"), rows_of(buttons, 1))


def filters_screen(
    t: Translator, view: BroadcastView, kinds: tuple[BroadcastFilter, ...]
) -> Screen:
    buttons = [doing(t("broadcast-btn-no-filter"), _act(BroadcastVerb.NO_FILTER, view.id))]
    buttons += [
        doing(t(f"broadcast-filter-{kind.value}"),
              _act(BroadcastVerb.FILTER, view.id, kind=FILTER_CODES[kind]))
        for kind in kinds
    ]  # fmt: skip
    text = t("broadcast-choose-filter", segment=t(f"broadcast-segment-{view.segment.value}"))
    return Screen(text, rows_of(buttons, 1))


def options_screen(t: Translator, found: FilterPage) -> Screen:
    view, code = found.broadcast, FILTER_CODES[found.kind]
    buttons = [
        [doing(name, _act(BroadcastVerb.PICK, view.id, kind=code, value=value))]
        for value, name in found.options
    ]
    paging = []
    if found.page > 0:
        paging.append(
            doing(
                t("broadcast-btn-prev"),
                _act(BroadcastVerb.FILTER, view.id, kind=code, page=found.page - 1),
            )
        )
    if found.page + 1 < found.pages:
        paging.append(
            doing(
                t("broadcast-btn-next"),
                _act(BroadcastVerb.FILTER, view.id, kind=code, page=found.page + 1),
            )
        )
    buttons += [paging, [doing(t("broadcast-btn-back"), _act(BroadcastVerb.FILTERS, view.id))]]
    title = t("broadcast-choose-value", filter=t(f"broadcast-filter-{found.kind.value}"),
              page=found.page + 1, pages=found.pages)  # fmt: skip
    if not found.options:
        title += "\n" + t("broadcast-no-values")
    return Screen(title, buttons)


def audience(t: Translator, view: BroadcastView) -> str:
    segment = t(f"broadcast-segment-{view.segment.value}")
    if view.narrow is None:
        return segment
    kind = t(f"broadcast-filter-{view.narrow[0].value}")
    return t("broadcast-audience-filtered", segment=segment, filter=kind,
             value=view.narrow_name or "—")  # fmt: skip


def write_screen(t: Translator, view: BroadcastView) -> Screen:
    return Screen(t("broadcast-write", audience=audience(t, view), text_limit=TEXT_LIMIT,
                    caption_limit=CAPTION_LIMIT))  # fmt: skip


def preview_screen(t: Translator, preview: Preview) -> Screen:
    view = preview.broadcast
    sample = view.text or t("broadcast-preview-no-caption")
    if view.media_kind:
        sample = t("broadcast-preview-media", kind=view.media_kind) + "\n" + sample
    text = t("broadcast-preview", sample=sample, audience=audience(t, view),
             recipients=preview.recipients, urgent="yes" if view.urgent else "no",
             minors=preview.minors, deferred=preview.deferred)  # fmt: skip
    if preview.text_only:
        text += "\n" + t("broadcast-preview-text-only", count=preview.text_only)
    urgent = "broadcast-btn-urgent-on" if view.urgent else "broadcast-btn-urgent-off"
    buttons = [
        [doing(t(urgent), _act(BroadcastVerb.URGENT, view.id))],
        [doing(t("broadcast-btn-send"), _act(BroadcastVerb.SEND, view.id))],
        [doing(t("broadcast-btn-rewrite"), _act(BroadcastVerb.REWRITE, view.id)),
         doing(t("broadcast-btn-discard"), _act(BroadcastVerb.DISCARD, view.id))],
    ]  # fmt: skip
    return Screen(text, buttons)


async def broadcast_command(turn: Turn, args: str) -> None:
    turn.services.broadcasts.segments(turn.me)  # the office only
    await turn.cursor.clear()
    await turn.chat.show(segments_screen(turn.t))


async def segment_pressed(turn: Turn, action: BroadcastAction) -> None:
    if action.value >= len(SEGMENTS):
        await turn.chat.notice(turn.t("broadcast-gone"), alert=True)
        return
    view = await turn.services.broadcasts.create(turn.me, SEGMENTS[action.value])
    await turn.chat.notice()
    kinds = await turn.services.broadcasts.filters(turn.me, view.id)
    if kinds:
        await turn.chat.redraw(filters_screen(turn.t, view, kinds))
    else:
        await _ask_text(turn, view)


async def filters_pressed(turn: Turn, action: BroadcastAction) -> None:
    kinds = await turn.services.broadcasts.filters(turn.me, action.item)
    view = await turn.services.broadcasts.writing(turn.me, action.item)
    await turn.chat.notice()
    await turn.chat.redraw(filters_screen(turn.t, view, kinds))


async def filter_pressed(turn: Turn, action: BroadcastAction) -> None:
    kind = FILTER_OF_CODE.get(action.kind)
    if kind is None:
        await turn.chat.notice(turn.t("broadcast-filter-gone"), alert=True)
        return
    found = await turn.services.broadcasts.options(turn.me, action.item, kind, action.page)
    await turn.chat.notice()
    await turn.chat.redraw(options_screen(turn.t, found))


async def pick_pressed(turn: Turn, action: BroadcastAction) -> None:
    kind = FILTER_OF_CODE.get(action.kind)
    if kind is None:
        await turn.chat.notice(turn.t("broadcast-filter-gone"), alert=True)
        return
    view = await turn.services.broadcasts.narrow(turn.me, action.item, kind, action.value)
    await turn.chat.notice()
    await _ask_text(turn, view)


async def no_filter_pressed(turn: Turn, action: BroadcastAction) -> None:
    view = await turn.services.broadcasts.writing(turn.me, action.item)
    await turn.chat.notice()
    await _ask_text(turn, view)


async def _ask_text(turn: Turn, view: BroadcastView) -> None:
    await turn.cursor.set_state(WRITE)
    await turn.cursor.set_data({"broadcast": view.id})
    await turn.chat.redraw(write_screen(turn.t, view))


async def content_given(turn: Turn, given: Input) -> None:
    broadcast_id = int((await turn.cursor.get_data()).get("broadcast", 0))
    preview = await turn.services.broadcasts.set_content(turn.me, broadcast_id, given)
    await turn.cursor.clear()
    await turn.chat.show(preview_screen(turn.t, preview))


async def urgent_pressed(turn: Turn, action: BroadcastAction) -> None:
    preview = await turn.services.broadcasts.toggle_urgent(turn.me, action.item)
    await turn.chat.notice()
    await turn.chat.redraw(preview_screen(turn.t, preview))


async def send_pressed(turn: Turn, action: BroadcastAction) -> None:
    started = await turn.services.broadcasts.confirm(turn.me, action.item)
    await turn.chat.notice()
    await turn.chat.redraw(Screen(turn.t("broadcast-started", total=started.total)))


async def rewrite_pressed(turn: Turn, action: BroadcastAction) -> None:
    view = await turn.services.broadcasts.writing(turn.me, action.item)
    await turn.chat.notice()
    await _ask_text(turn, view)


async def discard_pressed(turn: Turn, action: BroadcastAction) -> None:
    await turn.services.broadcasts.discard(turn.me, action.item)
    await turn.cursor.clear()
    await turn.chat.notice()
    await turn.chat.redraw(Screen(turn.t("broadcast-discarded")))


async def stop_pressed(turn: Turn, action: BroadcastAction) -> None:
    stopped = await turn.services.broadcasts.cancel(turn.me, action.item)
    await turn.chat.notice(turn.t("broadcast-stopped", count=stopped), alert=True)


DIALOG = Dialog(
    name="broadcast",
    action=BroadcastAction,
    commands={"broadcast": broadcast_command},
    states={WRITE: content_given},
    actions={
        BroadcastVerb.SEGMENT: segment_pressed,
        BroadcastVerb.FILTERS: filters_pressed,
        BroadcastVerb.FILTER: filter_pressed,
        BroadcastVerb.PICK: pick_pressed,
        BroadcastVerb.NO_FILTER: no_filter_pressed,
        BroadcastVerb.URGENT: urgent_pressed,
        BroadcastVerb.SEND: send_pressed,
        BroadcastVerb.REWRITE: rewrite_pressed,
        BroadcastVerb.DISCARD: discard_pressed,
        BroadcastVerb.STOP: stop_pressed,
    },
)
