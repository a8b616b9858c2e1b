"""Hot-spot counting pushed into PostGIS gives the very cells numpy counts in memory."""

from __future__ import annotations

import dataclasses
import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from analysis.cells import count_in_cells, count_totals
from analysis.filters import filter_incidents
from analysis.hotspots import hot_spots, hot_spots_of
from analysis.metric import mission_crs
from schema.filters import IncidentFilter
from schema.incidents import CONFIDENCES, MOTIVATION_ORIGINS, MOTIVATIONS, PERPETRATOR_TYPES
from store import open_store
from store.base import UNDER_REVIEW
from tests.store import helpers

pytestmark = pytest.mark.postgis

SELECTIONS = [
    IncidentFilter(),
    IncidentFilter(start=dt.date(2024, 3, 1), end=dt.date(2024, 6, 30)),
    IncidentFilter(motivations=frozenset({"predation", "revenge"})),
    IncidentFilter(perpetrator_types=frozenset({"state_forces"}), admin1=frozenset({"North"})),
    IncidentFilter(victim_groups=frozenset({"children"})),
    IncidentFilter(field_offices=frozenset({"Nowhere office"})),  # nothing selected
    # Restricted to firm codes (no confidence recorded: left out), and by who coded.
    IncidentFilter(confidences=frozenset({"confirmed", "probable"})),
    IncidentFilter(motivation_origins=frozenset({"source"})),  # empty origins are "source"
    IncidentFilter(
        motivation_origins=frozenset({"analyst", "suggestion"}),
        confidences=frozenset({"possible"}),
    ),
]


def _varied(n: int, seed: int) -> gpd.GeoDataFrame:
    rows = helpers.incidents(n, f"V{seed}", seed=seed)
    rng = np.random.default_rng(seed)
    rows["motivation"] = pd.array(rng.choice(MOTIVATIONS, n), dtype="str")
    rows["perpetrator_type"] = pd.array(rng.choice(PERPETRATOR_TYPES, n), dtype="str")
    rows["admin1"] = pd.array(rng.choice(["North", "South", None], n), dtype="str")
    groups = ["women", "children", "women;children", "elderly; children", None]
    rows["victim_groups"] = pd.array(rng.choice(np.array(groups, dtype=object), n), dtype="str")
    rows["fatalities"] = pd.array(rng.integers(0, 6, n), dtype="Int64")
    confidences = np.array([*CONFIDENCES, None], dtype=object)
    rows["motivation_confidence"] = pd.array(rng.choice(confidences, n), dtype="str")
    origins = np.array(["", None, *MOTIVATION_ORIGINS], dtype=object)
    rows["motivation_origin"] = pd.array(rng.choice(origins, n), dtype="str")
    return rows


@pytest.fixture
def loaded(postgis_url):
    store = open_store(postgis_url)
    rows = _varied(4000, 1)
    store.commit_batch(
        helpers.new_batch("incidents", rows, b"v"),
        rows,
        report=helpers.REPORT,
        original=b"v",
        id_column="incident_id",
    )
    # A batch under review and a withdrawn one: neither counts.
    for prefix, data in (("R", b"r"), ("W", b"w")):
        other = _varied(500, ord(prefix))
        batch = helpers.new_batch("incidents", other, data)
        if prefix == "R":
            batch = dataclasses.replace(batch, review=UNDER_REVIEW)
        done = store.commit_batch(
            batch, other, report=helpers.REPORT, original=data, id_column="incident_id"
        )
        if prefix == "W":
            store.withdraw(done.batch_id, by="ana", reason="test")
    area = gpd.GeoDataFrame(
        geometry=gpd.GeoSeries.from_wkt(
            ["POLYGON((0.8 -3.2, 3.2 -3.2, 3.2 -1.8, 0.8 -1.8, 0.8 -3.2))"], crs=4326
        )
    )
    return store, rows, area


@pytest.mark.parametrize("shape", ["hexagon", "square"])
@pytest.mark.parametrize("selection", SELECTIONS)
def test_sql_cells_equal_numpy_cells(loaded, shape, selection):
    store, rows, area = loaded
    chosen = filter_incidents(rows, selection)
    crs = mission_crs(area, chosen)
    expected = count_in_cells(chosen, area, shape=shape, width_m=12_000, crs=crs)
    totals = store.cell_totals(selection, crs=crs, shape=shape, width_m=12_000)
    assert totals["incidents"].sum() == len(chosen)
    got = count_totals(totals, area, crs=crs, shape=shape, width_m=12_000)
    pd.testing.assert_frame_equal(
        got.cells.drop(columns="geometry"), expected.cells.drop(columns="geometry")
    )
    assert (got.neighbours != expected.neighbours).nnz == 0
    extent, n = store.incident_extent(selection)
    assert n == len(chosen)
    if n:
        assert np.allclose(extent, chosen.total_bounds)
    # And the hot spots that follow are the same.
    spots = hot_spots(chosen, area, shape=shape, width_m=12_000, crs=crs, weight="fatalities")
    sql_spots = hot_spots_of(got, weight="fatalities")
    assert np.allclose(spots.cells["z"], sql_spots.cells["z"], equal_nan=True)
    assert (spots.cells["cluster"].to_numpy() == sql_spots.cells["cluster"].to_numpy()).all()
