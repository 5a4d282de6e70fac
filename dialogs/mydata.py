"""/mydata: the person's copy of everything stored about them (services/mydata.py), as two
documents through the outbox; /audit: the office's export of the access audit as CSV
(services/access_audit.py). No buttons: one command, one answer."""

from __future__ import annotations

from dialogs.screen import Dialog, Screen, Turn
from services.actions import Action


async def mydata_command(turn: Turn, args: str) -> None:
    await turn.services.mydata.send(turn.me)
    await turn.chat.show(Screen(turn.t("mydata-sent")))


async def audit_command(turn: Turn, args: str) -> None:
    # The CSV itself is the answer; a refusal (not the office) is the error handler's.
    await turn.services.access_audit.export_csv(turn.me)


DIALOG = Dialog(
    name="mydata",
    action=Action,
    commands={"mydata": mydata_command},
)

AUDIT = Dialog(
    name="audit",
    action=Action,
    commands={"audit": audit_command},
)
