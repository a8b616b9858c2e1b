"""The incident desk: the incidents of the sidebar's filters in a table, and one of them read
in full (``?incident=<id>``: the map, the analysis and other pages link here)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from languages import _, format_number, ngettext
from ui import auth, downloads, filters, incident_detail, incident_table
from ui.data import indexes, mission_data, session
from ui.text import md

KEY = "incidents"
_PICKED = "incidents_picked_before"

the_session = session()
auth.show(the_session)
st.title(_("Incidents"))
data = mission_data()
if data is None:
    st.info(
        _(
            "No incident to read yet: the store holds no administrative boundaries. Import "
            "them on the **Upload** page (then the incidents), or load the synthetic sample "
            "with `pocmap load-sample`."
        )
    )
    st.stop()
if data.label:
    st.caption(md(_(data.label)))

index = indexes(data)[0]
selection = filters.show(data, index)
chosen = data.incidents[index.mask(selection)]
offices = {b.batch_id: b.office for b in the_session.batches("incidents")}
readable = incident_table.restricted_readable(
    chosen, lambda office: the_session.may("view_restricted", office), offices
)

shown = incident_table.table(chosen)
if f"{KEY}_table" not in st.session_state:
    # The page entered anew (from a link, say): its table starts with nothing picked, and
    # a row picked on an earlier visit must not take the address's incident away.
    st.session_state.pop(_PICKED, None)
said = ngettext(
    "{n} incident in the filters' selection.",
    "{n} incidents in the filters' selection.",
    len(chosen),
)
if len(chosen) > len(shown):
    said += " " + _(
        "The table shows the newest {shown}; narrow the filters to see the others, or "
        "download them all.",
        shown=format_number(len(shown)),
    )
st.caption(
    said + " " + _("Click a column's heading to sort by it, and a row to read that incident below.")
)
event = st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config=incident_table.column_config(shown.columns),
    on_select="rerun",
    selection_mode="single-row",
    key=f"{KEY}_table",
)


def _csv() -> bytes:
    # Recorded as an export when made (on the click), never with the data itself.
    the_session.record_output(
        "export",
        {
            "format": "csv",
            "file": "incidents",
            "rows": len(chosen),
            "restricted_rows": int(readable.sum()),
        },
    )
    return incident_table.csv(chosen, readable)


downloads.button(
    st,
    _("Download these incidents (CSV)"),
    partial(_csv),
    file_name="pocmap_incidents.csv",
    mime="text/csv",
    key=f"{KEY}_csv",
)
if not readable.all():
    st.caption(
        _(
            "Narratives, perpetrators' names and motivations as written are left empty in "
            "the table's file for incidents you may not read (those of other offices; all of "
            "them for viewers and admins)."
        )
    )

# The row picked now wins; otherwise the address says which incident to read.
rows = event.selection.rows if event is not None else []
picked = str(shown["incident_id"].iloc[rows[0]]) if rows else None
before = st.session_state.get(_PICKED)
st.session_state[_PICKED] = picked
if picked is not None and picked != before:
    st.query_params[incident_detail.QUERY] = picked
elif picked is None and before is not None:
    if st.query_params.get(incident_detail.QUERY) == before:
        del st.query_params[incident_detail.QUERY]
wanted = st.query_params.get(incident_detail.QUERY)
st.divider()
if wanted:
    incident_detail.show(the_session, data, wanted)
else:
    st.write(_("Pick an incident in the table to read it here."))
