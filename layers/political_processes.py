"""Political processes: the national process as milestones, local processes as places.

Their style and folium builders; the fields, codes and labels are ``schema.political_processes``.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from layers._symbols import icon, symbol_html
from layers.escaping import Popup, Tooltip, escape, table
from schema.political_processes import MILESTONE_LABELS, PROCESS_TYPE_LABELS

LOCAL_PROCESS_COLOUR = "#1F4E9C"
NATIONAL_PROCESS_COLOUR = "#0B2A5B"


def build_local_processes(
    local_processes: gpd.GeoDataFrame,
    *,
    name: str = "Local political processes",
    show: bool = True,
) -> folium.FeatureGroup:
    """Local processes as blue diamonds with an escaped popup each."""
    group = folium.FeatureGroup(name=name, show=show)
    for row in local_processes.itertuples():
        details = [
            ("Type", PROCESS_TYPE_LABELS.get(row.process_type, row.process_type)),
            ("Status", row.status),
            ("Field office", row.field_office),
            ("Since", row.start_date),
            ("Until", row.end_date),
            ("Parties", row.parties),
            ("Tied to national process", "yes" if row.linked_to_national else "no"),
        ]
        folium.Marker(
            (row.geometry.y, row.geometry.x),
            icon=icon("diamond", LOCAL_PROCESS_COLOUR),
        ).add_to(group).add_child(Tooltip(escape(row.name))).add_child(
            Popup(table(details, title=row.name), max_width=320)
        )
    return group


def build_national_process(
    milestones: pd.DataFrame,
    location: tuple[float, float],
    *,
    name: str = "National political process",
    show: bool = True,
) -> folium.FeatureGroup:
    """The national process as a star at ``location`` (lat, lon), its timeline in the popup."""
    group = folium.FeatureGroup(name=name, show=show)
    timeline = [
        (row["date"], f"{MILESTONE_LABELS.get(row['kind'], row['kind'])}: {row['title']}")
        for row in milestones.sort_values("date").to_dict("records")
    ]
    folium.Marker(
        location,
        icon=icon("star", NATIONAL_PROCESS_COLOUR, 18),
    ).add_to(group).add_child(Tooltip("National political process")).add_child(
        Popup(table(timeline, title="National process milestones"), max_width=420)
    )
    return group


def legend_entries() -> list[tuple[str, str]]:
    """``(symbol html, label)`` for the map legend."""
    return [
        (symbol_html("star", NATIONAL_PROCESS_COLOUR, 12), "National political process"),
        (symbol_html("diamond", LOCAL_PROCESS_COLOUR, 10), "Local political process"),
    ]
