"""Schema migrations on both stores: an older store opens, upgraded, with every row kept;
the audit log and edit history refuse changes in the database itself."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import psycopg
import pytest

from store import open_store, pg_schema, schema
from store.base import ACCEPTED
from store.postgis import PgConnection
from tests.store import helpers

_OLD_BATCH = (
    "INSERT INTO batches (layer, office, uploader, imported_at, source_name, source_sha256, "
    "source_format, profile, mapping, rows_read, accepted, accepted_with_warning, rejected, "
    "status, notes) VALUES ('incidents', 'Kalondo office', 'old.officer', "
    "'2025-01-01T00:00:00.000Z', 'old.csv', 'abc', 'csv', 'native', '{}', 1, 1, 0, 0, "
    "'active', '[]')"
)
_OLD_ROW = (
    'INSERT INTO incidents (incident_id, "date", incident_type, motivation, perpetrator_type, '
    "fatalities, location_precision, source, batch_id, source_row) VALUES ('OLD-1', "
    "'2024-12-01', 'killing', 'revenge', 'criminal', 2, 'exact', 'HRD', 1, 2)"
)


def _old_geopackage(path) -> None:
    """A store as pocmap wrote it before migrations existed (version 1, no table of them)."""
    with closing(schema.connect(path)) as conn, schema.transaction(conn):
        schema._run_script(conn, schema._GPKG_CORE)
        conn.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", schema._SRS_ROWS)
        schema._run_script(conn, schema._STORE_DDL)
        for layer in schema.LAYER_SPECS:
            schema._create_layer(conn, layer)
        conn.execute(_OLD_BATCH)
        conn.execute(_OLD_ROW)


def _check_upgraded(store) -> None:
    assert store.schema_version() == schema.LATEST_VERSION == 6
    (batch,) = store.batches()
    assert (batch.uploader, batch.review, batch.reviewed_by) == ("old.officer", ACCEPTED, None)
    assert store.layer("incidents")["incident_id"].tolist() == ["OLD-1"]
    store.edit("incidents", "OLD-1", {"motivation": "predation"}, by="ana", reason="recoded")
    assert store.audit_log()["action"].tolist() == ["edit"]


def test_an_older_geopackage_is_migrated_keeping_its_rows(tmp_path):
    path = tmp_path / "old.gpkg"
    _old_geopackage(path)
    _check_upgraded(open_store(path))
    with sqlite3.connect(path) as conn:
        versions = conn.execute("SELECT version, applied_at FROM schema_migrations").fetchall()
    assert [v for v, _ in versions] == sorted(schema.MIGRATIONS) == [1, 2, 3, 4, 5, 6]
    assert versions[0][1] == "before migrations were recorded"
    # Opening again applies nothing more.
    assert open_store(path).schema_version() == 6


@pytest.mark.postgis
def test_an_older_postgis_store_is_migrated_keeping_its_rows(postgis_url):
    with psycopg.connect(postgis_url, options="-c search_path=pocmap,public") as conn:
        pg_schema.initialise(PgConnection(conn), "test", upto=1)
        conn.execute(_OLD_BATCH)
        conn.execute(_OLD_ROW)
    _check_upgraded(open_store(postgis_url))


def _one_edit(store) -> None:
    rows = helpers.incidents(1, "E")
    batch = helpers.new_batch("incidents", rows, b"e")
    store.commit_batch(batch, rows, report=helpers.REPORT, original=b"e", id_column="incident_id")
    store.edit("incidents", "E-0", {"motivation": "predation"}, by="ana", reason="recoded")


def test_the_geopackage_refuses_to_change_the_audit_log_or_history(gpkg_store):
    _one_edit(gpkg_store)
    with sqlite3.connect(gpkg_store.location) as conn:
        for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="audit_log is append-only"):
                conn.execute(statement)
        with pytest.raises(sqlite3.IntegrityError, match="edits is append-only"):
            conn.execute("DELETE FROM edits")
    assert gpkg_store.audit_log()["action"].tolist() == ["upload", "edit"]
    assert len(gpkg_store.edits()) == 1


@pytest.mark.postgis
def test_postgis_refuses_to_change_the_audit_log_or_history(postgis_url):
    store = open_store(postgis_url)
    _one_edit(store)
    for statement in (
        "UPDATE pocmap.audit_log SET actor = 'x'",
        "DELETE FROM pocmap.audit_log",
        "TRUNCATE pocmap.audit_log",
        "DELETE FROM pocmap.edits",
    ):
        with psycopg.connect(postgis_url) as conn:
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
    assert store.audit_log()["action"].tolist() == ["upload", "edit"]
    assert len(store.edits()) == 1


@pytest.mark.postgis
def test_postgis_filters_by_box_in_sql_on_a_spatial_index(postgis_url):
    store = open_store(postgis_url)
    rows = helpers.incidents(50, "BOX", seed=3)
    store.commit_batch(
        helpers.new_batch("incidents", rows, b"box"),
        rows,
        report=helpers.REPORT,
        original=b"box",
        id_column="incident_id",
    )
    box = (1.5, -2.8, 2.5, -2.2)
    inside = rows.cx[box[0] : box[2], box[1] : box[3]]
    got = store.layer("incidents", bbox=box)
    assert 0 < len(got) < len(rows)
    assert sorted(got["incident_id"]) == sorted(inside["incident_id"])
    with psycopg.connect(postgis_url) as conn:
        (index,) = conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'pocmap' "
            "AND indexname = 'incidents_geom'"
        ).fetchone()
    assert "USING gist" in index


def test_the_geopackage_filters_by_box_too(gpkg_store):
    rows = helpers.incidents(50, "BOX", seed=3)
    gpkg_store.commit_batch(
        helpers.new_batch("incidents", rows, b"box"),
        rows,
        report=helpers.REPORT,
        original=b"box",
        id_column="incident_id",
    )
    box = (1.5, -2.8, 2.5, -2.2)
    inside = rows.cx[box[0] : box[2], box[1] : box[3]]
    assert sorted(gpkg_store.layer("incidents", bbox=box)["incident_id"]) == sorted(
        inside["incident_id"]
    )
