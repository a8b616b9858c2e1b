"""The joint map: incidents by motivation over political processes, agreements and presence."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from analysis import incidents_in
from languages import N_, _, format_date, format_number, ngettext
from layers import incident_cells
from layers.incidents import MOTIVATION_COLOURS
from layers.joint_map import (
    BASEMAP_LABELS,
    CELLS,
    CUSTOM,
    OFFLINE,
    OPENSTREETMAP,
    POINTS,
    POINTS_WHEN_CLOSE,
    POINTS_WHEN_CLOSE_UP_TO,
    legend_html,
    tile_server_from_env,
)
from layers.selection_map import joint_map_for
from schema.incidents import MOTIVATION_LABELS
from ui import auth, briefing, filters, incident_detail, incidents_behind
from ui.data import indexes, mission_data, session
from ui.text import md

MAP_HEIGHT = 680
_VIEW_NOTES = {
    POINTS: "",
    POINTS_WHEN_CLOSE: N_(
        "Many incidents: the map shows them per cell, and one by one once you zoom in."
    ),
    CELLS: N_(
        "Too many to draw one by one: the map shows them per cell. Narrow the filters "
        "to {limit} or fewer to see each incident when you zoom in."
    ),
}
DAY = "dd MMM y"  # a day as people read it on the page: 05 Jan 2024, 05 janv. 2024


def _view_note(view: str) -> str:
    note = _VIEW_NOTES[view]
    return " " + _(note, limit=format_number(POINTS_WHEN_CLOSE_UP_TO)) if note else ""


auth.show(session())
data = mission_data()
if data is None:
    st.title(_("Joint POC and political map"))
    st.info(
        _(
            "Nothing to map yet: the store holds no administrative boundaries. Import them "
            "on the **Upload** page (then the other layers), or load the synthetic sample "
            "with `pocmap load-sample`."
        )
    )
    st.stop()
selection = filters.show(data, indexes(data)[0])
tile_server = tile_server_from_env()

with st.sidebar:
    st.header(_("Map"))
    bases = [OFFLINE, OPENSTREETMAP] + ([CUSTOM] if tile_server else [])
    base = st.selectbox(
        _("Basemap"), bases, format_func=lambda b: _(BASEMAP_LABELS[b]), key="map_base"
    )
    show_density = st.toggle(_("Show incident density"), key="map_density")

# Integer masks, not string filters: a filter change stays quick at a million incidents.
shown = joint_map_for(
    data,
    selection,
    indexes=indexes(data),
    with_legend=False,
    base=base,
    tile_server=tile_server,
    show_density=show_density,
)
summary, view, cells = shown.summary, shown.view, shown.cells
processes, agreements = shown.local_processes, shown.agreements

st.title(_("Joint POC and political map"))
if data.label:
    st.caption(md(_(data.label)))

cols = st.columns(4)
cols[0].metric(
    _("Incidents shown"),
    format_number(summary.incidents),
    help=ngettext("of {n} incident loaded", "of {n} incidents loaded", summary.total_incidents),
)
cols[1].metric(_("Fatalities"), format_number(summary.fatalities))
cols[2].metric(_("Local processes"), format_number(len(processes)))
cols[3].metric(_("Local agreements"), format_number(len(agreements)))
# Markdown markup around data: the labels are translated, the markup is not text.
counts = " · ".join(
    f":gray[{_(MOTIVATION_LABELS[m])}] **{format_number(n)}**"
    for m, n in summary.by_motivation.items()
)
colours = ", ".join(f"{_(MOTIVATION_LABELS[m])} {c}" for m, c in MOTIVATION_COLOURS.items())
st.markdown(
    counts,
    help=_("Incidents shown, by motivation. Colours on the map: {colours}", colours=colours),
)
showing = ngettext(
    "Showing {shown} of {n} incident, {start} to {end}.",
    "Showing {shown} of {n} incidents, {start} to {end}.",
    summary.total_incidents,
    shown=format_number(summary.incidents),
    start=format_date(selection.start, DAY),
    end=format_date(selection.end, DAY),
)
st.caption(showing + _view_note(view))
briefing.show(data, selection, key="map")

# A click on an incident (or a cell) lists the incidents there, linked to the incident desk.
map_column, legend_column = st.columns([5, 1])
with legend_column:
    extra = (incident_cells.legend_section(),) if cells is not None else ()
    st.html(legend_html(data.label, columns=1, extra=extra))
with map_column:
    # render=False: st_folium renders the map's elements itself; rendering the whole
    # page first as well (its default) drew every element twice per rerun.
    # Only a click on something drawn comes back (panning and zooming send nothing).
    returned = st_folium(
        shown.map,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        key="joint_map",
        render=False,
    )
index, cell_index = indexes(data)
clicked = incidents_in.at_click(
    returned,
    data.incidents[index.mask(selection)],
    cells=cells,
    cell_of_incident=cell_index.counts.cell_of_incident,
)
if len(clicked):
    st.subheader(_("Incidents at the point clicked"))
    if len(clicked) == 1:
        incident_detail.link(str(clicked["incident_id"].iloc[0]))
    incidents_behind.listed(clicked, "map_clicked")
elif incidents_in.clicked_point(returned) is not None:
    st.caption(_("No incident of the selection at the point clicked."))
