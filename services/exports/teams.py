"""The teams export: one row per member of each of the season's teams (the roster), with the
member's role and when they joined or left."""

from __future__ import annotations

from services.exports.cells import Sheet, local
from services.exports.context import ExportContext


async def write_teams(ctx: ExportContext) -> int:
    t = ctx.labels
    sheet = Sheet(
        ctx.workbook,
        t("export-sheet-teams"),
        [
            t("export-col-team-code"),
            t("export-col-team"),
            t("export-col-name"),
            t("export-col-team-role"),
            ctx.at(t("export-col-joined")),
            ctx.at(t("export-col-left")),
        ],
    )
    after = 0
    while rows := await ctx.uow.exports.roster(ctx.season_id, after, ctx.page):
        await sheet.add(
            [
                [
                    code,
                    team,
                    name,
                    t.of("export-team-role", role),
                    local(joined, ctx.zone),
                    local(left, ctx.zone),
                ]
                for _, code, team, _, name, role, joined, left in rows
            ]
        )
        ctx.subjects.extend((row[3], None) for row in rows)
        after = rows[-1][0]
    return sheet.rows
