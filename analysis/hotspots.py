"""Hot spots: Getis-Ord Gi* on incidents per cell, with false-discovery-rate correction.

Gi* compares the incidents in a cell and its neighbours with the whole study area. Its
z-score is computed analytically (Getis and Ord 1992; Ord and Getis 1995) on binary
contiguity weights that include the cell itself, which is what ``esda.G_Local(y, w,
star=True, transform="B")`` computes; the tests hold the two within 1e-6. Cells are
"hot" or "cold" at 90, 95 or 99 % confidence, the thresholds lowered by the
Benjamini-Hochberg false-discovery-rate correction as ArcGIS Pro's Hot Spot Analysis does,
so that among thousands of cells, chance alone does not paint hot spots.

Three rules keep the result honest on real and on small selections:

- **No empty hot spots.** A cell whose Gi* is significantly high but which holds no
  incident of its own is significant only because its neighbours are busy: it is labelled
  "near a hot spot" (``near``), keeps its z-score and its Gi* bin (``gi_bin``) but gets
  ``bin`` 0 and no cluster. A cluster is a group of touching hot cells (near cells bridge
  them) that holds incidents, numbered on its cells that hold incidents; a group made only
  of near cells is no hot spot.
- **Too sparse to call.** With fewer than :data:`MIN_INCIDENTS` (30) incidents in the
  selection, no hot or cold spot is called (``bin`` 0 everywhere) and
  :attr:`HotSpots.refusal` says why. Thirty is the minimum ArcGIS Pro's Optimized Hot Spot
  Analysis accepts ("at least 30 incidents"): below it the count per cell is too small for
  the normal approximation behind the z-scores and for the FDR correction to mean much.
- **Permutation inference** (``inference="permutation"``) replaces the normal
  approximation by esda's conditional randomisation (:func:`permutation_p_values`), for
  small counts: its pseudo p-values equal ``esda.G_Local(y, w, transform="B", star=True,
  permutations=k, seed=s).p_sim`` (see that function for how the draws are reproduced).
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
from analysis.permutation import DEFAULT_PERMUTATIONS, DEFAULT_SEED, permutation_p_values
from analysis.words import NumberLabels, count, fixed, g
from languages import N_, _

Weight = Literal["incidents", "fatalities"]
Inference = Literal["analytic", "permutation"]
INFERENCES = ("analytic", "permutation")
CONFIDENCES = (0.90, 0.95, 0.99)
MIN_INCIDENTS = 30
"""Below this many incidents in the selection no hot or cold spot is called (the minimum of
ArcGIS Pro's Optimized Hot Spot Analysis)."""

BIN_LABELS = NumberLabels(
    {
        3: N_("Hot spot, 99 % confidence"),
        2: N_("Hot spot, 95 % confidence"),
        1: N_("Hot spot, 90 % confidence"),
        0: N_("Not significant"),
        -1: N_("Cold spot, 90 % confidence"),
        -2: N_("Cold spot, 95 % confidence"),
        -3: N_("Cold spot, 99 % confidence"),
    }
)
"""Each Gi* bin's label, in the reader's language at each lookup."""
NEAR_LABELS = NumberLabels(
    {
        1: N_("Near a hot spot (no incident here; Gi* 90 % confidence)"),
        2: N_("Near a hot spot (no incident here; Gi* 95 % confidence)"),
        3: N_("Near a hot spot (no incident here; Gi* 99 % confidence)"),
    }
)
NOT_CALLED_LABEL = N_("Not called: too few incidents")


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
    return bins_of(p_values(z), np.sign(z), fdr=fdr)


def bins_of(p: np.ndarray, sign: np.ndarray, *, fdr: bool = True) -> np.ndarray:
    """-3..3 from two-sided p-values and the side (+1 hot, -1 cold) of each cell, as
    :func:`confidence_bins` (NaN p-values are not tested)."""
    p = np.asarray(p, dtype=float)
    sign = np.nan_to_num(np.asarray(sign, dtype=float))
    bins = np.zeros(len(p), dtype=np.int64)
    tested = np.isfinite(p)
    for level, confidence in enumerate(CONFIDENCES, start=1):
        alpha = 1 - confidence
        threshold = _bh_threshold(p[tested], alpha) if fdr else alpha
        significant = tested & (p <= threshold)
        bins[significant] = level * sign[significant].astype(np.int64)
    return bins


def _bh_threshold(p: np.ndarray, alpha: float) -> float:
    """The largest p-value the Benjamini-Hochberg procedure rejects at ``alpha`` (or -1)."""
    m = len(p)
    if m == 0:
        return -1.0
    ordered = np.sort(p)
    passing = np.flatnonzero(ordered <= alpha * np.arange(1, m + 1) / m)
    return float(ordered[passing[-1]]) if len(passing) else -1.0


def clusters(
    bins: np.ndarray,
    neighbours: sparse.spmatrix,
    *,
    hot: bool = True,
    occupied: np.ndarray | None = None,
) -> np.ndarray:
    """Number the groups of touching hot (or cold) cells 1, 2, ... by size; 0 elsewhere.

    With ``occupied`` (a boolean per cell: it holds incidents), only groups holding an
    occupied cell are numbered, only their occupied cells get the number, and a group's
    size is its number of occupied cells: empty significant cells link busy ones but are
    never part of a hot spot.
    """
    bins = np.asarray(bins)
    chosen = np.flatnonzero(bins > 0 if hot else bins < 0)
    labels = np.zeros(len(bins), dtype=np.int64)
    if not len(chosen):
        return labels
    sub = sparse.csr_matrix(neighbours)[chosen][:, chosen]
    _, component = connected_components(sub, directed=False)
    counted = np.ones(len(chosen), dtype=bool)
    if occupied is not None:
        counted = np.asarray(occupied, dtype=bool)[chosen]
    sizes = np.bincount(component, weights=counted.astype(float), minlength=component.max() + 1)
    first = np.full(len(sizes), len(chosen))
    np.minimum.at(first, component, np.arange(len(chosen)))
    # Largest group first; ties broken by where the group first appears, so numbers are stable.
    kept = [c for c in range(len(sizes)) if sizes[c] > 0]
    order = sorted(kept, key=lambda c: (-sizes[c], first[c]))
    rank = np.zeros(len(sizes), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    labels[chosen] = np.where(counted, rank[component], 0)
    return labels


@dataclass(frozen=True)
class HotSpots:
    """Gi* over cells; ``cells`` in the metric CRS of ``counts.grid``."""

    counts: CellCounts
    cells: gpd.GeoDataFrame
    """cell_id, q, r, incidents, fatalities, value, z, p, p_sim, gi_bin, bin, near, label,
    cluster, geometry. ``gi_bin`` is Gi*'s confidence bin from ``p`` alone (ArcGIS's
    ``Gi_Bin``); ``bin`` is what is called: 0 for cells near a hot spot (``near``) and
    everywhere when the selection is too sparse (:attr:`refusal`)."""
    weight: Weight
    fdr: bool
    inference: Inference = "analytic"
    permutations: int = 0
    seed: int | None = None
    refusal: str = ""
    """Why no hot or cold spot is called ('' when they are)."""

    @property
    def clusters(self) -> int:
        """The number of hot-spot clusters (each holds incidents)."""
        return int(self.cells["cluster"].max()) if len(self.cells) else 0

    @property
    def near(self) -> int:
        """Cells significantly high only through their neighbours (no incident of their own)."""
        return int(self.cells["near"].sum()) if len(self.cells) else 0

    @property
    def notes(self) -> list[str]:
        """Warnings a reader needs: why nothing is called, or many cells left out as empty."""
        notes = [self.refusal] if self.refusal else []
        significant = int((self.cells["gi_bin"] > 0).sum()) if len(self.cells) else 0
        # Said when it changes the picture: a tenth or more of the significantly high cells
        # are empty (a stray empty cell beside a town is in the caption, not a warning).
        if self.near and self.near >= 0.1 * significant:
            notes.append(
                _(
                    "{near} cells have a significantly high Gi* but no incident of their own "
                    "(they only neighbour busy cells): they are shown as 'near a hot spot' and "
                    "never counted as hot spots, clusters or protection gaps.",
                    near=count(self.near),
                )
            )
        return notes

    @property
    def caption(self) -> str:
        grid = self.counts.grid
        n = len(self.cells)
        hot = int((self.cells["bin"] > 0).sum())
        cold = int((self.cells["bin"] < 0).sum())
        if self.inference == "permutation":
            how = _(
                "conditional permutation pseudo p-values ({permutations} permutations, "
                "seed {seed}, as esda's)",
                permutations=count(self.permutations),
                seed=self.seed,
            )
        else:
            how = _("analytic z-scores")
        values = {
            "km": g(grid.width_m / 1000),
            "area": fixed(grid.area_km2, 1),
            "cells": count(n),
            "neighbours": "6" if grid.shape == "hexagon" else "8",
            "how": how,
            "hot": count(hot),
            "clusters": count(self.clusters),
            "cold": count(cold),
            "near": count(self.near),
            "minimum": MIN_INCIDENTS,
        }
        # One sentence per choice of weight, shape and correction, each translated whole.
        head = {
            ("incidents", "hexagon"): N_(
                "Getis-Ord Gi* on incidents per {km} km hexagon ({area} km²; {cells} cells; "
                "each cell with its {neighbours} neighbours), {how}, "
            ),
            ("incidents", "square"): N_(
                "Getis-Ord Gi* on incidents per {km} km square ({area} km²; {cells} cells; "
                "each cell with its {neighbours} neighbours), {how}, "
            ),
            ("fatalities", "hexagon"): N_(
                "Getis-Ord Gi* on fatalities per {km} km hexagon ({area} km²; {cells} cells; "
                "each cell with its {neighbours} neighbours), {how}, "
            ),
            ("fatalities", "square"): N_(
                "Getis-Ord Gi* on fatalities per {km} km square ({area} km²; {cells} cells; "
                "each cell with its {neighbours} neighbours), {how}, "
            ),
        }[("incidents" if self.weight == "incidents" else "fatalities", grid.shape)]
        correction = (
            _("Benjamini-Hochberg false-discovery-rate correction") if self.fdr else _("no FDR")
        )
        return (
            _(head, **values)
            + correction
            + _(
                ": {hot} hot cells holding incidents in {clusters} clusters and {cold} cold "
                "cells at 90 % confidence or more. A hot spot needs incidents of its own: "
                "{near} cells near a hot spot (significant through their neighbours only) "
                "are not counted. Fewer than {minimum} incidents: no spot is called (the "
                "minimum of ArcGIS's Optimized Hot Spot Analysis).",
                **values,
            )
            + (f" {self.refusal}" if self.refusal else "")
            + (f" {self.counts.note}." if self.counts.left_off else "")
            + (f" {choice.words}" if (choice := self.counts.width_choice) is not None else "")
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
    inference: Inference = "analytic",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | None = DEFAULT_SEED,
) -> HotSpots:
    """Hot and cold spots of ``incidents`` over ``area`` (see the module's docstring).

    ``weight="fatalities"`` sums fatalities per cell instead of counting incidents;
    ``inference="permutation"`` uses conditional randomisation (``permutations`` draws from
    ``seed``) instead of the normal approximation.
    """
    _check(weight, inference, permutations)
    counts = count_in_cells(incidents, area, shape=shape, width_m=width_m, crs=crs)
    return hot_spots_of(
        counts,
        weight=weight,
        fdr=fdr,
        inference=inference,
        permutations=permutations,
        seed=seed,
    )


def _check(weight: str, inference: str, permutations: int) -> None:
    if weight not in ("incidents", "fatalities"):
        raise ValueError(_("weight {weight!r} is not 'incidents' or 'fatalities'", weight=weight))
    if inference not in INFERENCES:
        raise ValueError(
            _("inference {inference!r} is not 'analytic' or 'permutation'", inference=inference)
        )
    if inference == "permutation" and not (isinstance(permutations, int) and permutations >= 99):
        raise ValueError(
            _(
                "permutations {permutations!r} is too few: give a whole number of at least 99 "
                "(999 is usual)",
                permutations=permutations,
            )
        )


def hot_spots_of(
    counts: CellCounts,
    *,
    weight: Weight = "incidents",
    fdr: bool = True,
    inference: Inference = "analytic",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | None = DEFAULT_SEED,
) -> HotSpots:
    """Gi* hot and cold spots of incidents already counted in cells (the same as
    :func:`hot_spots` once counted; :func:`analysis.cells.count_totals` counts in SQL)."""
    _check(weight, inference, permutations)
    cells = counts.cells.copy()
    cells["value"] = cells[weight].astype(float)
    values = cells["value"].to_numpy()
    z = gi_star(values, counts.neighbours)
    cells["z"] = z
    if inference == "permutation":
        if seed is None:
            seed = int(np.random.default_rng().integers(12345, 12345000))
        p_sim, side = permutation_p_values(
            values, counts.neighbours, permutations=permutations, seed=seed
        )
        p_sim[~np.isfinite(z)] = np.nan  # nothing to test where Gi* is undefined
        # esda's p_sim is one tail, the one the observation lies in: doubled, it is the
        # two-sided p-value the bins' thresholds are for (as esda's own warning advises).
        p = np.minimum(1.0, 2 * p_sim)
        gi_bin = bins_of(p, side, fdr=fdr)
    else:
        permutations, seed = 0, None
        p_sim = np.full(len(cells), np.nan)
        p = p_values(z)
        gi_bin = bins_of(p, np.sign(z), fdr=fdr)
    occupied = cells["incidents"].to_numpy() > 0
    incidents = int(cells["incidents"].sum())
    refusal = ""
    if incidents < MIN_INCIDENTS:
        refusal = _(
            "Too few incidents to call hot spots: {incidents} in this selection, and Gi* "
            "needs at least {minimum} (the minimum ArcGIS Pro's Optimized Hot Spot Analysis "
            "accepts; below it the counts per cell are too small for the z-scores' normal "
            "approximation). No hot or cold spot is called; widen the selection.",
            incidents=count(incidents),
            minimum=MIN_INCIDENTS,
        )
    near = (gi_bin > 0) & ~occupied & (not refusal)
    bins = np.where(near, 0, gi_bin) if not refusal else np.zeros_like(gi_bin)
    # Mapped through plain dicts: each label translated once, not once per cell.
    labels = pd.Series(bins).map(dict(BIN_LABELS)).to_numpy().astype(object)
    labels[near] = pd.Series(gi_bin[near]).map(dict(NEAR_LABELS)).to_numpy()
    if refusal:
        labels[gi_bin != 0] = _(NOT_CALLED_LABEL)
    cells["p"] = p
    cells["p_sim"] = p_sim
    cells["gi_bin"] = gi_bin
    cells["bin"] = bins
    cells["near"] = near
    cells["label"] = labels
    linked = np.zeros_like(gi_bin) if refusal else gi_bin  # near cells link busy ones
    cells["cluster"] = clusters(linked, counts.neighbours, occupied=occupied & (bins > 0))
    return HotSpots(counts, cells, weight, fdr, inference, permutations, seed, refusal)


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
