"""/stats for the project office and mentors, on any messenger: the season's numbers as one
message with buttons to refresh it, and the charts as PNG documents through the outbox. Every
command and press asks services/stats.py again, which checks the role each time."""

from __future__ import annotations

from dialogs.screen import Dialog, Turn
from dialogs.stats_screens import stats_screen
from services.actions import StatsAction, StatsVerb


async def stats_command(turn: Turn, args: str) -> None:
    snapshot = await turn.services.stats.snapshot(turn.me)
    await turn.chat.show(stats_screen(turn.t, snapshot, charts_coming=True))
    await turn.services.stats.send_charts(turn.me, snapshot)


async def refresh(turn: Turn, action: StatsAction) -> None:
    snapshot = await turn.services.stats.snapshot(turn.me)
    await turn.chat.notice()
    await turn.chat.redraw(stats_screen(turn.t, snapshot, charts_coming=True))
    await turn.services.stats.send_charts(turn.me, snapshot)


async def refresh_text(turn: Turn, action: StatsAction) -> None:
    snapshot = await turn.services.stats.snapshot(turn.me)
    await turn.chat.notice()
    await turn.chat.redraw(stats_screen(turn.t, snapshot, charts_coming=False))


DIALOG = Dialog(
    name="stats",
    action=StatsAction,
    commands={"stats": stats_command},
    actions={StatsVerb.REFRESH: refresh, StatsVerb.TEXT: refresh_text},
)
