"""/stats through the recording messenger (no aiogram): the office gets the numbers as one
message and three charts through the outbox; «only numbers» redraws it in place and queues no
chart; a mentor's message says it is their share; anyone else is refused, a forged refresh press
too."""

from __future__ import annotations

from dialogs import stats
from dialogs.stats_screens import number
from services.actions import StatsAction, StatsVerb
from services.clock import FixedClock
from services.i18n import Texts
from storage.uow import UnitOfWorkFactory
from tests.recording_messenger import RecordingMessenger
from tests.selection_world import MENTOR_A, OFFICE
from tests.stats_world import build_stats_world

t = Texts().for_language("ru")


def funnel_line(key: str, count: int, percent: int | None) -> str:
    share = "" if percent is None else t("stats-share", percent=number(percent))
    return t("stats-funnel-line", name=t(key), count=number(count), share=share)


async def test_the_office_gets_numbers_and_charts_and_refreshes_without_charts(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_stats_world(uow_factory, clock)
    m = RecordingMessenger([stats.DIALOG], uow_factory, clock)
    await m.command(OFFICE, "stats")
    chat = m.chat(OFFICE)
    text = chat.last.text
    assert text.startswith(t("stats-title", season="«Кадры будущего» — Томская область, 2026/27"))
    assert t("stats-taken-at", at="04.09.2026 12:00", zone="Asia/Tomsk") in text
    assert funnel_line("stats-funnel-started", 6, None) in text
    assert funnel_line("stats-funnel-submitted", 5, 83) in text
    assert funnel_line("stats-funnel-accepted", 1, 17) in text
    assert t("stats-day-line", day="02.09", started="2", submitted="2") in text
    assert t("stats-count-line", name="Северск", count="2") in text
    assert t("stats-tasks", total="3", done="1", submitted="0", overdue="1") in text
    assert t("stats-reminders", count="1") in text
    assert t("stats-charts-coming") in text
    screen = chat.messages[-1]

    assert await m.deliver() == 3
    captions = [shown.screen.text for shown in chat.messages[-3:]]
    assert captions == [t("stats-chart-caption")] * 3

    await m.press(OFFICE, t("stats-refresh-text"))
    assert chat.messages[-4] is screen  # redrawn in place, nothing new
    assert t("stats-charts-coming") not in screen.screen.text
    assert await m.deliver() == 0
    await m.press(OFFICE, t("stats-refresh"))
    assert await m.deliver() == 3


async def test_a_mentor_sees_their_share_and_a_student_is_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await build_stats_world(uow_factory, clock)
    m = RecordingMessenger([stats.DIALOG], uow_factory, clock)
    await m.command(MENTOR_A, "stats")
    text = m.chat(MENTOR_A).last.text
    assert t("stats-scope-mine", ideas="1", teams="1") in text
    assert funnel_line("stats-funnel-started", 3, None) in text
    assert t("stats-team-line", name="Торф", approved="1", stages="2") in text
    assert "Спутник" not in text
    assert await m.deliver() == 3  # their own charts

    await m.command(9101, "stats")  # an applicant
    assert [shown.screen.text for shown in m.chat(9101).messages] == [t("stats-not-allowed")]
    assert await m.deliver() == 0  # no chart for them either
    # The office's refresh button, forged by the applicant: refused, no chart queued.
    await m.press_forged(9101, StatsAction(verb=StatsVerb.REFRESH))
    assert m.chat(9101).notices[-1] == (t("stats-not-allowed"), True)
    assert await m.deliver() == 0
