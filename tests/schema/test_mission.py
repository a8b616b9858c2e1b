"""A mission folder: save_folder then load_folder gives the same layers back."""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from schema.fields import LayerValidationError
from schema.mission import FILES, MissionData, load_folder, save_folder
from tests.tiny_mission import XSS, tiny_mission

LAYERS = (
    "incidents",
    "national_milestones",
    "local_processes",
    "local_agreements",
    "mission_presence",
    "admin_boundaries",
    "basemap",
)


def _assert_same(saved: MissionData, loaded: MissionData) -> None:
    for name in LAYERS:
        before, after = getattr(saved, name), getattr(loaded, name)
        assert list(after.columns) == list(before.columns), name
        assert len(after) == len(before), name
        columns = [c for c in before.columns if c != "geometry"]
        pd.testing.assert_frame_equal(
            pd.DataFrame(after)[columns].reset_index(drop=True),
            pd.DataFrame(before)[columns].reset_index(drop=True),
            obj=name,
        )
        if isinstance(before, gpd.GeoDataFrame):
            assert after.crs.to_string() == "EPSG:4326", name
            assert after.geometry.geom_equals_exact(before.geometry, tolerance=1e-9).all(), name


@pytest.mark.parametrize(
    "text",
    ["", XSS, ' NA, "quoted"; semi;colon\nsecond line ${x}` é ü 中文'],
)
def test_save_then_load_round_trips(tmp_path, text):
    data = tiny_mission(text)
    save_folder(data, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES.values())
    loaded = load_folder(tmp_path, label="Tiny")
    assert loaded.label == "Tiny"
    _assert_same(data, loaded)


def test_round_trip_keeps_known_values(tmp_path):
    save_folder(tiny_mission(), tmp_path)
    loaded = load_folder(tmp_path)
    assert loaded.incidents["incident_id"].tolist() == [f"T-{i}" for i in range(1, 9)]
    assert loaded.incidents["fatalities"].tolist() == [2, 0, 0, 0, 3, 0, 0, 0]
    assert loaded.incidents["date"].iloc[2] == pd.Timestamp("2024-02-11")
    assert loaded.incidents["victim_groups"].iloc[2] == "children;displaced"
    assert pd.isna(loaded.incidents["victim_groups"].iloc[1])
    assert pd.isna(loaded.incidents["motivation_confidence"].iloc[7])
    assert (loaded.incidents.geometry.x.iloc[0], loaded.incidents.geometry.y.iloc[0]) == (
        1.2,
        -2.8,
    )
    assert loaded.local_agreements["poc_language"].tolist() == [True, False, False]
    assert loaded.local_agreements["freedom_of_movement"].tolist() == [True, False, True]
    assert loaded.local_agreements.geometry.geom_type.tolist() == [
        "LineString",
        "Polygon",
        "Point",
    ]
    assert pd.isna(loaded.local_processes["end_date"].iloc[0])
    assert loaded.local_processes["linked_to_national"].tolist() == [True]
    assert loaded.national_milestones["kind"].tolist() == ["negotiation_round", "signature"]


def _rewrite_incidents(folder: Path, change) -> Path:
    path = folder / FILES["incidents"]
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    change(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_non_numeric_latitude_names_the_csv_line_and_file(tmp_path):
    save_folder(tiny_mission(), tmp_path)

    def change(rows):
        rows[2]["latitude"] = "2°45'S"  # the third data row: line 4

    path = _rewrite_incidents(tmp_path, change)
    with pytest.raises(LayerValidationError) as info:
        load_folder(tmp_path)
    err = info.value
    assert err.source == str(path)
    assert [(p.row, p.column, p.value) for p in err.problems] == [(4, "latitude", "2°45'S")]
    assert "decimal degrees" in err.problems[0].allowed
    message = str(err)
    assert str(path) in message
    assert "row 4, column 'latitude'" in message


def test_every_bad_coordinate_is_reported(tmp_path):
    save_folder(tiny_mission(), tmp_path)

    def change(rows):
        rows[0]["latitude"] = "south"
        rows[5]["longitude"] = "east"

    _rewrite_incidents(tmp_path, change)
    with pytest.raises(LayerValidationError) as info:
        load_folder(tmp_path)
    assert [(p.row, p.column, p.value, p.problem) for p in info.value.problems] == [
        (7, "longitude", "east", "is not a number"),
        (2, "latitude", "south", "is not a number"),
    ]


def test_blank_coordinate_is_reported_as_missing(tmp_path):
    save_folder(tiny_mission(), tmp_path)

    def change(rows):
        rows[0]["latitude"] = ""

    _rewrite_incidents(tmp_path, change)
    with pytest.raises(LayerValidationError) as info:
        load_folder(tmp_path)
    assert [(p.row, p.column, p.value, p.problem) for p in info.value.problems] == [
        (2, "latitude", None, "is missing"),
    ]


def test_csv_problems_name_csv_lines(tmp_path):
    save_folder(tiny_mission(), tmp_path)

    def change(rows):
        rows[0]["motivation"] = "greed"
        rows[7]["fatalities"] = "-2"

    path = _rewrite_incidents(tmp_path, change)
    with pytest.raises(LayerValidationError) as info:
        load_folder(tmp_path)
    assert info.value.source == str(path)
    assert sorted((p.row, p.column, p.value) for p in info.value.problems) == [
        (2, "motivation", "greed"),
        (9, "fatalities", -2),
    ]


def test_missing_coordinate_column(tmp_path):
    save_folder(tiny_mission(), tmp_path)

    def change(rows):
        for row in rows:
            del row["longitude"]

    _rewrite_incidents(tmp_path, change)
    with pytest.raises(LayerValidationError) as info:
        load_folder(tmp_path)
    assert [(p.row, p.column, p.problem) for p in info.value.problems] == [
        ("all", "longitude", "column is missing")
    ]


def test_bad_geojson_layer_names_the_file(tmp_path):
    data = tiny_mission()
    agreements = data.local_agreements.copy()
    agreements["status"] = agreements["status"].astype(object)
    agreements.loc[1, "status"] = "abandoned"
    save_folder(data, tmp_path)
    agreements.astype({"date_signed": str, "date_ended": str}).replace("NaT", None).to_file(
        tmp_path / FILES["local_agreements"], driver="GeoJSON", engine="pyogrio"
    )
    with pytest.raises(LayerValidationError) as info:
        load_folder(tmp_path)
    assert info.value.source == str(tmp_path / FILES["local_agreements"])
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [(1, "status", "abandoned")]


@pytest.mark.parametrize("name", sorted(FILES.values()))
def test_missing_file_is_named(tmp_path, name):
    save_folder(tiny_mission(), tmp_path)
    (tmp_path / name).unlink()
    with pytest.raises(FileNotFoundError) as info:
        load_folder(tmp_path)
    assert str(info.value).startswith(f"{tmp_path} lacks {name} (expected ")
