"""The roadmap's screens: a team's stages, a stage's card, the team to pick and Back (the last
two shared with the passport), drawn from the views of services.roadmap. Pure functions of a
view and the person's language."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.screen import Button, Keyboard, Named, Screen, doing
from services.actions import RoadmapAction, RoadmapVerb
from services.i18n import Translator
from services.roadmap import RoadmapView, StageView

STAGE_BUTTON_LIMIT = 60


def roadmap_button(text: str, verb: RoadmapVerb, item: int) -> Button:
    return doing(text, RoadmapAction(verb=verb, item=item))


def pick_team_screen(t: Translator, teams: Sequence[Named], verb: RoadmapVerb) -> Screen:
    """Someone in several teams picks the one whose roadmap or passport to open."""
    return Screen(t("team-pick"), [[roadmap_button(team.name, verb, team.id)] for team in teams])


def asking_screen(text: str, t: Translator) -> Screen:
    """A question waiting for a typed answer, with Back to leave it."""
    return Screen(text, [[roadmap_button(t("roadmap-btn-back"), RoadmapVerb.BACK, 0)]])


def roadmap_screen(t: Translator, view: RoadmapView) -> Screen:
    lines = [t("roadmap-title", team=view.team)]
    rows: Keyboard = []
    if not view.stages:
        lines.append(t("roadmap-no-stages"))
    for stage in view.stages:
        lines.append(
            t(
                "roadmap-line",
                n=str(stage.position),
                title=stage.title,
                due=stage.due or t("roadmap-no-due"),
                status=t(f"roadmap-status-{stage.status.value}"),
            )
        )
        label = f"{stage.position}. {stage.title}"[:STAGE_BUTTON_LIMIT]
        rows.append([roadmap_button(label, RoadmapVerb.OPEN_STAGE, stage.id)])
    if view.can_add:
        rows.append([roadmap_button(t("roadmap-btn-add"), RoadmapVerb.ADD_STAGE, view.team_id)])
    return Screen("\n".join(lines), rows)


def stage_screen(t: Translator, view: StageView, saved: bool = False) -> Screen:
    """A stage's card; `saved` puts the due-date confirmation above it."""
    lines = [
        t(
            "roadmap-stage-card",
            n=str(view.position),
            title=view.title,
            due=view.due or t("roadmap-no-due"),
            status=t(f"roadmap-status-{view.status.value}"),
        )
    ]
    if view.report_kind and view.status.value in ("submitted", "approved", "returned"):
        lines.append(t("roadmap-report-line", report=view.report_text or t("roadmap-report-file")))
    if view.return_comment and view.status.value == "returned":
        lines.append(t("roadmap-comment-line", comment=view.return_comment))
    rows: Keyboard = [[], [], []]
    if view.can_submit:
        rows[0].append(
            roadmap_button(t("roadmap-btn-submit"), RoadmapVerb.ASK_STAGE_REPORT, view.id)
        )
    if view.can_set_due:
        rows[0].append(roadmap_button(t("roadmap-btn-due"), RoadmapVerb.ASK_STAGE_DUE, view.id))
    if view.can_review:
        rows[1].append(roadmap_button(t("roadmap-btn-approve"), RoadmapVerb.APPROVE_STAGE, view.id))
        rows[1].append(
            roadmap_button(t("roadmap-btn-return"), RoadmapVerb.ASK_STAGE_RETURN, view.id)
        )
    rows[2].append(roadmap_button(t("roadmap-btn-list"), RoadmapVerb.OPEN_ROADMAP, view.team_id))
    text = "\n".join(lines)
    if saved:
        text = t("roadmap-due-saved") + "\n\n" + text
    return Screen(text, rows)
