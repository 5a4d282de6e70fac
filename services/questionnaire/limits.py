"""The questionnaire's fixed bounds: what media and texts are accepted, the choices of the
fixed choice steps, and what a grade means for a role."""

from __future__ import annotations

from services.domain import Role

MEDIA_KINDS = ("video", "video_note", "voice", "photo", "document")
MB = 1024 * 1024
MEDIA_SIZE_LIMITS = {
    "video": 50 * MB,
    "video_note": 20 * MB,
    "voice": 20 * MB,
    "photo": 10 * MB,
    "document": 20 * MB,
}
MEDIA_DURATION_LIMITS = {"video": 300, "video_note": 60, "voice": 300}  # seconds
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.ms-powerpoint": "PPT",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.presentation": "ODP",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
PRESENTATION_TEXT = (50, 3000)
ABOUT_TEXT = (50, 2000)
RELATIONS = ("mother", "father", "guardian", "trustee")
EDU_TYPES = ("school", "college")
GRADE_RANGES = {"school": (1, 11), "college": (1, 4), "university": (1, 6)}


def grade_range(role: Role | None, edu_type: str | None) -> tuple[str, int, int]:
    kind = "university" if role is Role.TUTOR else (edu_type or "school")
    low, high = GRADE_RANGES[kind]
    return kind, low, high
