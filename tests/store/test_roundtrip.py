"""Every kind of layer goes in and comes back equal, valid, and readable by GDAL."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from schema import (
    admin_boundaries,
    basemap,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from schema.mission import load_sample
from store import gpkg_binary
from store.schema import GPKG_APPLICATION_ID, spec
from tests.store import helpers
from tests.tiny_mission import tiny_mission

VALIDATE = {
    "incidents": incidents.validate,
    "national_milestones": political_processes.validate_milestones,
    "local_processes": political_processes.validate_local_processes,
    "local_agreements": local_agreements.validate,
    "mission_presence": mission_presence.validate,
    "admin_boundaries": admin_boundaries.validate,
    "basemap": basemap.validate,
}


def _commit(store, layer: str, frame: pd.DataFrame, tag: str = ""):
    original = f"{layer}{tag}".encode()
    return store.commit_batch(
        helpers.new_batch(layer, frame, original),
        frame,
        report=helpers.REPORT,
        original=original,
        id_column=helpers.id_column(layer),
    )


def _assert_same(back: pd.DataFrame, sent: pd.DataFrame, layer: str) -> None:
    columns = spec(layer).columns
    pd.testing.assert_frame_equal(
        back[columns].reset_index(drop=True), sent[columns].reset_index(drop=True)
    )
    if isinstance(sent, gpd.GeoDataFrame):
        assert back.crs == "EPSG:4326"
        same = back.geometry.geom_equals_exact(sent.geometry.reset_index(drop=True), 0)
        assert same.all()


@pytest.mark.parametrize("layer", list(VALIDATE))
def test_each_layer_round_trips_equal_and_valid(store, layer):
    sent = getattr(tiny_mission("é <b>"), layer)
    batch = _commit(store, layer, sent)
    back = store.layer(layer)
    assert type(back) is type(sent)
    VALIDATE[layer](back)
    _assert_same(back, sent, layer)
    # Same dtypes as validation gives, so the map can take the frame as it is.
    assert back[spec(layer).columns].dtypes.equals(sent[spec(layer).columns].dtypes)
    assert (back["batch_id"] == batch.batch_id).all()
    assert back["source_row"].tolist() == list(sent.index)


def test_the_whole_sample_round_trips(store):
    sample = load_sample()
    for layer in VALIDATE:
        _commit(store, layer, getattr(sample, layer))
    for layer in VALIDATE:
        back = store.layer(layer)
        VALIDATE[layer](back)
        _assert_same(back, getattr(sample, layer), layer)


def test_local_agreements_keep_points_polygons_and_lines(store):
    sent = tiny_mission().local_agreements
    _commit(store, "local_agreements", sent)
    assert store.layer("local_agreements").geom_type.tolist() == [
        "LineString",
        "Polygon",
        "Point",
    ]


def test_empty_layers_have_the_schema_columns(store):
    for layer, check in VALIDATE.items():
        frame = store.layer(layer)
        assert len(frame) == 0
        assert list(frame.columns[: len(spec(layer).columns)]) == spec(layer).columns
        assert {"batch_id", "source_row"} <= set(frame.columns)
        check(frame)


def test_source_row_and_source_record_are_kept(gpkg_store):
    store = gpkg_store
    sent = helpers.incidents(3, "FO")
    _commit(store, "incidents", sent)
    assert store.layer("incidents")["source_row"].tolist() == [2, 3, 4]
    with sqlite3.connect(store.location) as conn:
        kept = [r for (r,) in conn.execute("SELECT source_record FROM incidents ORDER BY fid")]
    assert kept == sent["source_record"].tolist()


def test_the_file_is_a_geopackage_gdal_reads(gpkg_store):
    store = gpkg_store
    sent = tiny_mission()
    for layer in VALIDATE:
        _commit(store, layer, getattr(sent, layer))
    listed = dict(pyogrio.list_layers(store.location))
    assert listed["incidents"] == "Point"
    assert listed["local_agreements"] == "Unknown"  # GEOMETRY: mixed types
    for table in ("national_milestones", "batches", "batch_files", "batch_reports"):
        assert listed[table] is None
    assert "column_mappings" in listed
    read = pyogrio.read_dataframe(store.location, layer="incidents")
    assert read.crs == "EPSG:4326"
    assert read.geometry.geom_equals_exact(sent.incidents.geometry, 0).all()
    assert read["incident_id"].tolist() == sent.incidents["incident_id"].tolist()
    agreements = pyogrio.read_dataframe(store.location, layer="local_agreements")
    assert agreements.geometry.geom_equals_exact(sent.local_agreements.geometry, 0).all()
    with sqlite3.connect(store.location) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == GPKG_APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 10300
        srs = {r[0] for r in conn.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")}
        assert srs == {-1, 0, 4326}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_geopackage_binary_round_trips_every_shape():
    shapes = [
        Point(1.5, -2.5),
        LineString([(0, 0), (1, 1), (2, 0)]),
        box(0, 0, 1, 1),
        MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)]),
        Polygon(),
        None,
    ]
    back = gpkg_binary.decode(gpkg_binary.encode(shapes))
    assert back[-1] is None
    for before, after in zip(shapes[:-1], back[:-1], strict=True):
        assert before.equals(after) or (before.is_empty and after.is_empty)
    blob = gpkg_binary.encode([box(0, 0, 1, 2)])[0]
    assert blob[:2] == b"GP" and blob[3] == 0b11  # little endian, x/y envelope
    with pytest.raises(ValueError, match="GeoPackage binary starts with b'GP'"):
        gpkg_binary.decode([b"\x01\x01\x00"])
