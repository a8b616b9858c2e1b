"""Single rows withdrawn from a batch (migration 6), on both stores: left out of every
layer read, kept, restorable, audited; the batch's accounting stays true; ``pocmap
migrate`` copies them."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pandas as pd
import psycopg
import pytest

from store import StoreError, open_store
from store.base import ACCEPTED, UNDER_REVIEW, Actor
from store.migrate import migrate
from store.row_withdrawals import WITHDRAWAL_COLUMNS, accounting
from tests.store import helpers

ANA = Actor("ana", "analyst")
KIM = Actor("kim", "analyst")


def _commit(store, prefix: str, n: int = 5, review: str = ACCEPTED, rejected: int = 0):
    rows = helpers.incidents(n, prefix)
    original = prefix.encode()
    batch = helpers.new_batch("incidents", rows, original, rejected=rejected)
    batch = dataclasses.replace(batch, review=review)
    return store.commit_batch(
        batch, rows, report=helpers.REPORT, original=original, id_column="incident_id"
    )


def _ids(frame) -> list[str]:
    return frame["incident_id"].astype(str).tolist()


def test_a_withdrawn_row_leaves_the_layer_and_comes_back_when_restored(store):
    batch = _commit(store, "KAL")
    _commit(store, "OUB", n=2)
    done = store.withdraw_rows(batch.batch_id, ["KAL-1", "KAL-3"], by=ANA, reason="in the sea")
    assert done == ["KAL-1", "KAL-3"]
    assert _ids(store.layer("incidents")) == ["KAL-0", "KAL-2", "KAL-4", "OUB-0", "OUB-1"]
    # Kept: every row is there when withdrawn ones are asked for too.
    assert len(store.layer("incidents", include_withdrawn=True)) == 7
    rows = store.batch_rows(batch.batch_id)
    assert _ids(rows) == [f"KAL-{i}" for i in range(5)]
    assert rows["withdrawn"].tolist() == [False, True, False, True, False]
    assert rows["withdrawn_reason"].tolist() == [None, "in the sea", None, "in the sea", None]
    assert set(rows.loc[rows["withdrawn"], "withdrawn_by"]) == {"ana"}

    store.restore_rows(batch.batch_id, ["KAL-3"], by=KIM)
    assert _ids(store.layer("incidents")) == [
        "KAL-0", "KAL-2", "KAL-3", "KAL-4", "OUB-0", "OUB-1",
    ]  # fmt: skip
    history = store.row_withdrawals(batch.batch_id)
    assert list(history.columns) == list(WITHDRAWAL_COLUMNS)
    assert history[["row_key", "withdrawn_by", "restored_by"]].values.tolist() == [
        ["KAL-1", "ana", None],
        ["KAL-3", "ana", "kim"],
    ]
    assert history["restored_at"].iloc[1] >= history["withdrawn_at"].iloc[1]
    assert store.row_withdrawals(in_force=True)["row_key"].tolist() == ["KAL-1"]
    # Withdrawn again: a new line, the first one's restoration kept.
    store.withdraw_rows(batch.batch_id, ["KAL-3"], by=KIM, reason="a duplicate after all")
    assert len(store.row_withdrawals(batch.batch_id)) == 3
    assert "KAL-3" not in _ids(store.layer("incidents"))


def test_each_withdrawal_and_restoration_is_an_audit_entry(store):
    batch = _commit(store, "KAL")
    store.withdraw_rows(batch.batch_id, ["KAL-0", "KAL-2"], by=ANA, reason="same as ACLED 12")
    store.restore_rows(batch.batch_id, ["KAL-2"], by=KIM)
    log = store.audit_log()
    log = log[log["action"].isin(["withdraw_row", "restore_row"])]
    assert log[["action", "actor", "role", "target"]].values.tolist() == [
        ["withdraw_row", "ana", "analyst", "incidents KAL-0"],
        ["withdraw_row", "ana", "analyst", "incidents KAL-2"],
        ["restore_row", "kim", "analyst", "incidents KAL-2"],
    ]
    details = [json.loads(d) for d in log["details"]]
    assert details[0] == {"batch": batch.batch_id, "reason": "same as ACLED 12"}
    assert details[2] == {"batch": batch.batch_id}
    assert store.verify_audit().intact


def test_refusals_name_the_rows_and_what_to_do(store):
    batch = _commit(store, "KAL")
    other = _commit(store, "OUB", n=2)
    with pytest.raises(ValueError, match="must say why"):
        store.withdraw_rows(batch.batch_id, ["KAL-0"], by=ANA, reason="  ")
    with pytest.raises(StoreError, match=r"OUB-0 is not a row of batch 1 \(incidents\)"):
        store.withdraw_rows(batch.batch_id, ["OUB-0"], by=ANA, reason="wrong batch")
    with pytest.raises(StoreError, match="KAL-0 is not withdrawn"):
        store.restore_rows(batch.batch_id, ["KAL-0"], by=ANA)
    store.withdraw_rows(batch.batch_id, ["KAL-0"], by=ANA, reason="in the sea")
    with pytest.raises(StoreError, match="KAL-0 is already withdrawn; restore it first"):
        store.withdraw_rows(batch.batch_id, ["KAL-0", "KAL-1"], by=ANA, reason="again")
    # All or nothing: KAL-1 was not withdrawn with the refused KAL-0.
    assert store.row_withdrawals(in_force=True)["row_key"].tolist() == ["KAL-0"]
    store.withdraw(other.batch_id, by=ANA, reason="wrong office")
    with pytest.raises(StoreError, match="withdrawn whole; restore it before"):
        store.withdraw_rows(other.batch_id, ["OUB-1"], by=ANA, reason="in the sea")


def test_accepting_some_rows_withdraws_the_others_in_one_go(store):
    batch = _commit(store, "KAL", review=UNDER_REVIEW, rejected=2)
    with pytest.raises(StoreError, match="OUB-9 is not a row of batch"):
        store.accept_rows(batch.batch_id, ["KAL-0", "OUB-9"], by=ANA, reason="x")
    with pytest.raises(ValueError, match="rows left out are withdrawn"):
        store.accept_rows(batch.batch_id, ["KAL-0"], by=ANA, reason="")
    assert store.batch(batch.batch_id).review == UNDER_REVIEW  # nothing done
    accepted, left_out = store.accept_rows(
        batch.batch_id, ["KAL-0", "KAL-2", "KAL-4"], by=ANA, reason="repeats of ACLED events"
    )
    assert (accepted.review, accepted.reviewed_by) == (ACCEPTED, "ana")
    assert left_out == ["KAL-1", "KAL-3"]
    assert _ids(store.layer("incidents")) == ["KAL-0", "KAL-2", "KAL-4"]
    review = store.audit_log().iloc[-1]
    assert review["action"] == "review"
    assert json.loads(review["details"]) == {
        "review": "accepted", "rows_accepted": 3, "rows_withdrawn": 2,
    }  # fmt: skip
    # The accounting stays true and says what was withdrawn after import.
    counts = accounting(accepted, len(store.row_withdrawals(batch.batch_id, in_force=True)))
    assert counts["rows_read"] == 7 == counts["stored"] + counts["rejected"]
    assert (counts["stored"], counts["withdrawn_after_import"], counts["in_analysis"]) == (5, 2, 3)
    assert counts["in_analysis"] == len(store.layer("incidents"))
    with pytest.raises(StoreError, match="already accepted by ana"):
        store.accept_rows(batch.batch_id, ["KAL-0"], by=ANA, reason="again")


def test_a_withdrawn_row_keeps_its_id(store):
    batch = _commit(store, "KAL", n=2)
    store.withdraw_rows(batch.batch_id, ["KAL-1"], by=ANA, reason="wrong date")
    # Its id stays the batch's: another file cannot take it while it may be restored.
    assert store.existing_ids("incidents", ["KAL-1"]) == {"KAL-1": batch.batch_id}


def test_the_database_keeps_every_withdrawal(store_location):
    store = open_store(store_location)
    batch = _commit(store, "KAL", n=2)
    store.withdraw_rows(batch.batch_id, ["KAL-1"], by=ANA, reason="wrong date")
    if store_location.endswith(".gpkg"):
        with sqlite3.connect(store_location) as conn, pytest.raises(sqlite3.DatabaseError):
            conn.execute("DELETE FROM row_withdrawals")
        with sqlite3.connect(store_location) as conn, pytest.raises(sqlite3.IntegrityError):
            # A second withdrawal in force of the same row.
            conn.execute(
                "INSERT INTO row_withdrawals (layer, row_key, batch_id, reason, withdrawn_by, "
                "withdrawn_at) VALUES ('incidents', 'KAL-1', 1, 'x', 'x', 'x')"
            )
    else:
        with psycopg.connect(store_location) as conn, pytest.raises(psycopg.errors.RaiseException):
            conn.execute("DELETE FROM pocmap.row_withdrawals")
    assert len(store.row_withdrawals()) == 1


@pytest.mark.parametrize(
    "target_kind", ["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)]
)
def test_migrate_copies_the_withdrawals(tmp_path, request, target_kind):
    source = open_store(tmp_path / "source.gpkg")
    batch = _commit(source, "KAL")
    source.withdraw_rows(batch.batch_id, ["KAL-0", "KAL-1"], by=ANA, reason="in the sea")
    source.restore_rows(batch.batch_id, ["KAL-1"], by=KIM)
    target = open_store(
        tmp_path / "target.gpkg"
        if target_kind == "geopackage"
        else request.getfixturevalue("postgis_url")
    )
    report = migrate(source, target, by=ANA)
    assert report.row_withdrawals == 2
    pd.testing.assert_frame_equal(target.row_withdrawals(), source.row_withdrawals())
    pd.testing.assert_frame_equal(target.layer("incidents"), source.layer("incidents"))
    assert "KAL-0" not in _ids(target.layer("incidents"))
    # The copy's numbering goes on after the copied withdrawals.
    target.withdraw_rows(batch.batch_id, ["KAL-2"], by=ANA, reason="a duplicate")
    assert target.row_withdrawals()["withdrawal_id"].tolist()[-1] == 3
