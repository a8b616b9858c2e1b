"""Places and offices from the map: each incident's admin areas and field office.

:func:`place_incidents` takes the incidents and the loaded admin boundaries and areas of
responsibility and returns, for every incident, the derived columns: ``admin1``,
``admin2`` and ``field_office`` as the map says, the source's own names beside them
(``admin1_reported``, ``admin2_reported``) and a ``place_note`` where the point and the
names it came with disagree by more than its location precision allows. Everything is
vectorised: points sorted by longitude once, each area testing only the points in its box
(``shapely.intersects_xy`` on prepared polygons), names kept as integer codes and compared
once per distinct name (:mod:`ingest.coded`); a million points against the sample's 42
boundaries take about a second.

The rules (an ACLED/UCDP-literate analyst's):

- The point decides, at the level its precision supports: ``exact``, ``approximate``
  and ``admin2`` points get admin1 and admin2 from the point; ``admin1`` points get
  admin1 only (the point is the area's centre, its admin2 means nothing), admin2 stays
  as reported; ``country`` points get nothing from the point (names as reported).
- Names are compared after :func:`name_key` (case, accents, punctuation, and words such
  as "province", "préfecture", "region", "county": "Kémo prefecture" is "Kemo"). A
  reported name that differs from the point's area is a disagreement when the point is
  farther from the named area than :data:`TOLERANCE_KM` for its precision; within it, the
  named area is kept (the source knew which side of the line it was), spelled as the
  boundaries spell it.
- A point outside every loaded boundary keeps the reported names, noted.
- ``field_office`` is the office whose area of responsibility holds the point. With no
  area loaded, or for a ``country`` point, it stays as given (the file's, else the
  sending office's). A point outside every area keeps it too, noted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ingest.coded import Coded
from ingest.shown import plain
from languages import N_, _, format_number
from schema.places import name_key

DERIVED_COLUMNS = (
    "admin1",
    "admin2",
    "field_office",
    "admin1_reported",
    "admin2_reported",
    "place_note",
)
"""The columns :func:`place_incidents` returns."""

TOLERANCE_KM = {"exact": 1.0, "approximate": 5.0, "admin2": 5.0, "admin1": 5.0}
"""How far outside the area it names a point may lie before the names disagree.
``exact``: about 1 km (coordinates of a village, boundaries drawn at 1:250 000);
``approximate``: ACLED's "nearby" (geo_precision 2) is within about 5 km; UCDP's
where_prec 2 ("within 25 km") is mapped to ``approximate`` too and is judged at 5 km, so
a UCDP point 5 to 25 km across a line is shown as a disagreement to look at, not hidden;
``admin2``/``admin1``: the point stands for the area, a few km allow for a centre drawn
from other boundaries."""

OUTSIDE_BOUNDARIES = N_("outside the loaded boundaries: admin names as reported")
OUTSIDE_AREAS = N_("outside every area of responsibility: field office as given")


@dataclass(frozen=True)
class Level:
    """One level of areas, ready to be queried, in the areas' order (by id)."""

    names: np.ndarray
    geometries: np.ndarray
    """Prepared, EPSG:4326."""
    bounds: np.ndarray
    parents: np.ndarray
    """admin2: the index of each area's parent among the admin1 areas (``-1``: unknown)."""
    by_key: dict[str, int]
    """Normalised name -> index into :attr:`named` (areas sharing a name merged)."""
    named: np.ndarray
    """Metric geometries of the named areas (for distances)."""
    named_first: np.ndarray
    """Per named area, the index of its first area (its spelling, its parent)."""


@dataclass(frozen=True)
class Areas:
    """The loaded boundaries and areas of responsibility, prepared once."""

    admin1: Level | None
    admin2: Level | None
    offices: Level | None
    metric: pyproj.CRS

    @property
    def empty(self) -> bool:
        return self.admin1 is None and self.admin2 is None and self.offices is None


def prepare(boundaries: pd.DataFrame | None, presence: pd.DataFrame | None) -> Areas:
    """Index the ``admin_boundaries`` rows and the ``area_of_responsibility`` rows of
    ``mission_presence`` (either may be ``None`` or empty) for :func:`placements`."""
    bounds = _polygons(boundaries, "admin_id")
    areas = _polygons(presence, "presence_id")
    if areas is not None:
        areas = areas[areas["kind"].astype(object).to_numpy() == "area_of_responsibility"]
        areas = areas[areas["field_office"].notna().to_numpy()]
    metric = _metric_crs([f for f in (bounds, areas) if f is not None and len(f)])
    admin1 = admin2 = None
    if bounds is not None:
        level = bounds["level"].astype(object).astype(str).to_numpy()
        ones, twos = bounds[level == "1"], bounds[level == "2"]
        if len(ones):
            admin1 = _level(ones, "name", None, metric)
        if len(twos):
            ids = {v: i for i, v in enumerate(ones["admin_id"].astype(object))}
            parents = np.array(
                [ids.get(v, -1) for v in twos["parent_id"].astype(object)], dtype=np.int64
            )
            admin2 = _level(twos, "name", parents, metric)
    offices = (
        _level(areas, "field_office", None, metric) if areas is not None and len(areas) else None
    )
    return Areas(admin1, admin2, offices, metric)


def _polygons(frame: pd.DataFrame | None, key: str) -> gpd.GeoDataFrame | None:
    if not isinstance(frame, gpd.GeoDataFrame) or not len(frame):
        return None
    frame = frame.to_crs(4326) if frame.crs is not None and not frame.crs.equals(4326) else frame
    kinds = shapely.get_type_id(frame.geometry.to_numpy())
    # 3: Polygon, 6: MultiPolygon (mission presence also holds points: offices, bases).
    frame = frame[np.isin(kinds, (3, 6)) & ~frame.geometry.is_empty.to_numpy()]
    if key in frame:
        # The first area in id order takes a point on a shared edge: the same every time.
        frame = frame.sort_values(key, kind="stable")
    return frame if len(frame) else None


def _metric_crs(frames: list[gpd.GeoDataFrame]) -> pyproj.CRS:
    """Azimuthal equidistant, centred on the areas: distances in metres, true enough
    across a country for a tolerance of kilometres."""
    lon = lat = 0.0
    if frames:
        bounds = np.array([f.total_bounds for f in frames])
        lon = (bounds[:, 0].min() + bounds[:, 2].max()) / 2
        lat = (bounds[:, 1].min() + bounds[:, 3].max()) / 2
    return pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    )


def _level(
    frame: gpd.GeoDataFrame, column: str, parents: np.ndarray | None, metric: pyproj.CRS
) -> Level:
    names = frame[column].astype(object).to_numpy()
    geometries = frame.geometry.to_numpy().copy()
    shapely.prepare(geometries)
    projected = frame.geometry.to_crs(metric).to_numpy()
    by_key: dict[str, int] = {}
    groups: list[list[int]] = []
    for position, name in enumerate(names):
        key = name_key(name)
        if key is None:
            continue
        if key not in by_key:
            by_key[key] = len(groups)
            groups.append([])
        groups[by_key[key]].append(position)
    return Level(
        names=names,
        geometries=geometries,
        bounds=shapely.bounds(geometries),
        parents=parents if parents is not None else np.full(len(names), -1, dtype=np.int64),
        by_key=by_key,
        named=np.array([shapely.union_all(projected[g]) for g in groups], dtype=object),
        named_first=np.array([g[0] for g in groups], dtype=np.int64),
    )


def _first_hit(level: Level, rows: _Rows, wanted: np.ndarray) -> np.ndarray:
    """For each row, the index of the first area (in id order) holding its point, ``-1``
    for none or for a row not ``wanted``; a point on a shared edge goes to the first.
    Each area tests only the points in its box (points sorted by longitude band once)."""
    x, y = rows.x, rows.y
    hit = np.full(len(x), -1, dtype=np.int64)
    order = rows.by_x[wanted[rows.by_x]]
    if not len(order):
        return hit
    bands = rows.band[order]
    for area, (geometry, (west, south, east, north)) in enumerate(
        zip(level.geometries, level.bounds, strict=True)
    ):
        first, last = rows.band_of(west) - np.int16(1), rows.band_of(east) + np.int16(1)
        lo, hi = np.searchsorted(bands, first, "left"), np.searchsorted(bands, last, "right")
        candidates = order[lo:hi]
        xs, ys = x[candidates], y[candidates]
        candidates = candidates[(xs >= west) & (xs <= east) & (ys >= south) & (ys <= north)]
        candidates = candidates[hit[candidates] < 0]
        if len(candidates):
            inside = shapely.intersects_xy(geometry, x[candidates], y[candidates])
            hit[candidates[inside]] = area
    return hit


@dataclass(frozen=True)
class Placement:
    """What :func:`placements` found: the derived columns and what to tell the importer."""

    values: pd.DataFrame
    placed: int
    """Incidents given an admin area or a field office from their point."""
    disagreed: int
    """Incidents whose reported names disagree with their point."""
    outside: int
    """Incidents outside every loaded boundary (boundaries loaded, point usable)."""
    outside_areas: int
    """Incidents outside every area of responsibility (areas loaded, point usable)."""

    def summary(self) -> str:
        """One line for the import report and the command line."""
        counts = {
            "placed": plain(self.placed),
            "disagreed": plain(self.disagreed),
            "outside": plain(self.outside),
        }
        if self.outside_areas:
            return _(
                "Places from the map: {placed} incident(s) placed by their point; {disagreed} "
                "with reported admin names that disagree with the point (see place_note); "
                "{outside} outside the loaded boundaries; {outside_areas} outside every area "
                "of responsibility.",
                outside_areas=plain(self.outside_areas),
                **counts,
            )
        return _(
            "Places from the map: {placed} incident(s) placed by their point; {disagreed} "
            "with reported admin names that disagree with the point (see place_note); "
            "{outside} outside the loaded boundaries.",
            **counts,
        )


def place_incidents(
    incidents: gpd.GeoDataFrame, boundaries: pd.DataFrame | None, presence: pd.DataFrame | None
) -> pd.DataFrame:
    """The derived place columns (:data:`DERIVED_COLUMNS`) of every incident.

    Parameters
    ----------
    incidents : points (EPSG:4326) with ``admin1``, ``admin2``, ``field_office``,
        ``location_precision`` and, when stored before, ``admin1_reported`` and
        ``admin2_reported`` (the names the source gave; where both are empty the
        ``admin1``/``admin2`` columns are taken as the source's).
    boundaries : the ``admin_boundaries`` layer (``admin_id, name, level, parent_id``).
    presence : the ``mission_presence`` layer; its ``area_of_responsibility`` polygons
        give ``field_office``.

    Returns
    -------
    pandas.DataFrame
        indexed as ``incidents``, one text column per :data:`DERIVED_COLUMNS`.
    """
    return placements(incidents, prepare(boundaries, presence)).values


_BANDS = 32000
"""Longitude bands of the points, to sort them in one radix pass (int16)."""


@dataclass
class _Rows:
    """The incidents' columns as :func:`placements` works on them."""

    x: np.ndarray
    y: np.ndarray
    usable: np.ndarray
    precision: np.ndarray
    """Per row, its precision code (``None`` when missing)."""
    tolerance_m: np.ndarray
    band: np.ndarray
    """Per row, its longitude band (int16: sorted by radix, in one pass; no point: last)."""
    by_x: np.ndarray
    """Row numbers sorted by longitude band."""
    west: float
    scale: float

    def band_of(self, longitude: float) -> np.int16:
        # An int16 scalar: searchsorted then compares int16 to int16, not a million widened.
        return np.int16(np.clip(np.floor((longitude - self.west) * self.scale), 0, _BANDS))


def placements(incidents: gpd.GeoDataFrame, areas: Areas) -> Placement:
    """:func:`place_incidents` with the areas prepared, and the counts of what it did."""
    n = len(incidents)
    rows = _rows(incidents)
    reported1, reported2 = _reported(incidents)
    admin1, admin2 = reported1.copy(), reported2.copy()
    office = _coded(incidents, "field_office")
    notes = _Notes(n)
    placed = outside = disagreed = outside_areas = np.zeros(n, dtype=bool)
    if areas.admin1 is not None or areas.admin2 is not None:
        placed, outside, disagreed = _place_admin(
            rows, (reported1, reported2), (admin1, admin2), notes, areas
        )
    if areas.offices is not None:
        hit = _first_hit(areas.offices, rows, rows.usable)
        inside = np.flatnonzero(hit >= 0)
        office.put(inside, hit[inside], areas.offices.names)
        outside_areas = rows.usable & (hit < 0)
        notes.add(np.flatnonzero(outside_areas), _(OUTSIDE_AREAS))
        placed = placed | (hit >= 0)
    index = incidents.index
    values = pd.DataFrame(
        {
            "admin1": admin1.series(index),
            "admin2": admin2.series(index),
            "field_office": office.series(index),
            "admin1_reported": reported1.series(index),
            "admin2_reported": reported2.series(index),
            "place_note": notes.coded.series(index),
        },
        index=index,
    )
    return Placement(
        values,
        placed=int(placed.sum()),
        disagreed=int(disagreed.sum()),
        outside=int(outside.sum()),
        outside_areas=int(outside_areas.sum()),
    )


def _rows(incidents: gpd.GeoDataFrame) -> _Rows:
    n = len(incidents)
    points = incidents.geometry.to_numpy() if n else np.array([], dtype=object)
    x, y = shapely.get_x(points), shapely.get_y(points)  # NaN where missing or empty
    precision = _coded(incidents, "location_precision")
    codes = precision.codes
    table = np.concatenate([precision.table, np.array([None], dtype=object)])  # code -1: last
    precision_of = table[codes]
    tolerance = np.array([TOLERANCE_KM.get(v, 5.0) if v else 5.0 for v in table]) * 1000
    country = np.append(precision.table == "country", False)[codes]
    finite = np.isfinite(x)
    west, east = (float(x[finite].min()), float(x[finite].max())) if finite.any() else (0, 1)
    scale = _BANDS / ((east - west) or 1.0)
    band = np.full(n, _BANDS + 1, dtype=np.int16)
    band[finite] = ((x[finite] - west) * scale).astype(np.int16)
    return _Rows(
        x=np.asarray(x, dtype=float),
        y=np.asarray(y, dtype=float),
        usable=np.isfinite(x) & np.isfinite(y) & ~country,
        precision=precision_of,
        tolerance_m=tolerance[codes],
        band=band,
        by_x=np.argsort(band, kind="stable"),
        west=west,
        scale=scale,
    )


def _coded(frame: pd.DataFrame, name: str) -> Coded:
    if name not in frame:
        return Coded.missing(len(frame))
    return Coded.of(frame[name])


def _reported(incidents: pd.DataFrame) -> tuple[Coded, Coded]:
    """The names the source gave: the ``*_reported`` columns where either is set, else
    ``admin1``/``admin2`` (a file just read, or rows stored before places were derived)."""
    given1, given2 = _coded(incidents, "admin1"), _coded(incidents, "admin2")
    kept1 = _coded(incidents, "admin1_reported")
    kept2 = _coded(incidents, "admin2_reported")
    kept = np.flatnonzero(kept1.present() | kept2.present())
    given1.put(kept, kept1.codes[kept], kept1.table)
    given2.put(kept, kept2.codes[kept], kept2.table)
    return given1, given2


class _Notes:
    """The ``place_note`` column, built as codes: a note is added to many rows at once."""

    def __init__(self, size: int) -> None:
        self.coded = Coded.missing(size)

    def add(self, rows: np.ndarray, text: str | list[str]) -> None:
        """Append ``text`` (one for all, or one per row of ``rows``) to those rows."""
        if not len(rows):
            return
        if isinstance(text, str):
            before, position = np.unique(self.coded.codes[rows], return_inverse=True)
            table = self.coded.table
            joined = [text if b < 0 else f"{table[b]}; {text}" for b in before]
            self.coded.put(rows, position.astype(np.int64), np.array(joined, dtype=object))
            return
        earlier = self.coded.values(rows)
        texts = [t if b is None else f"{b}; {t}" for b, t in zip(earlier, text, strict=True)]
        self.coded.put_text(rows, texts)


def _place_admin(
    rows: _Rows,
    reported: tuple[Coded, Coded],
    derived: tuple[Coded, Coded],
    notes: _Notes,
    areas: Areas,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fill ``derived`` (admin1, admin2, in place) from the points; return which rows
    were placed, which fell outside every boundary, which disagree."""
    n = len(rows.x)
    admin1, admin2 = derived
    reported1, reported2 = reported
    level1, level2 = areas.admin1, areas.admin2
    point1 = np.full(n, -1, dtype=np.int64)  # index among the admin1 areas
    point2 = np.full(n, -1, dtype=np.int64)
    if level2 is not None:
        # admin2 first: its parent gives admin1 too, so the two always agree. An admin1
        # point stands for its admin1 only: its admin2 stays as reported.
        by_point = rows.usable & (rows.precision != "admin1")
        point2 = _first_hit(level2, rows, by_point)
        point1 = np.where(point2 >= 0, level2.parents[np.maximum(point2, 0)], -1)
    if level1 is not None:
        point1 = np.maximum(point1, _first_hit(level1, rows, rows.usable & (point1 < 0)))
        got = np.flatnonzero(point1 >= 0)
        admin1.put(got, point1[got], level1.names)
    if level2 is not None:
        got = np.flatnonzero(point2 >= 0)
        admin2.put(got, point2[got], level2.names)
    placed = (point1 >= 0) | (point2 >= 0)
    outside = rows.usable & ~placed
    notes.add(np.flatnonzero(outside), _(OUTSIDE_BOUNDARIES))
    disagreed = np.zeros(n, dtype=bool)
    kept2 = np.zeros(n, dtype=bool)
    if level2 is not None:
        judged, where, distance, near = _compare(
            level2, reported2, admin2, point2 >= 0, rows, areas
        )
        # Within tolerance: the named area (and its parent), as the boundaries spell them.
        kept, first = judged[near], level2.named_first[where[near]]
        admin2.put(kept, first, level2.names)
        parents = level2.parents[first]
        if level1 is not None:
            admin1.put(kept[parents >= 0], parents[parents >= 0], level1.names)
        kept2[kept[parents >= 0]] = True
        far = judged[~near]
        notes.add(far, _disagreements("admin2", far, reported2, admin2, distance[~near], rows))
        disagreed[far] = True
    if level1 is not None:
        # An admin2 kept within tolerance brought its own admin1: nothing more to judge.
        judged, where, distance, near = _compare(
            level1, reported1, admin1, (point1 >= 0) & ~kept2, rows, areas
        )
        admin1.put(judged[near], level1.named_first[where[near]], level1.names)
        far = judged[~near]
        notes.add(far, _disagreements("admin1", far, reported1, admin1, distance[~near], rows))
        disagreed[far] = True
    return placed, outside, disagreed


def _compare(
    level: Level, given: Coded, current: Coded, judged: np.ndarray, rows: _Rows, areas: Areas
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows of ``judged`` whose given name is another area than ``current``: those rows,
    the named area of each (``-1``: no such area), the point's distance to it (metres,
    ``inf`` when unknown) and whether that is within the row's tolerance."""
    vocabulary = dict(level.by_key)  # key ids equal to the named areas' indices
    given_keys = given.keys(name_key, vocabulary)
    current_keys = current.keys(name_key, vocabulary)
    differ = np.flatnonzero(judged & (given_keys >= 0) & (given_keys != current_keys))
    where = given_keys[differ]
    where = np.where(where < len(level.named), where, -1)
    distance = np.full(len(differ), np.inf)
    known = where >= 0
    if known.any():
        to_metres = pyproj.Transformer.from_crs(4326, areas.metric, always_xy=True)
        mx, my = to_metres.transform(rows.x[differ[known]], rows.y[differ[known]])
        distance[known] = shapely.distance(shapely.points(mx, my), level.named[where[known]])
    return differ, where, distance, distance <= rows.tolerance_m[differ]


def _disagreements(
    level: str, far: np.ndarray, given: Coded, current: Coded, distance: np.ndarray, rows: _Rows
) -> list[str]:
    return [
        _disagreement(level, g, c, d, p)
        for g, c, d, p in zip(
            given.values(far), current.values(far), distance, rows.precision[far], strict=True
        )
    ]


def _disagreement(level: str, given: str, point: str, distance_m: float, precision: Any) -> str:
    if not np.isfinite(distance_m):
        return _(
            "{level} reported as '{given}', which is not a loaded {level} area; the point is "
            "in {point}",
            level=level,
            given=given,
            point=point,
        )
    allowed = TOLERANCE_KM.get(str(precision), 5.0)
    return _(
        "{level} reported as '{given}' but the point is in {point}, {distance} km outside "
        "{given} ({precision} location: {allowed} km allowed)",
        level=level,
        given=given,
        point=point,
        distance=format_number(distance_m / 1000, digits=1),
        precision=precision,
        allowed=plain(allowed),
    )
