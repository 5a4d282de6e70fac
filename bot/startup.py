"""The error of a command the operator must fix, apart from the app it is raised in: the office's
CLI commands (`python -m bot export …`, `season import …`) report it without importing the
messenger libraries (aiogram and maxapi take seconds and a few hundred MB to import)."""

from __future__ import annotations


class StartupError(Exception):
    """A problem an operator must fix; printed as one line, the process exits non-zero."""
