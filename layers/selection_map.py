"""The joint map of one selection, drawn as its size allows (what the Joint map page shows).

The page and the benchmark call :func:`joint_map_for`, so what is measured is what is
sent: markers for a small selection, cells (and markers once zoomed in) for a larger one,
cells alone beyond that, so the page never grows with the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd

from analysis.filters import SelectionSummary, filter_by_office
from analysis.selection_index import CellIndex, IncidentIndex, index_cells, index_incidents
from layers.joint_map import CELLS, POINTS, build_joint_map, incident_view
from schema.filters import IncidentFilter
from schema.mission import MissionData


@dataclass(frozen=True)
class SelectionMap:
    """A selection's map, with what the page shows beside it."""

    map: folium.Map
    view: str
    """``points``, ``points_when_close`` or ``cells`` (:func:`incident_view`)."""
    summary: SelectionSummary
    cells: gpd.GeoDataFrame | None
    local_processes: gpd.GeoDataFrame
    agreements: gpd.GeoDataFrame


def make_indexes(data: MissionData) -> tuple[IncidentIndex, CellIndex]:
    """The filter and cell indexes of ``data``'s incidents (made once per loaded data)."""
    index = index_incidents(data.incidents)
    area = data.admin_boundaries if len(data.admin_boundaries) else None
    return index, index_cells(data.incidents, area, index)


def joint_map_for(
    data: MissionData,
    selection: IncidentFilter,
    *,
    indexes: tuple[IncidentIndex, CellIndex] | None = None,
    **options: Any,
) -> SelectionMap:
    """The joint map of ``selection``; ``options`` go to :func:`build_joint_map`."""
    index, cell_index = indexes or make_indexes(data)
    mask = index.mask(selection)
    summary = index.summary(mask)
    view = incident_view(summary.incidents)
    selected = data.incidents[mask] if view != CELLS else data.incidents.iloc[:0]
    cells = cell_index.cells(mask) if view != POINTS else None
    processes = filter_by_office(data.local_processes, selection.field_offices)
    agreements = filter_by_office(data.local_agreements, selection.field_offices)
    joint_map = build_joint_map(
        data,
        selected,
        local_processes=processes,
        agreements=agreements,
        incident_cells_frame=cells,
        **options,
    )
    return SelectionMap(joint_map, view, summary, cells, processes, agreements)
