"""The vocabulary of a step definition: what input it takes, how its answer is stored, and how
the mentor's card shows it."""

from __future__ import annotations

import enum


class StepKind(enum.StrEnum):
    CHOICE = "choice"  # buttons (typed labels also accepted)
    CONFIRM = "confirm"  # a consent: only the button counts
    TEXT = "text"
    NAME = "name"
    DATE = "date"
    PHONE = "phone"
    EMAIL = "email"
    LEADER_ID = "leader_id"
    MEO = "meo"
    GRADE = "grade"
    MUNICIPALITY = "municipality"
    MEDIA = "media"
    SCALE = "scale"
    IDEAS = "ideas"
    # The parent's consent, given from the parent's own account (or a paper form the office
    # approved): the applicant cannot answer it, only wait for it.
    PARENT = "parent"


class Storage(enum.StrEnum):
    """How an accepted answer is stored (services.applications.answers acts on it)."""

    ANSWER = "answer"  # checked by its kind, one string in the answers table
    CHOICE = "choice"  # a button's value (or its typed label), in the answers table
    MUNICIPALITY = "municipality"  # a municipality's id; typed letters narrow to buttons
    ROLE = "role"  # the application's role too; the path is settled again
    AGE_GROUP = "age_group"  # refused outside the role's ages; the path is settled again
    CONSENT = "consent"  # a consent record in the version shown
    MEDIA = "media"  # the self-presentation's media row
    IDEAS = "ideas"  # the picked ideas, through their own buttons
    PARENT = "parent"  # derived from the parent's consent record; never typed by the applicant


class Card(enum.StrEnum):
    """How the mentor's card shows an answer."""

    HIDDEN = "hidden"  # not the reviewer's business, or shown elsewhere on the card
    LINE = "line"  # «label: value»
    BLOCK = "block"  # the label, then the value as a paragraph
    MEDIA = "media"  # drawn from the self-presentation's media row
