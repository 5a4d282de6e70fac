"""The /stats charts as PNG bytes: the funnel and ages, applications by day, municipalities
and ideas.

Drawn with matplotlib's object API (a `Figure` on its own Agg canvas), never pyplot: no global
state, so charts drawn in worker threads (asyncio.to_thread) never share a figure. Labels come
in already translated; DejaVu Sans, which ships with matplotlib, has Cyrillic.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from services.stats import StatsSnapshot

WIDTH, HEIGHT, DPI = 9.0, 4.8, 100
BLUE, GREEN, GREY = "#3b6fb6", "#52a36b", "#9aa5b1"
# Ages drawn one bar each up to this; older ones share the last bar.
AGE_CAP = 25


@dataclass(frozen=True)
class ChartLabels:
    caption: str
    funnel: str
    stages: tuple[str, str, str, str, str]
    ages: str
    days: str
    started: str
    submitted: str
    municipalities: str
    ideas: str
    students: str
    tutors: str
    empty: str


def render_charts(snapshot: StatsSnapshot, labels: ChartLabels) -> list[tuple[str, bytes]]:
    # matplotlib (with numpy, ~60 MB) is imported by the process that draws, when it draws:
    # every bot process would otherwise carry it from the start.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    """(file name, PNG bytes) of every chart; CPU-bound, meant for a worker thread."""
    drawers: list[tuple[str, Callable[[Figure, StatsSnapshot, ChartLabels], None]]] = [
        ("stats_funnel.png", _funnel_and_ages),
        ("stats_days.png", _days),
        ("stats_places.png", _places_and_ideas),
    ]
    charts = []
    for filename, draw in drawers:
        figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        draw(figure, snapshot, labels)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        charts.append((filename, buffer.getvalue()))
    return charts


def _funnel_and_ages(figure: Figure, snapshot: StatsSnapshot, labels: ChartLabels) -> None:
    left, right = figure.subplots(1, 2, width_ratios=(3, 2))
    f = snapshot.funnel
    values = [f.started, f.consented, f.submitted, f.reviewed, f.accepted]
    bars = left.bar(range(5), values, color=BLUE)
    left.set_xticks(range(5), labels.stages, rotation=20, ha="right")
    left.bar_label(bars, labels=[_n(v) for v in values], padding=2)
    left.set_title(labels.funnel)
    _headroom(left, values)
    ages = _age_bars(snapshot.ages)
    right.set_title(labels.ages)
    if not ages:
        _empty(right, labels.empty)
        return
    names, counts = zip(*ages, strict=True)
    right.bar(range(len(counts)), counts, color=GREEN)
    right.set_xticks(range(len(names)), names, fontsize=8)
    _headroom(right, counts)


def _age_bars(ages: dict[int, int]) -> list[tuple[str, int]]:
    bars = [(str(age), count) for age, count in ages.items() if age < AGE_CAP]
    older = sum(count for age, count in ages.items() if age >= AGE_CAP)
    if older:
        bars.append((f"{AGE_CAP}+", older))
    return bars


def _days(figure: Figure, snapshot: StatsSnapshot, labels: ChartLabels) -> None:
    axes = figure.subplots()
    axes.set_title(labels.days)
    if not snapshot.by_day:
        _empty(axes, labels.empty)
        return
    days = [day for day, _, _ in snapshot.by_day]
    positions = range(len(days))
    axes.bar(positions, [s for _, s, _ in snapshot.by_day], color=GREY, label=labels.started)
    axes.plot(
        positions,
        [s for _, _, s in snapshot.by_day],
        color=BLUE,
        marker="o" if len(days) <= 31 else None,
        label=labels.submitted,
    )
    step = max(1, len(days) // 12)
    axes.set_xticks(
        list(positions)[::step], [d.strftime("%d.%m") for d in days][::step], rotation=45
    )
    axes.legend(loc="upper left")
    axes.grid(axis="y", alpha=0.3)


def _places_and_ideas(figure: Figure, snapshot: StatsSnapshot, labels: ChartLabels) -> None:
    left, right = figure.subplots(1, 2)
    left.set_title(labels.municipalities)
    if snapshot.by_municipality:
        names, counts = zip(*reversed(snapshot.by_municipality), strict=True)
        bars = left.barh([_short(n) for n in names], counts, color=BLUE)
        left.bar_label(bars, labels=[_n(c) for c in counts], padding=2, fontsize=8)
        left.tick_params(axis="y", labelsize=8)
        _headroom(left, counts, axis="x")
    else:
        _empty(left, labels.empty)
    right.set_title(labels.ideas)
    ideas = list(reversed(snapshot.ideas[:10]))
    if not ideas:
        _empty(right, labels.empty)
        return
    titles = [_short(i.title) for i in ideas]
    students = [i.students for i in ideas]
    right.barh(titles, students, color=BLUE, label=labels.students)
    right.barh(titles, [i.tutors for i in ideas], left=students, color=GREEN, label=labels.tutors)
    right.tick_params(axis="y", labelsize=8)
    right.legend(loc="lower right", fontsize=8)


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def _headroom(axes: Any, values: Sequence[int], axis: str = "y") -> None:
    """Room above the tallest bar for its label."""
    top = max(values, default=0)
    if axis == "y":
        axes.set_ylim(0, max(1, top) * 1.15)
    else:
        axes.set_xlim(0, max(1, top) * 1.2)


def _empty(axes: Any, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color=GREY)
    axes.set_xticks([])
    axes.set_yticks([])
