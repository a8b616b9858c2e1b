"""Local agreements: farmer-herder deals, transhumance corridors, weapon-free zones, ...

Their style and folium builders; the fields, codes and labels are ``schema.local_agreements``.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd

from languages import N_, Labels, _
from layers._symbols import icon, symbol_html
from layers.escaping import Popup, Tooltip, escape, table
from schema.fields import split_codes
from schema.incidents import VICTIM_GROUP_LABELS
from schema.local_agreements import (
    AGREEMENT_STATUSES,
    AGREEMENT_TYPE_LABELS,
    POC_PROVISION_LABELS,
    STATUS_LABELS,
)

STATUS_COLOURS = {
    "negotiating": "#E6AB02",
    "signed": "#1B9E77",
    "implemented": "#0B6E4F",
    "violated": "#B2182B",
    "lapsed": "#7F7F7F",
}


MISSION_ROLE_LABELS = Labels(
    {
        "facilitator": N_("facilitator"),
        "guarantor": N_("guarantor"),
        "observer": N_("observer"),
        "technical_support": N_("technical support"),
        "none": N_("none"),
    }
)
"""The mission's role, as the popups name it."""


def _details(row: Any) -> list[tuple[str, object]]:  # a row of itertuples()
    protected = ", ".join(VICTIM_GROUP_LABELS.get(g, g) for g in split_codes(row.groups_protected))
    provisions = ", ".join(
        label for code, label in POC_PROVISION_LABELS.items() if bool(getattr(row, code))
    )
    return [
        (_("Type"), AGREEMENT_TYPE_LABELS.get(row.agreement_type, row.agreement_type)),
        (_("Status"), STATUS_LABELS.get(row.status, row.status)),
        (_("Signed on"), row.date_signed),
        (_("Ended on"), row.date_ended),
        (_("Parties"), row.parties),
        (_("Mission role"), MISSION_ROLE_LABELS.get(row.mission_role, row.mission_role)),
        (_("Field office"), row.field_office),
        (_("POC provisions"), provisions or _("none")),
        (_("Groups protected"), protected),
    ]


def _style(row: Any) -> dict[str, object]:  # a row of itertuples()
    colour = STATUS_COLOURS.get(row.status, "#333333")
    if row.geometry.geom_type.endswith("LineString"):
        return {"color": colour, "weight": 5, "opacity": 0.9, "dashArray": "10 6"}
    return {
        "color": colour,
        "weight": 2,
        "fillColor": colour,
        "fillOpacity": 0.18,
        "dashArray": "4 4",
    }


def build(
    local_agreements: gpd.GeoDataFrame, *, name: str | None = None, show: bool = True
) -> folium.FeatureGroup:
    """Agreements coloured by status: areas hatched, corridors dashed, points as squares.
    ``name`` defaults to "Local agreements" in the current language (escaped)."""
    group = folium.FeatureGroup(name=escape(name or _("Local agreements")), show=show)
    for row in local_agreements.itertuples():
        popup = Popup(table(_details(row), title=row.name), max_width=340)
        tooltip = Tooltip(escape(row.name))
        if row.geometry.geom_type == "Point":
            folium.Marker(
                (row.geometry.y, row.geometry.x),
                icon=icon("square", STATUS_COLOURS.get(row.status, "#333333")),
            ).add_to(group).add_child(popup).add_child(tooltip)
            continue
        style = _style(row)
        feature = folium.GeoJson(
            row.geometry.__geo_interface__,
            style_function=lambda _, s=style: s,
            highlight_function=lambda _: {"weight": 6},
        )
        feature.add_child(popup)
        feature.add_child(tooltip)
        feature.add_to(group)
    return group


def legend_entries() -> list[tuple[str, str]]:
    """``(symbol html, label)`` for the map legend, one per status."""
    return [
        (
            symbol_html("square", STATUS_COLOURS[s], 10),
            _("Agreement {status}", status=STATUS_LABELS[s].lower()),
        )
        for s in AGREEMENT_STATUSES
    ]
