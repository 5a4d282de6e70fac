"""Test-only crash points: where the exactly-once test (tests/e2e/test_exactly_once.py) kills the
bot mid-update. Off unless `KADRY_FAULT_POINT` names a point; a production setting has none.

The points of one update, in order: "before-handler" (the update claimed, nothing written),
"after-write" (the effect and its processed mark written, not committed), "after-commit" (both
durable, no reply sent), "after-reply" (the handler done, the update not yet confirmed to the
messenger). Reaching the named point ends the process at once (os._exit: no cleanup, no
shutdown, as SIGKILL would), so what survives is exactly what was durable by then.
"""

from __future__ import annotations

import functools
import os
import sys

FAULT_POINT_VARIABLE = "KADRY_FAULT_POINT"
FAULT_POINTS = ("before-handler", "after-write", "after-commit", "after-reply")
KILLED_EXIT_CODE = 86  # what the test expects of a process it killed on purpose


@functools.cache
def _armed() -> str | None:
    # Read on first use, not at import: the e2e launcher imports the bot once and forks it with
    # each test's environment (tests/e2e/launcher.py).
    return os.environ.get(FAULT_POINT_VARIABLE) or None


def fault_point(name: str) -> None:
    """End the process here when the environment names this point; otherwise nothing."""
    if _armed() == name:
        sys.stderr.write(f"fault point {name}: exiting\n")
        sys.stderr.flush()
        os._exit(KILLED_EXIT_CODE)
