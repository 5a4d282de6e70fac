"""The bookings export: one row per booking of the season's internship and professional-trial
slots, with its status and the attendance the site marked."""

from __future__ import annotations

from services.exports.cells import Sheet, local
from services.exports.context import ExportContext


async def write_bookings(ctx: ExportContext) -> int:
    t = ctx.labels
    sheet = Sheet(
        ctx.workbook,
        t("export-sheet-bookings"),
        [
            t("export-col-name"),
            t("export-col-site"),
            t("export-col-address"),
            t("export-col-slot-kind"),
            ctx.at(t("export-col-starts")),
            ctx.at(t("export-col-ends")),
            t("export-col-booking-status"),
            t("export-col-attendance"),
            ctx.at(t("export-col-booked")),
        ],
    )
    after = 0
    while rows := await ctx.uow.exports.bookings(ctx.season_id, after, ctx.page):
        await sheet.add(
            [
                [
                    name,
                    site,
                    address,
                    t.of("export-slot-kind", kind),
                    local(starts, ctx.zone),
                    local(ends, ctx.zone),
                    t.of("export-booking-status", status),
                    t.of("export-attendance", attendance),
                    local(booked, ctx.zone),
                ]
                for _, _, name, site, address, kind, starts, ends, status, attendance, booked in (
                    rows
                )
            ]
        )
        ctx.subjects.extend((row[1], None) for row in rows)
        after = rows[-1][0]
    return sheet.rows
