"""The /stats screen: the snapshot's numbers as a short text (within one message), numbers
written the Russian way (10 000, 45 %), dates in the season's zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dialogs.screen import Screen, doing
from services.actions import StatsAction, StatsVerb
from services.domain import Role
from services.i18n import Translator
from services.stats import StatsSnapshot
from services.text_fit import MESSAGE_LIMIT

# How many lines a list of the text shows before «…и ещё N».
DAYS_SHOWN = 7
LIST_SHOWN = 8


def number(value: int) -> str:
    """10000 -> «10 000» (a non-breaking space between thousands)."""
    return f"{value:,}".replace(",", "\u00a0")


def stats_screen(t: Translator, snapshot: StatsSnapshot, *, charts_coming: bool) -> Screen:
    parts = [
        _header(t, snapshot),
        _funnel(t, snapshot),
        _days(t, snapshot),
        _listing(
            t,
            t("stats-municipalities"),
            [t("stats-count-line", name=n, count=number(c)) for n, c in snapshot.by_municipality],
        ),
        _listing(
            t,
            t("stats-ideas"),
            [
                t(
                    "stats-idea-line",
                    title=i.title,
                    students=number(i.students),
                    tutors=number(i.tutors),
                )
                for i in snapshot.ideas
            ],
        ),
        _work(t, snapshot),
    ]
    if charts_coming:
        parts.append(t("stats-charts-coming"))
    text = "\n\n".join(part for part in parts if part)
    if len(text) > MESSAGE_LIMIT:  # only names can make it long: cut at a line, say so
        text = text[: MESSAGE_LIMIT - 1].rsplit("\n", 1)[0] + "\n…"
    buttons = [
        [
            doing(t("stats-refresh"), StatsAction(verb=StatsVerb.REFRESH)),
            doing(t("stats-refresh-text"), StatsAction(verb=StatsVerb.TEXT)),
        ]
    ]
    return Screen(text, buttons)


def _header(t: Translator, snapshot: StatsSnapshot) -> str:
    local = snapshot.taken_at.astimezone(ZoneInfo(snapshot.timezone))
    lines = [t("stats-title", season=snapshot.season_name)]
    if snapshot.mine:
        lines.append(
            t(
                "stats-scope-mine",
                ideas=number(snapshot.scope_ideas),
                teams=number(snapshot.scope_teams),
            )
        )
    lines.append(t("stats-taken-at", at=local.strftime("%d.%m.%Y %H:%M"), zone=snapshot.timezone))
    return "\n".join(lines)


def _funnel(t: Translator, snapshot: StatsSnapshot) -> str:
    f = snapshot.funnel
    steps = (
        ("stats-funnel-started", f.started),
        ("stats-funnel-consented", f.consented),
        ("stats-funnel-submitted", f.submitted),
        ("stats-funnel-reviewed", f.reviewed),
        ("stats-funnel-accepted", f.accepted),
    )
    lines = [t("stats-funnel-title")]
    for index, (key, count) in enumerate(steps):
        share = ""
        if index and f.started:
            share = t("stats-share", percent=number(round(100 * count / f.started)))
        lines.append(t("stats-funnel-line", name=t(key), count=number(count), share=share))
    lines.append(
        t(
            "stats-roles",
            students=number(snapshot.by_role.get(Role.STUDENT, 0)),
            tutors=number(snapshot.by_role.get(Role.TUTOR, 0)),
        )
    )
    ages = snapshot.ages
    unknown = snapshot.ages_unknown
    lines.append(
        t(
            "stats-ages",
            under14=number(sum(c for a, c in ages.items() if a < 14)),
            minors=number(sum(c for a, c in ages.items() if 14 <= a < 18)),
            adults=number(sum(c for a, c in ages.items() if a >= 18)),
            unknown=t("stats-ages-unknown", count=number(unknown)) if unknown else "",
        )
    )
    return "\n".join(lines)


def _days(t: Translator, snapshot: StatsSnapshot) -> str:
    if not snapshot.by_day:
        return t("stats-days-none")
    shown = snapshot.by_day[-DAYS_SHOWN:]
    lines = [t("stats-days", days=number(len(shown)))]
    lines += [
        t(
            "stats-day-line",
            day=day.strftime("%d.%m"),
            started=number(started),
            submitted=number(submitted),
        )
        for day, started, submitted in shown
    ]
    return "\n".join(lines)


def _listing(t: Translator, title: str, lines: list[str]) -> str:
    if not lines:
        return ""
    shown = lines[:LIST_SHOWN]
    if len(lines) > LIST_SHOWN:
        shown.append(t("stats-more", count=number(len(lines) - LIST_SHOWN)))
    return "\n".join([title, *shown])


def _work(t: Translator, snapshot: StatsSnapshot) -> str:
    teams = snapshot.teams
    lines = []
    if teams:
        lines.append(
            t(
                "stats-teams",
                count=number(len(teams)),
                approved=number(sum(team.approved for team in teams)),
                stages=number(sum(team.stages for team in teams)),
                submitted=number(sum(team.submitted for team in teams)),
            )
        )
        team_lines = [
            t(
                "stats-team-line",
                name=team.name,
                approved=number(team.approved),
                stages=number(team.stages),
            )
            for team in teams
        ]
        lines.append(_listing(t, "", team_lines).lstrip("\n"))
    else:
        lines.append(t("stats-teams-none"))
    k, b = snapshot.tasks, snapshot.bookings
    lines.append(
        t(
            "stats-tasks",
            total=number(k.total),
            done=number(k.done),
            submitted=number(k.submitted),
            overdue=number(k.overdue),
        )
    )
    lines.append(
        t(
            "stats-bookings",
            holding=number(b.holding),
            waitlisted=number(b.waitlisted),
            cancelled=number(b.cancelled),
            attended=number(b.attended),
            no_show=number(b.no_show),
        )
    )
    lines.append(t("stats-reminders", count=number(snapshot.reminders_sent)))
    return "\n".join(lines)
