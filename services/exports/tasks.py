"""The ИУП export: one row per task of the season's individual plans (not deleted), with its
kind, status and times."""

from __future__ import annotations

from services.exports.cells import Sheet, local
from services.exports.context import ExportContext


async def write_tasks(ctx: ExportContext) -> int:
    t = ctx.labels
    sheet = Sheet(
        ctx.workbook,
        t("export-sheet-tasks"),
        [
            t("export-col-name"),
            t("export-col-team"),
            t("export-col-task-kind"),
            t("export-col-task"),
            t("export-col-status"),
            ctx.at(t("export-col-due")),
            ctx.at(t("export-col-handed-in")),
            ctx.at(t("export-col-checked")),
        ],
    )
    after = 0
    while rows := await ctx.uow.exports.tasks(ctx.season_id, after, ctx.page):
        await sheet.add(
            [
                [
                    name,
                    team,
                    t.of("export-task-kind", kind),
                    title,
                    t.of("export-task-status", status),
                    local(due, ctx.zone),
                    local(handed_in, ctx.zone),
                    local(checked, ctx.zone),
                ]
                for _, _, name, team, kind, title, status, due, handed_in, checked in rows
            ]
        )
        ctx.subjects.extend((row[1], None) for row in rows)
        after = rows[-1][0]
    return sheet.rows
