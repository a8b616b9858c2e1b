"""What is loaded: each layer's rows and the code lists the map uses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from schema import (
    admin_boundaries,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from ui import auth
from ui.data import data_folder, mission_data, session, store

auth.show(session())
data = mission_data()

st.title("Layers and codes")
if data is None:
    st.info("The store holds no administrative boundaries yet: import them on the Upload page.")
    st.stop()
if data.label:
    st.caption(data.label)
folder = data_folder()
st.write(
    f"Loaded from the folder `{folder}`."
    if folder
    else f"Loaded from the store `{store().location}` (accepted batches; yours under review too)."
)

layer_rows = [
    ("Incidents", len(data.incidents)),
    ("National process milestones", len(data.national_milestones)),
    ("Local political processes", len(data.local_processes)),
    ("Local agreements", len(data.local_agreements)),
    ("Mission presence (offices, areas, bases)", len(data.mission_presence)),
    ("Administrative areas", len(data.admin_boundaries)),
]
st.dataframe(pd.DataFrame(layer_rows, columns=["Layer", "Rows"]), hide_index=True)

st.subheader("National process")
st.dataframe(
    data.national_milestones.sort_values("date").assign(
        kind=lambda f: f["kind"].map(political_processes.MILESTONE_LABELS)
    ),
    hide_index=True,
)

st.subheader("Code lists")
code_lists = {
    "Motivation": incidents.MOTIVATION_LABELS,
    "Motivation confidence": {c: c for c in incidents.CONFIDENCES},
    "Perpetrator type": incidents.PERPETRATOR_LABELS,
    "Incident type": incidents.INCIDENT_TYPE_LABELS,
    "Victim group": incidents.VICTIM_GROUP_LABELS,
    "Location precision": {p: p for p in incidents.LOCATION_PRECISIONS},
    "Agreement type": local_agreements.AGREEMENT_TYPE_LABELS,
    "Agreement status": local_agreements.STATUS_LABELS,
    "POC provision": local_agreements.POC_PROVISION_LABELS,
    "Process type": political_processes.PROCESS_TYPE_LABELS,
    "Milestone kind": political_processes.MILESTONE_LABELS,
    "Presence kind": mission_presence.PRESENCE_LABELS,
    "Admin level": {level: f"admin{level}" for level in admin_boundaries.ADMIN_LEVELS},
}
st.caption(
    "How to choose a motivation, with decision rules between neighbouring codes, examples "
    "and the lever each suggests: the motivation codebook, docs/codebook.md in pocmap's folder."
)
for title, codes in code_lists.items():
    with st.expander(title):
        st.dataframe(pd.DataFrame(codes.items(), columns=["Code", "Meaning"]), hide_index=True)
