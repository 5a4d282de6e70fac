"""The project passport's screens: the passport with what may be done with it, and one field's
question while the tutor fills it. Pure functions of a view and the person's language."""

from __future__ import annotations

from dialogs.roadmap_screens import roadmap_button
from dialogs.screen import Keyboard, Screen
from services.actions import RoadmapVerb
from services.domain import PASSPORT_FIELDS
from services.i18n import Translator
from services.roadmap import PassportView


def passport_screen(t: Translator, view: PassportView, filled: bool = False) -> Screen:
    """The passport, field by field; `filled` puts "answers saved" above it (the tutor has
    just gone through the questions)."""
    none = t("roadmap-empty-field")
    lines = [t("passport-title", team=view.team, status=t(f"passport-status-{view.status.value}"))]
    for name in PASSPORT_FIELDS:
        lines.append(t(f"passport-field-{name}", value=view.fields[name] or none))
    if view.return_comment and view.status.value == "returned":
        lines.append(t("roadmap-comment-line", comment=view.return_comment))
    rows: Keyboard = [[], []]
    if view.can_edit:
        rows[0].append(
            roadmap_button(t("passport-btn-fill"), RoadmapVerb.FILL_PASSPORT, view.team_id)
        )
    if view.can_submit:
        rows[0].append(
            roadmap_button(t("passport-btn-submit"), RoadmapVerb.SUBMIT_PASSPORT, view.team_id)
        )
    if view.can_review:
        rows[1].append(
            roadmap_button(t("roadmap-btn-approve"), RoadmapVerb.APPROVE_PASSPORT, view.id)
        )
        rows[1].append(
            roadmap_button(t("roadmap-btn-return"), RoadmapVerb.ASK_PASSPORT_RETURN, view.id)
        )
    text = "\n\n".join(lines)
    if filled:
        text = t("passport-filled") + "\n\n" + text
    return Screen(text, rows)


def field_screen(t: Translator, view: PassportView, index: int) -> Screen:
    """The question of the field at `index`, what it holds now, Keep (when it holds something),
    Back and leave."""
    name = PASSPORT_FIELDS[index]
    current = view.fields[name]
    text = t(f"passport-ask-{name}", step=str(index + 1), total=str(len(PASSPORT_FIELDS)))
    if current:
        text += "\n\n" + t("passport-current", value=current)
    rows: Keyboard = (
        [[roadmap_button(t("passport-btn-keep"), RoadmapVerb.KEEP_FIELD, view.team_id)]]
        if current
        else []
    )
    rows.append(
        [
            roadmap_button(t("roadmap-btn-back"), RoadmapVerb.PREVIOUS_FIELD, view.team_id),
            roadmap_button(t("passport-btn-exit"), RoadmapVerb.LEAVE_PASSPORT, view.team_id),
        ]
    )
    return Screen(text, rows)
