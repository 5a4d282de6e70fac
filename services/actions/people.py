"""The actions of the applicant's and the person's own screens: the questionnaire, /forget, the
profile, the office's access screens and a parent's consent (from their account or on paper)."""

from __future__ import annotations

import enum

from services.actions.codec import Action, ChoiceCode, Id, Page, Small, StepCode


class ApplyVerb(enum.StrEnum):
    """The questionnaire's buttons (dialogs/apply.py)."""

    OPEN = "op"
    CHOOSE = "ch"
    PICK_MUNICIPALITY = "mu"
    CONFIRM = "ok"
    SKIP = "sk"
    BACK = "bk"
    KEEP = "kp"
    EDIT_FROM_REVIEW = "ed"
    REVIEW = "rv"
    CHANGE_PATH = "go"  # a refusal's way forward: the role or the age group again
    ASK_RESTART = "rs"
    RESTART = "ry"
    SUBMIT = "sb"
    IDEAS_PAGE = "ip"
    TOGGLE_IDEA = "it"
    IDEA_DETAILS = "ii"
    IDEAS_DONE = "id"
    ASK_WITHDRAW = "wd"
    WITHDRAW = "wy"
    ASK_WITHDRAW_CONSENT = "pw"
    WITHDRAW_CONSENT = "py"
    CHANGED_MIND = "no"


class ApplyAction(Action, prefix="ap", version=2):
    verb: ApplyVerb
    application: Id = 0
    step: StepCode = ""
    choice: ChoiceCode = ""
    item: Id = 0  # a municipality or an idea
    page: Page = 0


class ForgetVerb(enum.StrEnum):
    """/forget's question (dialogs/forget.py): erase everything, or changed my mind."""

    CONFIRM = "y"
    CHANGED_MIND = "n"


class ForgetAction(Action, prefix="fg"):
    verb: ForgetVerb


class ProfileVerb(enum.StrEnum):
    """/profile: a person's profile, its PDF, and a team's members for its mentor."""

    OPEN = "o"
    SEND_PDF = "pdf"
    MEMBERS = "m"


class ProfileAction(Action, prefix="pf", version=1):
    verb: ProfileVerb
    person: Id = 0
    team: Id = 0


class AccessVerb(enum.StrEnum):
    """The office's /access."""

    SHOW_PAGE = "pg"
    ASK_REVOKE_INVITATION = "ai"
    ASK_REVOKE_ROLE = "ar"
    REVOKE_INVITATION = "yi"
    REVOKE_ROLE = "yr"


class AccessAction(Action, prefix="acc", version=2):
    verb: AccessVerb
    item: Id = 0  # an invitation or a role grant, as the verb says
    page: Small = 0  # the page to come back to


class ParentVerb(enum.StrEnum):
    """A parent's consent from their own account (dialogs/parent.py)."""

    RELATION = "rl"
    CONFIRM = "ok"
    CANCEL = "no"
    WITHDRAW = "wy"
    RESEND = "rs"
    LINK = "ln"  # from the questionnaire's parent step: the link, the step stays as it is


class ParentAction(Action, prefix="pc", version=2):
    verb: ParentVerb
    choice: ChoiceCode = ""  # a relation


class PaperVerb(enum.StrEnum):
    """A parent's consent on paper (dialogs/paper_consent.py): the child asks for the form; the
    project office opens a photo of the signed form and approves or refuses it."""

    START = "st"
    OPEN = "op"
    APPROVE = "ok"
    REFUSE = "no"


class PaperAction(Action, prefix="pp", version=1):
    verb: PaperVerb
    item: Id = 0  # a paper consent (the office's buttons)
