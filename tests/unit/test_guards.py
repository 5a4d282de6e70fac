"""The guards every update passes on both messengers (services/guards.py). The update dedupe,
which lives in the update's own transaction: tests/integration/test_update_claims.py."""

from __future__ import annotations

import pytest

from services.guards import TokenBucket, UpdateSlots, table_id_of
from storage.health import DatabaseUnavailable


def test_the_bucket_lets_a_burst_through_then_refills_at_its_rate() -> None:
    now = [100.0]
    bucket = TokenBucket(rate_per_second=2.0, burst=3, monotonic=lambda: now[0])
    assert [bucket.allow("u") for _ in range(4)] == [True, True, True, False]
    assert bucket.allow(("max", 1))  # another user's bucket is full
    now[0] += 0.5  # one token back
    assert bucket.allow("u") and not bucket.allow("u")


def test_a_dropped_user_is_warned_once_in_ten_seconds() -> None:
    now = [0.0]
    bucket = TokenBucket(monotonic=lambda: now[0])
    assert bucket.should_warn(7) and not bucket.should_warn(7)
    now[0] += 10.5
    assert bucket.should_warn(7)


async def test_the_gate_bounds_both_the_updates_and_their_wait() -> None:
    slots = UpdateSlots(limit=1, timeout=0.05)
    async with slots.slot():
        with pytest.raises(DatabaseUnavailable):
            async with slots.slot():
                pass
    async with slots.slot():  # freed: the next one passes
        pass


def test_a_max_key_is_a_stable_negative_row_id() -> None:
    assert table_id_of("max:mid:abc") == table_id_of("max:mid:abc") < 0
    assert table_id_of("max:mid:abc") != table_id_of("max:mid:abd")
    assert table_id_of("max:cb:x") >= -(2**63)
