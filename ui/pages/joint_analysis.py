"""Joint analysis: where violence happens, why, and what political work is there."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysis.cells import SHAPES
from analysis.emerging import STEPS
from analysis.hotspots import INFERENCES
from analysis.joint import JointAnalysis, Options, analyse, table_csv
from languages import N_, _, current, format_date, format_number
from layers import hotspot_cells
from layers.incidents import MOTIVATION_COLOURS
from layers.joint_map import build_joint_map, legend_html
from schema.incidents import MOTIVATION_LABELS, MOTIVATIONS
from ui import analysis_columns, auth, briefing, downloads, filters, incidents_behind
from ui.data import data_key, mission_data, session
from ui.text import md

MAP_HEIGHT = 620
KEY = "analysis"
SHAPE_LABELS = {"hexagon": N_("hexagon"), "square": N_("square")}
WEIGHT_LABELS = {"incidents": N_("incidents"), "fatalities": N_("fatalities")}
STEP_LABELS = {"M": N_("month"), "Q": N_("quarter"), "Y": N_("year")}
INFERENCE_LABELS = {"analytic": N_("analytic"), "permutation": N_("permutation")}
# Each table in a few words: its download's label and file name (the CSV's columns stay
# the data's identifiers). Comments, not docstrings: a page's bare strings are shown.
TABLE_WORDS = {
    "hot_spot_cells": N_("hot spot cells"),
    "hot_spots_by_cell_width": N_("hot spots by cell width"),
    "emerging_hot_spots": N_("emerging hot spots"),
    "drivers_by_hot_spot": N_("drivers by hot spot"),
    "drivers_by_admin1": N_("drivers by admin1"),
    "protection_gaps": N_("protection gaps"),
    "political_work_without_protection_picture": N_("political work without protection picture"),
    "agreement_watch": N_("agreement watch"),
    "possible_violations": N_("possible violations"),
    "escalation_around_milestones": N_("escalation around milestones"),
    "state_forces_friction": N_("state forces friction"),
    "field_office_linkage": N_("field office linkage"),
}


def _label(labels: dict[str, str]):
    return lambda code: _(labels[code]) if code in labels else code


@st.cache_resource(max_entries=8, show_spinner=_("Running the joint analysis…"))
def _analyse(_data, data_key: int, selection, options: Options, language: str) -> JointAnalysis:
    # The result's captions and notes are written in the language of the run that computed
    # it: the language is part of the key, so a French reader never gets an English result.
    return analyse(_data, selection, options)


def _options() -> Options:
    with st.sidebar:
        st.header(_("Analysis"))
        shape = st.selectbox(
            _("Cell shape"), SHAPES, format_func=_label(SHAPE_LABELS), key=f"{KEY}_shape"
        )
        automatic = st.toggle(_("Cell width from the data"), value=True, key=f"{KEY}_auto")
        width = (
            None
            if automatic
            else st.number_input(
                _("Cell width (km)"), 0.5, 200.0, 10.0, step=0.5, key=f"{KEY}_width"
            )
        )
        weight = st.radio(
            _("Weight"),
            tuple(WEIGHT_LABELS),
            format_func=_label(WEIGHT_LABELS),
            horizontal=True,
            key=f"{KEY}_weight",
        )
        step = st.selectbox(
            _("Time slices"),
            tuple(STEPS),
            index=1,
            format_func=_label(STEP_LABELS),
            key=f"{KEY}_step",
        )
        gap_km = st.slider(_("Protection gap distance (km)"), 5, 100, 25, key=f"{KEY}_gap")
        window = st.slider(_("Days before and after a milestone"), 15, 120, 60, key=f"{KEY}_win")
        inference = st.radio(
            _("Hot-spot p-values"),
            INFERENCES,
            format_func=_label(INFERENCE_LABELS),
            horizontal=True,
            key=f"{KEY}_inference",
            help=_(
                "analytic: Gi*'s z-scores (normal approximation). permutation: 999 "
                "conditional permutations with a fixed seed, as esda's; better for small counts."
            ),
        )
    return Options(
        shape=shape,
        width_km=width,
        weight=weight,
        step=step,
        gap_km=gap_km,
        window_days=window,
        inference=inference,
    )


def _file_part(words: str) -> str:
    """``words`` as a file name's part: ASCII letters and digits joined by ``_``."""
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", plain).strip("_")


def _download(name: str, table: pd.DataFrame) -> None:
    words = _(TABLE_WORDS[name])
    downloads.button(
        st,
        _("Download {table} (CSV)", table=words),
        partial(table_csv, table),
        file_name=f"pocmap_{_file_part(words)}.csv",
        mime="text/csv",
        key=f"{KEY}_dl_{name}",
    )


def _table(result: JointAnalysis, name: str, title: str) -> None:
    table, caption = result.tables()[name]
    st.subheader(title)
    st.caption(md(caption))
    if len(table):
        analysis_columns.show(table)
    else:
        st.write(_("Nothing to show for this selection."))
    _download(name, table)


def _trend_chart(incidents: pd.DataFrame) -> alt.Chart | None:
    if not len(incidents):
        return None
    months = incidents["date"].dt.to_period("M").dt.to_timestamp()
    counts = (
        pd.DataFrame({"month": months, "motivation": incidents["motivation"]})
        .value_counts()
        .rename("incidents")
        .reset_index()
    )
    counts["motivation"] = counts["motivation"].map(lambda m: _(MOTIVATION_LABELS[m]))
    # Months as the language writes them: Vega would name them in English.
    counts["month_name"] = counts["month"].map(lambda d: format_date(d, "MMMM y"))
    present = [_(MOTIVATION_LABELS[m]) for m in MOTIVATIONS]
    colours = [MOTIVATION_COLOURS[m] for m in MOTIVATIONS]
    return (
        alt.Chart(counts)
        .mark_line(point=False)
        .encode(
            x=alt.X("month:T", title=_("Month"), axis=alt.Axis(labelExpr=_month_names())),
            y=alt.Y("incidents:Q", title=_("Incidents per month")),
            color=alt.Color(
                "motivation:N", scale=alt.Scale(domain=present, range=colours), title=None
            ),
            tooltip=[
                alt.Tooltip("month_name:N", title=_("Month")),
                alt.Tooltip("motivation:N", title=_("Motivation")),
                alt.Tooltip("incidents:Q", title=_("Incidents"), format=","),
            ],
        )
        .properties(height=280)
    )


def _month_names() -> str:
    """A Vega expression naming an axis tick's month and year in the current language."""
    names = [format_date(dt.date(2000, m, 1), "LLL") for m in range(1, 13)]
    quoted = ", ".join("'" + n.replace("'", "\\'") + "'" for n in names)
    return f"[{quoted}][month(datum.value)] + ' ' + year(datum.value)"


auth.show(session())
data = mission_data()
st.title(_("Joint analysis"))
if data is None:
    st.info(
        _(
            "Nothing to analyse yet: the store holds no administrative boundaries. Import them "
            "on the **Upload** page, or load the synthetic sample with `pocmap load-sample`."
        )
    )
    st.stop()
if data.label:
    st.caption(md(_(data.label)))

selection = filters.show(data)
options = _options()
result = _analyse(data, data_key(data), selection, options, current())
selected = data.incidents[data.incidents.index.isin(result.hot_spots.counts.cell_of_incident.index)]

cols = st.columns(4)
cols[0].metric(_("Incidents analysed"), format_number(result.incidents))
cells = result.hot_spots.cells
cols[1].metric(
    _("Hot-spot clusters"),
    format_number(result.hot_spots.clusters),
    help=_("Touching hot cells that hold incidents; cells only near busy ones are not counted."),
)
gaps = int(result.gaps.hot_spots["gap"].sum())
cols[2].metric(_("Protection gaps"), format_number(gaps))
flags = result.escalation.table
flagged = int((flags["flag"] != "").sum()) if len(flags) else 0
cols[3].metric(_("Escalation flags"), format_number(flagged))
for note in result.notes:
    st.info(md(note))
briefing.show(data, selection, key=KEY, analysis=options)

st.subheader(_("Hot spots over the political layers"))
st.caption(md(result.hot_spots.caption))
hot_map = build_joint_map(
    data,
    selected.iloc[:0],
    with_legend=False,
    analysis_layers=(hotspot_cells.build(cells),),
    local_processes=data.local_processes,
    agreements=data.local_agreements,
)
map_column, legend_column = st.columns([5, 1])
with legend_column:
    st.html(
        "<div style='font-size:13px'>"
        + "".join(
            "<div style='display:flex;gap:6px;align-items:center'>"
            f"{symbol}{html.escape(label)}</div>"
            for symbol, label in hotspot_cells.legend_entries()
        )
        + "</div>"
    )
    st.html(legend_html(data.label, columns=1))
with map_column:
    st_folium(  # render=False: st_folium renders the elements itself (see the joint map)
        hot_map,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[],
        key="hm",
        render=False,
    )
_download("hot_spot_cells", result.tables()["hot_spot_cells"][0])
with st.expander(_("How the hot spots change with the cell width")):
    widths, widths_caption = result.tables()["hot_spots_by_cell_width"]
    st.caption(md(widths_caption))
    if len(widths):
        analysis_columns.show(widths)
    _download("hot_spots_by_cell_width", widths)

st.subheader(_("Trends by motivation"))
st.caption(_("Incidents per calendar month in the selection, one line per motivation."))
chart = _trend_chart(selected)
if chart is None:
    st.write(_("No incidents in this selection."))
else:
    st.altair_chart(chart, width="stretch")

_table(result, "emerging_hot_spots", _("Emerging hot spots"))
_table(result, "drivers_by_hot_spot", _("What drives each hot spot"))
incidents_behind.hot_spot(data, result, f"{KEY}_drivers")
_table(result, "drivers_by_admin1", _("What drives violence in each admin1 area"))
_table(result, "protection_gaps", _("Protection gaps"))
incidents_behind.hot_spot(data, result, f"{KEY}_gaps")
_table(result, "political_work_without_protection_picture", _("Political work, protection picture"))
_table(result, "agreement_watch", _("Agreement watch"))
incidents_behind.agreement(data, result, f"{KEY}_watch")
_table(result, "possible_violations", _("Possible violations of agreements"))
st.warning(md(result.escalation.warning))
_table(result, "escalation_around_milestones", _("Escalation around national milestones"))
incidents_behind.milestone(data, result, f"{KEY}_escalation")
_table(result, "state_forces_friction", _("State and allied forces among the perpetrators"))
_table(result, "field_office_linkage", _("Field offices: local work and national linkage"))
