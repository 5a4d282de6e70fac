"""What a message offers as evidence that a task (a task of the ИУП, a stage of the roadmap) is
done: a photo or a document with its caption, a link, or a text."""

from __future__ import annotations

from services.errors import InvalidInput
from services.plans import Evidence
from services.questionnaire import Input


def evidence_from(given: Input) -> Evidence:
    """Any other content (a video, a sticker, a contact) is refused."""
    if given.kind in ("photo", "document") and given.file_id is not None:
        return Evidence(given.kind, given.caption, given.file_id)
    if given.kind in ("text", "command") and given.text is not None:
        text = given.text.strip()
        is_link = text.lower().startswith(("http://", "https://")) and " " not in text
        return Evidence("link" if is_link else "text", text)
    raise InvalidInput("plan-evidence-unsupported")
