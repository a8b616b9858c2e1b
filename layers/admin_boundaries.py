"""Administrative boundaries (admin1, admin2): joins, choropleths, the offline base.

Their style and folium builders; the fields, codes and labels are ``schema.admin_boundaries``.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from languages import _
from layers._geojson import features
from layers.escaping import escape

ADMIN1_COLOUR = "#4D4D4D"
ADMIN2_COLOUR = "#9A9A9A"


def build(
    admin_boundaries: gpd.GeoDataFrame,
    *,
    name: str | None = None,
    show: bool = True,
) -> folium.FeatureGroup:
    """Admin1 as dark lines, admin2 as light lines; hovering an area names it.

    ``name`` (default: "Administrative boundaries" in the current language) is shown in
    the layer control, which reads it as HTML: it is escaped.
    """
    group = folium.FeatureGroup(name=escape(name or _("Administrative boundaries")), show=show)
    for level, colour, weight in (("2", ADMIN2_COLOUR, 1), ("1", ADMIN1_COLOUR, 2.5)):
        areas = features(admin_boundaries, ["name", "admin_id"], where=("level", level))
        if not areas["features"]:
            continue
        folium.GeoJson(
            areas,
            name=f"Admin{level}",
            control=False,
            style_function=lambda _, c=colour, w=weight: {
                "color": c,
                "weight": w,
                "fillColor": "#ffffff",
                "fillOpacity": 0.0,
            },
            # Only admin2 answers the pointer: admin1 polygons, drawn above them, cover
            # them completely and would otherwise take every hover.
            interactive=level == "2",
            highlight_function=(lambda _: {"fillOpacity": 0.08, "fillColor": "#000000"})
            if level == "2"
            else None,
            tooltip=folium.GeoJsonTooltip(["name", "admin_id"], labels=False)
            if level == "2"
            else None,
            smooth_factor=1.0,
        ).add_to(group)
    return group


def legend_entries() -> list[tuple[str, str]]:
    """``(symbol html, label)`` for the map legend."""
    return [
        (
            f"<div style='width:18px;border-top:3px solid {ADMIN1_COLOUR}'></div>",
            _("Admin1 boundary"),
        ),
        (
            f"<div style='width:18px;border-top:1px solid {ADMIN2_COLOUR}'></div>",
            _("Admin2 boundary"),
        ),
    ]
