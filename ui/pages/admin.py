"""Admin: who may sign in, and the audit log of everything done."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import users as users_file
from analysis.joint import table_csv
from ui import auth, downloads
from ui.data import session

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

st.subheader("Audit log")
st.caption(
    "Append-only: sign-ins, uploads, reviews, edits, withdrawals, exports, briefings, "
    "changes of users and refused attempts, with who, when and what."
)
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
