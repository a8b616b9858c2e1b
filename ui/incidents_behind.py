"""Under the joint analysis' tables: the incidents behind a hot spot, an agreement's area and
windows, or a milestone's windows, each a link to the incident desk.

Which incidents is decided by :mod:`analysis.incidents_in`, from the same result and
options the tables were made with (so the number listed is the table's count). Nothing is
drawn until a row is chosen.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import incidents_in
from analysis.joint import JointAnalysis
from languages import N_, Labels, _, format_date, format_number, ngettext
from schema.mission import MissionData
from ui import incident_detail, incident_table

AGREEMENT_PART_LABELS = Labels(
    {
        "all": N_("All in its area"),
        "before": N_("Before signature"),
        "in_force": N_("While in force"),
        "after_end": N_("After it ended"),
        "signature_before": N_("Window before signature"),
        "signature_after": N_("Window from signature"),
        "end_before": N_("Window before the end"),
        "end_after": N_("Window from the end"),
        "recent_previous": N_("The days before the recent window"),
        "recent": N_("The recent window"),
    }
)
MILESTONE_SIDE_LABELS = Labels(
    {
        "both": N_("Both windows"),
        "before": N_("Window before the milestone"),
        "after": N_("Window from the milestone"),
    }
)


def listed(incidents: pd.DataFrame, key: str) -> None:
    """The incidents as the desk's table; the row picked links to its detail."""
    shown = incident_table.table(incidents)
    said = ngettext("{n} incident.", "{n} incidents.", len(incidents))
    if len(shown) < len(incidents):
        said += " " + _("The table shows the newest {shown}.", shown=format_number(len(shown)))
    st.caption(said + " " + _("Pick a row to open it in the incident desk."))
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=incident_table.column_config(shown.columns),
        on_select="rerun",
        selection_mode="single-row",
        key=f"{key}_table",
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        incident_detail.link(str(shown["incident_id"].iloc[rows[0]]))


def hot_spot(data: MissionData, result: JointAnalysis, key: str) -> None:
    """A hot-spot chooser and the incidents in the chosen cluster's cells."""
    gaps = result.gaps.hot_spots
    if not len(gaps):
        return
    counts = dict(zip(gaps["cluster"].astype(int), gaps["incidents"].astype(int), strict=True))
    cluster = st.selectbox(
        _("Incidents in this hot spot"),
        list(counts),
        index=None,
        format_func=lambda c: _(
            "hot spot {number} ({incidents} incidents)",
            number=c,
            incidents=format_number(counts[c]),
        ),
        placeholder=_("Choose a hot spot"),
        key=f"{key}_hot_spot",
    )
    if cluster is not None:
        listed(incidents_in.hot_spot_incidents(data, result, int(cluster)), f"{key}_spot")


def agreement(data: MissionData, result: JointAnalysis, key: str) -> None:
    """An agreement chooser, a part of its watch, and the incidents in it."""
    summary = result.agreements.summary
    if not len(summary):
        return
    # Options are plain text (never markdown): names are shown as written.
    names = dict(zip(summary["agreement_id"], summary["name"], strict=True))
    chosen = st.selectbox(
        _("Incidents in this agreement's area"),
        list(names),
        index=None,
        format_func=lambda a: f"{a}: {names[a]}",
        placeholder=_("Choose an agreement"),
        key=f"{key}_agreement",
    )
    if chosen is None:
        return
    found = incidents_in.agreement_incidents(data, result, chosen)
    sizes = {"all": len(found)} | {
        part: int(found[part].sum()) for part in incidents_in.AGREEMENT_PARTS
    }
    part = st.radio(
        _("Which of them"),
        list(sizes),
        index=2,
        horizontal=True,
        format_func=lambda p: _(
            "{part} ({n})", part=_(AGREEMENT_PART_LABELS[p]), n=format_number(sizes[p])
        ),
        key=f"{key}_agreement_part",
    )
    listed(found if part == "all" else found[found[part]], f"{key}_agreement")


def milestone(data: MissionData, result: JointAnalysis, key: str) -> None:
    """A milestone chooser and the incidents in its windows."""
    table = result.escalation.table
    if not len(table):
        return
    said = {
        row["milestone_id"]: _(
            "{milestone}: {title}, {day}",
            milestone=row["milestone_id"],
            title=row["title"],
            day=format_date(pd.Timestamp(row["date"]), "dd MMM y"),
        )
        for _i, row in table.iterrows()
    }
    chosen = st.selectbox(
        _("Incidents in this milestone's windows"),
        list(said),
        index=None,
        format_func=lambda m: said[m],
        placeholder=_("Choose a milestone"),
        key=f"{key}_milestone",
    )
    if chosen is None:
        return
    found = incidents_in.milestone_incidents(data, result, chosen)
    sizes = {"both": len(found)} | {
        side: int((found["side"] == side).sum()) for side in incidents_in.MILESTONE_SIDES
    }
    side = st.radio(
        _("Which window"),
        list(sizes),
        horizontal=True,
        format_func=lambda s: _(
            "{part} ({n})", part=_(MILESTONE_SIDE_LABELS[s]), n=format_number(sizes[s])
        ),
        key=f"{key}_milestone_side",
    )
    listed(found if side == "both" else found[found["side"] == side], f"{key}_milestone")
