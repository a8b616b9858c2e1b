"""Data responsibility: how much of each incident a briefing or an export may show.

Incident narratives, names and exact victim locations can get people killed, so every
output meant to leave the analysis cell is built from one :class:`Disclosure`:

- ``points``: incidents as points moved to the centre of a square of ``precision_km``
  (at least 1 km) in the mission's equal-area projection, with their codes, dates,
  counts, areas, field office and reporting source; no free text.
- ``cells``: incidents counted in hexagons (or squares) of ``cell_km`` (at least 1 km);
  no points at all.
- ``shareable``: cells of at least 5 km, and no cell holding fewer than 5 incidents is
  shown (small-number suppression); small totals are written "fewer than 5". This is the
  level for anything that may travel (slides, e-mail, partners).

Whatever the level, no narrative, no perpetrator or victim name, no incident id and no
batch or row number leaves through here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from analysis.cells import SHAPES, Shape
from analysis.hotspots import HotSpots
from analysis.metric import WGS84, to_metric
from analysis.selection_index import dominant_motivations
from languages import N_, Labels, _, format_number
from schema.incidents import MOTIVATIONS, SPEC

Level = Literal["points", "cells", "shareable"]
LEVELS: tuple[Level, ...] = ("points", "cells", "shareable")
LEVEL_LABELS = Labels(
    {
        "points": N_("Points moved to a grid (internal)"),
        "cells": N_("Counts per cell (internal)"),
        "shareable": N_("Shareable: cells of 5 km or more, none under 5 incidents"),
    }
)
DEFAULT_LEVEL: Level = "shareable"

MIN_PRECISION_KM = 1.0
"""Points are never drawn closer to the real spot than this, nor cells narrower."""
SHAREABLE_MIN_CELL_KM = 5.0
SHAREABLE_MIN_COUNT = 5

# Never in any output of this package, at any level.
# motivation_raw is free text as the source wrote it: it can carry a name or a place.
WITHHELD_COLUMNS = frozenset(
    {f.name for f in SPEC.fields if f.sensitive}
    | {"incident_id", "perpetrator_name", "motivation_raw", "batch_id", "source_row"}
)
_COARSE_PRECISIONS = ("admin2", "admin1")


@dataclass(frozen=True)
class Disclosure:
    """What an output may show of the incidents.

    Parameters
    ----------
    level : one of :data:`LEVELS`.
    cell_km : cell width for ``cells`` and ``shareable``. None: for ``cells``, the
        analysis default (:mod:`analysis.scale`, from the data); for ``shareable``, the
        narrowest round width of 5 km or more whose shown cells hold 80 % of the
        selected incidents (see :func:`briefing.selection.prepare`).
    precision_km : for ``points``, the side of the square each point is moved into.
    shape : ``hexagon`` or ``square`` cells.
    """

    level: Level = DEFAULT_LEVEL
    cell_km: float | None = None
    precision_km: float = MIN_PRECISION_KM
    shape: Shape = "hexagon"

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(
                _(
                    "`level` was {value} but is expected to be in {allowed}",
                    value=repr(self.level),
                    allowed=repr(LEVELS),
                )
            )
        if self.shape not in SHAPES:
            raise ValueError(
                _(
                    "`shape` was {value} but is expected to be in {allowed}",
                    value=repr(self.shape),
                    allowed=repr(SHAPES),
                )
            )
        if self.cell_km is not None and not (
            self.cell_km >= MIN_PRECISION_KM and math.isfinite(self.cell_km)
        ):
            raise ValueError(
                _(
                    "`cell_km` was {value} but is expected to be at least {least} km",
                    value=repr(self.cell_km),
                    least=format_number(MIN_PRECISION_KM),
                )
            )
        if self.level == "shareable" and self.cell_km is not None:
            if self.cell_km < SHAREABLE_MIN_CELL_KM:
                raise ValueError(
                    _(
                        "`cell_km` was {value} but the shareable level needs cells of at "
                        "least {least} km",
                        value=format_number(self.cell_km),
                        least=format_number(SHAREABLE_MIN_CELL_KM),
                    )
                )
        if not (self.precision_km >= MIN_PRECISION_KM and math.isfinite(self.precision_km)):
            raise ValueError(
                _(
                    "`precision_km` was {value} but is expected to be at least {least} km",
                    value=repr(self.precision_km),
                    least=format_number(MIN_PRECISION_KM),
                )
            )

    @property
    def as_cells(self) -> bool:
        """Whether incidents are shown as cells (``cells`` and ``shareable``)."""
        return self.level != "points"

    @property
    def min_count(self) -> int:
        """The fewest incidents a shown cell may hold (1: no suppression)."""
        return SHAREABLE_MIN_COUNT if self.level == "shareable" else 1

    def width_m(self, default_m: float) -> float:
        """The cell width to use, given the analysis default for the area."""
        width = default_m if self.cell_km is None else self.cell_km * 1000
        floor = SHAREABLE_MIN_CELL_KM if self.level == "shareable" else MIN_PRECISION_KM
        width = max(width, floor * 1000)
        return float(width)

    def describe(self) -> str:
        """The level in words, for a briefing's footer and an export's read-me."""
        if self.level == "points":
            return _(
                "incidents moved to the centre of {km} km squares; no narratives, names or ids",
                km=format_number(self.precision_km),
            )
        if self.level == "cells":
            return _("incidents counted per cell; no points, narratives, names or ids")
        return _(
            "shareable: cells of at least {km} km, no cell with fewer than {least} incidents "
            "shown, small totals written 'fewer than {least}'; no points, narratives, names "
            "or ids",
            km=format_number(SHAREABLE_MIN_CELL_KM),
            least=format_number(SHAREABLE_MIN_COUNT),
        )

    def count(self, n: int | float) -> str:
        """A total as a briefing may print it (``fewer than 5`` when shareable), its
        digits grouped as the language writes them."""
        n = int(n)
        if self.level == "shareable" and 0 < n < SHAREABLE_MIN_COUNT:
            return _("fewer than {least}", least=format_number(SHAREABLE_MIN_COUNT))
        return format_number(n)


@dataclass(frozen=True)
class IncidentCells:
    """Incidents per cell as an output may show them.

    Attributes
    ----------
    cells : the shown cells (metric CRS): ``cell_id``, ``incidents``, ``fatalities``,
        ``dominant_motivation``, one ``n_<motivation>`` column per motivation, ``bin``
        (Gi* confidence bin), ``hot_spot`` (bin >= 2: hot at 95 % or more), geometry.
    width_m : the cell width.
    shown_incidents : incidents in the shown cells.
    suppressed_cells : cells holding incidents that were not shown (too few).
    suppressed_incidents : incidents in those cells; with ``shown_incidents`` they make
        every incident of the selection.
    """

    cells: gpd.GeoDataFrame
    width_m: float
    shown_incidents: int
    suppressed_cells: int
    suppressed_incidents: int


def incident_cells(
    spots: HotSpots, incidents: gpd.GeoDataFrame, disclosure: Disclosure
) -> IncidentCells:
    """The cells of ``spots`` holding incidents, with their motivation mix, suppressed
    as ``disclosure`` requires.

    ``spots`` is :func:`analysis.hotspots.hot_spots` of ``incidents`` (same rows).
    """
    cells = spots.cells
    if spots.counts.rows is None:
        raise ValueError("the hot spots hold no cell per incident (counted from cell totals)")
    m = len(MOTIVATIONS)
    position = {name: j for j, name in enumerate(MOTIVATIONS)}
    motivation = incidents["motivation"].map(position).fillna(m - 1).astype(np.int64)
    rows = spots.counts.rows
    in_cell = rows >= 0  # an incident known only to the country is in no cell
    table = np.bincount(
        rows[in_cell] * m + motivation.to_numpy()[in_cell], minlength=len(cells) * m
    ).reshape(-1, m)
    mix_columns = [f"n_{name}" for name in MOTIVATIONS]
    mix = pd.DataFrame(table, columns=mix_columns, index=cells.index)
    held = cells.join(mix)[cells["incidents"].to_numpy() > 0].copy()
    held["dominant_motivation"] = dominant_motivations(held[mix_columns].to_numpy())
    held["hot_spot"] = held["bin"] >= 2
    shown = held[held["incidents"] >= disclosure.min_count]
    hidden = held[held["incidents"] < disclosure.min_count]
    columns = [
        "cell_id",
        "incidents",
        "fatalities",
        "dominant_motivation",
        *mix_columns,
        "bin",
        "hot_spot",
        "geometry",
    ]
    return IncidentCells(
        cells=shown[columns].reset_index(drop=True),
        width_m=spots.counts.grid.width_m,
        shown_incidents=int(shown["incidents"].sum()),
        suppressed_cells=len(hidden),
        suppressed_incidents=int(hidden["incidents"].sum()),
    )


def coarsened_points(
    incidents: gpd.GeoDataFrame, disclosure: Disclosure, crs: pyproj.CRS
) -> gpd.GeoDataFrame:
    """``incidents`` with each point moved to the centre of its ``precision_km`` square
    (in ``crs``, metres), returned in WGS84 without any withheld column."""
    side = disclosure.precision_km * 1000
    points = to_metric(incidents.geometry, crs)
    x = (np.floor(points.x.to_numpy() / side) + 0.5) * side
    y = (np.floor(points.y.to_numpy() / side) + 0.5) * side
    moved = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=crs, index=incidents.index).to_crs(WGS84)
    kept = [c for c in incidents.columns if c not in WITHHELD_COLUMNS and c != "geometry"]
    shown = gpd.GeoDataFrame(incidents[kept].copy(), geometry=moved, crs=WGS84)
    if "location_precision" in shown:
        # A moved point is never "exact"; an area-level one stays as coarse as it was.
        precision = shown["location_precision"]
        shown["location_precision"] = precision.where(
            precision.isin(_COARSE_PRECISIONS), "approximate"
        )
    return shown


def without_withheld(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without any column in :data:`WITHHELD_COLUMNS`."""
    return frame.drop(columns=[c for c in frame.columns if c in WITHHELD_COLUMNS])
