"""Hot spots: Getis-Ord Gi* on incidents per cell, with false-discovery-rate correction.

Gi* compares the incidents in a cell and its neighbours with the whole study area. Its
z-score is computed analytically (Getis and Ord 1992; Ord and Getis 1995) on binary
contiguity weights that include the cell itself, which is what ``esda.G_Local(y, w,
star=True, transform="B")`` computes; the tests hold the two within 1e-6. Cells are
"hot" or "cold" at 90, 95 or 99 % confidence, the thresholds lowered by the
Benjamini-Hochberg false-discovery-rate correction as ArcGIS Pro's Hot Spot Analysis does,
so that among thousands of cells, chance alone does not paint hot spots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from scipy import sparse, stats
from scipy.sparse.csgraph import connected_components

from analysis.cells import CellCounts, Shape, count_in_cells

Weight = Literal["incidents", "fatalities"]
CONFIDENCES = (0.90, 0.95, 0.99)

BIN_LABELS = {
    3: "Hot spot, 99 % confidence",
    2: "Hot spot, 95 % confidence",
    1: "Hot spot, 90 % confidence",
    0: "Not significant",
    -1: "Cold spot, 90 % confidence",
    -2: "Cold spot, 95 % confidence",
    -3: "Cold spot, 99 % confidence",
}


def gi_star(values: np.ndarray, neighbours: sparse.spmatrix) -> np.ndarray:
    """Gi* z-score of each cell: ``values`` summed over the cell and its ``neighbours``
    (binary, without self-links) against the study area's mean and spread.

    NaN where the statistic is undefined: fewer than two cells, or every cell alike.
    """
    y = np.asarray(values, dtype=float)
    n = len(y)
    if n < 2:
        return np.full(n, np.nan)
    w = sparse.csr_matrix(neighbours, dtype=float) + sparse.identity(n, format="csr")
    w.data[:] = 1.0
    mean = y.mean()
    spread = np.sqrt((y**2).mean() - mean**2)
    weights = np.asarray(w.sum(axis=1)).ravel()
    local = w @ y
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = spread * np.sqrt((n * weights - weights**2) / (n - 1))
        z = (local - mean * weights) / denominator
    z[~np.isfinite(z)] = np.nan
    if not spread > 1e-12 * max(abs(mean), 1.0):
        z[:] = np.nan
    return z


def p_values(z: np.ndarray) -> np.ndarray:
    """Two-sided p-value of each z-score (NaN stays NaN)."""
    return 2 * stats.norm.sf(np.abs(np.asarray(z, dtype=float)))


def confidence_bins(z: np.ndarray, *, fdr: bool = True) -> np.ndarray:
    """-3..3: cold or hot at 99/95/90 % (0: not significant), as ArcGIS's ``Gi_Bin``.

    With ``fdr``, each level's p-value threshold is the Benjamini-Hochberg one over all
    cells with a z-score.
    """
    z = np.asarray(z, dtype=float)
    p = p_values(z)
    bins = np.zeros(len(z), dtype=np.int64)
    tested = np.isfinite(p)
    for level, confidence in enumerate(CONFIDENCES, start=1):
        alpha = 1 - confidence
        threshold = _bh_threshold(p[tested], alpha) if fdr else alpha
        significant = tested & (p <= threshold)
        bins[significant] = level * np.sign(z[significant]).astype(np.int64)
    return bins


def _bh_threshold(p: np.ndarray, alpha: float) -> float:
    """The largest p-value the Benjamini-Hochberg procedure rejects at ``alpha`` (or -1)."""
    m = len(p)
    if m == 0:
        return -1.0
    ordered = np.sort(p)
    passing = np.flatnonzero(ordered <= alpha * np.arange(1, m + 1) / m)
    return float(ordered[passing[-1]]) if len(passing) else -1.0


def clusters(bins: np.ndarray, neighbours: sparse.spmatrix, *, hot: bool = True) -> np.ndarray:
    """Number the groups of touching hot (or cold) cells 1, 2, ... by size; 0 elsewhere."""
    bins = np.asarray(bins)
    chosen = np.flatnonzero(bins > 0 if hot else bins < 0)
    labels = np.zeros(len(bins), dtype=np.int64)
    if not len(chosen):
        return labels
    sub = sparse.csr_matrix(neighbours)[chosen][:, chosen]
    _, component = connected_components(sub, directed=False)
    sizes = np.bincount(component)
    # Largest group first; ties broken by where the group first appears, so numbers are stable.
    order = sorted(range(len(sizes)), key=lambda c: (-sizes[c], np.flatnonzero(component == c)[0]))
    rank = {c: i + 1 for i, c in enumerate(order)}
    labels[chosen] = [rank[c] for c in component]
    return labels


@dataclass(frozen=True)
class HotSpots:
    """Gi* over cells; ``cells`` in the metric CRS of ``counts.grid``."""

    counts: CellCounts
    cells: gpd.GeoDataFrame
    """cell_id, q, r, incidents, fatalities, value, z, p, bin, label, cluster, geometry."""
    weight: Weight
    fdr: bool

    @property
    def caption(self) -> str:
        grid = self.counts.grid
        n = len(self.cells)
        hot = int((self.cells["bin"] > 0).sum())
        cold = int((self.cells["bin"] < 0).sum())
        what = "incidents" if self.weight == "incidents" else "fatalities"
        return (
            f"Getis-Ord Gi* on {what} per {grid.width_m / 1000:g} km {grid.shape} "
            f"({grid.area_km2:,.1f} km²; {n:,} cells; each cell with its "
            f"{'6' if grid.shape == 'hexagon' else '8'} neighbours), analytic z-scores, "
            + ("Benjamini-Hochberg false-discovery-rate correction" if self.fdr else "no FDR")
            + f": {hot:,} hot and {cold:,} cold cells at 90 % confidence or more."
            + (f" {self.counts.note}." if self.counts.left_off else "")
        )


def hot_spots(
    incidents: gpd.GeoDataFrame,
    area: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    *,
    shape: Shape = "hexagon",
    width_m: float | None = None,
    weight: Weight = "incidents",
    fdr: bool = True,
    crs: pyproj.CRS | None = None,
) -> HotSpots:
    """Hot and cold spots of ``incidents`` over ``area`` (see the module's docstring).

    ``weight="fatalities"`` sums fatalities per cell instead of counting incidents.
    """
    if weight not in ("incidents", "fatalities"):
        raise ValueError(f"weight {weight!r} is not 'incidents' or 'fatalities'")
    counts = count_in_cells(incidents, area, shape=shape, width_m=width_m, crs=crs)
    return hot_spots_of(counts, weight=weight, fdr=fdr)


def hot_spots_of(counts: CellCounts, *, weight: Weight = "incidents", fdr: bool = True) -> HotSpots:
    """Gi* hot and cold spots of incidents already counted in cells (the same as
    :func:`hot_spots` once counted; :func:`analysis.cells.count_totals` counts in SQL)."""
    if weight not in ("incidents", "fatalities"):
        raise ValueError(f"weight {weight!r} is not 'incidents' or 'fatalities'")
    cells = counts.cells.copy()
    cells["value"] = cells[weight].astype(float)
    z = gi_star(cells["value"].to_numpy(), counts.neighbours)
    bins = confidence_bins(z, fdr=fdr)
    cells["z"] = z
    cells["p"] = p_values(z)
    cells["bin"] = bins
    cells["label"] = pd.Series(bins).map(BIN_LABELS).to_numpy()
    cells["cluster"] = clusters(bins, counts.neighbours)
    return HotSpots(counts, cells, weight, fdr)


def cluster_of_incident(spots: HotSpots) -> pd.Series:
    """The hot-spot cluster (1, 2, ...) of each incident, NaN outside every cluster."""
    by_cell = spots.cells.set_index("cell_id")["cluster"]
    cluster = spots.counts.cell_of_incident.map(by_cell)
    return cluster.where(cluster > 0)


def cluster_outlines(spots: HotSpots) -> gpd.GeoDataFrame:
    """One polygon per hot-spot cluster: cluster, cells, incidents, fatalities, peak_z."""
    hot = spots.cells[spots.cells["cluster"] > 0]
    if not len(hot):
        return gpd.GeoDataFrame(
            {"cluster": [], "cells": [], "incidents": [], "fatalities": [], "peak_z": []},
            geometry=[],
            crs=spots.cells.crs,
        )
    outlines = hot.dissolve(
        by="cluster",
        aggfunc={"cell_id": "size", "incidents": "sum", "fatalities": "sum", "z": "max"},
    )
    outlines = outlines.rename(columns={"cell_id": "cells", "z": "peak_z"}).reset_index()
    return outlines[["cluster", "cells", "incidents", "fatalities", "peak_z", "geometry"]]
