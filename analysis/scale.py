"""The default cell width, chosen from the incidents, and how hot spots change with it.

**The rule.** The width is six times the median distance from a place where incidents
happened to the nearest *other* such place, rounded to a readable width (1, 2, 2.5 or 5
times a power of ten: 2, 5, 10, 20, 25, 50 km ...), and kept between a floor and a ceiling
set by the mission area: no coarser than the area-based width (about
:data:`analysis.cells.CELLS_ACROSS` cells across the area's longer side, the former
default) and no finer than the readable width giving at most about
:data:`MAX_CELLS` cells over the area's bounding box (a bound on cost and on the
number of tests the false-discovery-rate correction has to pay for).

**Why.** Under complete spatial randomness the mean nearest-neighbour distance ``d`` of
points at density ``λ`` is ``1 / (2 √λ)`` (Clark and Evans 1954), so ``λ ≈ 1 / (4 d²)``
around a typical incident; a hexagon of width ``w`` covers ``(√3 / 2) w²``, so at
``w = 6 d`` it holds about ``(√3 / 2) · 36 / 4 ≈ 8`` incidents at the density where
incidents happen, and a Gi* neighbourhood (the cell and its six neighbours) about 55:
enough for Gi*'s normal approximation, and fine enough to keep a town's incidents apart
from the next town's. Places, not incidents: many reports share a town's coordinates,
which would make the median distance zero. The distance follows the data (denser data,
finer cells), and a sparse selection gets wide cells. Incremental spatial autocorrelation
(the distance at which the Moran's I z-score of the cell counts first peaks, which ArcGIS's
Optimized Hot Spot Analysis uses to choose a scale) was tried on the sample and on real Central
African Republic data: over cell grids the z-score mostly falls as cells widen (fewer
cells), so its "first peak" was the finest width tried, and it costs one Gi*-sized pass
per candidate width.

**Cost.** Places are distinct coordinates to 10 m; beyond :data:`MAX_PLACES` places, a
fixed-seed sample of them is used and its median distance scaled by ``√(sample / all)``
(the same randomness argument: thinning to a fraction ``p`` stretches distances by
``1 / √p``). One k-d tree over at most 50,000 points: a few hundredths of a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from analysis.words import count, g, joined, significant, whole_percent
from languages import _

NN_MULTIPLE = 6.0
"""The width is this many times the median nearest-neighbour distance between places."""
MAX_CELLS = 20_000
"""Never finer than the readable width giving about this many cells over the bounds."""
MAX_PLACES = 50_000
"""Beyond this many distinct places, a fixed-seed sample of them is measured."""
SEED = 2021
SNAP_M = 10.0
"""Coordinates this close (metres) are one place."""
FACTORS = (0.5, 1.0, 2.0)
"""The widths (times the chosen one) the sensitivity table compares."""


@dataclass(frozen=True)
class WidthChoice:
    """The width chosen and what it rests on."""

    width_m: float
    median_nn_m: float | None
    """Median distance between neighbouring places (None: fewer than two places)."""
    places: int
    sampled: int
    """Places measured (all of them unless more than :data:`MAX_PLACES`)."""
    area_width_m: float
    """The area-based width: the ceiling."""
    floor_m: float = 0.0
    """The finest width allowed over the area (:data:`MAX_CELLS`)."""

    @property
    def words(self) -> str:
        """How the width was chosen, in a sentence."""
        km = self.width_m / 1000
        if self.median_nn_m is None:
            return _(
                "Cell width {km} km: fewer than two places with incidents, so the width "
                "giving about 40 cells across the area.",
                km=g(km),
            )
        raw = NN_MULTIPLE * self.median_nn_m / 1000
        bound = ""
        rounded = readable_width(NN_MULTIPLE * self.median_nn_m) / 1000
        if rounded > km:
            bound = _(" (capped at about 40 cells across the area)")
        elif rounded < km:
            bound = _(
                " (no finer: at most about {most} cells over the area)", most=count(MAX_CELLS)
            )
        if self.sampled < self.places:
            return _(
                "Cell width {km} km, chosen from the data: {multiple} times the median "
                "distance between neighbouring places with incidents ({median} km over "
                "{places} places, measured on {sampled} of them) = {raw} km, rounded to a "
                "readable width{bound}.",
                km=g(km),
                multiple=g(NN_MULTIPLE),
                median=significant(self.median_nn_m / 1000),
                places=count(self.places),
                sampled=count(self.sampled),
                raw=significant(raw, 3),
                bound=bound,
            )
        return _(
            "Cell width {km} km, chosen from the data: {multiple} times the median "
            "distance between neighbouring places with incidents ({median} km over "
            "{places} places) = {raw} km, rounded to a readable width{bound}.",
            km=g(km),
            multiple=g(NN_MULTIPLE),
            median=significant(self.median_nn_m / 1000),
            places=count(self.places),
            raw=significant(raw, 3),
            bound=bound,
        )


def readable_width(raw_m: float) -> float:
    """The readable width nearest above ``raw_m`` within 25 %: 1, 2, 2.5 or 5 times a power
    of ten metres, at least 500 m (the rounding of :func:`analysis.cells.default_width_m`)."""
    if not (raw_m > 0 and math.isfinite(raw_m)):
        return 5_000.0
    power = 10 ** math.floor(math.log10(raw_m))
    for step in (1, 2, 2.5, 5, 10):
        if raw_m <= step * power * 1.25:
            return max(500.0, step * power)
    return max(500.0, 10 * power)


def _readable_at_least(raw_m: float) -> float:
    """The smallest readable width (1, 2, 2.5, 5 times 10^k m, at least 500 m) ≥ ``raw_m``."""
    if not (raw_m > 0 and math.isfinite(raw_m)):
        return 500.0
    power = 10 ** math.floor(math.log10(raw_m))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= raw_m * (1 - 1e-9):
            return max(500.0, step * power)
    return max(500.0, 10 * power)


def finest_width(bounds: tuple[float, float, float, float]) -> float:
    """The finest default width over ``bounds`` (metres): about :data:`MAX_CELLS`
    hexagons ((√3 / 2) w² each) over the bounding box, rounded up to a readable width."""
    west, south, east, north = bounds
    box = max(east - west, 0.0) * max(north - south, 0.0)
    return _readable_at_least(math.sqrt(box / (MAX_CELLS * math.sqrt(3) / 2)))


def median_nn_distance(x: np.ndarray, y: np.ndarray) -> tuple[float | None, int, int]:
    """Median distance (metres) from each distinct place to the nearest other one, the
    number of places and the number measured (see the module's docstring)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) < 2:
        return None, len(x), len(x)
    # Distinct places as one int64 key each: a hash, not a sort, at a million points.
    qx = np.floor((x - x.min()) / SNAP_M).astype(np.int64)
    qy = np.floor((y - y.min()) / SNAP_M).astype(np.int64)
    keys = qx * (int(qy.max()) + 1) + qy
    codes, uniques = pd.factorize(keys)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # each place's first incident
    places = len(first)
    if places < 2:
        return None, places, places
    chosen = first
    if places > MAX_PLACES:
        chosen = np.random.default_rng(SEED).choice(first, MAX_PLACES, replace=False)
    points = np.c_[x[chosen], y[chosen]]
    distance, _ = cKDTree(points).query(points, k=2)
    median = float(np.median(distance[:, 1]))
    if len(chosen) < places:  # a sample's neighbours are farther apart: scale back
        median *= math.sqrt(len(chosen) / places)
    return median, places, len(chosen)


def choose_width(
    x: np.ndarray, y: np.ndarray, bounds: tuple[float, float, float, float]
) -> WidthChoice:
    """The default cell width for incidents at ``x, y`` (metres) over an area of
    ``bounds`` (metres): see the module's docstring."""
    from analysis.cells import default_width_m

    area_width = default_width_m(bounds)
    median, places, sampled = median_nn_distance(x, y)
    if median is None:
        return WidthChoice(area_width, None, places, sampled, area_width)
    floor = min(area_width, finest_width(bounds))
    width = min(area_width, max(floor, readable_width(NN_MULTIPLE * median)))
    return WidthChoice(width, median, places, sampled, area_width, floor)


SENSITIVITY_COLUMNS = (
    "width_km",
    "times_chosen",
    "cells",
    "hot_cells",
    "hot_cells_with_incidents",
    "hot_clusters",
    "incidents_in_hot_cells",
    "share_of_chosen_hot_incidents_still_hot",
)


def sensitivity(spots, incidents, area=None, *, factors: tuple[float, ...] = FACTORS):
    """How the hot spots of ``spots`` (an :class:`analysis.hotspots.HotSpots` of
    ``incidents`` over ``area``) change with the cell width: one row per width
    (``factors`` times the width of ``spots``, rounded to a readable width), with the number of
    cells, hot cells (90 % or more), hot cells holding incidents, hot clusters, incidents in
    hot cells, and the share of the incidents in hot cells at the chosen width that are
    still in hot cells at this one (whether the main clusters persist).

    Returns the table and its caption in words.
    """
    from analysis.hotspots import hot_spots_of

    grid = spots.counts.grid
    chosen_rows = spots.counts.rows
    chosen_hot = _hot_incidents(spots, chosen_rows)
    rows = []
    seen: set[float] = set()
    for factor in factors:
        width = grid.width_m * factor
        if _readable_at_least(width) != width:  # 2.5 km stays 2.5 km; 7.5 km reads as 10
            width = readable_width(width)
        if width in seen:
            continue
        seen.add(width)
        if width == grid.width_m:
            other = spots
        else:
            from analysis.cells import count_in_cells

            counts = count_in_cells(incidents, area, shape=grid.shape, width_m=width, crs=grid.crs)
            other = hot_spots_of(counts, weight=spots.weight, fdr=spots.fdr)
        hot_here = _hot_incidents(other, other.counts.rows)
        cells = other.cells
        hot = cells["bin"].to_numpy() > 0
        kept = int((chosen_hot & hot_here).sum())
        rows.append(
            {
                "width_km": width / 1000,
                "times_chosen": round(width / grid.width_m, 3),
                "cells": len(cells),
                "hot_cells": int(hot.sum()),
                "hot_cells_with_incidents": int((hot & (cells["incidents"].to_numpy() > 0)).sum()),
                "hot_clusters": int(cells["cluster"].max()) if len(cells) else 0,
                "incidents_in_hot_cells": int(hot_here.sum()),
                "share_of_chosen_hot_incidents_still_hot": (
                    kept / int(chosen_hot.sum()) if chosen_hot.any() else float("nan")
                ),
            }
        )
    table = pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
    table = table.sort_values("width_km", ignore_index=True)
    return table, sensitivity_caption(table, spots)


def _hot_incidents(spots, rows: np.ndarray | None) -> np.ndarray:
    """Whether each incident (in the incidents' order) lies in a hot cell."""
    if rows is None:
        return np.zeros(0, dtype=bool)
    hot = np.concatenate([spots.cells["bin"].to_numpy() > 0, [False]])
    return hot[np.asarray(rows)]  # row -1 (no place) reads the trailing False


def sensitivity_caption(table: pd.DataFrame, spots) -> str:
    """The sensitivity table in words."""
    choice = spots.counts.width_choice
    how = (
        choice.words
        if choice is not None
        else _("Cell width {km} km, as chosen.", km=g(spots.counts.grid.width_m / 1000))
    )
    parts = []
    for row in table.itertuples(index=False):
        if row.times_chosen == 1:
            continue
        share = float(row.share_of_chosen_hot_incidents_still_hot)  # type: ignore[arg-type]
        values = {
            "km": g(float(row.width_km)),  # type: ignore[arg-type]
            "clusters": count(row.hot_clusters),  # type: ignore[arg-type]
            "cells": count(row.hot_cells),  # type: ignore[arg-type]
        }
        if share != share:
            parts.append(_("at {km} km, {clusters} hot clusters of {cells} hot cells", **values))
        else:
            parts.append(
                _(
                    "at {km} km, {clusters} hot clusters of {cells} hot cells, {share} of the "
                    "incidents hot at the chosen width still in hot cells",
                    share=whole_percent(share),
                    **values,
                )
            )
    chosen = table[table["times_chosen"] == 1]
    base = (
        _(
            "At the chosen {km} km: {clusters} hot clusters of {cells} hot cells holding "
            "{incidents} incidents",
            km=g(spots.counts.grid.width_m / 1000),
            clusters=count(int(chosen["hot_clusters"].iloc[0])),
            cells=count(int(chosen["hot_cells"].iloc[0])),
            incidents=count(int(chosen["incidents_in_hot_cells"].iloc[0])),
        )
        if len(chosen)
        else ""
    )
    text = _("{how} How the hot spots change with the cell width: {base}", how=how, base=base)
    if parts:
        text += _("; ") + joined(parts)
    return text + _(
        ". A cluster found at every width is robust; one found at a single width depends on "
        "where the cell edges fall."
    )
