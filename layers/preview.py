"""A small map of what an upload would add, over the offline basemap, before it is committed."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from languages import _
from layers import basemap
from layers.assets import use_local_assets
from layers.escaping import escape, escaped_columns
from layers.render_once import install_render_once

PREVIEW_COLOUR = "#C2185B"
_MAX_POINTS_DRAWN = 5000


def build_preview(
    accepted: gpd.GeoDataFrame,
    *,
    label_column: str | None,
    base: gpd.GeoDataFrame | None = None,
    admin: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The accepted rows in one colour, with the mission's basemap under them.

    Parameters
    ----------
    accepted : rows that would be imported (EPSG:4326).
    label_column : the column shown on hover (the row's id); escaped.
    base, admin : the offline basemap and admin boundaries already stored, if any.
    """
    install_render_once()  # each text rendered once, never read as a template
    frames = [f for f in (admin, accepted) if f is not None and len(f)]
    bounds = pd.concat([f.geometry for f in frames]).total_bounds if frames else None
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, maxZoom=18)
    m.add_child(basemap.sea_background())
    if base is not None and len(base):
        basemap.build(base).add_to(m)
    if admin is not None and len(admin):
        folium.GeoJson(
            admin.geometry.__geo_interface__,
            interactive=False,
            style_function=lambda _: {"color": "#4D4D4D", "weight": 1, "fill": False},
        ).add_to(m)
    shown = accepted.head(_MAX_POINTS_DRAWN)
    if len(shown):
        columns = [label_column] if label_column and label_column in shown else []
        data = escaped_columns(shown[[*columns, shown.geometry.name]], columns)
        folium.GeoJson(
            data,
            name=escape(_("Rows to import")),
            marker=folium.CircleMarker(radius=4, fill=True, fill_opacity=0.8, weight=1),
            style_function=lambda _: {
                "color": PREVIEW_COLOUR,
                "fillColor": PREVIEW_COLOUR,
                "weight": 2,
                "fillOpacity": 0.25,
            },
            tooltip=folium.GeoJsonTooltip(columns, labels=False) if columns else None,
        ).add_to(m)
    if bounds is not None and all(pd.notna(bounds)):
        minx, miny, maxx, maxy = bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return use_local_assets(m)
