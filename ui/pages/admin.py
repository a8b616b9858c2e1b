"""Admin: who may sign in, and the audit log of everything done."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import users as users_file
from access.roles import ROLE_LABELS
from access.sign_ins import current_lockouts
from analysis.joint import table_csv
from languages import N_, Labels, _, ngettext
from store.audit_chain import Anchor
from ui import auth, downloads, language
from ui.data import session, store

# Headings of the tables in the person's language; in English the audit log's are its
# columns' names (``pocmap audit`` and the CSV export use them too).
USER_HEADINGS = Labels(
    {
        "name": N_("name"),
        "role": N_("role"),
        "office": N_("office"),
        "sign_in": N_("sign in"),
        "added_at": N_("added at"),
        "added_by": N_("added by"),
    }
)
AUDIT_HEADINGS = Labels(
    {
        "seq": N_("seq"),
        "at": N_("at"),
        "actor": N_("actor"),
        "role": N_("role"),
        "office": N_("office"),
        "action": N_("action"),
        "target": N_("target"),
        "details": N_("details"),
    }
)
# What a lockout holds back: a user name or a browser's address. (A comment, not a
# docstring: Streamlit would show a bare string on the page.)
LOCK_KINDS = Labels({"name": N_("name"), "address": N_("address")})
ACTIONS = Labels(
    {
        "sign_in": N_("sign-in"),
        "sign_in_refused": N_("sign-in refused"),
        "sign_in_unlock": N_("sign-in lockout lifted"),
        "upload": N_("upload"),
        "review": N_("review"),
        "withdraw": N_("withdrawal"),
        "restore": N_("restoration"),
        "edit": N_("recoding"),
        "link": N_("link decision"),
        "save_mapping": N_("column mapping saved"),
        "export": N_("export"),
        "briefing": N_("briefing"),
        "user_add": N_("user added"),
        "user_remove": N_("user removed"),
        "user_password": N_("password changed"),
        "refused": N_("refused"),
    }
)


def headed(frame: pd.DataFrame, headings: Labels) -> pd.DataFrame:
    """``frame`` with the headings people read in their language (unknown columns as they
    are)."""
    return frame.rename(columns={c: headings[c] for c in frame.columns if c in headings})


def action_name(action: str) -> str:
    """An audit action as people read it, its code in parentheses (what ``pocmap audit``
    prints and the CSV holds)."""
    return (
        _("{label} ({code})", label=ACTIONS[action], code=action) if action in ACTIONS else action
    )


the_session = session()
auth.show(the_session)
st.title(_("Admin"))
if not the_session.may("view_audit"):
    st.info(
        _(
            "This page is for admins; your role is {role}.",
            role=ROLE_LABELS.get(the_session.caller.role, the_session.caller.role),
        )
    )
    st.stop()

st.subheader(_("Users"))
users = users_file.load()
st.caption(
    _(
        "From `{path}`. Add, remove or change them with `pocmap users add|remove|set-password` "
        "on the server; a running app follows the file.",
        path=users.path,
    )
)
st.dataframe(
    headed(
        language.blanks_for_missing(
            pd.DataFrame(
                [u.public() for u in users.list()], columns=list(USER_HEADINGS), dtype=object
            )
        ),
        USER_HEADINGS,
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(_("Sign-in lockouts"))
locked = current_lockouts(store())
if locked:
    st.dataframe(
        pd.DataFrame(
            {
                _("locked"): [lock.key for lock in locked],
                _("kind"): [LOCK_KINDS.get(lock.kind, lock.kind) for lock in locked],
                _("until (UTC)"): [lock.until.isoformat(timespec="seconds") for lock in locked],
                _("failures"): [lock.failures for lock in locked],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        _("Lift one with `pocmap users unlock NAME` (or `--address ADDRESS`) on the server.")
    )
else:
    st.caption(_("No name or address is locked out of signing in."))


def _show_chain_check() -> None:
    """The hash chain checked on every visit (``pocmap audit --verify`` does the same)."""
    noted = st.text_input(
        _("Head noted earlier (optional)"),
        key="admin_audit_anchor",
        placeholder=_("SEQ:HASH, as shown below at an earlier visit"),
        help=_(
            "Deleting the last entries leaves a shorter chain that still holds; a head "
            "noted outside pocmap (a ticket, an email) shows it."
        ),
    )
    try:
        anchor = Anchor.parse(noted) if noted.strip() else None
    except ValueError as err:
        st.warning(str(err))
        anchor = None
    check = the_session.verify_audit(anchor)
    if check.intact:
        said = [
            ngettext(
                "Audit log intact: {n} entry, every hash and link holds.",
                "Audit log intact: {n} entries, every hash and link holds.",
                check.entries,
            )
        ]
        if anchor:
            said.append(_("The head noted earlier is still in it."))
        if check.head:
            said.append(
                _(
                    "Head `{head}`: note it outside pocmap to check against later.",
                    head=check.head,
                )
            )
        st.success(" ".join(said))
        return
    lines = "\n".join(
        _("- seq {seq}, {kind}: {message}", seq=b.seq, kind=b.kind, message=b.message)
        for b in check.breaks[:20]
    )
    if len(check.breaks) > 20:
        lines += "\n" + ngettext("- and {n} more", "- and {n} more", len(check.breaks) - 20)
    st.error(
        _(
            "{summary}. Someone changed the log past its safeguards: keep a copy of the store "
            "as it is now, and compare with a backup.",
            summary=check.summary(),
        )
        + "\n\n"
        + lines
    )


st.subheader(_("Audit log"))
st.caption(
    _(
        "Append-only: sign-ins, uploads, reviews, edits, withdrawals, exports, briefings, "
        "changes of users and refused attempts, with who, when and what."
    )
)
_show_chain_check()
log = the_session.audit_log()
actions = sorted(log["action"].unique())
shown = st.multiselect(
    _("Actions"),
    actions,
    default=actions,
    format_func=action_name,
    key="admin_actions",
    placeholder=_("Choose actions"),
)
# The entries as recorded (codes and details are the record); the headings translated.
st.dataframe(
    headed(language.blanks_for_missing(log[log["action"].isin(shown)]), AUDIT_HEADINGS),
    hide_index=True,
    width="stretch",
)


def _audit_csv() -> bytes:
    the_session.record_output("export", {"format": "csv", "file": "audit log"})
    return table_csv(the_session.audit_log())


downloads.button(
    st,
    _("Audit log (CSV)"),
    _audit_csv,
    file_name="pocmap-audit-log.csv",
    mime="text/csv",
    key="admin_audit_csv",
)
