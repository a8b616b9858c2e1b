"""``pocmap hotspots`` on a PostGIS store chooses its default cell width from the data as
the in-memory path does (:mod:`analysis.scale`), with the places tallied by the database."""

from __future__ import annotations

import pytest

from analysis.cells import Grid, metric_xy
from analysis.metric import mission_crs
from analysis.scale import choose_width
from cli import main
from cli.analysis import FINE_M
from ingest.sample import load_sample_into
from schema.filters import IncidentFilter
from schema.mission import SAMPLE_DIR, load_sample
from store import open_store

pytestmark = pytest.mark.postgis


def _width_line(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main(["hotspots", *argv]) == 0
    out = capsys.readouterr().out
    return next(line for line in out.splitlines() if line.startswith("Getis-Ord"))


def test_the_database_path_chooses_the_same_width(postgis_url, tmp_path, capsys, monkeypatch):
    store = open_store(postgis_url)
    load_sample_into(store)
    monkeypatch.setenv("POCMAP_DB", postgis_url)
    in_sql = _width_line(capsys, "--out", str(tmp_path / "sql.geojson"))
    in_memory = _width_line(capsys, "--data", str(SAMPLE_DIR), "--out", str(tmp_path / "m.json"))
    assert "per 10 km hexagon" in in_sql and "per 10 km hexagon" in in_memory
    # The database's places (occupied 500 m cells) measure about what the points do.
    sample = load_sample()
    crs = mission_crs(sample.admin_boundaries)
    bounds = tuple(sample.admin_boundaries.to_crs(crs).total_bounds)
    points = choose_width(*metric_xy(sample.incidents, crs), bounds)
    fine = store.cell_totals(IncidentFilter(), crs=crs, shape="hexagon", width_m=FINE_M)
    x, y = Grid("hexagon", FINE_M, crs).centres(fine["q"].to_numpy(), fine["r"].to_numpy())
    cells = choose_width(x, y, bounds)
    assert cells.median_nn_m == pytest.approx(points.median_nn_m, rel=0.25)
    assert cells.places == pytest.approx(points.places, rel=0.1)
