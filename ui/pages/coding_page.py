"""Coding: analysts code incidents' motivations, one after another from a queue with the
evidence beside the form and keys for everything, or many at once (bulk coding)."""

from __future__ import annotations

import streamlit as st

from access.roles import ROLE_LABELS
from analysis.filters import filter_incidents
from languages import N_, Labels, _
from ui import auth, coding_bulk, coding_data, coding_queue, coding_suggestions, filters
from ui.data import session

MODES = Labels({"queue": N_("Queue"), "bulk": N_("Bulk coding")})

the_session = session()
auth.show(the_session)
st.title(_("Coding"))
if not the_session.may("edit_motivation"):
    st.info(
        _(
            "Coding is for analysts; your role is {role}.",
            role=ROLE_LABELS.get(the_session.caller.role, the_session.caller.role),
        )
    )
    st.stop()

reports = coding_data.reports(the_session)
if not len(reports):
    st.info(
        _(
            "The store holds no incidents in analysis yet: import them on the Upload page "
            "(an ACLED or UCDP export comes in not yet assessed), then code them here."
        )
    )
    st.stop()
events = coding_data.events(reports)
selection = filters.show(coding_data.ForFilters(events))
chosen = filter_incidents(events, selection).reset_index(drop=True)
mode = st.segmented_control(
    _("What to do"),
    list(MODES),
    format_func=lambda m: MODES[m],
    default="queue",
    key="coding_mode",
    label_visibility="collapsed",
)
bulk = mode == "bulk"
st.caption(
    _(
        "Keys: 1 to 6 choose a motivation, 7, 8, 9 a confidence; S saves and shows the "
        "next incident, N skips it, B goes back, A accepts pocmap's suggestion."
    )
    if not bulk
    else _(
        "Narrow the sidebar filter and the words below, tick incidents in the table (or all "
        "of them), choose the coding and say why: each incident keeps the change in its "
        "history."
    )
)
if bulk:
    coding_bulk.show(the_session, chosen)
else:
    # Suggestions for the filter's incidents, once per filter and set of reports: not after
    # each coding (a model may be trained), and those coded since are no longer asked for.
    key = (len(reports), tuple(chosen["incident_id"].astype(str)))
    suggestions = coding_suggestions.table(chosen, events, key)
    coding_suggestions.quality(events)
    coding_queue.show(the_session, reports, chosen, suggestions)
