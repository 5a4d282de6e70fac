"""The reviewer's screens: /review's pages and the application card's panel, drawn from the views
of services.selection. Pure functions of a view and the person's language; the office's card
(dialogs/office_selection.py) is redrawn by the same `card_screen`."""

from __future__ import annotations

from dialogs.screen import Button, Keyboard, Screen, doing
from services.actions import ReviewAction, ReviewVerb
from services.i18n import Translator
from services.selection import ReviewList
from services.selection.card import CardView, card_parts, clip


def _do(text: str, verb: ReviewVerb, **fields: int) -> Button:
    return doing(text, ReviewAction(verb=verb, **fields))


def card_screen(t: Translator, view: CardView) -> Screen:
    """The card's last part, which holds the panel and the buttons: what a press redraws. (The
    whole card is sent by the service, through the outbox, so that it can be taken back.)"""
    last = card_parts(view, t)[-1]
    return Screen(last.text, last.buttons or [])


def list_screen(t: Translator, view: ReviewList) -> Screen:
    """A page of the reviewer's queue: one button per application, paging, a filter per idea."""
    ideas = dict(view.ideas)
    title = ideas.get(view.idea_id, t("sel-review-all"))
    lines = [t("sel-review-title", filter=title, page=view.page + 1, pages=view.pages)]
    rows: Keyboard = []
    if not view.items:
        lines.append(t("sel-review-empty"))
    for item in view.items:
        role = t(f"sel-role-{item.role.value if item.role else 'none'}")
        mark = t("sel-review-mark", progress=item.progress.value)
        text = t("sel-review-item", mark=mark, number=item.number, role=role)
        lines.append(text)
        rows.append([_do(text, ReviewVerb.OPEN_CARD, application=item.application_id)])
    lines.append(t("sel-review-legend"))
    rows.append(_paging(t, view))
    if len(view.ideas) > 1:
        rows += [
            [_do(clip(f"🔎 {name}"), ReviewVerb.LIST, idea=idea_id)] for idea_id, name in view.ideas
        ]
        rows.append([_do(t("sel-btn-all-ideas"), ReviewVerb.LIST)])
    return Screen("\n".join(lines), rows)


def _paging(t: Translator, view: ReviewList) -> list[Button]:
    paging, idea = [], view.idea_id
    if view.page > 0:
        paging.append(_do(t("sel-btn-prev"), ReviewVerb.LIST, idea=idea, page=view.page - 1))
    if view.page + 1 < view.pages:
        paging.append(_do(t("sel-btn-next"), ReviewVerb.LIST, idea=idea, page=view.page + 1))
    return paging
