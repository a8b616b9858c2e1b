"""GeoJSON of unchanging layers, made once per frame."""

from __future__ import annotations

import gc

import geopandas as gpd
from shapely.geometry import Point, box

from layers import _geojson
from layers._geojson import features


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["<b>North</b>", "South & co", "East"], "level": ["1", "2", "2"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), Point(3, 0.5)],
        crs="EPSG:4326",
    )


def test_rows_are_escaped_numbered_and_chosen() -> None:
    frame = _frame()
    level2 = features(frame, ["name"], where=("level", "2"))
    assert [f["properties"] for f in level2["features"]] == [
        {"name": "South &amp; co"},
        {"name": "East"},
    ]
    assert [f["id"] for f in level2["features"]] == ["0", "1"]
    assert level2["features"][1]["geometry"] == {"type": "Point", "coordinates": [3.0, 0.5]}
    assert features(frame, ["name"])["features"][0]["properties"] == {
        "name": "&lt;b&gt;North&lt;/b&gt;"
    }
    assert features(frame, where=("level", "3"))["features"] == []


def test_made_once_per_frame_and_forgotten_with_it() -> None:
    frame = _frame()
    first = features(frame, ["name"])
    assert features(frame, ["name"]) is first
    # Another frame with the same rows is another answer; a dropped frame drops its own.
    assert features(_frame(), ["name"]) is not first
    kept = len(_geojson._KEPT)
    del frame
    gc.collect()
    assert len(_geojson._KEPT) < kept
