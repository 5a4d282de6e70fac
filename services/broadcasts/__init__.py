"""The project office's segmented broadcasts: drafts and preview (drafts.py), sending and
cancelling (sending.py), progress and the final report (progress.py)."""

from services.broadcasts.base import (
    CAPTION_LIMIT,
    FILTERS,
    STATUS_CHOICES,
    TEXT_LIMIT,
    BroadcastView,
    progress_key,
    subject_of,
)
from services.broadcasts.drafts import FilterPage, Preview
from services.broadcasts.progress import BroadcastProgress, Counts, progress_text
from services.broadcasts.sending import BroadcastService, Started

__all__ = [
    "CAPTION_LIMIT",
    "FILTERS",
    "STATUS_CHOICES",
    "TEXT_LIMIT",
    "BroadcastProgress",
    "BroadcastService",
    "BroadcastView",
    "Counts",
    "FilterPage",
    "Preview",
    "Started",
    "progress_key",
    "progress_text",
    "subject_of",
]
