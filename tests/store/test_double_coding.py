"""Double coding in the store (migration 5), on both backends: samples, blind codes kept
one per coder and two per item, resolutions written with the incident's edit in one
transaction, every table append-only in the database itself, and older stores migrated."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import psycopg
import pytest

from store import StoreError, open_store, pg_schema, schema
from store.base import Actor
from store.coding_tables import TABLES
from store.postgis import PgConnection
from tests.store import helpers

ANA, BEN, CARA = Actor("ana", "analyst"), Actor("ben", "analyst"), Actor("cara", "analyst")


def _with_incidents(store, n: int = 6, prefix: str = "DC") -> list[str]:
    rows = helpers.incidents(n, prefix)
    original = prefix.encode()
    store.commit_batch(
        helpers.new_batch("incidents", rows, original),
        rows,
        report=helpers.REPORT,
        original=original,
        id_column="incident_id",
    )
    return rows["incident_id"].tolist()


def _sample(store, ids: list[str]) -> int:
    return store.add_coding_sample(
        "pilot", ids, seed=7, method="simple", filter_description="{}", by=ANA
    )


def test_a_sample_keeps_its_items_in_the_order_drawn_and_its_draw(store):
    ids = _with_incidents(store)
    sample = _sample(store, [ids[3], ids[0], ids[5]])
    (row,) = store.coding_samples().to_dict("records")
    assert row == row | {"sample_id": sample, "name": "pilot", "drawn_by": "ana", "seed": 7}
    assert (row["size"], row["method"], row["filter"]) == (3, "simple", "{}")
    items = store.coding_sample_items(sample)
    assert items["incident_id"].tolist() == [ids[3], ids[0], ids[5]]
    assert items["position"].tolist() == [1, 2, 3]
    assert store.audit_log()["action"].iloc[-1] == "draw_sample"


@pytest.mark.parametrize(
    ("name", "ids", "refusal"),
    [
        (" ", ["DC-0"], "name is empty"),
        ("s", [], "has no incidents"),
        ("s", ["DC-0", "DC-1", "DC-0"], "DC-0 are twice"),
    ],
)
def test_a_sample_without_a_name_or_items_or_with_repeats_is_refused(store, name, ids, refusal):
    _with_incidents(store)
    with pytest.raises(StoreError, match=refusal):
        store.add_coding_sample(name, ids, seed=1, method="simple", filter_description="", by=ANA)
    assert store.coding_samples().empty


def test_two_coders_per_item_one_code_each_and_codes_from_the_codebook(store):
    ids = _with_incidents(store)
    sample = _sample(store, ids[:2])
    store.add_blind_code(sample, ids[0], motivation="predation", confidence="probable", by=ANA)
    with pytest.raises(StoreError, match="ana already coded incident DC-0 of sample 1"):
        store.add_blind_code(sample, ids[0], motivation="revenge", confidence=None, by=ANA)
    store.add_blind_code(sample, ids[0], motivation="revenge", confidence=None, by=BEN)
    with pytest.raises(StoreError, match=r"already has its two coders \(ana, ben\)"):
        store.add_blind_code(sample, ids[0], motivation="revenge", confidence=None, by=CARA)
    with pytest.raises(StoreError, match="incident DC-5 is not in sample 1"):
        store.add_blind_code(sample, ids[5], motivation="revenge", confidence=None, by=CARA)
    with pytest.raises(StoreError, match="motivation 'greed' is not one of predation"):
        store.add_blind_code(sample, ids[1], motivation="greed", confidence=None, by=CARA)
    with pytest.raises(StoreError, match="confidence 'sure' is not one of confirmed"):
        store.add_blind_code(sample, ids[1], motivation="revenge", confidence="sure", by=CARA)
    codes = store.blind_codes(sample)
    assert codes[["incident_id", "coder", "motivation", "confidence"]].values.tolist() == [
        ["DC-0", "ana", "predation", "probable"],
        ["DC-0", "ben", "revenge", None],
    ]
    assert store.audit_log()["action"].tolist()[-2:] == ["blind_code", "blind_code"]


def test_a_resolution_sets_the_incidents_coding_with_its_history_once(store):
    ids = _with_incidents(store)  # stored: revenge, probable (helpers)
    sample = _sample(store, ids[:2])
    store.resolve_coding(
        sample, ids[0], motivation="predation", confidence="confirmed",
        reason="cattle taken, two witnesses", by=ANA,
    )  # fmt: skip
    edits = store.edits("incidents", ids[0])
    assert sorted(zip(edits["column"], edits["before"], edits["after"], strict=True)) == [
        ("motivation", "revenge", "predation"),
        ("motivation_confidence", "probable", "confirmed"),
        ("motivation_origin", None, "analyst"),
    ]
    assert set(edits["reason"]) == {"cattle taken, two witnesses"}
    stored = store.layer("incidents").set_index("incident_id").loc[ids[0]]
    assert (stored["motivation"], stored["motivation_origin"]) == ("predation", "analyst")
    (resolution,) = store.coding_resolutions(sample).to_dict("records")
    assert resolution | {"resolved_at": None} == {
        "resolution_id": 1, "sample_id": sample, "incident_id": ids[0],
        "motivation": "predation", "confidence": "confirmed", "resolved_by": "ana",
        "resolved_at": None, "reason": "cattle taken, two witnesses",
    }  # fmt: skip
    assert store.audit_log()["action"].tolist()[-2:] == ["edit", "resolve_coding"]
    with pytest.raises(StoreError, match="DC-0 of sample 1 was already resolved by ana on"):
        store.resolve_coding(
            sample, ids[0], motivation="revenge", confidence=None, reason="x", by=BEN
        )
    # The code decided already stored, as the source sent it: it becomes the analysts'.
    store.resolve_coding(sample, ids[1], motivation="revenge", confidence=None, reason="y", by=BEN)
    edits = store.edits("incidents", ids[1])
    assert edits[["column", "before", "after", "reason"]].values.tolist() == [
        ["motivation_origin", None, "analyst", "y"]
    ]
    assert len(store.coding_resolutions(sample)) == 2
    # Already the analysts' code: resolved, and nothing to edit.
    again = _sample(store, ids[:1])
    store.resolve_coding(
        again, ids[0], motivation="predation", confidence="confirmed", reason="w", by=BEN
    )
    assert len(store.edits("incidents", ids[0])) == 3
    assert len(store.coding_resolutions()) == 3


def test_a_resolution_that_cannot_be_written_to_its_incident_keeps_nothing(store):
    ids = _with_incidents(store)
    sample = _sample(store, ids[:2])
    (batch,) = store.batches()
    store.withdraw(batch.batch_id, by=ANA, reason="wrong file")
    entries = len(store.audit_log())
    with pytest.raises(KeyError, match="DC-0 is in no active batch"):
        store.resolve_coding(
            sample, ids[0], motivation="predation", confidence=None, reason="z", by=ANA
        )
    assert store.coding_resolutions(sample).empty
    assert len(store.audit_log()) == entries
    with pytest.raises(StoreError, match="reason is empty"):
        store.resolve_coding(
            sample, ids[0], motivation="predation", confidence=None, reason=" ", by=ANA
        )


def _one_of_each(store) -> None:
    ids = _with_incidents(store)
    sample = _sample(store, ids[:1])
    store.add_blind_code(sample, ids[0], motivation="predation", confidence=None, by=ANA)
    store.resolve_coding(
        sample, ids[0], motivation="predation", confidence=None, reason="r", by=ANA
    )


def test_the_geopackage_refuses_to_change_double_coding(gpkg_store):
    _one_of_each(gpkg_store)
    with closing(sqlite3.connect(gpkg_store.location)) as conn:
        for table in TABLES:
            for statement in (f"UPDATE {table} SET sample_id = 9", f"DELETE FROM {table}"):
                with pytest.raises(sqlite3.IntegrityError, match=f"{table} is append-only"):
                    conn.execute(statement)
    assert len(gpkg_store.blind_codes()) == 1


@pytest.mark.postgis
def test_postgis_refuses_to_change_double_coding(postgis_url):
    store = open_store(postgis_url)
    _one_of_each(store)
    for table in TABLES:
        for statement in (f"UPDATE {table} SET sample_id = 9", f"DELETE FROM {table}",
                          f"TRUNCATE {table} CASCADE"):  # fmt: skip
            with psycopg.connect(postgis_url, options="-c search_path=pocmap,public") as conn:
                with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                    conn.execute(statement)
    assert len(store.blind_codes()) == 1


def _check_version_5(store) -> None:
    assert store.schema_version() == schema.LATEST_VERSION
    ids = store.layer("incidents")["incident_id"].tolist()
    sample = _sample(store, ids)
    store.add_blind_code(sample, ids[0], motivation="political", confidence=None, by=BEN)
    assert store.blind_codes()["coder"].tolist() == ["ben"]


def test_a_version_4_geopackage_gets_the_double_coding_tables(tmp_path):
    path = tmp_path / "v4.gpkg"
    with closing(schema.connect(path)) as conn:
        schema._use_wal(conn)
        with schema.transaction(conn):
            schema._run_script(conn, schema._GPKG_CORE)
            conn.executemany(
                "INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", schema._SRS_ROWS
            )
            schema._run_script(conn, schema._STORE_DDL)
            schema.migrate(conn, had_batches=False, upto=4)
            for layer in schema.LAYER_SPECS:
                schema._create_layer(conn, layer)
            tables = {t for (t,) in conn.execute("SELECT name FROM sqlite_master")}
    assert not set(TABLES) & tables
    _with_incidents(open_store(path))  # opened: migrated
    with closing(sqlite3.connect(path)) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations")]
        registered = {t for (t,) in conn.execute("SELECT table_name FROM gpkg_contents")}
    assert versions == sorted(schema.MIGRATIONS)
    assert set(TABLES) <= registered  # GDAL and QGIS list them
    _check_version_5(open_store(path))


@pytest.mark.postgis
def test_a_version_4_postgis_store_gets_the_double_coding_tables(postgis_url):
    with psycopg.connect(postgis_url, options="-c search_path=pocmap,public") as conn:
        pg_schema.initialise(PgConnection(conn), "test", upto=4)
        (absent,) = conn.execute("SELECT to_regclass('pocmap.blind_codes')").fetchone()
    assert absent is None
    _with_incidents(open_store(postgis_url))
    _check_version_5(open_store(postgis_url))
