"""The map's filters at a million incidents: integer codes made once, masks made per click.

:func:`analysis.filters.filter_incidents` is the reference: it compares strings and
builds a new frame on every filter change, which at a million incidents costs most of a
second. :class:`IncidentIndex` reads each filtered column once into small integers (codes
per distinct value, days, a bit per victim group) so that a filter change is a few numpy
comparisons, and :meth:`IncidentIndex.summary` counts without building any frame. The
tests hold both to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.cells import CellCounts, Shape, count_in_cells
from analysis.filters import SelectionSummary, motivation_origins
from analysis.metric import WGS84
from languages import _
from schema.fields import split_codes
from schema.filters import IncidentFilter
from schema.incidents import MOTIVATIONS, VICTIM_GROUPS

# Columns filtered by "one of these values"; field office and admin names are free text.
_CODED = (
    "motivation",
    "perpetrator_type",
    "incident_type",
    "field_office",
    "admin1",
    "admin2",
    "motivation_confidence",
    "motivation_origin",
)
_FILTERS = {
    "motivation": "motivations",
    "perpetrator_type": "perpetrator_types",
    "incident_type": "incident_types",
    "field_office": "field_offices",
    "admin1": "admin1",
    "admin2": "admin2",
    "motivation_confidence": "confidences",
    "motivation_origin": "motivation_origins",
}


@dataclass(frozen=True)
class _Codes:
    """A column as the position of each row's value among the column's distinct values
    (-1: missing)."""

    values: pd.Index
    codes: np.ndarray

    def isin(self, wanted: frozenset[str]) -> np.ndarray:
        hit = np.asarray(self.values.isin(list(wanted)), dtype=bool)
        # One slot more for the missing code (-1), which never matches.
        return np.append(hit, False)[self.codes]


@dataclass(frozen=True)
class IncidentIndex:
    """The filtered columns of a set of incidents, as integers.

    Attributes
    ----------
    days : each incident's date as days since 1970-01-01 (NaT: the smallest int64).
    columns : each filtered column's codes.
    victim_bits : bit ``i`` set when the incident's victims include ``VICTIM_GROUPS[i]``.
    motivation : each incident's position in ``MOTIVATIONS`` (unknown codes count as
        ``unknown``).
    fatalities : each incident's fatalities (0 where missing).
    """

    days: np.ndarray
    columns: dict[str, _Codes]
    victim_bits: np.ndarray
    motivation: np.ndarray
    fatalities: np.ndarray

    def __len__(self) -> int:
        return len(self.days)

    def mask(self, selection: IncidentFilter) -> np.ndarray:
        """Which incidents pass every filter (as :func:`filter_incidents` keeps them)."""
        keep = np.ones(len(self), dtype=bool)
        if selection.start is not None:
            keep &= self.days >= _days(selection.start)
        if selection.end is not None:
            keep &= self.days <= _days(selection.end)
        for column, attribute in _FILTERS.items():
            wanted = getattr(selection, attribute)
            if wanted:
                keep &= self.columns[column].isin(wanted)
        if selection.victim_groups:
            bits = sum(
                1 << VICTIM_GROUPS.index(g) for g in selection.victim_groups if g in VICTIM_GROUPS
            )
            keep &= (self.victim_bits & bits) != 0
        return keep

    def summary(self, mask: np.ndarray) -> SelectionSummary:
        """:func:`analysis.filters.summarise` of the incidents ``mask`` keeps."""
        counts = np.bincount(self.motivation[mask], minlength=len(MOTIVATIONS))
        return SelectionSummary(
            incidents=int(mask.sum()),
            total_incidents=len(self),
            fatalities=int(self.fatalities[mask].sum()),
            by_motivation={m: int(counts[i]) for i, m in enumerate(MOTIVATIONS)},
        )


def index_incidents(incidents: pd.DataFrame) -> IncidentIndex:
    """Read the filtered columns of validated ``incidents`` once (see the module)."""
    dates = pd.to_datetime(incidents["date"]).to_numpy(dtype="datetime64[ns]")
    days = np.where(
        np.isnat(dates),
        np.iinfo(np.int64).min,
        dates.astype("datetime64[D]").astype(np.int64),
    )
    columns = {}
    for column in _CODED:
        codes, values = pd.factorize(_column(incidents, column), use_na_sentinel=True)
        columns[column] = _Codes(pd.Index(values), np.asarray(codes, dtype=np.int64))
    victims, groups = pd.factorize(incidents["victim_groups"], use_na_sentinel=True)
    bits_of_value = np.array([*(_bits(split_codes(v)) for v in groups), 0], dtype=np.int64)
    motivation = columns["motivation"]
    position = np.array(
        [
            MOTIVATIONS.index(m) if m in MOTIVATIONS else len(MOTIVATIONS) - 1
            for m in motivation.values
        ]
        + [len(MOTIVATIONS) - 1],
        dtype=np.int64,
    )
    fatalities = pd.to_numeric(incidents["fatalities"], errors="coerce")
    return IncidentIndex(
        days=days,
        columns=columns,
        victim_bits=bits_of_value[victims],
        motivation=position[motivation.codes],
        fatalities=fatalities.astype("float64").fillna(0.0).to_numpy(),
    )


def _column(incidents: pd.DataFrame, column: str) -> pd.Series:
    """A filtered column as :func:`analysis.filters.filter_incidents` compares it: the
    origin with empty read as ``source``; a column the frame lacks as all missing."""
    if column == "motivation_origin":
        return motivation_origins(incidents)
    if column not in incidents:
        return pd.Series(pd.NA, index=incidents.index, dtype="str")
    return incidents[column]


def _bits(groups) -> int:
    return sum(1 << VICTIM_GROUPS.index(g) for g in set(groups) if g in VICTIM_GROUPS)


def _days(day) -> int:
    return int(np.datetime64(pd.Timestamp(day).date(), "D").astype(np.int64))


def dominant_motivations(table: np.ndarray) -> np.ndarray:
    """The main motivation of each row of ``table`` (incidents per motivation, columns in
    ``MOTIVATIONS`` order): the assessed one with most incidents, the first listed on a
    tie; ``unknown`` only when none is assessed."""
    table = np.asarray(table).reshape(-1, len(MOTIVATIONS))
    assessed = table[:, : len(MOTIVATIONS) - 1]  # "unknown" is listed last
    names = np.asarray(MOTIVATIONS[:-1], dtype=object)
    if not len(table):
        return np.array([], dtype=object)
    return np.where(assessed.max(axis=1) > 0, names[assessed.argmax(axis=1)], "unknown")


@dataclass(frozen=True)
class CellIndex:
    """Each incident's cell on the map's grid, so a selection's cells are one bincount.

    Attributes
    ----------
    counts : the cells of every incident (``rows``: each incident's cell).
    motivation : each incident's position in ``MOTIVATIONS``.
    shapes : ``cell_id`` and geometry of every cell, in WGS84 (made once).
    """

    counts: CellCounts
    motivation: np.ndarray
    shapes: gpd.GeoDataFrame

    def cells(self, mask: np.ndarray) -> gpd.GeoDataFrame:
        """The cells holding incidents that ``mask`` keeps: ``cell_id``, ``incidents``,
        ``dominant_motivation``, one ``n_<motivation>`` per motivation, geometry (WGS84)."""
        m = len(MOTIVATIONS)
        if self.counts.rows is None:
            raise ValueError(_("the counts hold no cell per incident (counted from cell totals)"))
        mask = mask & (self.counts.rows >= 0)  # an incident known only to the country: no cell
        rows, motivation = self.counts.rows[mask], self.motivation[mask]
        table = np.bincount(rows * m + motivation, minlength=len(self.shapes) * m).reshape(-1, m)
        total = table.sum(axis=1)
        held = np.flatnonzero(total)
        cells = self.shapes.iloc[held].reset_index(drop=True)
        cells.insert(1, "incidents", total[held])
        cells.insert(2, "dominant_motivation", dominant_motivations(table[held]))
        for j, name in enumerate(MOTIVATIONS):
            cells.insert(3 + j, f"n_{name}", table[held, j])
        return cells


def index_cells(
    incidents: gpd.GeoDataFrame,
    area: gpd.GeoDataFrame | None,
    index: IncidentIndex,
    *,
    width_m: float | None = None,
    shape: Shape = "hexagon",
) -> CellIndex:
    """Put every incident of ``incidents`` (indexed by ``index``) in its map cell."""
    # The map's cells keep the area-based width: their number must not grow with the data
    # (the hot spots' width, from the data, is finer where incidents are dense).
    counts = count_in_cells(incidents, area, shape=shape, width_m=width_m, default="area")
    shapes = counts.cells[["cell_id", "geometry"]].to_crs(WGS84).reset_index(drop=True)
    return CellIndex(counts, index.motivation, shapes)
