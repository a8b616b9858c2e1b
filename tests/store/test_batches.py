"""Batches: provenance, withdraw and restore, refusals with messages an office can act on."""

from __future__ import annotations

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from schema.upload import IngestError
from store import DuplicateIds, DuplicateUpload, StoreError, UnknownBatch, open_store
from tests.store import helpers


def _commit(store, frame, original: bytes, *, office: str = "Kalondo office", **kwargs):
    return store.commit_batch(
        helpers.new_batch("incidents", frame, original, office=office, **kwargs),
        frame,
        report=helpers.REPORT,
        original=original,
        id_column="incident_id",
    )


def test_a_batch_keeps_its_provenance_file_and_report(store):
    assert store.is_empty()
    frame = helpers.incidents(5, "KAL")
    batch = _commit(store, frame, b"id,date\n...", rejected=2)
    assert not store.is_empty()
    assert batch.batch_id == 1 and batch.status == "active"
    assert (batch.rows_read, batch.accepted, batch.rejected) == (7, 5, 2)
    assert batch.mapping == {"date": "Date de l'incident"}
    assert batch.notes == ["encoding: utf-8", "délimiteur: ;"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", batch.imported_at)
    assert store.batch(1) == batch
    assert store.batches() == [batch] and store.batches("basemap") == []
    original = store.original(1)
    assert (original.name, original.data) == (batch.source_name, b"id,date\n...")
    report = store.report(1)
    assert report["row"].tolist() == [3, "all"]
    assert report.loc[0, "problem"] == "is negative"
    assert report.loc[1, "value"] is None
    assert store.find_upload("incidents", batch.source_sha256) == batch
    assert store.existing_ids("incidents", ["KAL-0", "KAL-4", "other"]) == {
        "KAL-0": 1,
        "KAL-4": 1,
    }
    assert store.existing_ids("basemap", ["x"]) == {}


def test_withdraw_hides_a_batch_and_restore_brings_it_back(store):
    _commit(store, helpers.incidents(3, "KAL"), b"kalondo")
    second = _commit(store, helpers.incidents(2, "OUB"), b"oubandi", office="Oubandi office")
    gone = store.withdraw(second.batch_id, by="j.analyst", reason="wrong month")
    assert (gone.status, gone.status_changed_by, gone.status_reason) == (
        "withdrawn",
        "j.analyst",
        "wrong month",
    )
    assert store.layer("incidents")["incident_id"].tolist() == ["KAL-0", "KAL-1", "KAL-2"]
    everything = store.layer("incidents", include_withdrawn=True)
    assert len(everything) == 5 and set(everything["batch_id"]) == {1, 2}
    assert store.existing_ids("incidents", ["OUB-0"]) == {}
    assert store.find_upload("incidents", second.source_sha256).status == "withdrawn"
    with pytest.raises(StoreError, match=r"already withdrawn by j\.analyst"):
        store.withdraw(second.batch_id, by="x", reason="again")
    back = store.restore(second.batch_id, by="j.analyst")
    assert back.status == "active" and back.status_reason is None
    assert len(store.layer("incidents")) == 5
    with pytest.raises(StoreError, match="is not withdrawn"):
        store.restore(second.batch_id, by="x")
    with pytest.raises(ValueError, match="must say why"):
        store.withdraw(second.batch_id, by="x", reason="  ")


def test_the_same_file_twice_is_refused_until_withdrawn(store):
    first = _commit(store, helpers.incidents(2, "KAL"), b"same bytes")
    with pytest.raises(DuplicateUpload) as caught:
        _commit(store, helpers.incidents(2, "OTHER"), b"same bytes")
    message = str(caught.value)
    assert "already imported as batch 1" in message
    assert "by Kalondo office on " + first.imported_at[:10] in message
    assert "withdraw batch 1 first" in message
    assert caught.value.existing == first
    assert isinstance(caught.value, IngestError)  # the import pipeline reports it as such
    store.withdraw(1, by="x", reason="re-sent with corrections")
    again = _commit(store, helpers.incidents(2, "KAL"), b"same bytes")
    # The first batch cannot come back while its file is imported again.
    with pytest.raises(DuplicateUpload, match=f"imported again as batch {again.batch_id}"):
        store.restore(1, by="x")
    assert len(store.batches()) == 2 and len(store.layer("incidents")) == 2


def test_ids_already_stored_are_refused_and_nothing_is_written(store):
    _commit(store, helpers.incidents(3, "KAL"), b"one")
    clash = helpers.incidents(5, "KAL")  # KAL-0..2 are stored, KAL-3..4 are new
    with pytest.raises(DuplicateIds) as caught:
        _commit(store, clash, b"two", office="Oubandi office")
    assert caught.value.ids == ["KAL-0", "KAL-1", "KAL-2"]
    assert caught.value.batch_ids == [1]
    assert "3 incident_id value(s) of layer incidents are already in the store" in str(caught.value)
    assert "batch 1 (incidents" in str(caught.value)
    assert len(store.batches()) == 1 and len(store.layer("incidents")) == 3


def test_restore_is_refused_when_its_ids_were_imported_again(store):
    _commit(store, helpers.incidents(2, "KAL"), b"one")
    store.withdraw(1, by="x", reason="dates wrong")
    _commit(store, helpers.incidents(2, "KAL"), b"corrected")
    with pytest.raises(DuplicateIds, match="batch 1 cannot be restored"):
        store.restore(1, by="x")
    assert store.batch(1).status == "withdrawn"


def test_unknown_batches_and_layers_are_named(store):
    with pytest.raises(UnknownBatch, match="there is no batch 99") as caught:
        store.batch(99)
    assert isinstance(caught.value, KeyError)
    assert str(caught.value).startswith("there is no batch 99")
    with pytest.raises(KeyError):
        store.original(99)
    with pytest.raises(ValueError, match="`layer` was 'roads'"):
        store.layer("roads")


def test_a_batch_that_does_not_add_up_is_refused(store):
    frame = helpers.incidents(3, "KAL")
    wrong = helpers.new_batch("incidents", frame.iloc[:2], b"x")
    with pytest.raises(ValueError, match="3 rows given but 2 accepted"):
        store.commit_batch(wrong, frame, report=helpers.REPORT, original=b"x", id_column=None)
    repeated = pd.concat([frame, frame])
    batch = helpers.new_batch("incidents", repeated, b"y")
    with pytest.raises(ValueError, match="incident_id repeats within the batch"):
        store.commit_batch(
            batch, repeated, report=helpers.REPORT, original=b"y", id_column="incident_id"
        )
    assert store.is_empty()


def test_mappings_are_kept_for_next_time(store):
    store.save_mapping("ACLED export", "incidents", {"date": "event_date"}, office="K", by="a")
    store.save_mapping("ACLED export", "incidents", {"date": "EVENT_DATE"}, office="K", by="b")
    store.save_mapping("Kobo form", "incidents", {"date": "today"}, office="O", by="c")
    assert store.mappings("incidents") == {
        "ACLED export": {"date": "EVENT_DATE"},
        "Kobo form": {"date": "today"},
    }
    assert store.mappings("basemap") == {}


def test_open_store_location(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POCMAP_DB", raising=False)
    assert open_store().location == "data/pocmap.gpkg"
    assert (tmp_path / "data" / "pocmap.gpkg").is_file()
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "elsewhere" / "mission.gpkg"))
    assert open_store().location.endswith("elsewhere/mission.gpkg")
    # A PostgreSQL URL opens the PostGIS store; an unreachable one is named, without
    # its password, with what to check.
    with pytest.raises(StoreError, match="cannot reach the PostGIS store") as caught:
        open_store("postgresql://user:s3cret@127.0.0.1:9/pocmap")
    assert "s3cret" not in str(caught.value)
    assert "postgresql://user:***@127.0.0.1:9/pocmap" in str(caught.value)
    # Opening again (and from a second object) finds the schema in place.
    assert open_store(tmp_path / "data" / "pocmap.gpkg").is_empty()


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    other = tmp_path / "other.gpkg"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE roads (id INTEGER)")
    with pytest.raises(StoreError, match="is not a pocmap store"):
        open_store(other)
    text = tmp_path / "notes.gpkg"
    text.write_text("not a database at all, just some text " * 100)
    with pytest.raises(StoreError, match="is not a pocmap store"):
        open_store(text)


def test_one_store_object_serves_many_threads(store):
    # The app shares one store between its sessions' threads.
    def commit(i: int) -> int:
        frame = helpers.incidents(50, f"T{i}")
        return _commit(store, frame, f"thread {i}".encode(), office=f"Office {i}").batch_id

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(commit, range(12)))
    assert sorted(ids) == list(range(1, 13))
    assert len(store.layer("incidents")) == 600
