"""How the analysis' tables are shown to a person: headers and coded values in words.

The tables of :class:`analysis.joint.JointAnalysis` keep their column ids
(``dominant_motivation``, ``p_adjusted``) and their codes (``revenge``, ``signed``,
``new hot spot``): they are the keys of ``pocmap analyse --json``, the CSV downloads'
headers and what other code reads. A page, a briefing or the command line's text output
shows them through this module instead:

- :func:`column_label` (or :data:`COLUMN_LABELS`) gives a column's header in the reader's
  language ("Motivation dominante");
- :data:`TABLE_TITLES` gives each table's title by its name in :meth:`JointAnalysis.tables`;
- :func:`shown` returns a copy of a table with its coded values as labels and its headers
  translated, ready for ``st.dataframe`` or ``to_string``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.emerging import CATEGORY_LABELS
from languages import N_, Labels, _
from schema.incidents import (
    INCIDENT_TYPE_LABELS,
    MOTIVATION_LABELS,
    PERPETRATOR_LABELS,
    VICTIM_GROUP_LABELS,
)
from schema.local_agreements import AGREEMENT_TYPE_LABELS, STATUS_LABELS
from schema.political_processes import MILESTONE_LABELS

TABLE_TITLES = Labels(
    {
        "hot_spot_cells": N_("Hot-spot cells"),
        "hot_spots_by_cell_width": N_("Hot spots by cell width"),
        "emerging_hot_spots": N_("Emerging hot spots"),
        "drivers_by_hot_spot": N_("What drives each hot spot"),
        "drivers_by_admin1": N_("What drives violence in each admin1 area"),
        "protection_gaps": N_("Protection gaps"),
        "political_work_without_protection_picture": N_(
            "Political work without a protection picture"
        ),
        "agreement_watch": N_("Agreement watch"),
        "possible_violations": N_("Possible violations of agreements"),
        "escalation_around_milestones": N_("Escalation around national milestones"),
        "state_forces_friction": N_("State and allied forces among the perpetrators"),
        "field_office_linkage": N_("Field offices: local work and national linkage"),
    }
)
"""Each table's title, by its name in :meth:`analysis.joint.JointAnalysis.tables`."""

COLUMN_LABELS = Labels(
    {
        # hot-spot cells
        "cell_id": N_("Cell"),
        "q": N_("q (grid column)"),
        "r": N_("r (grid row)"),
        "incidents": N_("Incidents"),
        "fatalities": N_("Fatalities"),
        "value": N_("Value tested"),
        "z": N_("Gi* z-score"),
        "p": N_("p-value"),
        "p_sim": N_("Permutation p-value"),
        "gi_bin": N_("Gi* bin"),
        "bin": N_("Bin called"),
        "near": N_("Near a hot spot"),
        "label": N_("Label"),
        "cluster": N_("Cluster"),
        # by cell width
        "width_km": N_("Cell width (km)"),
        "times_chosen": N_("Times the chosen width"),
        "cells": N_("Cells"),
        "hot_cells": N_("Hot cells"),
        "hot_cells_with_incidents": N_("Hot cells with incidents"),
        "hot_clusters": N_("Hot clusters"),
        "incidents_in_hot_cells": N_("Incidents in hot cells"),
        "share_of_chosen_hot_incidents_still_hot": N_(
            "Share of the chosen width's hot incidents still hot"
        ),
        # emerging hot spots
        "category": N_("Category"),
        "trend_z": N_("Trend z-score (Mann-Kendall)"),
        "trend_p": N_("Trend p-value"),
        "slices_hot": N_("Slices hot"),
        "slices_cold": N_("Slices cold"),
        # drivers
        "group": N_("Place"),
        "dominant_motivation": N_("Dominant motivation"),
        "dominant_share": N_("Dominant share of the assessed"),
        "assessed": N_("Incidents assessed"),
        "dominant_low": N_("Dominant share, 95 % low"),
        "dominant_high": N_("Dominant share, 95 % high"),
        "effect": N_("Effect"),
        "caution": N_("Caution"),
        "coding_certainty": N_("Coding certainty"),
        "coded_by_suggestion": N_("Coded by accepting a suggestion"),
        "share_coded_by_suggestion": N_("Coded by accepting a suggestion (share of the assessed)"),
        "top_perpetrator": N_("Main perpetrator type"),
        "levers": N_("Levers to consider"),
        # protection gaps
        "peak_z": N_("Highest z-score"),
        "longitude": N_("Longitude"),
        "latitude": N_("Latitude"),
        "nearest_local_process": N_("Nearest local process"),
        "local_process_km": N_("Local process (km)"),
        "nearest_agreement": N_("Nearest local agreement"),
        "agreement_km": N_("Local agreement (km)"),
        "covered_by": N_("Areas of responsibility covering it"),
        "nearest_base": N_("Nearest office or base"),
        "base_km": N_("Office or base (km)"),
        "no_political_work_near": N_("No political work near"),
        "no_presence_near": N_("No presence near"),
        "gap": N_("Protection gap"),
        # political work without a protection picture
        "kind": N_("Kind"),
        "id": N_("Id"),
        "name": N_("Name"),
        "field_office": N_("Field office"),
        "status": N_("Status"),
        "incidents_within": N_("Incidents within the distance"),
        "no_protection_picture": N_("No protection picture"),
        # agreement watch
        "agreement_id": N_("Agreement"),
        "agreement_type": N_("Agreement type"),
        "date_signed": N_("Signed on"),
        "date_ended": N_("Ended on"),
        "area": N_("Area"),
        "parties": N_("Parties"),
        "before_incidents": N_("Incidents before"),
        "before_days": N_("Days before"),
        "before_rate_30d": N_("Rate before (per 30 days)"),
        "in_force_incidents": N_("Incidents in force"),
        "in_force_days": N_("Days in force"),
        "in_force_rate_30d": N_("Rate in force (per 30 days)"),
        "in_force_by_parties": N_("In force: by parties"),
        "in_force_by_others": N_("In force: by others"),
        "in_force_not_attributed": N_("In force: not attributed"),
        "window_days": N_("Window (days)"),
        "window_before": N_("Window before signature"),
        "window_after": N_("Window from signature"),
        "window_after_by_parties": N_("Window from signature: by parties"),
        "rate_ratio": N_("Rate ratio"),
        "ratio_low": N_("Ratio, 95 % low"),
        "ratio_high": N_("Ratio, 95 % high"),
        "p_adjusted": N_("Adjusted p-value"),
        "dispersion": N_("Dispersion"),
        "test": N_("Test"),
        "verdict": N_("Verdict"),
        "after_end_incidents": N_("Incidents after the end"),
        "after_end_days": N_("Days after the end"),
        "after_end_rate_30d": N_("Rate after the end (per 30 days)"),
        "end_window_days": N_("End window (days)"),
        "end_window_before": N_("Window before the end"),
        "end_window_after": N_("Window from the end"),
        "end_window_after_by_parties": N_("Window from the end: by parties"),
        "after_end_ratio": N_("Ratio after the end"),
        "after_end_low": N_("Ratio after the end, 95 % low"),
        "after_end_high": N_("Ratio after the end, 95 % high"),
        "after_end_p": N_("p-value after the end"),
        "after_end_p_adjusted": N_("Adjusted p-value after the end"),
        "after_end_dispersion": N_("Dispersion after the end"),
        "after_end_test": N_("Test after the end"),
        "after_end_verdict": N_("Verdict after the end"),
        "after_end_effect": N_("Effect after the end"),
        "recent_days": N_("Recent window (days)"),
        "previous_incidents": N_("Incidents in the previous window"),
        "recent_incidents": N_("Incidents in the recent window"),
        "recent_by_parties": N_("Recent window: by parties"),
        "recent_ratio": N_("Recent ratio"),
        "recent_low": N_("Recent ratio, 95 % low"),
        "recent_high": N_("Recent ratio, 95 % high"),
        "recent_p": N_("Recent p-value"),
        "recent_p_adjusted": N_("Recent adjusted p-value"),
        "recent_dispersion": N_("Recent dispersion"),
        "recent_test": N_("Recent test"),
        "at_risk": N_("At risk"),
        "recent_effect": N_("Recent effect"),
        "in_force_by_motivation": N_("In force: by motivation"),
        "in_force_by_perpetrator": N_("In force: by perpetrator type"),
        "warning": N_("Warning"),
        # possible violations
        "incident_id": N_("Incident"),
        "date": N_("Date"),
        "motivation": N_("Motivation"),
        "perpetrator_type": N_("Perpetrator type"),
        "incident_type": N_("Incident type"),
        "perpetrator_is": N_("Perpetrator is"),
        # escalation
        "milestone_id": N_("Milestone"),
        "title": N_("Title"),
        "after_incidents": N_("Incidents after"),
        "after_days": N_("Days after"),
        "after_rate_30d": N_("Rate after (per 30 days)"),
        "baseline_incidents": N_("Baseline incidents"),
        "baseline_days": N_("Baseline days"),
        "baseline_rate_30d": N_("Baseline rate (per 30 days)"),
        "baseline": N_("Baseline"),
        "before_ratio": N_("Ratio before"),
        "before_low": N_("Ratio before, 95 % low"),
        "before_high": N_("Ratio before, 95 % high"),
        "before_effect": N_("Effect before"),
        "before_test": N_("Test before"),
        "before_p_adjusted": N_("Adjusted p-value before"),
        "after_ratio": N_("Ratio after"),
        "after_low": N_("Ratio after, 95 % low"),
        "after_high": N_("Ratio after, 95 % high"),
        "after_effect": N_("Effect after"),
        "after_test": N_("Test after"),
        "after_p_adjusted": N_("Adjusted p-value after"),
        "flag": N_("Flag"),
        "note": N_("Note"),
        # state and allied forces
        "period": N_("Period"),
        "state_and_allied_incidents": N_("By state and allied forces"),
        "state_forces_incidents": N_("By state forces"),
        "allied_forces_incidents": N_("By allied forces"),
        "un_mission_incidents": N_("By the UN mission"),
        "share": N_("Share"),
        "share_low": N_("Share, 95 % low"),
        "share_high": N_("Share, 95 % high"),
        "share_elsewhere": N_("Share elsewhere"),
        "unidentified_incidents": N_("Perpetrator unidentified"),
        "state_and_allied_by_motivation": N_("State and allied forces: by motivation"),
        "state_forces_by_motivation": N_("State forces: by motivation"),
        # field offices
        "local_processes": N_("Local processes"),
        "processes_linked_to_national": N_("Processes linked to the national process"),
        "local_agreements": N_("Local agreements"),
        "agreements_linked_to_national": N_("Agreements from a linked process"),
        "bases": N_("Bases"),
    }
)
"""The header of each column with a fixed id, in the reader's language. Columns named
after a code (``share_revenge``, ``perpetrator_state_forces``, ``victims_women``) are
worded by :func:`column_label`."""

CONFIDENCE_LABELS = Labels(
    {"confirmed": N_("confirmed"), "probable": N_("probable"), "possible": N_("possible")}
)

# Column-id prefixes naming a code, with the code's labels and the header's words.
_PREFIXED: tuple[tuple[str, Mapping[str, str], str], ...] = (
    ("share_", MOTIVATION_LABELS, N_("Share: {label}")),
    ("share_", CONFIDENCE_LABELS, N_("Coding {label} (share)")),
    ("perpetrator_", PERPETRATOR_LABELS, N_("Perpetrators: {label} (share)")),
    ("victims_", VICTIM_GROUP_LABELS, N_("Victims: {label}")),
)

# Columns holding codes, shown as their labels by :func:`shown`.
_CODED: dict[str, Mapping[str, str]] = {
    "motivation": MOTIVATION_LABELS,
    "dominant_motivation": MOTIVATION_LABELS,
    "perpetrator_type": PERPETRATOR_LABELS,
    "top_perpetrator": PERPETRATOR_LABELS,
    "incident_type": INCIDENT_TYPE_LABELS,
    "agreement_type": AGREEMENT_TYPE_LABELS,
    "status": STATUS_LABELS,
    "category": CATEGORY_LABELS,
}


def _label(labels: Mapping[str, str], code: str) -> str:
    # ``_`` over the label: an English label (a plain dict) is translated here, an
    # already translated one (a Labels mapping) is left as it is.
    return _(labels[code])


def column_label(column: str) -> str:
    """A column's header in the reader's language; an unknown column keeps its id."""
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    for prefix, labels, words in _PREFIXED:
        code = column.removeprefix(prefix)
        if column.startswith(prefix) and code in labels:
            return _(words, label=_label(labels, code))
    return column


def shown(table: pd.DataFrame, *, kind_is_milestone: bool | None = None) -> pd.DataFrame:
    """A copy of ``table`` for a person: coded values as their labels, headers translated.

    Parameters
    ----------
    table
        One of :meth:`analysis.joint.JointAnalysis.tables`' tables (ids as headers).
    kind_is_milestone
        Whether a ``kind`` column holds milestone kinds (the escalation table); by default,
        when the table has a ``milestone_id`` column.

    Returns
    -------
    pandas.DataFrame
        The same rows; the ids stay in the original table (JSON, CSV).
    """
    copy = pd.DataFrame(table).copy()
    coded = dict(_CODED)
    if kind_is_milestone is None:
        kind_is_milestone = "milestone_id" in copy
    if kind_is_milestone:
        coded["kind"] = MILESTONE_LABELS
    for column, labels in coded.items():
        if column in copy and not pd.api.types.is_numeric_dtype(copy[column]):
            words = {code: _label(labels, code) for code in labels}
            copy[column] = copy[column].map(lambda v, w=words: w.get(v, v) if v == v else v)
    return copy.rename(columns={c: column_label(str(c)) for c in copy.columns})


__all__ = ["COLUMN_LABELS", "TABLE_TITLES", "column_label", "shown"]
