"""Bulk coding through the session (Session.bulk_edit_motivation): one transaction, one
history row and audit entry per incident changed, unchanged ones reported; both backends."""

from __future__ import annotations

import pytest

from access.policy import Denied
from access.roles import ADMIN, ANALYST, FIELD_OFFICE, VIEWER, Caller
from access.session import Session
from store import open_store
from tests.store import helpers

BACKENDS = ["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    location = (
        str(tmp_path / "data" / "pocmap.gpkg")
        if request.param == "geopackage"
        else request.getfixturevalue("postgis_url")
    )
    store = open_store(location)
    frame = helpers.incidents(4, "K")
    frame["motivation"] = ["unknown", "unknown", "predation", "unknown"]
    frame["motivation_confidence"] = [None, None, "probable", None]
    original = b"bulk"
    store.commit_batch(
        helpers.new_batch("incidents", frame, original),
        frame,
        report=helpers.REPORT,
        original=original,
        id_column="incident_id",
    )
    return store


def test_each_incident_changed_has_its_history_and_audit_entry(store):
    session = Session(store, Caller("ana", ANALYST))
    before = len(store.audit_log())
    outcome = session.bulk_edit_motivation(
        ["K-0", "K-2", "K-1", "K-0"],
        motivation="predation",
        confidence="probable",
        reason="cattle raids of March",
    )
    assert outcome == {"changed": ["K-0", "K-1"], "unchanged": ["K-2"]}
    rows = store.layer("incidents").set_index("incident_id")
    assert rows.loc[["K-0", "K-1", "K-2", "K-3"], "motivation"].tolist() == [
        "predation", "predation", "predation", "unknown",
    ]  # fmt: skip
    assert rows.loc[["K-0", "K-1"], "motivation_origin"].tolist() == ["analyst", "analyst"]
    edits = store.edits("incidents")
    assert set(edits["row_key"]) == {"K-0", "K-1"}
    assert set(edits["edited_by"]) == {"ana"}
    assert set(edits["reason"]) == {"cattle raids of March"}
    # motivation, its origin and the confidence per incident
    assert sorted(edits.loc[edits["row_key"] == "K-0", "column"]) == [
        "motivation", "motivation_confidence", "motivation_origin",
    ]  # fmt: skip
    assert len(store.audit_log()) - before == 2


def test_a_confidence_alone_leaves_the_origin(store):
    session = Session(store, Caller("ana", ANALYST))
    outcome = session.bulk_edit_motivation(["K-2"], confidence="confirmed", reason="witness")
    assert outcome == {"changed": ["K-2"], "unchanged": []}
    assert list(store.edits("incidents", "K-2")["column"]) == ["motivation_confidence"]


def test_a_reason_is_required_and_an_unknown_id_changes_nothing(store):
    session = Session(store, Caller("ana", ANALYST))
    with pytest.raises(ValueError, match="reason"):
        session.bulk_edit_motivation(["K-0"], motivation="revenge", reason="  ")
    with pytest.raises(KeyError, match="NOPE"):
        session.bulk_edit_motivation(["K-0", "NOPE"], motivation="revenge", reason="x")
    with pytest.raises(ValueError, match="motivation"):
        session.bulk_edit_motivation(["K-0"], reason="x")
    assert store.edits("incidents").empty


@pytest.mark.parametrize(
    "caller",
    [Caller("lead", VIEWER), Caller("kim", FIELD_OFFICE, "Kalondo office"), Caller("it", ADMIN)],
    ids=lambda c: c.role,
)
def test_only_analysts_may_bulk_code_and_a_refusal_is_audited(store, caller):
    with pytest.raises(Denied):
        Session(store, caller).bulk_edit_motivation(["K-0"], motivation="revenge", reason="x")
    assert store.edits("incidents").empty
    assert store.audit_log()["action"].iloc[-1] == "denied"
