"""The role x action matrix: who may do what, for their own office or any.

One table, read by :class:`access.session.Session` before every query and every
write, and printed in the README. ``OWN`` means: only for batches (uploads) of the
caller's own office.
"""

from __future__ import annotations

from access.roles import ADMIN, ANALYST, FIELD_OFFICE, ROLE_NAMES, VIEWER, Caller
from languages import N_, Labels, _

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
    # Issue 23: samples coded blind by two analysts, their agreement and disagreements.
    "double_code": {VIEWER: NONE, FIELD_OFFICE: NONE, ANALYST: ANY, ADMIN: NONE},
}
ACTIONS = tuple(POLICY)

_WHAT = Labels(
    {
        "view_map": N_("see the maps and analysis"),
        "briefing": N_("make briefings"),
        "export": N_("export layers"),
        "view_restricted": N_("see narratives and other restricted fields"),
        "view_under_review": N_("see uploads still under review"),
        "view_batch_details": N_("see an upload's file, report and sender"),
        "upload": N_("upload data"),
        "review": N_("accept uploads under review"),
        "withdraw": N_("withdraw batches"),
        "restore": N_("restore batches"),
        "edit_motivation": N_(
            "edit an incident's coding (motivation, confidence, perpetrator type)"
        ),
        "view_edit_history": N_("see the edit history"),
        "manage_users": N_("manage users"),
        "view_audit": N_("see or export the audit log"),
        "double_code": N_("double-code samples of incidents and resolve disagreements"),
    }
)


class Denied(PermissionError):
    """The caller's role does not allow the action; the message says who may."""

    def __init__(self, caller: Caller, action: str, office: str | None) -> None:
        self.caller, self.action, self.office = caller, action, office
        rule = POLICY[action]
        who = [role for role, scope in rule.items() if scope != NONE]
        scope = rule[caller.role]
        said = {"caller": caller.shown(), "what": _WHAT[action]}
        if scope == OWN:
            message = _(
                "{caller} may not {what} for {office}; {role} users may do so for their "
                "own office ({own}) only",
                office=office or _("another office"),
                role=ROLE_NAMES[caller.role],
                own=caller.office,
                **said,
            )
        elif who:
            message = _(
                "{caller} may not {what}; only {roles} users may",
                roles=_(" or ").join(ROLE_NAMES[role] for role in who),
                **said,
            )
        else:
            message = _("{caller} may not {what}; no role may", **said)
        super().__init__(message)


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
        marked = " | ".join(marks[rule[r]] for r in ROLES)
        lines.append(f"| {_WHAT.english[action]} | {marked} |")
    return "\n".join(lines)
