"""Metres for the analysis: one equal-area projection centred on the mission.

Distances, buffers and cell areas are computed in a Lambert azimuthal equal-area projection
centred on the mission's data, so a 10 km hexagon has the same area in every corner of a
mission and a regional desk, and distances stay within a fraction of a percent of the
geodesic ones over a few hundred kilometres.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj

WGS84 = "EPSG:4326"


def mission_crs(*frames: gpd.GeoDataFrame | gpd.GeoSeries | None) -> pyproj.CRS:
    """An equal-area CRS in metres centred on the bounds of ``frames`` (WGS84 or any CRS).

    Frames that are ``None`` or empty are skipped; with nothing to centre on, the centre is
    0 E, 0 N (the result is still a valid metric CRS).
    """
    bounds = [_wgs84_bounds(f) for f in frames if f is not None and len(f)]
    bounds = [b for b in bounds if np.all(np.isfinite(b))]
    if bounds:
        stacked = np.array(bounds)
        west, south = stacked[:, 0].min(), stacked[:, 1].min()
        east, north = stacked[:, 2].max(), stacked[:, 3].max()
        lon, lat = (west + east) / 2, (south + north) / 2
    else:
        lon, lat = 0.0, 0.0
    return pyproj.CRS.from_proj4(
        f"+proj=laea +lat_0={lat:.4f} +lon_0={lon:.4f} +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
    )


def to_metric(frame: gpd.GeoDataFrame | gpd.GeoSeries, crs: pyproj.CRS):
    """``frame`` in ``crs`` (a copy; a frame without a CRS is taken as WGS84)."""
    if frame.crs is None:
        frame = frame.set_crs(WGS84)
    return frame.to_crs(crs)


def _wgs84_bounds(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> np.ndarray:
    if frame.crs is None:
        frame = frame.set_crs(WGS84)
    geo = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    geo = geo[~(geo.isna() | geo.is_empty)]
    if not len(geo):
        return np.full(4, np.nan)
    return geo.to_crs(WGS84).total_bounds
