"""Admin: who may sign in, and the audit log of everything done."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import users as users_file
from access.sign_ins import current_lockouts
from analysis.joint import table_csv
from store.audit_chain import Anchor
from ui import auth, downloads
from ui.data import session, store

the_session = session()
auth.show(the_session)
st.title("Admin")
if not the_session.may("view_audit"):
    st.info(f"This page is for admins; your role is {the_session.caller.role}.")
    st.stop()

st.subheader("Users")
users = users_file.load()
st.caption(
    f"From `{users.path}`. Add, remove or change them with `pocmap users add|remove|"
    "set-password` on the server; a running app follows the file."
)
st.dataframe(pd.DataFrame([u.public() for u in users.list()]), hide_index=True, width="stretch")

st.subheader("Sign-in lockouts")
locked = current_lockouts(store())
if locked:
    st.dataframe(
        pd.DataFrame(
            {
                "locked": [lock.key for lock in locked],
                "kind": [lock.kind for lock in locked],
                "until (UTC)": [lock.until.isoformat(timespec="seconds") for lock in locked],
                "failures": [lock.failures for lock in locked],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption("Lift one with `pocmap users unlock NAME` (or `--address ADDRESS`) on the server.")
else:
    st.caption("No name or address is locked out of signing in.")


def _show_chain_check() -> None:
    """The hash chain checked on every visit (``pocmap audit --verify`` does the same)."""
    noted = st.text_input(
        "Head noted earlier (optional)",
        key="admin_audit_anchor",
        placeholder="SEQ:HASH, as shown below at an earlier visit",
        help="Deleting the last entries leaves a shorter chain that still holds; a head "
        "noted outside pocmap (a ticket, an email) shows it.",
    )
    try:
        anchor = Anchor.parse(noted) if noted.strip() else None
    except ValueError as err:
        st.warning(str(err))
        anchor = None
    check = the_session.verify_audit(anchor)
    if check.intact:
        head = (
            f" Head `{check.head}`: note it outside pocmap to check against later."
            if check.head
            else ""
        )
        found = " The head noted earlier is still in it." if anchor else ""
        st.success(
            f"Audit log intact: {check.entries} entries, every hash and link holds.{found}{head}"
        )
        return
    lines = "\n".join(f"- seq {b.seq}, {b.kind}: {b.message}" for b in check.breaks[:20])
    more = f"\n- and {len(check.breaks) - 20} more" if len(check.breaks) > 20 else ""
    st.error(
        f"{check.summary()}. Someone changed the log past its safeguards: keep a copy of "
        f"the store as it is now, and compare with a backup.\n\n{lines}{more}"
    )


st.subheader("Audit log")
st.caption(
    "Append-only: sign-ins, uploads, reviews, edits, withdrawals, exports, briefings, "
    "changes of users and refused attempts, with who, when and what."
)
_show_chain_check()
log = the_session.audit_log()
actions = sorted(log["action"].unique())
shown = st.multiselect("Actions", actions, default=actions, key="admin_actions")
st.dataframe(log[log["action"].isin(shown)], hide_index=True, width="stretch")


def _audit_csv() -> bytes:
    the_session.record_output("export", {"format": "csv", "file": "audit log"})
    return table_csv(the_session.audit_log())


downloads.button(
    st,
    "Audit log (CSV)",
    _audit_csv,
    file_name="pocmap-audit-log.csv",
    mime="text/csv",
    key="admin_audit_csv",
)
