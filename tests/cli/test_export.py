"""``pocmap export`` on the sample folder: each format, the levels, and clear refusals."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pyogrio
import pytest

from briefing.disclosure import DEFAULT_LEVEL, Disclosure
from cli import main
from cli.outputs import add_disclosure_arguments, disclosure_from
from schema.mission import SAMPLE_DIR

SAMPLE = str(SAMPLE_DIR)
INCIDENTS = 4943


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "csv", "html"])
def test_each_format_is_written_with_a_one_line_summary(fmt, tmp_path, capsys):
    out = tmp_path / f"selection.{fmt}"
    assert main(["export", "--data", SAMPLE, "--format", fmt, "--out", str(out)]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1
    assert printed[0].startswith(f"wrote {out} (")
    assert f"level shareable): {INCIDENTS:,} incidents;" in printed[0]
    assert "suppressed (in " in printed[0]
    assert out.stat().st_size > 1000
    if fmt == "gpkg":
        assert "incident_cells" in dict(pyogrio.list_layers(out))


def test_filters_and_levels_reach_the_file(tmp_path, capsys):
    out = tmp_path / "points.geojson"
    argv = ["export", "--data", SAMPLE, "--format", "geojson", "--out", str(out)]
    filters = ["--office", "Field Office South", "--motivation", "revenge,predation"]
    assert main([*argv, *filters, "--level", "points", "--precision-km", "5"]) == 0
    printed = capsys.readouterr().out
    assert "level points" in printed and "as points moved to 5 km squares" in printed
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert 0 < len(features) < INCIDENTS
    assert f"{len(features):,} incidents" in printed
    assert {f["properties"]["field_office"] for f in features} == {"Field Office South"}
    assert {f["properties"]["motivation"] for f in features} <= {"revenge", "predation"}

    table = tmp_path / "cells.csv"
    argv = ["export", "--data", SAMPLE, "--format", "csv", "--out", str(table)]
    assert main([*argv, "--level", "cells", "--cell-km", "20", "--shape", "square"]) == 0
    assert "cells of 20 km, none suppressed" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    assert sum(int(r["incidents"]) for r in rows) == INCIDENTS
    assert rows[0]["cell_id"].startswith("s")  # squares


def test_the_geopackage_says_what_was_asked(tmp_path, capsys):
    out = tmp_path / "south.gpkg"
    argv = ["export", "--data", SAMPLE, "--format", "gpkg", "--out", str(out)]
    assert main([*argv, "--office", "Field Office South", "--from", "2024-01-01"]) == 0
    capsys.readouterr()
    about = pyogrio.read_dataframe(out, layer="about").set_index("key")["value"]
    assert about["selection"] == "Field office: Field Office South"
    assert about["period"] == "1 Jan 2024 to 31 Dec 2025"
    assert about["level"] == Disclosure().describe()


def test_usage_errors_are_refused_clearly(tmp_path, capsys):
    out = str(tmp_path / "x.geojson")
    argv = ["export", "--data", SAMPLE, "--format", "geojson", "--out", out]
    assert main([*argv, "--cell-km", "2"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "pocmap export: --cell-km was 2 but the shareable level needs cells of at least 5 km"
    )
    assert main([*argv, "--level", "points", "--precision-km", "0.5"]) == 2
    assert "--precision-km was 0.5 but is expected to be at least 1 km" in capsys.readouterr().err
    assert main([*argv, "--level", "cells", "--cell-km", "-3"]) == 2
    assert "--cell-km was -3.0 but is expected to be at least 1 km" in capsys.readouterr().err
    assert main([*argv, "--from", "2025-01-01", "--to", "2024-01-01"]) == 2
    assert "is before --from" in capsys.readouterr().err
    missing = str(tmp_path / "no" / "such" / "x.gpkg")
    assert main(["export", "--data", SAMPLE, "--format", "gpkg", "--out", missing]) == 2
    assert "is not a folder" in capsys.readouterr().err
    for wrong in (["--format", "pdf"], ["--level", "exact"]):
        with pytest.raises(SystemExit) as refused:
            main([*argv, *wrong])
        assert refused.value.code == 2
        assert "invalid choice" in capsys.readouterr().err
    assert not (tmp_path / "x.geojson").exists()


def test_an_empty_store_is_reported(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "empty.gpkg"))
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "x.csv")]) == 1
    assert "is empty" in capsys.readouterr().err


def test_disclosure_arguments_for_other_commands():
    parser = argparse.ArgumentParser()
    add_disclosure_arguments(parser)
    assert disclosure_from(parser.parse_args([])) == Disclosure()
    assert Disclosure().level == DEFAULT_LEVEL == "shareable"
    args = parser.parse_args(["--level", "points", "--precision-km", "3"])
    assert disclosure_from(args) == Disclosure("points", precision_km=3)
    args = parser.parse_args(["--level", "shareable", "--cell-km", "4"])
    with pytest.raises(ValueError, match=r"^--cell-km was 4 but the shareable level"):
        disclosure_from(args)
