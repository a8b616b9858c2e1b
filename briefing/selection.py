"""The current selection, made ready for a briefing or an export.

:func:`prepare` runs the joint analysis on the map's filters, on cells as wide as the
:class:`~briefing.disclosure.Disclosure` allows, and keeps only what that level may show
of the incidents: coarsened points, or cells with small ones suppressed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import pyproj

from analysis.cells import count_in_cells, metric_xy
from analysis.filters import filter_by_office, filter_incidents
from analysis.hotspots import HotSpots, hot_spots
from analysis.joint import JointAnalysis, Options, analyse
from analysis.metric import to_metric
from analysis.precision import placed
from analysis.scale import choose_width
from briefing.disclosure import (
    SHAREABLE_MIN_COUNT,
    Disclosure,
    IncidentCells,
    coarsened_points,
    incident_cells,
)
from schema.filters import IncidentFilter
from schema.mission import MissionData

SHAREABLE_SHOWN = 0.8
"""With no width asked for, shareable cells widen until they show this share of the
selected incidents (the rest are in suppressed cells)..."""
MIN_CELLS_ACROSS = 6
"""...but never so wide that fewer than this many cells span the area."""
_ROUND_STEPS = (1.0, 2.0, 2.5, 5.0)


@dataclass(frozen=True)
class Prepared:
    """A selection ready to draw or export.

    Attributes
    ----------
    data : every layer, as loaded.
    selection, disclosure : what was asked.
    analysis : the joint analysis of the selection (with the analysis options).
    crs : the mission's equal-area CRS (metres) the cells are in.
    points : the selected incidents as ``disclosure`` may show them (``points`` level),
        else None.
    cells : the incident cells (``cells`` and ``shareable``), else None.
    local_processes, agreements : the political work of the chosen field offices.
    incident_count : incidents selected (every one is in ``points`` or in ``cells``,
        shown or suppressed).
    """

    data: MissionData
    selection: IncidentFilter
    disclosure: Disclosure
    analysis: JointAnalysis
    crs: pyproj.CRS
    points: gpd.GeoDataFrame | None
    cells: IncidentCells | None
    local_processes: gpd.GeoDataFrame
    agreements: gpd.GeoDataFrame
    incident_count: int


def prepare(
    data: MissionData,
    selection: IncidentFilter | None = None,
    disclosure: Disclosure | None = None,
    options: Options | None = None,
) -> Prepared:
    """Filter ``data`` by ``selection``, analyse it, and apply ``disclosure``.

    The key figures come from the joint analysis with ``options`` (the page's, by
    default its defaults), so a briefing says what the Joint analysis page says; the
    cells drawn are the disclosure's, and their hot spots are Gi* on those cells.
    """
    selection = selection or IncidentFilter()
    disclosure = disclosure or Disclosure()
    result = analyse(data, selection, options or Options())
    chosen = filter_incidents(data.incidents, selection)
    crs = result.hot_spots.counts.grid.crs
    cells = None
    if disclosure.as_cells:
        cells = incident_cells(_display_spots(result, chosen, data, disclosure), chosen, disclosure)
    return Prepared(
        data=data,
        selection=selection,
        disclosure=disclosure,
        analysis=result,
        crs=crs,
        points=None if cells is not None else coarsened_points(chosen, disclosure, crs),
        cells=cells,
        local_processes=filter_by_office(data.local_processes, selection.field_offices),
        agreements=filter_by_office(data.local_agreements, selection.field_offices),
        incident_count=len(chosen),
    )


def _display_spots(
    result: JointAnalysis, chosen: gpd.GeoDataFrame, data: MissionData, disclosure: Disclosure
) -> HotSpots:
    """Gi* on the cells ``disclosure`` draws (the analysis' own when they are the same)."""
    area = data.admin_boundaries if len(data.admin_boundaries) else None
    crs = result.hot_spots.counts.grid.crs
    bounds = _bounds(area, chosen, crs)
    width_m = disclosure.width_m(_default_width(result, chosen, crs, bounds))
    if disclosure.level == "shareable" and disclosure.cell_km is None:
        width_m = _shareable_width(chosen, area, crs, width_m, bounds)
    grid = result.hot_spots.counts.grid
    same = (grid.width_m, grid.shape) == (width_m, disclosure.shape)
    if same and result.options.weight == "incidents":
        return result.hot_spots
    return hot_spots(
        chosen, area, shape=disclosure.shape, width_m=width_m, fdr=result.options.fdr, crs=crs
    )


def _default_width(
    result: JointAnalysis, chosen: gpd.GeoDataFrame, crs: pyproj.CRS, bounds: tuple
) -> float:
    """The analysis' default width (:mod:`analysis.scale`): the one it chose, or, when the
    analyst set one, the one it would have chosen for ``chosen``."""
    choice = result.hot_spots.counts.width_choice
    if choice is not None:
        return choice.width_m
    is_place, _ = placed(chosen)
    x, y = metric_xy(chosen[is_place], crs)
    return choose_width(x, y, bounds).width_m


def _bounds(area, incidents, crs) -> tuple[float, float, float, float]:
    """The bounds (metres) the analysis sizes its default cells on, as it does."""
    if area is not None:
        return tuple(to_metric(area.geometry, crs).total_bounds)
    if len(incidents):
        return tuple(to_metric(incidents.geometry, crs).total_bounds)
    return (0.0, 0.0, 0.0, 0.0)


def _shareable_width(
    incidents: gpd.GeoDataFrame,
    area: gpd.GeoDataFrame | None,
    crs: pyproj.CRS,
    narrowest_m: float,
    bounds: tuple[float, float, float, float],
) -> float:
    """The narrowest round width from ``narrowest_m`` whose cells of 5 or more incidents
    hold :data:`SHAREABLE_SHOWN` of ``incidents``, up to the :data:`MIN_CELLS_ACROSS` cap."""
    if len(incidents) < SHAREABLE_MIN_COUNT:  # no width can show any cell
        return narrowest_m
    west, south, east, north = bounds
    widest = max(narrowest_m, max(east - west, north - south) / MIN_CELLS_ACROSS)
    width = narrowest_m
    for width in _round_widths(narrowest_m, widest):
        counts = count_in_cells(incidents, area, width_m=width, crs=crs).cells["incidents"]
        if counts[counts >= SHAREABLE_MIN_COUNT].sum() >= SHAREABLE_SHOWN * len(incidents):
            break
    return width


def _round_widths(narrowest: float, widest: float) -> list[float]:
    """``narrowest``, then every 1, 2, 2.5 or 5 times a power of ten up to ``widest``."""
    widths = [narrowest]
    power = 10 ** math.floor(math.log10(narrowest))
    while True:
        for step in _ROUND_STEPS:
            width = step * power
            if width > widths[-1]:
                if width > widest:
                    return widths
                widths.append(width)
        power *= 10
