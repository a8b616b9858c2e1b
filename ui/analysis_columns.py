"""The joint analysis tables as a person reads them: headers and coded values in the
current language.

The tables keep their columns' identifiers and codes (the CSV downloads are data, read by
other tools); only what the page shows is translated: each column gets a readable label
through ``st.column_config`` and coded columns (motivation, perpetrator type...) show
their labels.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from analysis.emerging import CATEGORY_LABELS
from languages import N_, Labels, _
from schema.incidents import (
    INCIDENT_TYPE_LABELS,
    MOTIVATION_LABELS,
    PERPETRATOR_LABELS,
    VICTIM_GROUP_LABELS,
)
from schema.local_agreements import AGREEMENT_TYPE_LABELS, STATUS_LABELS
from schema.political_processes import MILESTONE_LABELS, PROCESS_STATUS_LABELS

COLUMN_LABELS = {
    # cells and hot spots
    "q": N_("Cell column (q)"),
    "r": N_("Cell row (r)"),
    "cell_id": N_("Cell"),
    "incidents": N_("Incidents"),
    "fatalities": N_("Fatalities"),
    "value": N_("Weight counted"),
    "z": N_("Gi* z-score"),
    "p": N_("p-value"),
    "p_sim": N_("Permutation p-value"),
    "gi_bin": N_("Gi* class"),
    "bin": N_("Class kept"),
    "near": N_("Only near busy cells"),
    "label": N_("Hot or cold spot"),
    "cluster": N_("Hot-spot cluster"),
    "width_km": N_("Cell width (km)"),
    "times_chosen": N_("Times the chosen width"),
    "cells": N_("Cells"),
    "hot_cells": N_("Hot cells"),
    "hot_cells_with_incidents": N_("Hot cells with incidents"),
    "hot_clusters": N_("Hot-spot clusters"),
    "incidents_in_hot_cells": N_("Incidents in hot cells"),
    "share_of_chosen_hot_incidents_still_hot": N_(
        "Share of the chosen width's hot-spot incidents still in hot cells"
    ),
    "category": N_("Category"),
    "trend_z": N_("Trend z-score"),
    "trend_p": N_("Trend p-value"),
    "slices_hot": N_("Time slices hot"),
    "slices_cold": N_("Time slices cold"),
    # drivers
    "group": N_("Area"),
    "dominant_motivation": N_("Dominant motivation"),
    "dominant_share": N_("Dominant motivation's share"),
    "assessed": N_("Incidents with a motivation assessed"),
    "dominant_low": N_("Dominant share, low (95 %)"),
    "dominant_high": N_("Dominant share, high (95 %)"),
    "effect": N_("Effect"),
    "caution": N_("Caution"),
    "share_confirmed": N_("Confirmed (share)"),
    "share_probable": N_("Probable (share)"),
    "share_possible": N_("Possible (share)"),
    "coding_certainty": N_("Coding certainty"),
    "top_perpetrator": N_("Most frequent perpetrator type"),
    "levers": N_("Levers to consider"),
    # protection gaps and political work
    "peak_z": N_("Highest z-score"),
    "longitude": N_("Longitude"),
    "latitude": N_("Latitude"),
    "nearest_local_process": N_("Nearest local process"),
    "local_process_km": N_("Local process (km)"),
    "nearest_agreement": N_("Nearest local agreement"),
    "agreement_km": N_("Local agreement (km)"),
    "covered_by": N_("Area of responsibility of"),
    "nearest_base": N_("Nearest mission presence"),
    "base_km": N_("Mission presence (km)"),
    "no_political_work_near": N_("No political work near"),
    "no_presence_near": N_("No mission presence near"),
    "gap": N_("Protection gap"),
    "kind": N_("Kind"),
    "id": N_("Reference"),
    "name": N_("Name"),
    "field_office": N_("Field office"),
    "status": N_("Status"),
    "incidents_within": N_("Incidents within"),
    "no_protection_picture": N_("No protection picture"),
    # agreements
    "agreement_id": N_("Agreement"),
    "agreement_type": N_("Agreement type"),
    "date_signed": N_("Signed on"),
    "date_ended": N_("Ended on"),
    "area": N_("Area"),
    "parties": N_("Parties"),
    "before_incidents": N_("Incidents before"),
    "before_days": N_("Days before"),
    "before_rate_30d": N_("Incidents per 30 days before"),
    "in_force_incidents": N_("Incidents while in force"),
    "in_force_days": N_("Days in force"),
    "in_force_rate_30d": N_("Incidents per 30 days while in force"),
    "in_force_by_parties": N_("Incidents by the parties while in force"),
    "in_force_by_others": N_("Incidents by others while in force"),
    "in_force_not_attributed": N_("Incidents not attributed while in force"),
    "window_days": N_("Window (days)"),
    "window_before": N_("Incidents in the window before"),
    "window_after": N_("Incidents in the window after"),
    "window_after_by_parties": N_("Incidents by the parties in the window after"),
    "rate_ratio": N_("Rate ratio"),
    "ratio_low": N_("Ratio, low (95 %)"),
    "ratio_high": N_("Ratio, high (95 %)"),
    "p_adjusted": N_("Adjusted p-value"),
    "dispersion": N_("Dispersion"),
    "test": N_("Test"),
    "verdict": N_("Verdict"),
    "after_end_incidents": N_("Incidents after it ended"),
    "after_end_days": N_("Days after it ended"),
    "after_end_rate_30d": N_("Incidents per 30 days after it ended"),
    "end_window_days": N_("Window around the end (days)"),
    "end_window_before": N_("Incidents in the window before the end"),
    "end_window_after": N_("Incidents in the window after the end"),
    "end_window_after_by_parties": N_("Incidents by the parties in the window after the end"),
    "after_end_ratio": N_("Rate ratio after the end"),
    "after_end_low": N_("Ratio after the end, low (95 %)"),
    "after_end_high": N_("Ratio after the end, high (95 %)"),
    "after_end_p": N_("p-value after the end"),
    "after_end_p_adjusted": N_("Adjusted p-value after the end"),
    "after_end_dispersion": N_("Dispersion after the end"),
    "after_end_test": N_("Test after the end"),
    "after_end_verdict": N_("Verdict after the end"),
    "after_end_effect": N_("Effect after the end"),
    "recent_days": N_("Recent window (days)"),
    "previous_incidents": N_("Incidents in the previous window"),
    "recent_incidents": N_("Incidents in the recent window"),
    "recent_by_parties": N_("Recent incidents by the parties"),
    "recent_ratio": N_("Recent rate ratio"),
    "recent_low": N_("Recent ratio, low (95 %)"),
    "recent_high": N_("Recent ratio, high (95 %)"),
    "recent_p": N_("Recent p-value"),
    "recent_p_adjusted": N_("Recent adjusted p-value"),
    "recent_dispersion": N_("Recent dispersion"),
    "recent_test": N_("Recent test"),
    "at_risk": N_("At risk"),
    "recent_effect": N_("Recent effect"),
    "in_force_by_motivation": N_("Incidents while in force, by motivation"),
    "in_force_by_perpetrator": N_("Incidents while in force, by perpetrator type"),
    "warning": N_("Warning"),
    # possible violations
    "incident_id": N_("Incident"),
    "date": N_("Date"),
    "motivation": N_("Motivation"),
    "perpetrator_type": N_("Perpetrator type"),
    "incident_type": N_("Incident type"),
    "perpetrator_is": N_("Perpetrator is"),
    # escalation around milestones
    "milestone_id": N_("Milestone"),
    "title": N_("Title"),
    "after_incidents": N_("Incidents after"),
    "after_days": N_("Days after"),
    "after_rate_30d": N_("Incidents per 30 days after"),
    "baseline_incidents": N_("Baseline incidents"),
    "baseline_days": N_("Baseline days"),
    "baseline_rate_30d": N_("Baseline incidents per 30 days"),
    "baseline": N_("Baseline"),
    "before_ratio": N_("Ratio before"),
    "before_low": N_("Ratio before, low (95 %)"),
    "before_high": N_("Ratio before, high (95 %)"),
    "before_effect": N_("Effect before"),
    "before_test": N_("Test before"),
    "before_p_adjusted": N_("Adjusted p-value before"),
    "after_ratio": N_("Ratio after"),
    "after_low": N_("Ratio after, low (95 %)"),
    "after_high": N_("Ratio after, high (95 %)"),
    "after_effect": N_("Effect after"),
    "after_test": N_("Test after"),
    "after_p_adjusted": N_("Adjusted p-value after"),
    "flag": N_("Flag"),
    "note": N_("Note"),
    # state and allied forces
    "period": N_("Period"),
    "state_and_allied_incidents": N_("Incidents by state and allied forces"),
    "state_forces_incidents": N_("Incidents by state forces"),
    "allied_forces_incidents": N_("Incidents by forces allied to the state"),
    "un_mission_incidents": N_("Incidents by the UN mission"),
    "share": N_("Share of perpetrators"),
    "share_low": N_("Share, low (95 %)"),
    "share_high": N_("Share, high (95 %)"),
    "share_elsewhere": N_("Share elsewhere"),
    "unidentified_incidents": N_("Incidents by unidentified perpetrators"),
    "state_and_allied_by_motivation": N_("State and allied forces, by motivation"),
    "state_forces_by_motivation": N_("State forces, by motivation"),
    # field offices
    "local_processes": N_("Local processes"),
    "processes_linked_to_national": N_("Processes linked to the national process"),
    "local_agreements": N_("Local agreements"),
    "agreements_linked_to_national": N_("Agreements linked to the national process"),
    "bases": N_("Mission presence"),
}
"""Each column's label, in English (translated where shown)."""

VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "motivation": MOTIVATION_LABELS,
    "dominant_motivation": MOTIVATION_LABELS,
    "perpetrator_type": PERPETRATOR_LABELS,
    "top_perpetrator": PERPETRATOR_LABELS,
    "incident_type": INCIDENT_TYPE_LABELS,
    "agreement_type": AGREEMENT_TYPE_LABELS,
    # An agreement's or a local process's status: their codes do not overlap.
    "status": Labels({**STATUS_LABELS.english, **PROCESS_STATUS_LABELS.english}),
    "kind": MILESTONE_LABELS,
    "category": CATEGORY_LABELS,
}
"""Columns holding codes, shown by their labels (values with no label are shown as
they are: a process's status, a kind written out by the analysis)."""


def column_label(column: str) -> str | None:
    """``column``'s label in the current language; ``None`` when it has none."""
    if column in COLUMN_LABELS:
        return _(COLUMN_LABELS[column])
    prefix, _sep, code = column.partition("_")
    if prefix == "share" and code in MOTIVATION_LABELS:
        return _("{motivation} (share)", motivation=_(MOTIVATION_LABELS[code]))
    if prefix == "perpetrator" and code in PERPETRATOR_LABELS:
        return _("{perpetrator} (share of perpetrators)", perpetrator=_(PERPETRATOR_LABELS[code]))
    if prefix == "victims" and code in VICTIM_GROUP_LABELS:
        return _("Victims: {group}", group=_(VICTIM_GROUP_LABELS[code]))
    return None


def _value_label(labels: Mapping[str, str]):
    # _() of a label: plain English labels and already translated ones both come out
    # in the current language.
    return lambda v: _(labels[v]) if isinstance(v, str) and v in labels else v


def shown(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, object]]:
    """The table as shown (coded values as labels) and its columns' configuration
    (labels), for ``st.dataframe``; the table itself is left as it is."""
    display = table.copy()
    for column, labels in VALUE_LABELS.items():
        if column in display.columns and not pd.api.types.is_numeric_dtype(display[column]):
            display[column] = display[column].astype(object).map(_value_label(labels))
    config: dict[str, object] = {}
    for column in display.columns:
        label = column_label(str(column))
        if label is not None:
            config[str(column)] = st.column_config.Column(label)
    return display, config


def show(table: pd.DataFrame) -> None:
    """``st.dataframe`` of ``table`` with its labels."""
    display, config = shown(table)
    st.dataframe(display, hide_index=True, width="stretch", column_config=config)
