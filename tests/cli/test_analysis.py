"""``pocmap hotspots`` and ``pocmap analyse`` on the sample folder and on an empty store."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest

from cli import main
from schema.mission import SAMPLE_DIR
from tests.analysis.planted import planted_sites

SAMPLE = str(SAMPLE_DIR)


def test_hotspots_writes_geojson_cells(tmp_path, capsys):
    out = tmp_path / "cells.geojson"
    code = main(["hotspots", "--data", SAMPLE, "--motivation", "extraction", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "791 incidents" in printed and "Getis-Ord Gi*" in printed
    cells = gpd.read_file(out)
    assert cells.crs.to_epsg() == 4326
    assert {"cell_id", "incidents", "z", "p", "bin", "label", "cluster"} <= set(cells.columns)
    hot = cells[cells["bin"] > 0]
    assert hot.intersects(planted_sites()["checkpoints"]).any()
    assert cells["incidents"].sum() == 791


def test_hotspots_options(tmp_path, capsys):
    out = tmp_path / "squares.geojson"
    argv = ["hotspots", "--data", SAMPLE, "--shape", "square", "--cell-km", "25"]
    assert main([*argv, "--weight", "fatalities", "--no-fdr", "--out", str(out)]) == 0
    assert "25 km square" in capsys.readouterr().out


def test_analyse_json_with_filters(capsys):
    argv = ["analyse", "--data", SAMPLE, "--json", "--from", "2024-01-01", "--to", "2024-12-31"]
    assert main([*argv, "--office", "Field Office North-East"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["selection"]["field_offices"] == ["Field Office North-East"]
    assert data["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
    agreements = {row["agreement_id"] for row in data["tables"]["agreement_watch"]["rows"]}
    assert agreements == {"LA-01", "LA-06"}  # the office's own agreements


def test_analyse_prints_a_summary(capsys):
    assert main(["analyse", "--data", SAMPLE, "--step", "Y"]) == 0
    printed = capsys.readouterr().out
    assert "4,943 incidents, 2023-01-01 to 2025-12-31" in printed
    for heading in ("## protection gaps", "## escalation around milestones", "## agreement watch"):
        assert heading in printed


def test_bad_input_is_refused_clearly(capsys, tmp_path, monkeypatch):
    with pytest.raises(SystemExit) as wrong:
        main(["analyse", "--data", SAMPLE, "--motivation", "revenge,greed"])
    assert wrong.value.code == 2
    assert "greed is not one of predation" in capsys.readouterr().err
    assert main(["analyse", "--data", SAMPLE, "--from", "2025-01-01", "--to", "2024-01-01"]) == 2
    assert "is before --from" in capsys.readouterr().err
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "empty.gpkg"))
    assert main(["hotspots", "--out", str(tmp_path / "x.geojson")]) == 1
    assert "is empty" in capsys.readouterr().err
