"""Joint analysis: where violence happens, why, and what political work is there."""

from __future__ import annotations

from functools import partial

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysis.cells import SHAPES
from analysis.emerging import STEPS
from analysis.hotspots import INFERENCES
from analysis.joint import JointAnalysis, Options, analyse, table_csv
from layers import hotspot_cells
from layers.incidents import MOTIVATION_COLOURS
from layers.joint_map import build_joint_map, legend_html
from schema.incidents import MOTIVATION_LABELS, MOTIVATIONS
from ui import auth, briefing, downloads, filters
from ui.data import data_key, mission_data, session
from ui.text import md

MAP_HEIGHT = 620
KEY = "analysis"


@st.cache_resource(max_entries=8, show_spinner="Running the joint analysis…")
def _analyse(_data, data_key: int, selection, options: Options) -> JointAnalysis:
    return analyse(_data, selection, options)


def _options() -> Options:
    with st.sidebar:
        st.header("Analysis")
        shape = st.selectbox("Cell shape", SHAPES, key=f"{KEY}_shape")
        automatic = st.toggle("Cell width from the data", value=True, key=f"{KEY}_auto")
        width = (
            None
            if automatic
            else st.number_input("Cell width (km)", 0.5, 200.0, 10.0, step=0.5, key=f"{KEY}_width")
        )
        weight = st.radio(
            "Weight", ("incidents", "fatalities"), horizontal=True, key=f"{KEY}_weight"
        )
        step = st.selectbox(
            "Time slices", tuple(STEPS), index=1, format_func=STEPS.get, key=f"{KEY}_step"
        )
        gap_km = st.slider("Protection gap distance (km)", 5, 100, 25, key=f"{KEY}_gap")
        window = st.slider("Days before and after a milestone", 15, 120, 60, key=f"{KEY}_win")
        inference = st.radio(
            "Hot-spot p-values",
            INFERENCES,
            horizontal=True,
            key=f"{KEY}_inference",
            help="analytic: Gi*'s z-scores (normal approximation). permutation: 999 "
            "conditional permutations with a fixed seed, as esda's; better for small counts.",
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


def _download(name: str, table: pd.DataFrame) -> None:
    downloads.button(
        st,
        f"Download {name.replace('_', ' ')} (CSV)",
        partial(table_csv, table),
        file_name=f"pocmap_{name}.csv",
        mime="text/csv",
        key=f"{KEY}_dl_{name}",
    )


def _table(result: JointAnalysis, name: str, title: str) -> None:
    table, caption = result.tables()[name]
    st.subheader(title)
    st.caption(md(caption))
    if len(table):
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.write("Nothing to show for this selection.")
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
    counts["motivation"] = counts["motivation"].map(MOTIVATION_LABELS)
    present = [MOTIVATION_LABELS[m] for m in MOTIVATIONS]
    colours = [MOTIVATION_COLOURS[m] for m in MOTIVATIONS]
    return (
        alt.Chart(counts)
        .mark_line(point=False)
        .encode(
            x=alt.X("month:T", title="Month"),
            y=alt.Y("incidents:Q", title="Incidents per month"),
            color=alt.Color(
                "motivation:N", scale=alt.Scale(domain=present, range=colours), title=None
            ),
            tooltip=["month:T", "motivation:N", "incidents:Q"],
        )
        .properties(height=280)
    )


auth.show(session())
data = mission_data()
st.title("Joint analysis")
if data is None:
    st.info(
        "Nothing to analyse yet: the store holds no administrative boundaries. Import them "
        "on the **Upload** page, or load the synthetic sample with `pocmap load-sample`."
    )
    st.stop()
if data.label:
    st.caption(md(data.label))

selection = filters.show(data)
options = _options()
result = _analyse(data, data_key(data), selection, options)
selected = data.incidents[data.incidents.index.isin(result.hot_spots.counts.cell_of_incident.index)]

cols = st.columns(4)
cols[0].metric("Incidents analysed", f"{result.incidents:,}")
cells = result.hot_spots.cells
cols[1].metric(
    "Hot-spot clusters",
    f"{result.hot_spots.clusters:,}",
    help="Touching hot cells that hold incidents; cells only near busy ones are not counted.",
)
cols[2].metric("Protection gaps", f"{int(result.gaps.hot_spots['gap'].sum()):,}")
flags = result.escalation.table
cols[3].metric("Escalation flags", f"{int((flags['flag'] != '').sum()) if len(flags) else 0:,}")
for note in result.notes:
    st.info(md(note))
briefing.show(data, selection, key=KEY, analysis=options)

st.subheader("Hot spots over the political layers")
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
            f"<div style='display:flex;gap:6px;align-items:center'>{symbol}{label}</div>"
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
with st.expander("How the hot spots change with the cell width"):
    widths, widths_caption = result.tables()["hot_spots_by_cell_width"]
    st.caption(md(widths_caption))
    if len(widths):
        st.dataframe(widths, hide_index=True, width="stretch")
    _download("hot_spots_by_cell_width", widths)

st.subheader("Trends by motivation")
st.caption("Incidents per calendar month in the selection, one line per motivation.")
chart = _trend_chart(selected)
if chart is None:
    st.write("No incidents in this selection.")
else:
    st.altair_chart(chart, width="stretch")

_table(result, "emerging_hot_spots", "Emerging hot spots")
_table(result, "drivers_by_hot_spot", "What drives each hot spot")
_table(result, "drivers_by_admin1", "What drives violence in each admin1 area")
_table(result, "protection_gaps", "Protection gaps")
_table(result, "political_work_without_protection_picture", "Political work, protection picture")
_table(result, "agreement_watch", "Agreement watch")
_table(result, "possible_violations", "Possible violations of agreements")
st.warning(md(result.escalation.warning))
_table(result, "escalation_around_milestones", "Escalation around national milestones")
_table(result, "state_forces_friction", "State and allied forces among the perpetrators")
_table(result, "field_office_linkage", "Field offices: local work and national linkage")
