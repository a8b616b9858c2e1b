"""The joint map: incidents by motivation over political processes, agreements and presence."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from analysis.filters import filter_by_office, filter_incidents, summarise
from layers.incidents import MOTIVATION_COLOURS, MOTIVATION_LABELS
from layers.joint_map import (
    BASEMAP_LABELS,
    CUSTOM,
    OFFLINE,
    OPENSTREETMAP,
    build_joint_map,
    legend_html,
    tile_server_from_env,
)
from ui import briefing, filters
from ui.data import mission_data

MAP_HEIGHT = 680

data = mission_data()
if data is None:
    st.title("Joint POC and political map")
    st.info(
        "Nothing to map yet: the store holds no administrative boundaries. Import them "
        "on the **Upload** page (then the other layers), or load the synthetic sample "
        "with `pocmap load-sample`."
    )
    st.stop()
selection = filters.show(data)
tile_server = tile_server_from_env()

with st.sidebar:
    st.header("Map")
    bases = [OFFLINE, OPENSTREETMAP] + ([CUSTOM] if tile_server else [])
    base = st.selectbox("Basemap", bases, format_func=BASEMAP_LABELS.get, key="map_base")
    show_density = st.toggle("Show incident density", key="map_density")

selected = filter_incidents(data.incidents, selection)
processes = filter_by_office(data.local_processes, selection.field_offices)
agreements = filter_by_office(data.local_agreements, selection.field_offices)
summary = summarise(selected, total=len(data.incidents))

st.title("Joint POC and political map")
if data.label:
    st.caption(data.label)

cols = st.columns(4)
cols[0].metric(
    "Incidents shown",
    f"{summary.incidents:,}",
    help=f"of {summary.total_incidents:,} incidents loaded",
)
cols[1].metric("Fatalities", f"{summary.fatalities:,}")
cols[2].metric("Local processes", f"{len(processes):,}")
cols[3].metric("Local agreements", f"{len(agreements):,}")
st.markdown(
    " · ".join(
        f":gray[{MOTIVATION_LABELS[m]}] **{n:,}**" for m, n in summary.by_motivation.items()
    ),
    help="Incidents shown, by motivation. Colours on the map: "
    + ", ".join(f"{MOTIVATION_LABELS[m]} {c}" for m, c in MOTIVATION_COLOURS.items()),
)
period = f"{selection.start:%d %b %Y} to {selection.end:%d %b %Y}"
st.caption(f"Showing {summary.incidents:,} of {summary.total_incidents:,} incidents, {period}.")
briefing.show(data, selection, key="map")

joint_map = build_joint_map(
    data,
    selected,
    with_legend=False,
    base=base,
    tile_server=tile_server,
    show_density=show_density,
    local_processes=processes,
    agreements=agreements,
)
# returned_objects=[]: panning and zooming send nothing back, so they never rerun the script.
map_column, legend_column = st.columns([5, 1])
with legend_column:
    st.html(legend_html(data.label, columns=1))
with map_column:
    st_folium(
        joint_map, height=MAP_HEIGHT, use_container_width=True, returned_objects=[], key="joint_map"
    )
