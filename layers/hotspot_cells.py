"""Hot-spot cells on the map: Gi* hot and cold cells in ArcGIS's red-blue scheme.

Cells near a hot spot (significantly high Gi* but no incident of their own) are drawn as a
dashed outline with no fill: they are not hot spots (:mod:`analysis.hotspots`).
"""

from __future__ import annotations

import folium
import geopandas as gpd

from languages import N_, _, format_number
from layers.escaping import escape

BIN_COLOURS = {
    3: "#D62F27",
    2: "#ED7551",
    1: "#FAB984",
    -1: "#C0CCBE",
    -2: "#849EBA",
    -3: "#4575B5",
}
NEAR_COLOUR = "#B2182B"
NEAR_LEGEND = N_("Near a hot spot (no incident of its own; not counted)")
"""In English; :func:`legend_entries` gives it in the current language."""
NEAR_BIN = 9
"""The style's code for a near cell (Gi* bins are -3..3)."""

_TOOLTIP_FIELDS = ["label", "incidents", "fatalities", "z", "cluster_name"]
_TOOLTIP_ALIASES = ("", N_("Incidents"), N_("Fatalities"), N_("Gi* z-score"), N_("Cluster"))


def build(
    cells: gpd.GeoDataFrame, *, name: str | None = None, show: bool = True
) -> folium.FeatureGroup:
    """The significant cells of a :class:`analysis.hotspots.HotSpots` (any CRS).

    ``name`` defaults to "Hot spots (Gi*)" in the current language; the layer control
    reads it as HTML, so it is escaped, as are the tooltip's words.
    """
    group = folium.FeatureGroup(name=escape(name or _("Hot spots (Gi*)")), show=show)
    near = cells["near"] if "near" in cells else False
    significant = cells[(cells["bin"] != 0) | near]
    if not len(significant):
        return group
    shown = significant.to_crs("EPSG:4326").copy()
    # The style reads "bin"; a near cell gets its own code so it is drawn apart.
    shown["bin"] = shown["bin"].where(~shown["near"], NEAR_BIN) if "near" in shown else shown["bin"]
    shown["z"] = shown["z"].round(2)
    shown["fatalities"] = shown["fatalities"].round(0).astype(int)
    shown["cluster_name"] = [
        escape(_("hot spot {number}", number=format_number(int(c)))) if c > 0 else "-"
        for c in shown["cluster"]
    ]
    shown["label"] = shown["label"].map(escape)
    shown = shown[[*_TOOLTIP_FIELDS, "bin", "geometry"]]
    folium.GeoJson(
        shown,
        style_function=_style,
        highlight_function=lambda _: {"weight": 2, "fillOpacity": 0.75},
        tooltip=folium.GeoJsonTooltip(
            _TOOLTIP_FIELDS,
            aliases=[escape(_(alias)) if alias else "" for alias in _TOOLTIP_ALIASES],
        ),
        smooth_factor=0.5,
    ).add_to(group)
    return group


def _style(feature: dict) -> dict:
    code = feature.get("properties", {}).get("bin")
    if code == NEAR_BIN:
        return {"color": NEAR_COLOUR, "weight": 1, "dashArray": "3 3", "fillOpacity": 0}
    colour = BIN_COLOURS.get(code, "#999999")
    return {"color": colour, "weight": 0.5, "fillColor": colour, "fillOpacity": 0.55}


def legend_entries() -> list[tuple[str, str]]:
    """``(symbol html, label)`` for each confidence bin, then cells near a hot spot."""
    from analysis.hotspots import BIN_LABELS

    return [
        (
            f"<div style='width:14px;height:14px;background:{colour};opacity:.8'></div>",
            BIN_LABELS[b],
        )
        for b, colour in BIN_COLOURS.items()
    ] + [
        (
            f"<div style='width:12px;height:12px;border:1px dashed {NEAR_COLOUR}'></div>",
            _(NEAR_LEGEND),
        )
    ]
