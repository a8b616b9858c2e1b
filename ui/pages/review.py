"""Review: analysts accept or withdraw uploads under review, and recode motivations."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from schema.incidents import CONFIDENCES, MOTIVATION_LABELS, MOTIVATIONS
from ui import auth, downloads, links_panel
from ui.data import session
from ui.text import md

the_session = session()
auth.show(the_session)
st.title("Review")
if not the_session.may("review"):
    st.info(f"Reviews are for analysts; your role is {the_session.caller.role}.")
    st.stop()

st.subheader("Uploads under review")
st.caption(
    "A field office's upload shows on the maps and in the analysis only once an analyst "
    "accepts it. Withdrawing keeps it, with your reason, and it can be restored."
)
waiting = the_session.under_review()
if not waiting:
    st.write("Nothing is waiting.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "batch": [b.batch_id for b in waiting],
                "layer": [b.layer for b in waiting],
                "office": [b.office for b in waiting],
                "by": [b.uploader for b in waiting],
                "imported": [b.imported_at for b in waiting],
                "file": [b.source_name for b in waiting],
                "accepted rows": [b.accepted + b.accepted_with_warning for b in waiting],
                "rejected rows": [b.rejected for b in waiting],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox(
        "Batch", [b.batch_id for b in waiting], key="review_batch", format_func=str
    )
    report = the_session.report(chosen)
    with st.expander(f"Row-level report of batch {chosen} ({len(report)} line(s))"):
        st.dataframe(report, hide_index=True, width="stretch")
    original = the_session.original(chosen)
    left, mid, right = st.columns(3)
    downloads.button(
        left,
        "Original file",
        partial(bytes, original.data),
        file_name=original.name,
        mime="application/octet-stream",
        key="review_original",
    )
    if mid.button("Accept", type="primary", key="review_accept"):
        the_session.accept(chosen)
        st.rerun()
    reason = right.text_input("Why withdraw it", key="review_reason")
    if right.button("Withdraw", key="review_withdraw", disabled=not reason.strip()):
        the_session.withdraw(chosen, reason=reason.strip())
        st.rerun()

links_panel.show(the_session)

st.subheader("Recode an incident's motivation")
incident_id = st.text_input("Incident id", key="review_incident", max_chars=120).strip()
if incident_id:
    history = the_session.edits(incident_id)
    left, mid = st.columns(2)
    motivation = left.selectbox(
        "Motivation", MOTIVATIONS, format_func=MOTIVATION_LABELS.get, key="review_motivation"
    )
    confidence = mid.selectbox("Confidence", CONFIDENCES, key="review_confidence")
    why = st.text_input("Why (kept in the history)", key="review_why", max_chars=500)
    if st.button("Save the new coding", key="review_save", disabled=not why.strip()):
        try:
            the_session.edit_motivation(
                incident_id, motivation=motivation, confidence=confidence, reason=why
            )
        except (KeyError, ValueError) as err:
            st.error(md(err.args[0] if err.args else err))
        else:
            st.success(f"{md(incident_id)} recoded.")
            history = the_session.edits(incident_id)
    st.caption("History of this incident's coding (who, when, before, after):")
    st.dataframe(history, hide_index=True, width="stretch")
