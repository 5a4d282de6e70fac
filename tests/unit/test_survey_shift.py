"""The survey's shift: the mean change per group, and the rule that a group of fewer than five
respondents is hidden — «—», never a number — in the text, the chart and the export."""

from __future__ import annotations

import io

import pytest
from matplotlib import image
from openpyxl import load_workbook

from dialogs.survey import shift_text
from services.i18n import Texts
from services.survey import shift_labels
from services.survey.render import render_chart, render_xlsx
from services.survey.shift import (
    GroupShift,
    ShiftReport,
    collect,
    group_shifts,
    person_shifts,
    signed,
)

T = Texts().for_language("ru")


def _rows(
    person: int, start: tuple[int, int, int], end: tuple[int, int, int] | None
) -> list[tuple[int, str, str, str | None]]:
    names = ("study", "work", "future")
    rows: list[tuple[int, str, str, str | None]] = [
        (person, "start", q, str(v)) for q, v in zip(names, start, strict=True)
    ]
    if end is not None:
        rows += [(person, "end", q, str(v)) for q, v in zip(names, end, strict=True)]
    return rows


def test_mean_shift_is_end_minus_start_over_people_who_answered_both() -> None:
    rows = [
        *_rows(1, (1, 2, 3), (3, 2, 1)),  # +2, 0, −2
        *_rows(2, (5, 5, 5), (4, 5, 5)),  # −1, 0, 0
        *_rows(3, (1, 1, 1), None),  # the end wave unanswered: not counted
        (4, "start", "study", "2"),
        (4, "end", "study", None),  # skipped at the end: no shift on that question
        (4, "end", "work", "5"),  # no start answer to compare with
    ]
    shifts = person_shifts(collect(rows))
    assert shifts == {
        1: {"study": 2.0, "work": 0.0, "future": -2.0},
        2: {"study": -1.0, "work": 0.0, "future": 0.0},
    }
    (group,) = group_shifts("role", {1: "A", 2: "A"}, shifts)
    assert group.respondents == 2
    assert group.shifts == {"study": 0.5, "work": 0.0, "future": -1.0}


def test_groups_under_five_are_hidden_and_five_are_shown() -> None:
    shifts = {p: {"study": 1.0, "work": 2.0, "future": 0.0} for p in range(9)}
    membership = {p: ("Большой" if p < 5 else "Малый") for p in range(9)}
    big, small = group_shifts("municipality", membership, shifts)
    assert (big.name, big.respondents, big.hidden) == ("Большой", 5, False)
    assert big.shown("study") == 1.0
    assert (small.name, small.respondents, small.hidden) == ("Малый", 4, True)
    assert small.shown("study") is None and small.shifts["study"] == 1.0


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (0.0, "0"), (2.0, "+2"), (-1.25, "\u22121,25"), (1.67, "+1,67")],
)
def test_signed(value: float | None, text: str) -> None:
    assert signed(value) == text


REPORT = ShiftReport(
    "Сезон",
    11,
    [
        GroupShift("municipality", "Томск", 7, {"study": 1.5, "work": 0.25, "future": -0.5}),
        GroupShift("municipality", "Северск", 4, {"study": 3.0, "work": 3.0, "future": 3.0}),
        GroupShift("role", "Школьники", 11, {"study": 2.0, "work": 1.0, "future": 0.0}),
    ],
)


def test_the_text_hides_the_small_group() -> None:
    text = shift_text(T, REPORT)
    assert "Томск: учёба +1,5, работа +0,25, будущее \u22120,5 (ответили: 7)" in text
    assert "Северск: —" in text
    assert "+3" not in text and "ответили: 4" not in text


def test_the_export_hides_the_small_group() -> None:
    data = render_xlsx(REPORT, shift_labels(T))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Томск"][2:] == (7, 1.5, 0.25, -0.5)
    assert rows["Северск"][2:] == ("—", "—", "—", "—")
    assert 3 not in [v for row in rows.values() for v in row]


def test_the_chart_is_a_png_and_draws_no_bar_for_the_small_group() -> None:
    labels = shift_labels(T)
    data = render_chart(REPORT, labels)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert image.imread(io.BytesIO(data), format="png").shape[:2] == (900, 900)
    # The same report with Северск's numbers changed draws the very same picture: they are
    # not shown anywhere on it.
    other = ShiftReport(
        REPORT.season_name,
        REPORT.respondents,
        [
            REPORT.groups[0],
            GroupShift("municipality", "Северск", 4, {"study": -2.0, "work": 1.0, "future": 4.0}),
            REPORT.groups[2],
        ],
    )
    assert render_chart(other, labels) == data
