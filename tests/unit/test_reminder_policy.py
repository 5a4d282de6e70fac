"""Reminder times with a fixed clock: offsets, quiet hours in different regions, snooze,
digest days. Pure functions: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.reminders import ReminderPolicy, schedule_for
from tests.plans_world import local

MSK, KGD, VVO = "Europe/Moscow", "Europe/Kaliningrad", "Asia/Vladivostok"


def policy(zone: str) -> ReminderPolicy:
    return ReminderPolicy(ZoneInfo(zone))


def plan(zone: str, due: datetime, now: datetime) -> list[tuple[str, datetime, int]]:
    return [
        (r.kind, r.due_at.astimezone(ZoneInfo(zone)), r.person_id)
        for r in schedule_for(7, 1, due, policy(zone), now, tutor_ids=[2])
    ]


def test_default_offsets_three_days_one_day_morning_overdue_and_escalation() -> None:
    due = local(MSK, 2026, 9, 10, 18, 0)
    now = local(MSK, 2026, 9, 1, 10, 0)
    assert plan(MSK, due, now) == [
        ("before_3d", local(MSK, 2026, 9, 7, 18, 0), 1),
        ("before_1d", local(MSK, 2026, 9, 9, 18, 0), 1),
        ("due_morning", local(MSK, 2026, 9, 10, 9, 0), 1),
        ("overdue", local(MSK, 2026, 9, 10, 18, 0), 1),
        ("escalation", local(MSK, 2026, 9, 12, 18, 0), 1),
        ("escalation_tutor", local(MSK, 2026, 9, 12, 18, 0), 2),
    ]
    keys = [r.dedupe_key for r in schedule_for(7, 1, due, policy(MSK), now, [2])]
    stamp = int(due.timestamp())
    assert keys[0] == f"task:7:{stamp}:before_3d"
    assert keys[-1] == f"task:7:{stamp}:escalation_tutor:2"


def test_reminders_already_in_the_past_are_not_planned() -> None:
    due = local(MSK, 2026, 9, 10, 18, 0)
    kinds = [k for k, _, _ in plan(MSK, due, local(MSK, 2026, 9, 8, 12, 0))]
    assert kinds == ["before_1d", "due_morning", "overdue", "escalation", "escalation_tutor"]


@pytest.mark.parametrize(
    ("zone", "utc_morning_after"),
    [
        # 09:00 local is 07:00 UTC in Kaliningrad (UTC+2) and 23:00 UTC the day before in
        # Vladivostok (UTC+10): each region gets its own morning.
        (KGD, datetime(2026, 9, 8, 7, 0, tzinfo=UTC)),
        (VVO, datetime(2026, 9, 7, 23, 0, tzinfo=UTC)),
    ],
)
def test_a_late_evening_deadline_waits_for_the_local_morning(
    zone: str, utc_morning_after: datetime
) -> None:
    due = local(zone, 2026, 9, 10, 22, 30)  # a deadline at 22:30 local: in quiet hours
    planned = plan(zone, due, local(zone, 2026, 9, 1, 12, 0))
    assert planned == [
        ("before_3d", local(zone, 2026, 9, 8, 9, 0), 1),  # 07.09 22:30 -> next morning
        # 09.09 22:30 would be 10.09 09:00, the due morning itself: sent once, as the morning one
        ("due_morning", local(zone, 2026, 9, 10, 9, 0), 1),
        ("overdue", local(zone, 2026, 9, 11, 9, 0), 1),
        ("escalation", local(zone, 2026, 9, 13, 9, 0), 1),
        ("escalation_tutor", local(zone, 2026, 9, 13, 9, 0), 2),
    ]
    assert planned[0][1].astimezone(UTC) == utc_morning_after
    for _, moment, _ in planned:
        assert not policy(zone).in_quiet_hours(moment)


def test_one_instant_is_quiet_in_vladivostok_and_daytime_in_kaliningrad() -> None:
    instant = datetime(2026, 9, 7, 12, 0, tzinfo=UTC)  # 14:00 Kaliningrad, 22:00 Vladivostok
    assert not policy(KGD).in_quiet_hours(instant)
    assert policy(KGD).outside_quiet_hours(instant) == instant
    assert policy(VVO).in_quiet_hours(instant)
    assert policy(VVO).outside_quiet_hours(instant) == local(VVO, 2026, 9, 8, 9, 0)
    # Early morning waits until 09:00 the same day; 21:00 sharp is already quiet; 09:00 is not.
    vvo = policy(VVO)
    assert vvo.outside_quiet_hours(local(VVO, 2026, 9, 8, 5, 10)) == local(VVO, 2026, 9, 8, 9, 0)
    assert vvo.in_quiet_hours(local(VVO, 2026, 9, 8, 21, 0))
    assert not vvo.in_quiet_hours(local(VVO, 2026, 9, 8, 9, 0))
    assert not vvo.in_quiet_hours(local(VVO, 2026, 9, 8, 20, 59))


def test_snooze_an_hour_or_until_tomorrow_never_into_the_night() -> None:
    kgd = policy(KGD)
    assert kgd.snooze_until(local(KGD, 2026, 9, 8, 10, 0), "h") == local(KGD, 2026, 9, 8, 11, 0)
    assert kgd.snooze_until(local(KGD, 2026, 9, 8, 20, 30), "h") == local(KGD, 2026, 9, 9, 9, 0)
    assert kgd.snooze_until(local(KGD, 2026, 9, 8, 10, 0), "t") == local(KGD, 2026, 9, 9, 9, 0)
    assert kgd.snooze_until(local(KGD, 2026, 9, 8, 23, 50), "t") == local(KGD, 2026, 9, 9, 9, 0)


def test_digest_on_weekday_mornings_in_the_local_zone() -> None:
    vvo = policy(VVO)
    friday = local(VVO, 2026, 9, 11, 10, 0)
    assert friday.weekday() == 4
    assert vvo.next_digest(local(VVO, 2026, 9, 11, 8, 0)) == local(VVO, 2026, 9, 11, 9, 0)
    assert vvo.next_digest(friday) == local(VVO, 2026, 9, 11, 9, 0)  # today's, still due
    assert vvo.next_digest(local(VVO, 2026, 9, 11, 21, 30)) == local(VVO, 2026, 9, 14, 9, 0)
    assert vvo.next_digest(local(VVO, 2026, 9, 12, 12, 0)) == local(VVO, 2026, 9, 14, 9, 0)


def test_season_settings_change_offsets_and_quiet_hours() -> None:
    custom = ReminderPolicy(
        ZoneInfo(MSK),
        before_days=(7,),
        quiet_start=local(MSK, 2026, 1, 1, 22, 0).time(),
        quiet_end=local(MSK, 2026, 1, 1, 8, 0).time(),
        escalation_after=timedelta(days=1),
    )
    due = local(MSK, 2026, 9, 20, 21, 30)
    got = [
        (r.kind, r.due_at.astimezone(ZoneInfo(MSK)))
        for r in schedule_for(1, 1, due, custom, local(MSK, 2026, 9, 1, 0, 0))
    ]
    assert got == [
        ("before_7d", local(MSK, 2026, 9, 13, 21, 30)),  # 21:30 is not quiet here
        ("due_morning", local(MSK, 2026, 9, 20, 9, 0)),
        ("overdue", local(MSK, 2026, 9, 20, 21, 30)),
        ("escalation", local(MSK, 2026, 9, 21, 21, 30)),
    ]


@pytest.mark.parametrize("zone", [MSK, VVO])
def test_a_time_limit_counts_only_daytime_hours(zone: str) -> None:
    quiet = policy(zone)
    twelve = timedelta(hours=12)
    # From 11:37: 9 h 23 min until 21:00, the night does not count, 2 h 37 min from 09:00.
    assert quiet.after_daytime(local(zone, 2026, 9, 1, 11, 37), twelve) == local(
        zone, 2026, 9, 2, 11, 37
    )
    # Begun at night: counted from the morning, so it ends when the night begins again.
    assert quiet.after_daytime(local(zone, 2026, 9, 1, 23, 40), twelve) == local(
        zone, 2026, 9, 2, 21, 0
    )
    assert quiet.after_daytime(local(zone, 2026, 9, 1, 10, 0), timedelta(hours=2)) == local(
        zone, 2026, 9, 1, 12, 0
    )
    assert quiet.after_daytime(local(zone, 2026, 9, 1, 9, 0), timedelta(hours=36)) == local(
        zone, 2026, 9, 3, 21, 0
    )
