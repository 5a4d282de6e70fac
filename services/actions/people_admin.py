"""The actions of the office's people and files screens (dialogs/people_admin.py): /invite's
role buttons and the uploaded file's confirmation. Revoking a role found by /people uses
/access's own actions (services/actions/people.py)."""

from __future__ import annotations

import enum

from services.actions.codec import Action, KindCode, Stamp


class PeopleAdminVerb(enum.StrEnum):
    INVITE = "iv"  # a new link for `role`
    APPLY_FILE = "ok"  # the uploaded file whose digest is `stamp`
    CANCEL_FILE = "no"


class PeopleAdminAction(Action, prefix="pa", version=1):
    verb: PeopleAdminVerb
    role: KindCode = ""
    stamp: Stamp = ""
