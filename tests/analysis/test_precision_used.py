"""The sources' precision used: events known only to the month are not placed in windows
of days, points known only to the country are not drawn or binned as places; each is
counted in the result's notes. On the synthetic sample, some incidents marked so."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.agreement_watch import agreement_watch
from analysis.cells import count_in_cells
from analysis.emerging import emerging_hot_spots
from analysis.escalation import escalation
from analysis.hotspots import hot_spots
from analysis.selection_index import index_cells, index_incidents
from briefing.disclosure import Disclosure, incident_cells
from layers import incidents as incidents_layer
from schema.mission import load_sample


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_events_known_only_to_the_month_leave_the_day_windows(sample) -> None:
    plain = escalation(sample.incidents, sample.national_milestones).table.set_index("milestone_id")
    assert plain.loc["NM-06", "before_incidents"] == 423
    incidents = sample.incidents.copy()
    day = incidents["date"].dt.normalize()
    window = (day >= "2024-05-23") & (day <= "2024-07-21")  # NM-06's 60 days before
    marked = incidents.index[window.to_numpy()][:23]
    incidents["date_precision"] = "day"
    incidents.loc[marked[:20], "date_precision"] = "month"
    incidents.loc[marked[20:], "date_precision"] = "year"
    result = escalation(incidents, sample.national_milestones)
    table = result.table.set_index("milestone_id")
    assert table.loc["NM-06", "before_incidents"] == 400
    note = "23 events known only to the month or the year were not placed in day windows"
    assert result.notes == (note,)
    assert note in result.caption
    # Without a date_precision column (or all days), nothing is left out or said.
    assert escalation(sample.incidents, sample.national_milestones).notes == ()


def test_agreement_watch_leaves_out_month_dates_and_country_points(sample) -> None:
    revenge = sample.incidents[sample.incidents["motivation"] == "revenge"].copy()
    plain = agreement_watch(revenge, sample.local_agreements)
    assert plain.notes == ()
    corridor = plain.summary.set_index("agreement_id").loc["LA-01"]
    assert corridor["in_force_incidents"] == 33
    in_force = plain.violations[plain.violations["agreement_id"] == "LA-01"]["incident_id"]
    ids = revenge.set_index("incident_id")
    revenge["date_precision"] = None
    revenge["location_precision"] = ids["location_precision"].to_numpy()
    chosen = revenge["incident_id"].isin(in_force.iloc[:5]).to_numpy()
    positions = np.flatnonzero(chosen)
    revenge.iloc[positions[:3], revenge.columns.get_loc("date_precision")] = "month"
    revenge.iloc[positions[3:], revenge.columns.get_loc("location_precision")] = "country"
    watch = agreement_watch(revenge, sample.local_agreements)
    assert watch.summary.set_index("agreement_id").loc["LA-01", "in_force_incidents"] == 28
    assert watch.notes == (
        "3 events known only to the month were not placed in day windows",
        "2 incidents known only to the country were left off (not placed in any agreement's area)",
    )
    assert all(note in watch.caption for note in watch.notes)


def _with_country(sample, n: int):
    incidents = sample.incidents.copy()
    incidents.iloc[:n, incidents.columns.get_loc("location_precision")] = "country"
    return incidents


def test_points_known_only_to_the_country_are_in_no_cell(sample) -> None:
    incidents = _with_country(sample, 10)
    area = sample.admin_boundaries
    counts = count_in_cells(incidents, area)
    assert counts.left_off == 10
    assert int(counts.cells["incidents"].sum()) == len(incidents) - 10
    assert (counts.rows[:10] == -1).all() and (counts.rows[10:] >= 0).all()
    assert counts.cell_of_incident.iloc[:10].isna().all()
    assert counts.cell_of_incident.iloc[10:].notna().all()
    # The same cells as the placed incidents alone give.
    alone = count_in_cells(incidents.iloc[10:], area, crs=counts.grid.crs)
    assert counts.cells["incidents"].tolist() == alone.cells["incidents"].tolist()
    spots = hot_spots(incidents, area)
    note = "10 incidents known only to the country were left off (not placed in cells)"
    assert note in spots.caption
    assert note not in hot_spots(sample.incidents, area).caption
    emerging = emerging_hot_spots(incidents, area)
    assert note in emerging.caption
    assert int(emerging.cells["incidents"].sum()) == len(incidents) - 10
    index = index_cells(incidents, area, index_incidents(incidents))
    cells = index.cells(np.ones(len(incidents), dtype=bool))
    assert int(cells["incidents"].sum()) == len(incidents) - 10
    shown = incident_cells(spots, incidents, Disclosure("cells"))
    assert shown.shown_incidents + shown.suppressed_incidents == len(incidents) - 10


def test_the_map_does_not_draw_points_known_only_to_the_country(sample) -> None:
    incidents = _with_country(sample, 7)
    layer = incidents_layer.build(incidents)
    assert len(layer.rows) == len(incidents) - 7
    assert layer.layer_name == "Incidents (7 known only to the country, not drawn)"
    assert incidents_layer.build(sample.incidents).layer_name == "Incidents"
    density = incidents_layer.build_density(incidents)
    assert len(density.data) == len(incidents) - 7
