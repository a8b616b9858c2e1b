"""The current selection, made ready for a briefing or an export.

:func:`prepare` runs the joint analysis on the map's filters, on cells as wide as the
:class:`~briefing.disclosure.Disclosure` allows, and keeps only what that level may show
of the incidents: coarsened points, or cells with small ones suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pyproj

from analysis.cells import default_width_m
from analysis.filters import IncidentFilter, filter_by_office, filter_incidents
from analysis.joint import JointAnalysis, Options, analyse
from analysis.metric import mission_crs, to_metric
from briefing.disclosure import (
    Disclosure,
    IncidentCells,
    coarsened_points,
    incident_cells,
)
from layers.mission import MissionData


@dataclass(frozen=True)
class Prepared:
    """A selection ready to draw or export.

    Attributes
    ----------
    data : every layer, as loaded.
    selection, disclosure : what was asked.
    analysis : the joint analysis of the selection (on the disclosure's cells).
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
) -> Prepared:
    """Filter ``data`` by ``selection``, analyse it, and apply ``disclosure``."""
    selection = selection or IncidentFilter()
    disclosure = disclosure or Disclosure()
    chosen = filter_incidents(data.incidents, selection)
    area = data.admin_boundaries if len(data.admin_boundaries) else None
    crs = mission_crs(area, chosen)  # as the analysis centres its own
    width_m = disclosure.width_m(default_width_m(_bounds(area, chosen, crs)))
    options = Options(shape=disclosure.shape, width_km=width_m / 1000)
    result = analyse(data, selection, options)
    return Prepared(
        data=data,
        selection=selection,
        disclosure=disclosure,
        analysis=result,
        crs=result.hot_spots.counts.grid.crs,
        points=None if disclosure.as_cells else coarsened_points(chosen, disclosure, crs),
        cells=incident_cells(result.hot_spots, chosen, disclosure) if disclosure.as_cells else None,
        local_processes=filter_by_office(data.local_processes, selection.field_offices),
        agreements=filter_by_office(data.local_agreements, selection.field_offices),
        incident_count=len(chosen),
    )


def _bounds(area, incidents, crs) -> tuple[float, float, float, float]:
    """The bounds (metres) the analysis sizes its default cells on, as it does."""
    if area is not None:
        return tuple(to_metric(area.geometry, crs).total_bounds)
    if len(incidents):
        return tuple(to_metric(incidents.geometry, crs).total_bounds)
    return (0.0, 0.0, 0.0, 0.0)
