"""The default scale on real-format data of a country the size of the Central African
Republic (COD-AB, ACLED-format, UCDP GED): fine enough that the hot spots lie where the
events concentrate, with the table of hot spots by cell width in ``pocmap analyse --json``.

The store is built as ``test_car_mission.py`` builds it (its helpers); the expected cells
are computed here from the imported incidents, never typed in.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.cells import default_width_m
from analysis.hotspots import hot_spots
from analysis.metric import mission_crs
from analysis.scale import SENSITIVITY_COLUMNS
from cli import main
from schema.mission import from_layers
from store import open_store
from tests.real_data.test_car_mission import CAR_ACLED, CAR_UCDP, COD_AB, _import


@pytest.fixture(scope="module")
def car(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("car_scale") / "car.gpkg")
    _import(store, COD_AB, "admin_boundaries", "HQ")
    _import(store, CAR_ACLED, "incidents")
    _import(store, CAR_UCDP, "incidents")
    return store, from_layers(store.layer, "CAR")


@pytest.fixture(scope="module")
def spots(car):
    _, data = car
    return hot_spots(data.incidents, data.admin_boundaries)


def test_the_default_width_fits_the_events_not_the_country(car, spots):
    _, data = car
    area = data.admin_boundaries
    crs = mission_crs(area)
    by_area = default_width_m(tuple(area.to_crs(crs).total_bounds))
    assert by_area == 50_000  # what ~40 cells across the country gave
    width = spots.counts.grid.width_m
    assert width <= 20_000
    assert spots.counts.width_choice.places < len(data.incidents)  # towns share coordinates


def test_the_busiest_cells_are_hot(spots):
    """The 5 cells with the most incidents at the chosen width are hot spots, and every
    cell holding at least a third of the busiest cell's incidents is hot."""
    cells = spots.cells
    top = cells.nlargest(5, "incidents")
    assert top["incidents"].min() >= 5
    assert (top["bin"] > 0).all(), top[["cell_id", "incidents", "z", "bin"]]
    busy = cells[cells["incidents"] >= cells["incidents"].max() / 3]
    assert len(busy) >= 10 and (busy["bin"] > 0).all(), busy[["cell_id", "incidents", "z", "bin"]]
    # and the hot clusters hold a large share of all incidents placed in cells
    placed = cells["incidents"].sum()
    assert cells.loc[cells["cluster"] > 0, "incidents"].sum() > 0.4 * placed


def test_analyse_json_has_the_cell_width_table(car, capsys, monkeypatch, spots):
    store, _ = car
    monkeypatch.setenv("POCMAP_DB", store.location)
    capsys.readouterr()
    assert main(["analyse", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)["tables"]["hot_spots_by_cell_width"]
    rows = table["rows"]
    width_km = spots.counts.grid.width_m / 1000
    assert [r["times_chosen"] for r in rows] == [0.5, 1.0, 2.0]
    assert [r["width_km"] for r in rows] == [width_km / 2, width_km, width_km * 2]
    assert all(set(r) == set(SENSITIVITY_COLUMNS) for r in rows)
    chosen = rows[1]
    assert chosen["hot_cells"] == int((spots.cells["bin"] > 0).sum())
    assert chosen["share_of_chosen_hot_incidents_still_hot"] == 1.0
    assert all(0 < r["share_of_chosen_hot_incidents_still_hot"] <= 1 for r in rows)
    assert np.diff([r["cells"] for r in rows]).max() < 0  # wider cells, fewer of them
    caption = table["caption"]
    assert f"Cell width {width_km:g} km, chosen from the data" in caption
    assert "still in hot cells" in caption
