"""Projection between metres (UTM zone 31S) and rounded WGS84, and a grid helper."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from sample_data.carana.settings import DECIMALS, GRID_DEGREES, METRIC_CRS, WGS84

_TO_WGS84 = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)
_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Project a metric geometry to WGS84 and snap it to the 5-decimal grid.

    Parameters
    ----------
    geom : a geometry in :data:`METRIC_CRS`.

    Returns
    -------
    The geometry in longitude/latitude; shared vertices stay shared, so tilings stay tilings.
    """
    projected = shapely.transform(
        geom, lambda xy: np.column_stack(_TO_WGS84.transform(xy[:, 0], xy[:, 1]))
    )
    return shapely.set_precision(projected, GRID_DEGREES)


def lonlat_of(xy: np.ndarray) -> np.ndarray:
    """Metric ``(n, 2)`` coordinates to longitude/latitude rounded to :data:`DECIMALS`."""
    lon, lat = _TO_WGS84.transform(xy[:, 0], xy[:, 1])
    return np.round(np.column_stack([lon, lat]), DECIMALS)


def metric_of(lonlat: np.ndarray) -> np.ndarray:
    """Longitude/latitude ``(n, 2)`` coordinates to metric ones."""
    x, y = _TO_METRIC.transform(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([x, y])


def grid_inside(geom: BaseGeometry, step: float) -> np.ndarray:
    """Points of a regular grid that fall inside ``geom``, as an ``(n, 2)`` array."""
    minx, miny, maxx, maxy = geom.bounds
    xs, ys = np.meshgrid(np.arange(minx, maxx, step), np.arange(miny, maxy, step))
    points = np.column_stack([xs.ravel(), ys.ravel()])
    return points[shapely.contains_xy(geom, points[:, 0], points[:, 1])]
