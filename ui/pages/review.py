"""Review: analysts see an upload's rows, map and links, accept all or some of its rows,
withdraw and restore single rows or whole batches, and recode motivations."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from access.roles import ROLE_LABELS
from ingest.report import REPORT_HEADINGS
from languages import _, ngettext
from schema.catalogue import LAYER_LABELS
from schema.incidents import CONFIDENCES, MOTIVATION_LABELS, MOTIVATIONS
from ui import auth, downloads, language, links_panel, review_rows
from ui.data import session
from ui.text import md

the_session = session()
auth.show(the_session)
st.title(_("Review"))
if not the_session.may("review"):
    st.info(
        _(
            "Reviews are for analysts; your role is {role}.",
            role=ROLE_LABELS.get(the_session.caller.role, the_session.caller.role),
        )
    )
    st.stop()

st.subheader(_("Uploads under review"))
st.caption(
    _(
        "A field office's upload shows on the maps and in the analysis only once an analyst "
        "accepts it: all its rows, or some (the others withdrawn, with your reason). "
        "Withdrawing keeps a batch or a row, with your reason, and it can be restored."
    )
)
waiting = the_session.under_review()
if not waiting:
    st.write(_("Nothing is waiting."))
else:
    st.dataframe(
        pd.DataFrame(
            {
                _("batch"): [b.batch_id for b in waiting],
                _("layer"): [LAYER_LABELS.get(b.layer, b.layer) for b in waiting],
                _("office"): [b.office for b in waiting],
                _("by"): [b.uploader for b in waiting],
                _("imported"): [b.imported_at for b in waiting],
                _("file"): [b.source_name for b in waiting],
                _("accepted rows"): [b.accepted + b.accepted_with_warning for b in waiting],
                _("rejected rows"): [b.rejected for b in waiting],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox(
        _("Batch"), [b.batch_id for b in waiting], key="review_batch", format_func=str
    )
    batch = the_session.batch(chosen)
    rows = the_session.batch_rows(chosen)
    review_rows.accounting_caption(batch, rows)
    report = the_session.report(chosen)
    with st.expander(
        ngettext(
            "Row-level report of batch {batch} ({n} line)",
            "Row-level report of batch {batch} ({n} lines)",
            len(report),
            batch=chosen,
        )
    ):
        shown = language.blanks_for_missing(report)
        if "outcome" in shown.columns:
            shown["outcome"] = shown["outcome"].map(lambda o: language.OUTCOME_LABELS.get(o, o))
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config=language.headings(shown.columns, REPORT_HEADINGS),
        )
    review_rows.rows_table(the_session, batch, rows, key="review")
    review_rows.rows_map(the_session, rows, key="review_map")
    review_rows.pairs_table(the_session, batch, rows)
    review_rows.accept_form(the_session, batch, rows)
    original = the_session.original(chosen)
    left, right = st.columns(2)
    downloads.button(
        left,
        _("Original file"),
        partial(bytes, original.data),
        file_name=original.name,
        mime="application/octet-stream",
        key="review_original",
    )
    reason = right.text_input(_("Why withdraw the whole batch"), key="review_reason")
    if right.button(_("Withdraw"), key="review_withdraw", disabled=not reason.strip()):
        the_session.withdraw(chosen, reason=reason.strip())
        st.rerun()

st.subheader(_("Rows of accepted batches"))
st.caption(
    _(
        "One wrong row need not take its batch down: withdraw it with a reason. It is kept "
        "and can be restored below."
    )
)
accepted = [b for b in the_session.batches() if b.in_analysis and b.layer != "basemap"]
if not accepted:
    st.write(_("No batch is accepted yet."))
else:
    picked = st.selectbox(
        _("Accepted batch"),
        [b.batch_id for b in accepted],
        key="review_accepted_batch",
        format_func=lambda n: next(b for b in accepted if b.batch_id == n).describe(),
        index=None,
        placeholder=_("Choose a batch"),
    )
    if picked is not None:
        batch = the_session.batch(picked)
        rows = the_session.batch_rows(picked)
        review_rows.accounting_caption(batch, rows)
        review_rows.rows_table(the_session, batch, rows, key="review_accepted")
        review_rows.rows_map(the_session, rows, key="review_accepted_map")
        review_rows.pairs_table(the_session, batch, rows)
        review_rows.withdraw_rows_form(the_session, batch, rows, key="review_accepted")

review_rows.withdrawn_section(the_session)

links_panel.show(the_session)

st.subheader(_("Recode an incident's motivation"))
incident_id = st.text_input(_("Incident id"), key="review_incident", max_chars=120).strip()
if incident_id:
    history = the_session.edits(incident_id)
    left, mid = st.columns(2)
    motivation = left.selectbox(
        _("Motivation"), MOTIVATIONS, format_func=MOTIVATION_LABELS.get, key="review_motivation"
    )
    confidence = mid.selectbox(
        _("Confidence"),
        CONFIDENCES,
        format_func=language.CONFIDENCE_LABELS.get,
        key="review_confidence",
    )
    why = st.text_input(_("Why (kept in the history)"), key="review_why", max_chars=500)
    if st.button(_("Save the new coding"), key="review_save", disabled=not why.strip()):
        try:
            the_session.edit_motivation(
                incident_id, motivation=motivation, confidence=confidence, reason=why
            )
        except (KeyError, ValueError) as err:
            st.error(md(err.args[0] if err.args else err))
        else:
            st.success(_("{incident} recoded.", incident=md(incident_id)))
            history = the_session.edits(incident_id)
    st.caption(_("History of this incident's coding (who, when, before, after):"))
    # The coding as recorded (codes: what an export holds); the headings translated.
    st.dataframe(
        language.blanks_for_missing(history),
        hide_index=True,
        width="stretch",
        column_config=language.headings(history.columns, language.EDIT_HEADINGS),
    )
