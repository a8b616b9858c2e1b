"""Political processes: the national process as milestones, local processes as places.

Their style and folium builders; the fields, codes and labels are ``schema.political_processes``.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from languages import N_, Labels, _
from layers._symbols import icon, symbol_html
from layers.escaping import Popup, Tooltip, escape, table
from schema.political_processes import MILESTONE_LABELS, PROCESS_TYPE_LABELS

LOCAL_PROCESS_COLOUR = "#1F4E9C"
NATIONAL_PROCESS_COLOUR = "#0B2A5B"


PROCESS_STATUS_LABELS = Labels(
    {
        "planned": N_("planned"),
        "ongoing": N_("ongoing"),
        "stalled": N_("stalled"),
        "concluded": N_("concluded"),
    }
)
"""A local process's status, as the popups name it."""


def build_local_processes(
    local_processes: gpd.GeoDataFrame,
    *,
    name: str | None = None,
    show: bool = True,
) -> folium.FeatureGroup:
    """Local processes as blue diamonds with an escaped popup each. ``name`` defaults to
    "Local political processes" in the current language (escaped)."""
    group = folium.FeatureGroup(name=escape(name or _("Local political processes")), show=show)
    for row in local_processes.itertuples():
        details = [
            (_("Type"), PROCESS_TYPE_LABELS.get(row.process_type, row.process_type)),
            (_("Status"), PROCESS_STATUS_LABELS.get(row.status, row.status)),
            (_("Field office"), row.field_office),
            (_("Since"), row.start_date),
            (_("Until"), row.end_date),
            (_("Parties"), row.parties),
            (_("Tied to national process"), _("yes") if row.linked_to_national else _("no")),
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
    name: str | None = None,
    show: bool = True,
) -> folium.FeatureGroup:
    """The national process as a star at ``location`` (lat, lon), its timeline in the popup.
    ``name`` defaults to "National political process" in the current language (escaped)."""
    name = name or _("National political process")
    group = folium.FeatureGroup(name=escape(name), show=show)
    timeline = [
        (
            row["date"],
            _(
                "{kind}: {title}",
                kind=MILESTONE_LABELS.get(row["kind"], row["kind"]),
                title=row["title"],
            ),
        )
        for row in milestones.sort_values("date").to_dict("records")
    ]
    folium.Marker(
        location,
        icon=icon("star", NATIONAL_PROCESS_COLOUR, 18),
    ).add_to(group).add_child(Tooltip(escape(_("National political process")))).add_child(
        Popup(table(timeline, title=_("National process milestones")), max_width=420)
    )
    return group


def legend_entries() -> list[tuple[str, str]]:
    """``(symbol html, label)`` for the map legend."""
    return [
        (symbol_html("star", NATIONAL_PROCESS_COLOUR, 12), _("National political process")),
        (symbol_html("diamond", LOCAL_PROCESS_COLOUR, 10), _("Local political process")),
    ]
