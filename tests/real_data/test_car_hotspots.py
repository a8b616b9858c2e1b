"""Hot spots on a real mission's data (CAR: COD-AB, ACLED-format and UCDP GED): every
cluster, protection gap and headline count holds incidents, at the width where the towns
appear (10 km) and at the coarse one (50 km)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.hotspots import cluster_outlines, hot_spots
from cli import main
from schema.mission import from_layers
from store import open_store
from tests.real_data import CAR_ACLED, CAR_UCDP
from tests.real_data.test_car_mission import COD_AB, _areas, _import


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("car_spots")
    store = open_store(folder / "car.gpkg")
    _import(store, COD_AB, "admin_boundaries", "HQ")
    areas = folder / "areas_of_responsibility.geojson"
    areas.write_bytes(_areas(store.layer("admin_boundaries")))
    _import(store, areas, "mission_presence", "HQ")
    _import(store, CAR_ACLED, "incidents")
    _import(store, CAR_UCDP, "incidents")
    return store


@pytest.fixture(scope="module")
def data(store):
    return from_layers(store.layer, "CAR")


@pytest.mark.parametrize("width_km", [10, 50])
def test_every_real_cluster_holds_incidents(data, width_km):
    spots = hot_spots(data.incidents, data.admin_boundaries, width_m=width_km * 1000)
    cells = spots.cells
    assert spots.clusters > 0, "real CAR data has hot spots"
    assert (cells.loc[cells["bin"] > 0, "incidents"] > 0).all()
    assert (cells.loc[cells["cluster"] > 0, "incidents"] > 0).all()
    outlines = cluster_outlines(spots)
    assert len(outlines) == spots.clusters and (outlines["incidents"] > 0).all()
    # The busiest cell is in a hot spot (the issue: a 24-incident cell was not significant
    # while empty cells were; the empty ones are now only near).
    busiest = cells["incidents"].to_numpy().argmax()
    assert cells["cluster"].iloc[busiest] > 0
    assert (cells.loc[cells["near"], "incidents"] == 0).all()


def test_pocmap_analyse_counts_only_clusters_with_incidents(store, capsys):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("POCMAP_DB", store.location)
        capsys.readouterr()
        assert main(["analyse", "--json", "--cell-km", "10"]) == 0
    result = json.loads(capsys.readouterr().out)
    cells = result["tables"]["hot_spot_cells"]["rows"]
    hot = [c for c in cells if c["bin"] > 0]
    assert hot and all(c["incidents"] > 0 for c in hot)
    assert all(c["incidents"] == 0 for c in cells if c["near"])
    gaps = result["tables"]["protection_gaps"]["rows"]
    clusters = {c["cluster"] for c in cells if c["cluster"] > 0}
    assert {g["cluster"] for g in gaps} == clusters
    assert all(g["incidents"] > 0 for g in gaps)
    assert np.isfinite([c["z"] for c in cells if c["z"] is not None]).all()
