"""The sidebar filters of the joint map. ``show`` owns its widgets' state keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from analysis.filters import month_bounds, months
from analysis.selection_index import IncidentIndex
from languages import _, format_date
from schema.filters import IncidentFilter
from schema.incidents import (
    CONFIDENCE_LABELS,
    CONFIDENCES,
    INCIDENT_TYPE_LABELS,
    INCIDENT_TYPES,
    MOTIVATION_LABELS,
    MOTIVATION_ORIGIN_LABELS,
    MOTIVATION_ORIGINS,
    MOTIVATIONS,
    PERPETRATOR_LABELS,
    PERPETRATOR_TYPES,
    VICTIM_GROUP_LABELS,
    VICTIM_GROUPS,
)
from schema.mission import MissionData

KEY = "map_filter"
FIRM = ("confirmed", "probable")
"""The confidences the one-click "confirmed and probable only" toggle keeps."""


def _choices(label: str, options: list[str], names: Mapping[str, str], key: str) -> frozenset[str]:
    """A multiselect of ``options``; codes shown by their ``names`` in the current
    language, other values (offices, places) as they are."""
    chosen = st.multiselect(
        label,
        options,
        format_func=lambda v: _(names[v]) if v in names else v,
        key=f"{KEY}_{key}",
        placeholder=_("All"),
    )
    return frozenset(chosen)


def _firm_toggled() -> None:
    # The toggle writes the confidence multiselect, which stays the one value read.
    firm = st.session_state[f"{KEY}_firm"]
    st.session_state[f"{KEY}_confidence"] = list(FIRM) if firm else []


def _confidence_chosen() -> None:
    st.session_state[f"{KEY}_firm"] = set(st.session_state[f"{KEY}_confidence"]) == set(FIRM)


def _confidences() -> frozenset[str]:
    """The motivation confidence filter, with a one-click toggle for confirmed and probable
    codes only (an incident with no confidence recorded is then left out)."""
    st.toggle(
        _("Confirmed and probable codes only"),
        key=f"{KEY}_firm",
        on_change=_firm_toggled,
        help=_(
            "Keep only incidents whose motivation is coded confirmed or probable: possible "
            "codes and incidents not yet assessed are left out."
        ),
    )
    chosen = st.multiselect(
        _("Motivation confidence"),
        list(CONFIDENCES),
        format_func=lambda v: CONFIDENCE_LABELS.get(v, v),
        key=f"{KEY}_confidence",
        on_change=_confidence_chosen,
        placeholder=_("All, with or without a confidence"),
    )
    return frozenset(chosen)


def _sorted_values(series: pd.Series) -> list[str]:
    return sorted(str(v) for v in series.dropna().unique())


def _period(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    picked = st.date_input(
        _("Period"),
        value=(first, last),
        min_value=first,
        max_value=last,
        key=f"{KEY}_period",
        format="YYYY-MM-DD",
    )
    # While the user is picking, the range widget holds only the start date.
    if isinstance(picked, tuple) and len(picked) == 2:
        start, end = picked
    else:
        start, end = (picked[0] if isinstance(picked, tuple) and picked else first), last
    if st.toggle(_("Step through months"), key=f"{KEY}_step"):
        steps = months(start, end)
        month = st.select_slider(
            _("Month"),
            options=steps,
            value=steps[-1],
            format_func=lambda p: format_date(p.start_time, "LLL y"),
            key=f"{KEY}_month",
        )
        month_start, month_end = month_bounds(month)
        start, end = max(month_start, start), min(month_end, end)
    return start, end


def show(data: MissionData, index: IncidentIndex | None = None) -> IncidentFilter:
    """Draw the filters in the sidebar and return what they select.

    ``index`` (of ``data.incidents``) lists each column's values without reading it again.
    """
    incidents = data.incidents

    def values(column: str) -> list[str]:
        if index is None:
            return _sorted_values(incidents[column])
        return sorted(str(v) for v in index.columns[column].values)

    if len(incidents):
        first, last = incidents["date"].min().date(), incidents["date"].max().date()
    else:  # nothing imported yet: a period around today, so the widgets still work
        last = dt.date.today()
        first = last.replace(day=1)
    with st.sidebar:
        st.header(_("Filters"))
        start, end = _period(first, last)
        admin1_names = values("admin1")
        admin2_names = values("admin2")
        offices = sorted(
            set(values("field_office")) | set(_sorted_values(data.mission_presence["field_office"]))
        )
        return IncidentFilter(
            start=start,
            end=end,
            motivations=_choices(
                _("Motivation"), list(MOTIVATIONS), MOTIVATION_LABELS, "motivation"
            ),
            confidences=_confidences(),
            motivation_origins=_choices(
                _("Motivation coded by"),
                list(MOTIVATION_ORIGINS),
                MOTIVATION_ORIGIN_LABELS,
                "origin",
            ),
            perpetrator_types=_choices(
                _("Perpetrator type"), list(PERPETRATOR_TYPES), PERPETRATOR_LABELS, "perpetrator"
            ),
            incident_types=_choices(
                _("Incident type"), list(INCIDENT_TYPES), INCIDENT_TYPE_LABELS, "incident_type"
            ),
            victim_groups=_choices(
                _("Victim group"), list(VICTIM_GROUPS), VICTIM_GROUP_LABELS, "victim_group"
            ),
            field_offices=_choices(_("Field office"), offices, {}, "office"),
            admin1=_choices(_("Admin1 area"), admin1_names, {}, "admin1"),
            admin2=_choices(_("Admin2 area"), admin2_names, {}, "admin2"),
        )
