"""Local agreements: farmer-herder deals, transhumance corridors, weapon-free zones, ..."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from layers._html import Popup, Tooltip, escape, table
from layers._schema import Field, LayerSpec, split_codes
from layers._schema import validate as _validate
from layers._symbols import icon, symbol_html
from layers.incidents import VICTIM_GROUP_LABELS, VICTIM_GROUPS

AGREEMENT_TYPES = (
    "farmer_herder",
    "transhumance_corridor",
    "weapon_free_zone",
    "land_access",
    "market_access",
    "local_ceasefire",
)

AGREEMENT_TYPE_LABELS = {
    "farmer_herder": "Farmer-herder agreement",
    "transhumance_corridor": "Transhumance corridor",
    "weapon_free_zone": "Weapon-free zone",
    "land_access": "Land-access agreement",
    "market_access": "Market-access agreement",
    "local_ceasefire": "Local cease-fire",
}

AGREEMENT_STATUSES = ("negotiating", "signed", "implemented", "violated", "lapsed")

MISSION_ROLES = ("facilitator", "guarantor", "observer", "technical_support", "none")

POC_PROVISIONS = ("poc_language", "sgbv_provisions", "freedom_of_movement")
"""Yes/no POC provisions coded as PA-X does; ``groups_protected`` lists the groups."""

POC_PROVISION_LABELS = {
    "poc_language": "POC language",
    "sgbv_provisions": "Sexual-violence provisions",
    "freedom_of_movement": "Freedom of movement",
}

SPEC = LayerSpec(
    name="local_agreements",
    fields=(
        Field("agreement_id", "text", required=True, unique=True),
        Field("name", "text", required=True),
        Field("agreement_type", "code", required=True, codes=AGREEMENT_TYPES),
        Field("status", "code", required=True, codes=AGREEMENT_STATUSES),
        Field("date_signed", "date"),
        Field("date_ended", "date", description="when it was violated or lapsed"),
        Field("parties", "text"),
        Field("mission_role", "code", required=True, codes=MISSION_ROLES),
        Field("field_office", "text", required=True),
        Field("process_id", "text", description="the local process that produced it"),
        Field("poc_language", "flag", required=True),
        Field("groups_protected", "codes", codes=VICTIM_GROUPS),
        Field("sgbv_provisions", "flag", required=True),
        Field("freedom_of_movement", "flag", required=True),
    ),
    geometry_types=("Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check local agreements against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)


STATUS_COLOURS = {
    "negotiating": "#E6AB02",
    "signed": "#1B9E77",
    "implemented": "#0B6E4F",
    "violated": "#B2182B",
    "lapsed": "#7F7F7F",
}

STATUS_LABELS = {
    "negotiating": "Being negotiated",
    "signed": "Signed",
    "implemented": "Being implemented",
    "violated": "Violated",
    "lapsed": "Lapsed",
}


def _details(row: object) -> list[tuple[str, object]]:
    protected = ", ".join(VICTIM_GROUP_LABELS.get(g, g) for g in split_codes(row.groups_protected))
    provisions = ", ".join(
        label for code, label in POC_PROVISION_LABELS.items() if bool(getattr(row, code))
    )
    return [
        ("Type", AGREEMENT_TYPE_LABELS.get(row.agreement_type, row.agreement_type)),
        ("Status", STATUS_LABELS.get(row.status, row.status)),
        ("Signed", row.date_signed),
        ("Ended", row.date_ended),
        ("Parties", row.parties),
        ("Mission role", row.mission_role),
        ("Field office", row.field_office),
        ("POC provisions", provisions or "none"),
        ("Groups protected", protected),
    ]


def _style(row: object) -> dict[str, object]:
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
    local_agreements: gpd.GeoDataFrame, *, name: str = "Local agreements", show: bool = True
) -> folium.FeatureGroup:
    """Agreements coloured by status: areas hatched, corridors dashed, points as squares."""
    group = folium.FeatureGroup(name=name, show=show)
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
        (symbol_html("square", STATUS_COLOURS[s], 10), f"Agreement {STATUS_LABELS[s].lower()}")
        for s in AGREEMENT_STATUSES
    ]
