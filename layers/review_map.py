"""The review page's small map: a batch's rows over the stored incidents near them.

No tile server: the mission's offline basemap and admin boundaries under the points, as
the upload preview (:mod:`layers.preview`) draws them. The batch's rows are one colour
(those withdrawn hollow and grey), the stored incidents near them another, each with its
id, date and source on hover (escaped: ids and sources are what offices typed).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from languages import _
from layers import basemap
from layers.assets import use_local_assets
from layers.escaping import escape, escaped_columns
from layers.preview import PREVIEW_COLOUR
from layers.render_once import install_render_once

STORED_COLOUR = "#1F78B4"
WITHDRAWN_COLOUR = "#9E9E9E"
NEAR_KM = 25.0
"""How far around the batch's rows stored incidents are drawn."""
_MAX_STORED = 3000
_HOVER = ("incident_id", "date", "source")


def nearby(
    stored: gpd.GeoDataFrame, rows: gpd.GeoDataFrame, *, km: float = NEAR_KM
) -> gpd.GeoDataFrame:
    """The stored incidents within the batch rows' box widened by ``km`` on each side
    (degrees of latitude are ~111 km; of longitude, fewer towards the poles), the batch's
    own rows left out."""
    if not len(rows) or not len(stored):
        return stored.iloc[:0]
    points = rows.geometry[~rows.geometry.is_empty & rows.geometry.notna()]
    if not len(points):
        return stored.iloc[:0]
    west, south, east, north = points.total_bounds
    dlat = km / 111.32
    dlon = km / (111.32 * max(np.cos(np.radians(max(abs(south), abs(north)))), 0.01))
    box = stored.cx[west - dlon : east + dlon, south - dlat : north + dlat]
    mine = set(rows["incident_id"].astype(str))
    return box[~box["incident_id"].astype(str).isin(mine)]


def _hover(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    shown = frame.copy()
    for column in _HOVER:
        if column not in shown:
            shown[column] = None
    shown["date"] = [
        "" if pd.isna(d) else str(d)[:10] for d in shown["date"].astype(object).to_numpy()
    ]
    for column in ("incident_id", "source"):
        shown[column] = ["" if pd.isna(v) else str(v) for v in shown[column].astype(object)]
    return escaped_columns(shown, _HOVER)


def _points(frame: gpd.GeoDataFrame, name: str, colour: str, fill: float) -> folium.GeoJson:
    return folium.GeoJson(
        _hover(frame),
        name=escape(name),
        marker=folium.CircleMarker(radius=5, fill=True, fill_opacity=fill, weight=2),
        style_function=lambda _f: {"color": colour, "fillColor": colour, "fillOpacity": fill},
        tooltip=folium.GeoJsonTooltip(list(_HOVER), labels=False),
    )


def build_review_map(
    rows: gpd.GeoDataFrame,
    stored: gpd.GeoDataFrame,
    *,
    withdrawn: np.ndarray | None = None,
    base: gpd.GeoDataFrame | None = None,
    admin: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The batch's rows (``withdrawn``: a mask of those withdrawn, drawn hollow and grey)
    and the stored incidents near them (:func:`nearby`), over the offline ``base`` and the
    ``admin`` boundaries; fitted to the rows. A layer control names each set."""
    install_render_once()  # each text rendered once, never read as a template
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, maxZoom=18)
    m.add_child(basemap.sea_background())
    if base is not None and len(base):
        basemap.build(base).add_to(m)
    if admin is not None and len(admin):
        folium.GeoJson(
            admin.geometry.__geo_interface__,
            interactive=False,
            style_function=lambda _f: {"color": "#4D4D4D", "weight": 1, "fill": False},
        ).add_to(m)
    gone = np.zeros(len(rows), dtype=bool) if withdrawn is None else np.asarray(withdrawn, bool)
    near = stored.head(_MAX_STORED)
    if len(near):
        _points(near, _("Stored incidents nearby"), STORED_COLOUR, 0.5).add_to(m)
    if (~gone).any():
        _points(rows[~gone], _("Rows of this batch"), PREVIEW_COLOUR, 0.9).add_to(m)
    if gone.any():
        _points(rows[gone], _("Rows withdrawn"), WITHDRAWN_COLOUR, 0.0).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    placed = rows.geometry[rows.geometry.notna() & ~rows.geometry.is_empty]
    if len(placed):
        west, south, east, north = placed.total_bounds
        pad = 0.05  # a single point, or a few close ones, still shows its surroundings
        m.fit_bounds([[south - pad, west - pad], [north + pad, east + pad]])
    return use_local_assets(m)
