"""Emerging hot spots: how each cell's hot-spot status moved over time.

The incidents are cut into time slices (months, quarters or years). Each slice gets its own
Gi* over the same cells (:mod:`analysis.hotspots`, FDR-corrected); a Mann-Kendall test on
each cell's series of z-scores says whether it is heating up or cooling down. Cells are
then named as ArcGIS Pro's Emerging Hot Spot Analysis names them (new, consecutive,
intensifying, persistent, diminishing, sporadic, oscillating, historical; the same for cold
spots), with one difference: each slice's neighbours are spatial only (ArcGIS also counts
the same cell in the previous slices).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from scipy import stats

from analysis.cells import CellCounts, Shape, count_in_cells
from analysis.hotspots import confidence_bins, gi_star
from analysis.words import count, g
from languages import N_, Labels, _

STEPS = Labels({"M": N_("month"), "Q": N_("quarter"), "Y": N_("year")})
"""Each time step's name, in the reader's language."""
MOST = 0.9
"""A cell hot in at least this share of slices is "persistent" (ArcGIS's 90 %)."""
TREND_ALPHA = 0.05

CATEGORIES = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
)
CATEGORY_MEANINGS = Labels(
    {
        "new": N_("hot in the last slice only"),
        "consecutive": N_("hot in an unbroken run of recent slices, never before"),
        "intensifying": N_("hot in at least 90 % of slices, getting hotter"),
        "persistent": N_("hot in at least 90 % of slices, no trend"),
        "diminishing": N_("hot in at least 90 % of slices, cooling"),
        "sporadic": N_("hot now, on and off before, never cold"),
        "oscillating": N_("hot now, cold at some point before"),
        "historical": N_("hot in at least 90 % of slices, but not now"),
    }
)
CATEGORY_LABELS = Labels(
    {
        "new hot spot": N_("new hot spot"),
        "consecutive hot spot": N_("consecutive hot spot"),
        "intensifying hot spot": N_("intensifying hot spot"),
        "persistent hot spot": N_("persistent hot spot"),
        "diminishing hot spot": N_("diminishing hot spot"),
        "sporadic hot spot": N_("sporadic hot spot"),
        "oscillating hot spot": N_("oscillating hot spot"),
        "historical hot spot": N_("historical hot spot"),
        "new cold spot": N_("new cold spot"),
        "consecutive cold spot": N_("consecutive cold spot"),
        "intensifying cold spot": N_("intensifying cold spot"),
        "persistent cold spot": N_("persistent cold spot"),
        "diminishing cold spot": N_("diminishing cold spot"),
        "sporadic cold spot": N_("sporadic cold spot"),
        "oscillating cold spot": N_("oscillating cold spot"),
        "historical cold spot": N_("historical cold spot"),
    }
)
"""The ``category`` column holds ArcGIS's names in English (identifiers, as in the JSON and
the CSV); this is how a page shows them, in the reader's language."""


def mann_kendall(series: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mann-Kendall trend test of each row of ``series``: (z, two-sided p), ties corrected.

    NaN values are left out of their row; rows with fewer than 3 values give NaN.
    """
    series = np.atleast_2d(np.asarray(series, dtype=float))
    z = np.full(len(series), np.nan)
    for i, row in enumerate(series):
        row = row[np.isfinite(row)]
        n = len(row)
        if n < 3:
            continue
        s = np.sign(row[None, :] - row[:, None])[np.triu_indices(n, 1)].sum()
        _, ties = np.unique(row, return_counts=True)
        variance = (n * (n - 1) * (2 * n + 5) - (ties * (ties - 1) * (2 * ties + 5)).sum()) / 18
        if variance <= 0:
            z[i] = 0.0
        else:
            z[i] = (s - np.sign(s)) / np.sqrt(variance)
    return z, 2 * stats.norm.sf(np.abs(z))


def classify(bins: np.ndarray, trend_z: np.ndarray, trend_p: np.ndarray) -> np.ndarray:
    """The emerging category of each row of ``bins`` (cells x slices, -3..3), "" for none.

    Hot categories are checked first; a cell that is not hot now and not historically hot
    is looked at as a cold spot ("new cold spot", ...).
    """
    out = np.full(len(bins), "", dtype=object)
    for i, row in enumerate(np.asarray(bins)):
        hot = _category(row > 0, row < 0, trend_z[i], trend_p[i], rising=True)
        if hot:
            out[i] = f"{hot} hot spot"
            continue
        cold = _category(row < 0, row > 0, trend_z[i], trend_p[i], rising=False)
        out[i] = f"{cold} cold spot" if cold else ""
    return out


def _category(spot: np.ndarray, opposite: np.ndarray, tz: float, tp: float, rising: bool) -> str:
    n = len(spot)
    if n == 0 or not spot.any():
        return ""
    share = spot.mean()
    trend = 0 if not (np.isfinite(tp) and tp < TREND_ALPHA) else (1 if tz > 0 else -1)
    if not rising:
        trend = -trend  # a cold spot "intensifies" as its z-scores fall
    if spot[-1]:
        if spot.sum() == 1:
            return "new"
        run = n - np.flatnonzero(~spot)[-1] - 1 if (~spot).any() else n
        if share >= MOST:
            return {1: "intensifying", 0: "persistent", -1: "diminishing"}[trend]
        if run >= 2 and spot[: n - run].sum() == 0:
            return "consecutive"
        return "oscillating" if opposite.any() else "sporadic"
    return "historical" if share >= MOST else ""


@dataclass(frozen=True)
class EmergingHotSpots:
    """Per cell: the category, the trend, and the slice-by-slice z-scores and bins."""

    counts: CellCounts
    cells: gpd.GeoDataFrame
    """cell_id, incidents, category, trend_z, trend_p, slices_hot, slices_cold, geometry."""
    slices: list[pd.Period]
    z: np.ndarray
    """Gi* z-score per cell (rows) and slice (columns)."""
    bins: np.ndarray
    step: str

    @property
    def caption(self) -> str:
        grid = self.counts.grid
        named = (self.cells["category"] != "").sum()
        few = (
            _(
                " Only {slices} slices: ArcGIS asks for at least 10; read the categories "
                "with care.",
                slices=len(self.slices),
            )
            if len(self.slices) < 10
            else ""
        )
        shape = {"hexagon": N_("hexagons"), "square": N_("squares")}.get(grid.shape)
        return (
            _(
                "Gi* per {step} ({slices} slices) on {km} km {shape}, FDR-corrected, then a "
                "Mann-Kendall trend test on each cell's z-scores; categories as in ArcGIS "
                "Pro's Emerging Hot Spot Analysis: {named} cells named.",
                step=STEPS.get(self.step, self.step),
                slices=len(self.slices),
                km=g(grid.width_m / 1000),
                shape=_(shape) if shape else f"{grid.shape}s",
                named=count(named),
            )
            + few
            + (f" {self.counts.note}." if self.counts.left_off else "")
        )


def emerging_hot_spots(
    incidents: gpd.GeoDataFrame,
    area: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    *,
    step: str = "Q",
    shape: Shape = "hexagon",
    width_m: float | None = None,
    fdr: bool = True,
    crs: pyproj.CRS | None = None,
) -> EmergingHotSpots:
    """Emerging hot spots of ``incidents`` by ``step`` ("M", "Q" or "Y")."""
    if step not in STEPS:
        raise ValueError(
            _("time step {step!r} is not one of {steps}", step=step, steps=", ".join(STEPS))
        )
    counts = count_in_cells(incidents, area, shape=shape, width_m=width_m, crs=crs)
    cells = counts.cells.copy()
    dates = pd.to_datetime(incidents["date"])
    if len(dates):
        periods = dates.dt.to_period(step)
        slices = list(pd.period_range(periods.min(), periods.max(), freq=step))
    else:
        periods, slices = pd.Series([], dtype=object), []
    position = pd.Series(np.arange(len(cells)), index=cells["cell_id"])
    row = position.reindex(counts.cell_of_incident.to_numpy()).to_numpy()
    column = np.array([slices.index(p) for p in periods]) if len(slices) else np.array([], int)
    table = np.zeros((len(cells), len(slices)))
    in_cell = counts.rows >= 0 if counts.rows is not None else np.ones(len(row), dtype=bool)
    # An incident known only to the country is in no cell (counts.left_off).
    np.add.at(table, (row[in_cell].astype(np.int64), column[in_cell]), 1.0)

    z = np.zeros_like(table)
    bins = np.zeros(table.shape, dtype=np.int64)
    for j in range(len(slices)):
        zj = gi_star(table[:, j], counts.neighbours)
        bins[:, j] = confidence_bins(zj, fdr=fdr)
        z[:, j] = np.nan_to_num(zj, nan=0.0)  # a slice without incidents: nothing stands out

    trend_z = np.full(len(cells), np.nan)
    trend_p = np.full(len(cells), np.nan)
    ever = np.flatnonzero((bins != 0).any(axis=1))
    if len(ever):
        trend_z[ever], trend_p[ever] = mann_kendall(z[ever])
    cells["category"] = classify(bins, trend_z, trend_p)
    cells["trend_z"] = trend_z
    cells["trend_p"] = trend_p
    cells["slices_hot"] = (bins > 0).sum(axis=1)
    cells["slices_cold"] = (bins < 0).sum(axis=1)
    keep = ["cell_id", "q", "r", "incidents", "category", "trend_z", "trend_p"]
    keep += ["slices_hot", "slices_cold", "geometry"]
    return EmergingHotSpots(counts, cells[keep], slices, z, bins, step)
