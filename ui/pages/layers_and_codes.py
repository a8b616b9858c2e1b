"""What is loaded: each layer's rows and the code lists the map uses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from languages import N_, Labels, _
from schema import (
    admin_boundaries,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from ui import auth, language
from ui.data import data_folder, mission_data, session, store

MILESTONE_HEADINGS = Labels(
    {
        "milestone_id": N_("milestone id"),
        "date": N_("date"),
        "kind": N_("kind"),
        "title": N_("title"),
        "description": N_("description"),
    }
)
LOCATION_PRECISION_LABELS = Labels(
    {
        "exact": N_("exact"),
        "approximate": N_("approximate"),
        "admin2": N_("the admin2 area only"),
        "admin1": N_("the admin1 region only"),
        "country": N_("the country only"),
    }
)

auth.show(session())
data = mission_data()

st.title(_("Layers and codes"))
if data is None:
    st.info(_("The store holds no administrative boundaries yet: import them on the Upload page."))
    st.stop()
if data.label:
    st.caption(data.label)
folder = data_folder()
st.write(
    _("Loaded from the folder `{folder}`.", folder=folder)
    if folder
    else _(
        "Loaded from the store `{store}` (accepted batches; yours under review too).",
        store=store().location,
    )
)

layer_rows = [
    (_("Incidents"), len(data.incidents)),
    (_("National process milestones"), len(data.national_milestones)),
    (_("Local political processes"), len(data.local_processes)),
    (_("Local agreements"), len(data.local_agreements)),
    (_("Mission presence (offices, areas, bases)"), len(data.mission_presence)),
    (_("Administrative areas"), len(data.admin_boundaries)),
]
st.dataframe(pd.DataFrame(layer_rows, columns=[_("Layer"), _("Rows")]), hide_index=True)

st.subheader(_("National process"))
milestones = data.national_milestones.sort_values("date")
milestones = language.blanks_for_missing(
    milestones.assign(
        kind=milestones["kind"].map(lambda k: political_processes.MILESTONE_LABELS.get(k, k)),
        date=pd.to_datetime(milestones["date"]).dt.date,  # a day: no midnight after it
    )
)
st.dataframe(
    milestones,
    hide_index=True,
    column_config=language.headings(milestones.columns, MILESTONE_HEADINGS),
)

st.subheader(_("Code lists"))
code_lists = {
    N_("Motivation"): incidents.MOTIVATION_LABELS,
    N_("Motivation confidence"): language.CONFIDENCE_LABELS,
    N_("Motivation coded by"): incidents.MOTIVATION_ORIGIN_LABELS,
    N_("Perpetrator type"): incidents.PERPETRATOR_LABELS,
    N_("Incident type"): incidents.INCIDENT_TYPE_LABELS,
    N_("Victim group"): incidents.VICTIM_GROUP_LABELS,
    N_("Location precision"): LOCATION_PRECISION_LABELS,
    N_("Agreement type"): local_agreements.AGREEMENT_TYPE_LABELS,
    N_("Agreement status"): local_agreements.STATUS_LABELS,
    N_("POC provision"): local_agreements.POC_PROVISION_LABELS,
    N_("Process type"): political_processes.PROCESS_TYPE_LABELS,
    N_("Milestone kind"): political_processes.MILESTONE_LABELS,
    N_("Presence kind"): mission_presence.PRESENCE_LABELS,
    N_("Admin level"): {level: f"admin{level}" for level in admin_boundaries.ADMIN_LEVELS},
}
st.caption(
    _(
        "How to choose a motivation, with decision rules between neighbouring codes, examples "
        "and the lever each suggests: the motivation codebook, docs/codebook.md in pocmap's "
        "folder."
    )
)
for title, codes in code_lists.items():
    with st.expander(_(title)):
        # Codes as a file holds them (identifiers), their meaning in the person's language.
        st.dataframe(
            pd.DataFrame(
                [(code, codes[code]) for code in codes], columns=[_("Code"), _("Meaning")]
            ),
            hide_index=True,
        )
