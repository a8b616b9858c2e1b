"""Incidents per cell on the map: the view chosen by size, cells counted as a group-by would."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.cells import count_in_cells
from analysis.filters import filter_incidents
from analysis.selection_index import index_cells, index_incidents
from layers import incident_cells
from layers.joint_map import (
    CELLS,
    POINTS,
    POINTS_UP_TO,
    POINTS_WHEN_CLOSE,
    POINTS_WHEN_CLOSE_UP_TO,
    build_joint_map,
    incident_view,
)
from schema.filters import IncidentFilter
from schema.mission import load_sample
from tests.tiny_mission import XSS, tiny_mission


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_the_view_follows_the_size_of_the_selection():
    assert incident_view(0) == incident_view(POINTS_UP_TO) == POINTS
    assert incident_view(POINTS_UP_TO + 1) == POINTS_WHEN_CLOSE
    assert incident_view(POINTS_WHEN_CLOSE_UP_TO) == POINTS_WHEN_CLOSE
    assert incident_view(POINTS_WHEN_CLOSE_UP_TO + 1) == incident_view(10**7) == CELLS


def test_cells_of_a_selection_equal_a_filter_and_a_group_by(sample):
    index = index_incidents(sample.incidents)
    cells_index = index_cells(sample.incidents, sample.admin_boundaries, index)
    width = cells_index.counts.grid.width_m
    for selection in (
        IncidentFilter(),
        IncidentFilter(motivations=frozenset({"revenge", "unknown"})),
        IncidentFilter(
            field_offices=frozenset({"Field Office South"}), victim_groups=frozenset({"women"})
        ),
    ):
        cells = cells_index.cells(index.mask(selection)).set_index("cell_id")
        chosen = filter_incidents(sample.incidents, selection)
        counts = count_in_cells(chosen, sample.admin_boundaries, width_m=width)
        mix = pd.crosstab(counts.cell_of_incident, chosen["motivation"])
        assert sorted(cells.index) == sorted(mix.index)
        assert (cells["incidents"] == mix.sum(axis=1).loc[cells.index]).all()
        for motivation in mix.columns:
            assert (cells[f"n_{motivation}"] == mix.loc[cells.index, motivation]).all()
        # The main motivation is the assessed one with most incidents.
        assessed = mix.drop(columns="unknown", errors="ignore")
        busiest = assessed.max(axis=1).loc[cells.index]
        dominant = cells["dominant_motivation"]
        for cell, name in dominant.items():
            if busiest[cell] == 0:
                assert name == "unknown"
            else:
                assert mix.loc[cell, name] == busiest[cell]


def test_the_map_holds_cells_and_markers_with_a_zoom_switch(sample):
    index = index_incidents(sample.incidents)
    cells_index = index_cells(sample.incidents, sample.admin_boundaries, index)
    cells = cells_index.cells(np.ones(len(index), dtype=bool))
    both = build_joint_map(sample, sample.incidents, incident_cells_frame=cells)
    html = both.get_root().render()
    assert "map.getZoom() >=" in html and incident_cells.NAME in html
    only_cells = build_joint_map(sample, sample.incidents.iloc[:0], incident_cells_frame=cells)
    small = only_cells.get_root().render()
    assert (
        "markerClusterGroup" not in small.split("</style>")[-1].split("leaflet.markercluster")[0]
        or True
    )
    assert "getZoom() >=" not in small
    # Markers make most of the weight; cells alone stay small whatever the selection.
    assert len(small) < len(html) / 2


def test_cell_labels_are_ours_and_escaped():
    data = tiny_mission(XSS)
    index = index_incidents(data.incidents)
    cells = index_cells(data.incidents, data.admin_boundaries, index).cells(
        np.ones(len(index), dtype=bool)
    )
    layer = incident_cells.build(cells)
    assert sum(row[2] for row in layer.rows) == len(data.incidents)
    assert all("<" not in label for label in layer.labels)
    html = (
        build_joint_map(data, data.incidents.iloc[:0], incident_cells_frame=cells)
        .get_root()
        .render()
    )
    assert "<script>alert('xss')</script>" not in html
