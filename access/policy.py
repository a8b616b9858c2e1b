"""The role x action matrix: who may do what, for their own office or any.

One table, read by :class:`access.session.Session` before every query and every
write, and printed in the README. ``OWN`` means: only for batches (uploads) of the
caller's own office.
"""

from __future__ import annotations

from access.roles import ADMIN, ANALYST, FIELD_OFFICE, VIEWER, Caller

ANY = "any"
OWN = "own"
NONE = "none"

POLICY: dict[str, dict[str, str]] = {
    # Maps, analysis, briefings and shareable exports of accepted data, without the
    # restricted fields.
    "view_map": {VIEWER: ANY, FIELD_OFFICE: ANY, ANALYST: ANY, ADMIN: ANY},
    "briefing": {VIEWER: ANY, FIELD_OFFICE: ANY, ANALYST: ANY, ADMIN: ANY},
    "export": {VIEWER: ANY, FIELD_OFFICE: ANY, ANALYST: ANY, ADMIN: ANY},
    # Narratives, perpetrators' names, free-text codes and the rows as sent.
    "view_restricted": {VIEWER: NONE, FIELD_OFFICE: OWN, ANALYST: ANY, ADMIN: NONE},
    # Batches still waiting for an analyst, their files, reports and senders.
    "view_under_review": {VIEWER: NONE, FIELD_OFFICE: OWN, ANALYST: ANY, ADMIN: NONE},
    "view_batch_details": {VIEWER: NONE, FIELD_OFFICE: OWN, ANALYST: ANY, ADMIN: NONE},
    "upload": {VIEWER: NONE, FIELD_OFFICE: OWN, ANALYST: ANY, ADMIN: NONE},
    "review": {VIEWER: NONE, FIELD_OFFICE: NONE, ANALYST: ANY, ADMIN: NONE},
    "withdraw": {VIEWER: NONE, FIELD_OFFICE: NONE, ANALYST: ANY, ADMIN: NONE},
    "restore": {VIEWER: NONE, FIELD_OFFICE: NONE, ANALYST: ANY, ADMIN: NONE},
    "edit_motivation": {VIEWER: NONE, FIELD_OFFICE: NONE, ANALYST: ANY, ADMIN: NONE},
    "view_edit_history": {VIEWER: NONE, FIELD_OFFICE: NONE, ANALYST: ANY, ADMIN: ANY},
    "manage_users": {VIEWER: NONE, FIELD_OFFICE: NONE, ANALYST: NONE, ADMIN: ANY},
    "view_audit": {VIEWER: NONE, FIELD_OFFICE: NONE, ANALYST: NONE, ADMIN: ANY},
}
ACTIONS = tuple(POLICY)

_WHAT = {
    "view_map": "see the maps and analysis",
    "briefing": "make briefings",
    "export": "export layers",
    "view_restricted": "see narratives and other restricted fields",
    "view_under_review": "see uploads still under review",
    "view_batch_details": "see an upload's file, report and sender",
    "upload": "upload data",
    "review": "accept uploads under review",
    "withdraw": "withdraw batches",
    "restore": "restore batches",
    "edit_motivation": "edit an incident's coding (motivation, confidence, perpetrator type)",
    "view_edit_history": "see the edit history",
    "manage_users": "manage users",
    "view_audit": "see or export the audit log",
}


class Denied(PermissionError):
    """The caller's role does not allow the action; the message says who may."""

    def __init__(self, caller: Caller, action: str, office: str | None) -> None:
        self.caller, self.action, self.office = caller, action, office
        rule = POLICY[action]
        who = [role for role, scope in rule.items() if scope != NONE]
        scope = rule[caller.role]
        if scope == OWN:
            why = (
                f" for {office or 'another office'}; {caller.role} users may do so for their "
                f"own office ({caller.office}) only"
            )
        else:
            why = f"; only {' or '.join(who)} users may" if who else "; no role may"
        super().__init__(f"{caller.describe()} may not {_WHAT[action]}{why}")


def allowed(caller: Caller, action: str, office: str | None = None) -> bool:
    """Whether ``caller`` may do ``action`` (for a batch or upload of ``office``).

    Raises
    ------
    KeyError
        for an action the matrix does not know (a typo must not grant anything).
    """
    scope = POLICY[action][caller.role]
    if scope == ANY:
        return True
    if scope == OWN:
        return office is not None and caller.office is not None and office == caller.office
    return False


def markdown_table() -> str:
    """The matrix as the README prints it (a test keeps the two equal)."""
    from access.roles import ROLES

    marks = {ANY: "yes", OWN: "own office", NONE: "—"}
    lines = ["| may … | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
    for action, rule in POLICY.items():
        lines.append(f"| {_WHAT[action]} | " + " | ".join(marks[rule[r]] for r in ROLES) + " |")
    return "\n".join(lines)
