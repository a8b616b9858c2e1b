"""The rows out of scope in the batch record (issue 20): stored and read back on both
backends, added to stores made before it, and part of the accounting the store checks."""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing

import psycopg
import pytest

from store import open_store, pg_schema
from store.postgis import PgConnection
from tests.store import helpers
from tests.store.test_migrations import _old_geopackage


def _batch(out_of_scope: int, *, rows_read_extra: int | None = None):
    rows = helpers.incidents(2, "S")
    batch = helpers.new_batch("incidents", rows, b"scope", rejected=1)
    extra = out_of_scope if rows_read_extra is None else rows_read_extra
    return rows, dataclasses.replace(
        batch, out_of_scope=out_of_scope, rows_read=batch.rows_read + extra
    )


def test_a_batch_keeps_its_rows_out_of_scope(store) -> None:
    rows, batch = _batch(7)
    committed = store.commit_batch(
        batch, rows, report=helpers.REPORT, original=b"scope", id_column="incident_id"
    )
    assert committed.out_of_scope == 7
    (stored,) = store.batches("incidents")
    assert (stored.rows_read, stored.accepted, stored.rejected, stored.out_of_scope) == (
        10,
        2,
        1,
        7,
    )
    assert stored.rows_read == (
        stored.accepted + stored.accepted_with_warning + stored.out_of_scope + stored.rejected
    )


def test_the_store_refuses_a_batch_whose_rows_out_of_scope_do_not_add_up(store) -> None:
    rows, batch = _batch(7, rows_read_extra=0)  # 7 out of scope but not in rows_read
    with pytest.raises(ValueError, match="out of scope"):
        store.commit_batch(batch, rows, report=helpers.REPORT, original=b"x", id_column=None)
    assert store.batches() == []


def test_other_callers_need_not_know_of_it(store) -> None:
    rows = helpers.incidents(1, "D")
    batch = helpers.new_batch("incidents", rows, b"d")  # no out_of_scope given: 0
    committed = store.commit_batch(
        batch, rows, report=helpers.REPORT, original=b"d", id_column="incident_id"
    )
    assert committed.out_of_scope == 0


def test_an_older_geopackage_gets_the_column_with_zero(tmp_path) -> None:
    path = tmp_path / "old.gpkg"
    _old_geopackage(path)
    with closing(sqlite3.connect(path)) as conn:
        before = {row[1] for row in conn.execute("PRAGMA table_info(batches)")}
    assert "out_of_scope" not in before
    (batch,) = open_store(path).batches()
    assert batch.out_of_scope == 0
    with closing(sqlite3.connect(path)) as conn:
        after = {row[1] for row in conn.execute("PRAGMA table_info(batches)")}
    assert "out_of_scope" in after


@pytest.mark.postgis
def test_an_older_postgis_database_is_told_and_gets_the_column(postgis_url) -> None:
    open_store(postgis_url)  # made as today's pocmap makes it
    with psycopg.connect(postgis_url, options="-c search_path=pocmap,public") as conn:
        conn.execute("ALTER TABLE batches DROP COLUMN out_of_scope")  # as made before it
        conn.execute(
            "INSERT INTO batches (layer, office, uploader, imported_at, source_name, "
            "source_sha256, source_format, profile, mapping, rows_read, accepted, "
            "accepted_with_warning, rejected, status, notes) VALUES ('incidents', 'K', 'u', "
            "'2025-01-01T00:00:00.000Z', 'old.csv', 'abc', 'csv', 'native', '{}', 0, 0, 0, 0, "
            "'active', '[]')"
        )
        assert "columns out_of_scope of batches" in pg_schema.lacking(PgConnection(conn))
    (batch,) = open_store(postgis_url).batches()  # the owner opening it adds the column
    assert batch.out_of_scope == 0
    with psycopg.connect(postgis_url, options="-c search_path=pocmap,public") as conn:
        assert pg_schema.lacking(PgConnection(conn)) == []
