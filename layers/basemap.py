"""The offline basemap: land, towns, roads and the river, drawn without any tile server.

Their style and folium builders; the fields, codes and labels are ``schema.basemap``.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from languages import _
from layers._geojson import features
from layers.escaping import escape, script_json

SEA_COLOUR = "#D6E6F0"
LAND_COLOUR = "#F4F1E8"
RIVER_COLOUR = "#6FA8DC"
ROAD_COLOUR = "#C9A66B"

_LINE_STYLES = {
    "river": {"color": RIVER_COLOUR, "weight": 3, "opacity": 0.9},
    "road": {"color": ROAD_COLOUR, "weight": 2.5, "opacity": 0.9},
    "mining_road": {"color": ROAD_COLOUR, "weight": 2.5, "opacity": 0.9, "dashArray": "6 4"},
}


class _SeaBackground(MacroElement):
    """Paints the map's empty background as sea, so the offline base reads as a map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.getContainer().style.background =
                {{ this.colour|tojson }};
        {% endmacro %}"""
    )

    def __init__(self, colour: str) -> None:
        super().__init__()
        self._name = "SeaBackground"
        self.colour = colour


def build(
    basemap: gpd.GeoDataFrame,
    *,
    name: str | None = None,
    show: bool = True,
) -> folium.FeatureGroup:
    """The offline base layer: land, river, roads and labelled towns, drawn from data.

    Added as a base layer (``overlay=False``) so it sits in the layer control's
    basemap choice beside any tile layers. ``name`` (default: "Offline basemap (no
    internet needed)" in the current language) is escaped: the control reads it as HTML.
    """
    name = name or _("Offline basemap (no internet needed)")
    group = folium.FeatureGroup(name=escape(name), overlay=False, show=show)
    land = features(basemap, where=("kind", "land"))
    if land["features"]:
        folium.GeoJson(
            land,
            control=False,
            interactive=False,
            style_function=lambda _: {
                "color": "#B8B2A0",
                "weight": 1,
                "fillColor": LAND_COLOUR,
                "fillOpacity": 1.0,
            },
        ).add_to(group)
    for kind, style in _LINE_STYLES.items():
        lines = features(basemap, where=("kind", kind))
        if lines["features"]:
            folium.GeoJson(
                lines,
                control=False,
                interactive=False,
                style_function=lambda _, s=style: s,
            ).add_to(group)
    towns = basemap[basemap["kind"].isin(["capital", "town"])]
    if len(towns):
        group.add_child(_TownLabels(towns))
    return group


class _TownLabels(MacroElement):
    """Capitals and towns as dots with their names, drawn in the browser from one list
    (a marker and a label per town as folium elements cost a millisecond each on every
    page rerun). Names reach the page as JSON and the label as text, never as HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var layer = {{ this._parent.get_name() }};
                {{ this.towns_json }}.forEach(function (town) {
                    var big = town[3], at = [town[0], town[1]];
                    L.circleMarker(at, {
                        radius: big ? 4 : 3, color: "#333333", fill: true,
                        fillColor: big ? "#333333" : "#FFFFFF", fillOpacity: 1,
                        weight: 1.5, interactive: false
                    }).addTo(layer);
                    var label = document.createElement("div");
                    label.style.cssText = "font:" + (big ? "bold 13px" : "11px")
                        + " sans-serif;color:#333;white-space:nowrap;"
                        + "text-shadow:0 0 3px #fff,0 0 3px #fff";
                    label.textContent = town[2];
                    L.marker(at, {interactive: false, icon: L.divIcon({
                        html: label, className: "pocmap-label",
                        iconSize: [160, 16], iconAnchor: [-6, 8]
                    })}).addTo(layer);
                });
            })();
        {% endmacro %}
        """
    )

    def __init__(self, towns: gpd.GeoDataFrame) -> None:
        super().__init__()
        self._name = "TownLabels"
        # [lat, lon, name as written, capital?]: the browser shows the name as text.
        self.towns = [
            [row.geometry.y, row.geometry.x, "" if pd.isna(row.name) else str(row.name),
             row.kind == "capital"]
            for row in towns.itertuples()
        ]  # fmt: skip
        self.towns_json = script_json(self.towns)


def sea_background() -> MacroElement:
    """Add to the map (not to a layer): paints the map's empty background as sea."""
    return _SeaBackground(SEA_COLOUR)
