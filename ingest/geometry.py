"""Where each row is: coordinates read and judged, shapes checked and repaired.

Errors reject the row; a repaired shape is a warning, and the shape as sent stays in the
row's source record.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ingest import columns, values
from ingest.findings import MISSION_AREA_TOLERANCE_DEG, CheckContext, Findings
from languages import N_, _, format_number
from schema.fields import WGS84, LayerSpec

_NO_AREA_CHECK = ("admin_boundaries", "basemap")
"""Layers that define the mission area (or lie around it) are not held to it."""

_SWAP_EXPECTED = N_("latitude in the latitude column and longitude in the longitude column")
_COORDINATES = N_(
    "latitude from -90 to 90 and longitude from -180 to 180, in decimal degrees, or in "
    "degrees-minutes-seconds with N/S and E/W"
)


def _area(context: CheckContext) -> BaseGeometry | None:
    if context.mission_area is None:
        return None
    area = context.mission_area.buffer(MISSION_AREA_TOLERANCE_DEG)
    shapely.prepare(area)
    return area


def _inside_words(area: BaseGeometry) -> str:
    minx, miny, maxx, maxy = area.bounds
    return _(
        "a point inside the mission area (longitude {west} to {east}, latitude {south} to {north})",
        west=format_number(minx, digits=2),
        east=format_number(maxx, digits=2),
        south=format_number(miny, digits=2),
        north=format_number(maxy, digits=2),
    )


def points_from_coordinates(
    frame: pd.DataFrame,
    spec: LayerSpec,
    context: CheckContext,
    findings: Findings,
    on_coordinates: Callable[[np.ndarray, np.ndarray], None] | None = None,
) -> gpd.GeoSeries:
    """Points from the raw ``latitude``/``longitude`` columns, every bad pair named.

    Plain decimals inside the mission area are read and placed in C, all at once; every
    other row is judged by :func:`_point`, which words each problem. ``on_coordinates``,
    if given, is called with each point's ``x`` and ``y`` (NaN for no point), as
    ``shapely.get_x`` and ``get_y`` would read them back, before the plain points are
    made (other work can start on them meanwhile).
    """
    lats = frame["latitude"] if "latitude" in frame else pd.Series(None, index=frame.index)
    lons = frame["longitude"] if "longitude" in frame else pd.Series(None, index=frame.index)
    area = _area(context)
    lat, lat_read = columns.plain_numbers(lats)
    lon, lon_read = columns.plain_numbers(lons)
    plain = lat_read & lon_read & ("Point" in spec.geometry_types)
    plain &= ~((lat == 0) & (lon == 0)) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if area is not None:
        plain[plain] = shapely.contains_xy(area, lon[plain], lat[plain])
    points = np.full(len(frame), None, dtype=object)
    rows = frame.index
    others = np.flatnonzero(~plain)
    for position in others.tolist():
        points[position] = _point(
            rows[position], lats.iat[position], lons.iat[position], spec, area, findings
        )
    if on_coordinates is not None:
        x, y = np.where(plain, lon, np.nan), np.where(plain, lat, np.nan)
        x[others], y[others] = shapely.get_x(points[others]), shapely.get_y(points[others])
        on_coordinates(x, y)
    with _no_garbage_collection():
        points[plain] = shapely.points(lon[plain], lat[plain])
    return gpd.GeoSeries(points, index=rows, crs=WGS84)


@contextlib.contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """Python's cycle collector paused while a million shapes are made: each new object
    would count towards a collection, and a shape refers to nothing, so none is needed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _point(
    row: Any,
    lat_raw: Any,
    lon_raw: Any,
    spec: LayerSpec,
    area: BaseGeometry | None,
    findings: Findings,
) -> BaseGeometry | None:
    lat, lat_problem = values.parse_number(lat_raw)
    lon, lon_problem = values.parse_number(lon_raw)
    bad = False
    for column, raw, number, problem in (
        ("latitude", lat_raw, lat, lat_problem),
        ("longitude", lon_raw, lon, lon_problem),
    ):
        if problem:
            findings.error(row, column, raw, problem, _(_COORDINATES))
            bad = True
        elif number is None:
            findings.error(
                row, column, None, _("is missing: the row has no location"), _(_COORDINATES)
            )
            bad = True
    if bad or lat is None or lon is None:
        return None
    pair = f"{lat_raw}, {lon_raw}"
    if "Point" not in spec.geometry_types:
        findings.error(
            row,
            "latitude/longitude",
            pair,
            _("is a point, but this layer holds shapes"),
            _("{kinds} from a spatial file", kinds=" or ".join(spec.geometry_types)),
        )
        return None
    if lat == 0 and lon == 0:
        findings.error(
            row,
            "latitude/longitude",
            pair,
            _("is (0, 0), where a failed GPS fix lands"),
            _(_COORDINATES),
        )
        return None
    in_range = abs(lat) <= 90 and abs(lon) <= 180
    swapped_in_range = abs(lon) <= 90 and abs(lat) <= 180
    inside = area is not None and in_range and shapely.contains_xy(area, lon, lat)
    swapped_inside = area is not None and swapped_in_range and shapely.contains_xy(area, lat, lon)
    if (not in_range or (area is not None and not inside)) and swapped_inside:
        findings.error(
            row,
            "latitude/longitude",
            pair,
            _("looks swapped: read the other way round it falls inside the mission area"),
            _(_SWAP_EXPECTED),
        )
        return None
    if not in_range:
        findings.error(row, "latitude/longitude", pair, _("is out of range"), _(_COORDINATES))
        return None
    if area is not None and not inside and spec.name not in _NO_AREA_CHECK:
        findings.error(
            row, "latitude/longitude", pair, _("is outside the mission area"), _inside_words(area)
        )
        return None
    return shapely.Point(lon, lat)


def geometry_from_source(
    geometries: pd.Series,
    spec: LayerSpec,
    context: CheckContext,
    findings: Findings,
    notes: list[str],
) -> gpd.GeoSeries:
    """Shapes from a spatial file: empty or missing refused, invalid repaired and flagged."""
    area = _area(context) if spec.name not in _NO_AREA_CHECK else None
    allowed = " or ".join(spec.geometry_types)
    out: list[Any] = []
    flattened = 0
    for row, shape in geometries.items():
        if shape is None or (isinstance(shape, float) and np.isnan(shape)):
            findings.error(
                row, "geometry", None, _("is missing: the feature has no shape"), allowed
            )
            out.append(None)
            continue
        if shape.is_empty:
            findings.error(row, "geometry", "EMPTY", _("is empty"), allowed)
            out.append(None)
            continue
        if shapely.has_z(shape):
            shape = shapely.force_2d(shape)
            flattened += 1
        if not shape.is_valid:
            reason = shapely.is_valid_reason(shape)
            shape = _repaired(shape, spec)
            findings.warn(
                row,
                "geometry",
                reason,
                _("was invalid and has been repaired (the shape as sent is kept)"),
                _("a valid shape (no self-intersections)"),
            )
        if shape is None or shape.geom_type not in spec.geometry_types:
            kind = _("repaired shape") if shape is None else shape.geom_type
            findings.error(row, "geometry", kind, _("is not a shape this layer takes"), allowed)
            out.append(None)
            continue
        minx, miny, maxx, maxy = shape.bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            findings.error(
                row,
                "geometry",
                f"{minx:.1f}, {miny:.1f}, {maxx:.1f}, {maxy:.1f}",
                _("is outside longitude/latitude range (a projected file without its CRS?)"),
                _("coordinates in WGS84 degrees, or the file's .prj"),
            )
            out.append(None)
            continue
        if area is not None and not area.intersects(shape):
            findings.error(
                row,
                "geometry",
                shape.wkt[:60],
                _("is outside the mission area"),
                _inside_words(area),
            )
            out.append(None)
            continue
        out.append(shape)
    if flattened:
        notes.append(
            _(
                "{n} shape(s) had heights (Z); kept in 2D, heights in the source.",
                n=flattened,
            )
        )
    return gpd.GeoSeries(out, index=geometries.index, crs=WGS84)


def _repaired(shape: BaseGeometry, spec: LayerSpec) -> BaseGeometry | None:
    """``make_valid``, keeping only the parts of the kind this layer takes."""
    fixed = shapely.make_valid(shape)
    if fixed.geom_type in spec.geometry_types:
        return fixed
    if fixed.geom_type == "GeometryCollection":
        polygons = [g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        if polygons and "MultiPolygon" in spec.geometry_types:
            merged = shapely.union_all(polygons)
            return merged if merged.geom_type in spec.geometry_types else None
    if fixed.geom_type == "Polygon" and "MultiPolygon" in spec.geometry_types:
        return fixed
    return None
