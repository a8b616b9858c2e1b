"""Incidents counted in cells: hexagons or squares of a chosen width, in metres.

A cell's *width* is the distance between the centres of two neighbouring cells (for a
hexagon, flat side to flat side). The study area is every cell touching the mission
area (the admin boundaries), plus any cell holding an incident outside it; without a
mission area, every cell of the incidents' bounding box. Empty cells count: a hot spot is
a place with more incidents than the rest of the area, and the rest includes the quiet
places. Incidents known only to the country (``location_precision`` country) are no place:
they are left off the cells and counted (:attr:`CellCounts.left_off`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from scipy import sparse

from analysis.metric import WGS84, mission_crs, to_metric
from analysis.precision import IN_CELLS, left_off_words, placed
from analysis.scale import WidthChoice, choose_width
from analysis.words import count
from languages import _

Shape = Literal["hexagon", "square"]
SHAPES: tuple[Shape, ...] = ("hexagon", "square")

CELLS_ACROSS = 40
"""The default width gives about this many cells across the longer side of the area."""

MAX_CELLS = 2_000_000
_DENSE_CELLS = 20_000_000
"""Up to this many cells in the box around the area and the points, cells are counted
on a dense array (one bincount); beyond it, only the cells holding something."""
"""A grid finer than this over the area is refused: ask for wider cells."""

_SQRT3 = math.sqrt(3.0)
# Axial neighbour offsets (q, r) of a hexagon, and the 8 neighbours of a square.
_HEX_STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1))
_SQUARE_STEPS = tuple((dq, dr) for dq in (-1, 0, 1) for dr in (-1, 0, 1) if (dq, dr) != (0, 0))


@dataclass(frozen=True)
class Grid:
    """A lattice of cells in a metric CRS."""

    shape: Shape
    width_m: float
    crs: pyproj.CRS

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ValueError(
                _(
                    "cell shape {shape!r} is not one of {shapes}",
                    shape=self.shape,
                    shapes=", ".join(SHAPES),
                )
            )
        if not (self.width_m > 0 and math.isfinite(self.width_m)):
            raise ValueError(
                _(
                    "cell width {width!r} m is not a positive number of metres",
                    width=self.width_m,
                )
            )

    @property
    def area_km2(self) -> float:
        """The area of one cell."""
        w = self.width_m / 1000
        return w * w * (_SQRT3 / 2 if self.shape == "hexagon" else 1.0)

    def keys(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (q, r) cell of each point (metres)."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        if self.shape == "square":
            return np.floor(x / self.width_m).astype(np.int64), np.floor(y / self.width_m).astype(
                np.int64
            )
        size = self.width_m / _SQRT3  # centre-to-corner radius of a pointy-top hexagon
        q = (_SQRT3 / 3 * x - y / 3) / size
        r = (2 / 3 * y) / size
        return _cube_round(q, r)

    def centres(self, q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The centre (metres) of each cell."""
        q, r = np.asarray(q, float), np.asarray(r, float)
        if self.shape == "square":
            return (q + 0.5) * self.width_m, (r + 0.5) * self.width_m
        size = self.width_m / _SQRT3
        return size * _SQRT3 * (q + r / 2), size * 1.5 * r

    def polygons(self, q: np.ndarray, r: np.ndarray) -> np.ndarray:
        """The cells as shapely polygons (metres)."""
        cx, cy = self.centres(q, r)
        if self.shape == "square":
            half = self.width_m / 2
            return shapely.box(cx - half, cy - half, cx + half, cy + half)
        size = self.width_m / _SQRT3
        angles = np.radians(30 + 60 * np.arange(6))
        xs = cx[:, None] + size * np.cos(angles)[None, :]
        ys = cy[:, None] + size * np.sin(angles)[None, :]
        rings = np.stack([xs, ys], axis=-1)
        return shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1))

    def neighbours(self, q: np.ndarray, r: np.ndarray) -> sparse.csr_matrix:
        """Binary contiguity among the given cells (no self-links): hexagons share an edge,
        squares an edge or a corner (queen)."""
        n = len(q)
        position = pd.Series(np.arange(n), index=pd.MultiIndex.from_arrays([q, r]))
        rows, cols = [], []
        steps = _HEX_STEPS if self.shape == "hexagon" else _SQUARE_STEPS
        for dq, dr in steps:
            found = position.reindex(pd.MultiIndex.from_arrays([q + dq, r + dr])).to_numpy()
            has = ~np.isnan(found)
            rows.append(np.flatnonzero(has))
            cols.append(found[has].astype(np.int64))
        rows_a = np.concatenate(rows) if rows else np.array([], np.int64)
        cols_a = np.concatenate(cols) if cols else np.array([], np.int64)
        data = np.ones(len(rows_a))
        return sparse.csr_matrix((data, (rows_a, cols_a)), shape=(n, n))


def _cube_round(q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return rq.astype(np.int64), rr.astype(np.int64)


def default_width_m(bounds: tuple[float, float, float, float]) -> float:
    """A round width (1, 2, 2.5 or 5 times a power of ten, in metres, at least 500 m) giving
    about :data:`CELLS_ACROSS` cells across the longer side of ``bounds`` (metres)."""
    west, south, east, north = bounds
    span = max(east - west, north - south)
    if not (span > 0 and math.isfinite(span)):
        return 5_000.0
    raw = span / CELLS_ACROSS
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if raw <= step * power * 1.25:
            return max(500.0, step * power)
    return max(500.0, 10 * power)


@dataclass(frozen=True)
class CellCounts:
    """Incidents per cell over the study area (metres, in ``grid.crs``)."""

    grid: Grid
    cells: gpd.GeoDataFrame
    """One row per cell: cell_id, q, r, incidents, fatalities, geometry (metric CRS)."""
    cell_of_incident: pd.Series
    """The cell_id of each incident, on the incidents' index (missing for one left off)."""
    neighbours: sparse.csr_matrix
    """Contiguity among ``cells`` rows (no self-links)."""
    rows: np.ndarray | None = None
    """The row in ``cells`` of each incident, in the incidents' order (-1: left off)."""
    left_off: int = 0
    """Incidents known only to the country: counted, in no cell."""
    width_choice: WidthChoice | None = None
    """How the default width was chosen from the incidents (None: a width was given, or
    the cells were counted elsewhere)."""

    @property
    def note(self) -> str:
        """How many incidents were left off the cells, in words ("" for none)."""
        return left_off_words(self.left_off, IN_CELLS)


def count_in_cells(
    incidents: gpd.GeoDataFrame,
    area: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    *,
    shape: Shape = "hexagon",
    width_m: float | None = None,
    crs: pyproj.CRS | None = None,
    default: Literal["data", "area"] = "data",
) -> CellCounts:
    """Count ``incidents`` (points, any CRS) in cells covering ``area`` (the mission area).

    ``width_m`` defaults to :func:`analysis.scale.choose_width`: from the distances
    between the incidents' places, within bounds set by the area (or the incidents);
    ``default="area"``: :func:`default_width_m` of the area alone (the map's cells, whose
    number should not grow with the data);
    ``crs`` defaults to :func:`analysis.metric.mission_crs` of the area and incidents.
    """
    is_place, left_off = placed(incidents)
    points = incidents[is_place] if left_off else incidents
    crs = crs or mission_crs(area, points)
    x, y = metric_xy(points, crs)
    grid, bounds, region, choice = _grid(
        area, crs, shape, width_m, x, y, from_points=default == "data"
    )
    q_pts, r_pts = grid.keys(x, y)
    cells, placed_rows = _tally(grid, bounds, region, q_pts, r_pts, None, _fatalities(points))
    if left_off:  # -1 (and no cell_id) for each incident known only to the country
        rows = np.full(len(incidents), -1, dtype=np.int64)
        rows[is_place] = placed_rows
    else:
        rows = placed_rows
    cell_ids = np.concatenate(
        [cells["cell_id"].to_numpy(dtype=object), np.array([None], dtype=object)]
    )
    of_incident = pd.Series(cell_ids[rows], index=incidents.index, name="cell_id")
    neighbours = _neighbours(grid, cells)
    return CellCounts(grid, cells, of_incident, neighbours, rows, left_off, choice)


def count_totals(
    totals: pd.DataFrame,
    area: gpd.GeoDataFrame | gpd.GeoSeries | None,
    *,
    crs: pyproj.CRS,
    shape: Shape = "hexagon",
    width_m: float | None = None,
    incident_bounds: tuple[float, float, float, float] | None = None,
) -> CellCounts:
    """:func:`count_in_cells` from incidents already tallied per cell (``q, r, incidents,
    fatalities``, e.g. by the database, :meth:`store.postgis.PostGISStore.cell_totals`),
    for the same ``crs``, ``shape`` and width. ``incident_bounds`` (metres) stand in for
    the points when there is no area. No incident is listed: ``cell_of_incident`` is empty.
    """
    x = np.array([] if incident_bounds is None else incident_bounds[::2], dtype=float)
    y = np.array([] if incident_bounds is None else incident_bounds[1::2], dtype=float)
    grid, bounds, region, _ = _grid(area, crs, shape, width_m, x, y)
    q = totals["q"].to_numpy(dtype=np.int64)
    r = totals["r"].to_numpy(dtype=np.int64)
    weights = totals["incidents"].to_numpy(dtype=float)
    fatalities = totals["fatalities"].to_numpy(dtype=float)
    cells, _ = _tally(grid, bounds, region, q, r, weights, fatalities)
    empty = pd.Series([], dtype=object, name="cell_id")
    return CellCounts(grid, cells, empty, _neighbours(grid, cells), None)


def _neighbours(grid: Grid, cells: pd.DataFrame) -> sparse.csr_matrix:
    return grid.neighbours(cells["q"].to_numpy(), cells["r"].to_numpy())


def _grid(area, crs, shape, width_m, x, y, *, from_points: bool = False) -> tuple:
    """The grid, the study area's bounds (metres), its region (or ``None``) and how the
    width was chosen (``None`` when given): from the points ``x, y`` with ``from_points``,
    else from the area alone (:func:`default_width_m`)."""
    region = None
    if area is not None and len(area):
        region = shapely.union_all(
            to_metric(area.geometry if hasattr(area, "geometry") else area, crs).to_numpy()
        )
        bounds = region.bounds
    elif len(x):
        bounds = (x.min(), y.min(), x.max(), y.max())
    else:
        bounds = (0.0, 0.0, 0.0, 0.0)
    choice = None
    if width_m is None:
        choice = choose_width(x, y, bounds) if from_points else None
        width_m = choice.width_m if choice else default_width_m(bounds)
    return Grid(shape, float(width_m), crs), bounds, region, choice


def _tally(
    grid: Grid,
    bounds: tuple,
    region: object,
    q_pts: np.ndarray,
    r_pts: np.ndarray,
    weights: np.ndarray | None,
    fatalities: np.ndarray,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """The cells of the study area plus those the points fall in, with their counts
    (each point counting ``weights``, default 1), and each point's row among them."""
    q_in, r_in = _lattice(grid, bounds, region)
    # Every cell as one integer on a dense box over the study area and the points, so
    # counting 1M incidents is one np.bincount, not a join.
    q_all, r_all = np.concatenate([q_in, q_pts]), np.concatenate([r_in, r_pts])
    if len(q_all):
        q0, r0 = q_all.min(), r_all.min()
        span = int(r_all.max() - r0) + 1
        box = int(q_all.max() - q0 + 1) * span
    else:
        q0 = r0 = 0
        span = box = 1
    point_key = (q_pts - q0) * span + (r_pts - r0)
    lattice_key = (q_in - q0) * span + (r_in - r0)
    if box <= _DENSE_CELLS:
        present = np.zeros(box, dtype=bool)
        present[point_key] = True
        present[lattice_key] = True
        key = np.flatnonzero(present)
        row_of_key = np.full(box, -1, dtype=np.int64)
        row_of_key[key] = np.arange(len(key))
        point_row = row_of_key[point_key]
    else:  # a stray point far away would make the box huge: number only the cells held
        key, inverse = np.unique(np.concatenate([lattice_key, point_key]), return_inverse=True)
        point_row = inverse[len(lattice_key) :]
    n_cell = np.bincount(point_row, weights=weights, minlength=len(key)).astype(np.int64)
    dead_cell = np.bincount(point_row, weights=fatalities, minlength=len(key))
    q, r = key // span + q0, key % span + r0
    order = np.lexsort((q, r))  # rows by r, then q, as the grid reads
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    q, r = q[order], r[order]
    shape = grid.shape
    cell_ids = np.array([f"{shape[0]}{a}_{b}" for a, b in zip(q, r, strict=True)], dtype=object)
    cells = pd.DataFrame(
        {
            "q": q,
            "r": r,
            "cell_id": cell_ids,
            "incidents": n_cell[order],
            "fatalities": dead_cell[order].astype(float),
        }
    )
    frame = gpd.GeoDataFrame(cells, geometry=grid.polygons(q, r), crs=grid.crs)
    return frame, rank[point_row]


def metric_xy(points: gpd.GeoDataFrame | gpd.GeoSeries, crs: pyproj.CRS) -> tuple:
    """The x and y (metres in ``crs``) of point geometries, from their coordinates:
    no geometry is rebuilt, which is most of the cost of ``to_crs`` at a million points."""
    geometry = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    coords = shapely.get_coordinates(geometry.to_numpy())
    if len(coords) != len(geometry):
        raise ValueError(_("incidents must be single points, one per row, none empty"))
    source = geometry.crs or WGS84
    x, y = pyproj.Transformer.from_crs(source, crs, always_xy=True).transform(
        coords[:, 0], coords[:, 1]
    )
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def _fatalities(incidents: gpd.GeoDataFrame) -> np.ndarray:
    if "fatalities" not in incidents:
        return np.zeros(len(incidents))
    values = pd.to_numeric(incidents["fatalities"], errors="coerce")
    return values.astype("float64").fillna(0.0).to_numpy()


def _lattice(grid: Grid, bounds, region) -> tuple[np.ndarray, np.ndarray]:
    """Every cell touching ``region`` (or whose centre is in ``bounds`` without a region)."""
    west, south, east, north = bounds
    if region is None and (east - west) <= 0 and (north - south) <= 0:
        return np.array([], np.int64), np.array([], np.int64)
    q0, r0 = grid.keys(np.array([west, east, west, east]), np.array([south, south, north, north]))
    r_range = np.arange(r0.min() - 1, r0.max() + 2)
    if grid.shape == "hexagon":
        # q runs diagonally in axial coordinates: widen it by half the r span.
        half = (r_range.max() - r_range.min()) // 2 + 2
        q_range = np.arange(q0.min() - half, q0.max() + half + 1)
    else:
        q_range = np.arange(q0.min() - 1, q0.max() + 2)
    if len(q_range) * len(r_range) > MAX_CELLS * 2:
        raise ValueError(
            _(
                "{width} m cells would make over {most} cells over this area; choose wider cells",
                width=count(round(grid.width_m)),
                most=count(MAX_CELLS),
            )
        )
    qq, rr = (axis.ravel() for axis in np.meshgrid(q_range, r_range))
    cx, cy = grid.centres(qq, rr)
    if region is not None:
        # Cells touching the area, so every incident inside it falls in a counted cell
        # and the study area does not change with the selection.
        shapely.prepare(region)
        near = shapely.dwithin(region, shapely.points(cx, cy), grid.width_m)
        inside = np.zeros(len(qq), dtype=bool)
        inside[near] = shapely.intersects(region, grid.polygons(qq[near], rr[near]))
    else:
        half = grid.width_m / 2
        inside = (
            (cx >= west - half) & (cx <= east + half) & (cy >= south - half) & (cy <= north + half)
        )
    if inside.sum() > MAX_CELLS:
        raise ValueError(
            _(
                "{width} m cells would make {cells} cells over this area (at most {most}); "
                "choose wider cells",
                width=count(round(grid.width_m)),
                cells=count(int(inside.sum())),
                most=count(MAX_CELLS),
            )
        )
    return qq[inside], rr[inside]


def in_wgs84(cells: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``cells`` reprojected for the map and for GeoJSON."""
    return cells.to_crs(WGS84)
