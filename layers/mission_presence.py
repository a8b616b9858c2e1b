"""Mission presence: field offices, their areas of responsibility, bases.

Their style and folium builders; the fields, codes and labels are ``schema.mission_presence``.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from languages import _
from layers._geojson import features
from layers._symbols import icon, symbol_html
from layers.escaping import Popup, Tooltip, escape, table
from schema.mission_presence import PRESENCE_LABELS

UN_BLUE = "#1A6AAF"

_SYMBOLS = {
    "field_office": ("square", UN_BLUE, 14),
    "base": ("triangle", UN_BLUE, 14),
    "temporary_operating_base": ("ring", UN_BLUE, 12),
}


def build(
    presence: gpd.GeoDataFrame, *, name: str | None = None, show: bool = True
) -> folium.FeatureGroup:
    """Areas of responsibility outlined in UN blue; offices, bases and TOBs as symbols.
    ``name`` defaults to "Mission presence" in the current language (escaped)."""
    group = folium.FeatureGroup(name=escape(name or _("Mission presence")), show=show)
    areas = features(presence, ["name", "field_office"], where=("kind", "area_of_responsibility"))
    if areas["features"]:
        folium.GeoJson(
            areas,
            style_function=lambda _: {
                "color": UN_BLUE,
                "weight": 3,
                "dashArray": "8 5",
                "fill": False,
            },
            # Not interactive: on the canvas a polygon takes the pointer over its whole
            # area, filled or not, and would hide the admin2 names underneath. The office
            # symbol inside carries the name and details.
            interactive=False,
            name=escape(_("Areas of responsibility")),
            control=False,
        ).add_to(group)
    for row in presence[presence["kind"] != "area_of_responsibility"].itertuples():
        shape, colour, size = _SYMBOLS[row.kind]
        details = [
            (_("Kind"), PRESENCE_LABELS[row.kind]),
            (_("Field office"), row.field_office),
            (_("Opened on"), row.opened),
            (_("Closed on"), row.closed),
        ]
        folium.Marker(
            (row.geometry.y, row.geometry.x),
            icon=icon(shape, colour, size),
        ).add_to(group).add_child(Tooltip(escape(row.name))).add_child(
            Popup(table(details, title=row.name), max_width=300)
        )
    return group


def legend_entries() -> list[tuple[str, str]]:
    """``(symbol html, label)`` for the map legend."""
    area = f"<div style='width:16px;height:10px;border:2px dashed {UN_BLUE}'></div>"
    return [(area, _("Field office area"))] + [
        (symbol_html(shape, colour, 10), PRESENCE_LABELS[kind])
        for kind, (shape, colour, _) in _SYMBOLS.items()
    ]
