"""Reviews, edits with their history, and the append-only audit log, on both stores."""

from __future__ import annotations

import dataclasses
import json

import pytest

from store import StoreError
from store.base import ACCEPTED, UNDER_REVIEW, Actor
from tests.store import helpers


def _commit(store, prefix: str, review: str = ACCEPTED, by=None):
    rows = helpers.incidents(3, prefix)
    original = prefix.encode()
    batch = dataclasses.replace(helpers.new_batch("incidents", rows, original), review=review)
    return store.commit_batch(
        batch, rows, report=helpers.REPORT, original=original, id_column="incident_id", by=by
    )


def test_a_batch_under_review_waits_for_an_analyst(store):
    batch = _commit(store, "KAL", UNDER_REVIEW)
    assert (batch.review, batch.reviewed_by, batch.in_analysis) == (UNDER_REVIEW, None, False)
    accepted = store.accept(batch.batch_id, by=Actor("ana", "analyst"))
    assert (accepted.review, accepted.reviewed_by, accepted.in_analysis) == (ACCEPTED, "ana", True)
    assert accepted.reviewed_at >= batch.imported_at
    with pytest.raises(StoreError, match="already accepted by ana"):
        store.accept(batch.batch_id, by="ana")
    # An accepted-at-once batch is reviewed by whoever imported it.
    direct = _commit(store, "OUB")
    assert (direct.review, direct.reviewed_by) == (ACCEPTED, "a.officer")


def test_a_withdrawn_batch_cannot_be_accepted(store):
    batch = _commit(store, "KAL", UNDER_REVIEW)
    store.withdraw(batch.batch_id, by="ana", reason="wrong office")
    with pytest.raises(StoreError, match="is withdrawn; restore it"):
        store.accept(batch.batch_id, by="ana")


def test_edits_change_the_row_and_keep_who_when_before_after(store):
    _commit(store, "KAL")
    store.edit(
        "incidents",
        "KAL-1",
        {"motivation": "predation", "motivation_confidence": "confirmed"},
        by=Actor("ana", "analyst"),
        reason="cattle taken, two witnesses",
    )
    row = store.layer("incidents").set_index("incident_id").loc["KAL-1"]
    assert (row["motivation"], row["motivation_confidence"]) == ("predation", "confirmed")
    history = store.edits("incidents", "KAL-1")
    assert history[["column", "before", "after", "edited_by"]].values.tolist() == [
        ["motivation", "revenge", "predation", "ana"],
        ["motivation_confidence", "probable", "confirmed", "ana"],
    ]
    assert set(history["reason"]) == {"cattle taken, two witnesses"}
    assert history["batch_id"].tolist() == [1, 1]
    # The other rows are untouched.
    others = store.layer("incidents").query("incident_id != 'KAL-1'")
    assert set(others["motivation"]) == {"revenge"}


@pytest.mark.parametrize(
    ("changes", "reason", "error", "message"),
    [
        ({"narrative": "x"}, "r", ValueError, "incidents.narrative cannot be edited"),
        ({"motivation": "greed"}, "r", ValueError, "motivation 'greed' is not one of"),
        ({"motivation": "predation"}, " ", ValueError, "an edit must say why"),
        ({"motivation": "revenge"}, "r", ValueError, "nothing to change"),
    ],
)
def test_edits_that_cannot_be_made_are_refused(store, changes, reason, error, message):
    _commit(store, "KAL")
    with pytest.raises(error, match=message):
        store.edit("incidents", "KAL-0", changes, by="ana", reason=reason)
    assert store.edits().empty
    with pytest.raises(KeyError, match="no incidents row in an active batch has incident_id"):
        store.edit("incidents", "NOPE-1", {"motivation": "predation"}, by="ana", reason="r")


def test_every_write_leaves_one_audit_entry_with_who_and_what(store):
    analyst = Actor("ana", "analyst")
    batch = _commit(store, "KAL", UNDER_REVIEW, by=Actor("fo", "field_office", "Kalondo office"))
    store.accept(batch.batch_id, by=analyst)
    store.edit("incidents", "KAL-0", {"motivation": "predation"}, by=analyst, reason="r")
    store.withdraw(batch.batch_id, by=analyst, reason="duplicate of HRD's")
    store.restore(batch.batch_id, by=analyst)
    store.save_mapping("kobo", "incidents", {"date": "today"}, office="Kalondo office", by="fo")
    store.record("sign_in", by=analyst, details={"method": "password"})
    store.record("briefing", by=analyst, target="brief.pdf", details={"level": "shareable"})
    store.record("export", by=analyst, target="layers.gpkg", details={"format": "gpkg"})
    log = store.audit_log()
    assert log["action"].tolist() == [
        "upload", "review", "edit", "withdraw", "restore", "save_mapping",
        "sign_in", "briefing", "export",
    ]  # fmt: skip
    assert log["seq"].is_monotonic_increasing and log["seq"].is_unique
    upload = log.iloc[0]
    assert (upload["actor"], upload["role"], upload["office"]) == (
        "fo",
        "field_office",
        "Kalondo office",
    )
    assert upload["target"] == f"batch {batch.batch_id}"
    assert json.loads(upload["details"])["rows_stored"] == 3
    edit = json.loads(log.iloc[2]["details"])
    assert edit["motivation"] == {"before": "revenge", "after": "predation"}
    assert set(log["actor"].iloc[1:5]) == {"ana"}
    assert log["at"].is_monotonic_increasing


def test_a_refused_write_leaves_no_audit_entry(store):
    _commit(store, "KAL")
    with pytest.raises(StoreError):
        _commit(store, "KAL")  # the same file again
    assert store.audit_log()["action"].tolist() == ["upload"]
