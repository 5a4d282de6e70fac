"""The shift as files: a PNG chart (matplotlib's object API, never pyplot) and an XLSX sheet
(services/exports/cells.py's Sheet). Both CPU-bound, meant for a worker thread. A hidden group
(fewer than five respondents) shows «—» and no bar, never a number."""

from __future__ import annotations

import io
from dataclasses import dataclass

from services.exports.cells import Sheet
from services.survey.questions import SCALES
from services.survey.shift import HIDDEN, ShiftReport, signed

KINDS = ("municipality", "idea", "role")
COLORS = ("#3b6fb6", "#52a36b", "#d08c3c")
GREY = "#9aa5b1"


@dataclass(frozen=True)
class ShiftLabels:
    title: str
    kinds: dict[str, str]  # kind -> its title
    questions: dict[str, str]  # scale question -> its short name
    hidden: str  # a hidden group's note
    empty: str
    group: str  # the export's column headers
    kind: str
    respondents: str


def render_chart(report: ShiftReport, labels: ShiftLabels) -> bytes:
    # Imported when drawn, not at the bot's start (services/stats_charts.py says why).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9.0, 9.0), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(labels.title)
    for axes, kind in zip(figure.subplots(len(KINDS), 1), KINDS, strict=True):
        axes.set_title(labels.kinds[kind], fontsize=10)
        groups = [g for g in report.groups if g.kind == kind][:10]
        if not groups:
            axes.text(0.5, 0.5, labels.empty, ha="center", va="center",
                      transform=axes.transAxes, color=GREY)  # fmt: skip
            axes.set_xticks([])
            axes.set_yticks([])
            continue
        height = 0.8 / len(SCALES)
        for n, (question, color) in enumerate(zip(SCALES, COLORS, strict=True)):
            positions = [i + n * height for i in range(len(groups))]
            values = [g.shown(question) or 0.0 for g in groups]
            bars = axes.barh(positions, values, height=height, color=color,
                             label=labels.questions[question])  # fmt: skip
            axes.bar_label(bars, labels=[signed(g.shown(question)) for g in groups], fontsize=7)
        names = [
            f"{_short(g.name)} ({labels.hidden})"
            if g.hidden
            else f"{_short(g.name)} ({g.respondents})"
            for g in groups
        ]
        axes.set_yticks([i + 0.4 - height / 2 for i in range(len(groups))], names, fontsize=8)
        axes.axvline(0, color=GREY, linewidth=0.8)
        axes.set_xlim(-4.5, 4.5)
        axes.legend(loc="lower right", fontsize=7)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def render_xlsx(report: ShiftReport, labels: ShiftLabels) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    headers = [labels.kind, labels.group, labels.respondents]
    headers += [labels.questions[q] for q in SCALES]
    sheet = Sheet(workbook, labels.title[:31], headers)
    sheet.write(
        [
            labels.kinds[g.kind],
            g.name,
            HIDDEN if g.hidden else g.respondents,
            *(HIDDEN if g.shown(q) is None else g.shown(q) for q in SCALES),
        ]
        for g in report.groups
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
