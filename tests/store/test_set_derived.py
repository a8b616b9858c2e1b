"""set_derived: columns pocmap sets itself, written on stored rows of every batch, at once,
with one audit entry (both backends)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from store import StoreError
from tests.store import helpers


def _commit(store, frame, original: bytes):
    return store.commit_batch(
        helpers.new_batch("incidents", frame, original),
        frame,
        report=helpers.REPORT,
        original=original,
        id_column="incident_id",
    )


def _values(rows: dict[str, dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "incident_id"
    return frame


def test_derived_columns_are_written_on_every_batch_with_one_audit_entry(store):
    first = _commit(store, helpers.incidents(3, "A"), b"a")
    _commit(store, helpers.incidents(2, "B", seed=1), b"b")
    store.withdraw(first.batch_id, by="an.analyst", reason="checking")
    entries_before = len(store.audit_log())
    values = _values(
        {
            "A-0": {"admin1": "Ouaka", "place_note": "outside the loaded boundaries"},
            "A-2": {"admin1": "Kémo", "place_note": None},
            "B-1": {"admin1": "Ouaka", "place_note": None},
        }
    )
    changed = store.set_derived("incidents", values, by="an.analyst", reason="boundaries changed")
    assert changed == 3
    stored = store.layer("incidents", include_withdrawn=True).set_index("incident_id")
    assert stored.loc["A-0", "admin1"] == "Ouaka"  # a withdrawn batch's row too
    assert stored.loc["A-0", "place_note"] == "outside the loaded boundaries"
    assert stored.loc["A-2", "admin1"] == "Kémo"
    assert stored.loc["B-1", "admin1"] == "Ouaka"
    assert stored.loc["A-1", "admin1"] == "Kalondo"  # not given: untouched
    assert pd.isna(stored.loc["B-0", "place_note"])
    log = store.audit_log()
    assert len(log) == entries_before + 1
    entry = log.iloc[-1]
    assert entry["action"] == "derive"
    assert entry["actor"] == "an.analyst"
    details = json.loads(entry["details"])
    assert details == {
        "layer": "incidents",
        "columns": ["admin1", "place_note"],
        "rows_given": 3,
        "rows_changed": 3,
        "reason": "boundaries changed",
    }
    # The same values again change nothing (and say so).
    assert store.set_derived("incidents", values, by="an.analyst", reason="again") == 0
    assert store.verify_audit().intact


def test_links_columns_take_flags(store):
    _commit(store, helpers.incidents(2, "A"), b"a")
    values = _values(
        {
            "A-0": {"event_group": "G1", "counted": True},
            "A-1": {"event_group": "G1", "counted": False},
        }
    )
    assert store.set_derived("incidents", values, by="linker", reason="linked") == 2
    stored = store.layer("incidents").set_index("incident_id")
    assert stored.loc["A-0", "counted"] == True  # noqa: E712 (a nullable boolean)
    assert stored.loc["A-1", "counted"] == False  # noqa: E712
    assert stored.loc["A-1", "event_group"] == "G1"


@pytest.mark.parametrize(
    ("columns", "problem"),
    [
        ({"motivation": "revenge"}, "motivation cannot be set as derived values"),
        ({"narrative": "x", "admin1": "Ouaka"}, "narrative cannot be set"),
        ({"made_up": 1}, "made_up cannot be set"),
    ],
)
def test_columns_read_from_files_are_refused_and_nothing_is_written(store, columns, problem):
    _commit(store, helpers.incidents(1, "A"), b"a")
    before = store.audit_log()
    with pytest.raises(StoreError, match=problem) as refused:
        store.set_derived("incidents", _values({"A-0": columns}), by="x", reason="why")
    assert "admin1, admin2, field_office" in str(refused.value) or "place_note" in str(
        refused.value
    )
    assert store.layer("incidents")["admin1"].tolist() == ["Kalondo"]
    assert len(store.audit_log()) == len(before)


def test_a_layer_without_ids_an_empty_reason_or_repeated_ids_are_refused(store):
    _commit(store, helpers.incidents(1, "A"), b"a")
    with pytest.raises(StoreError, match="no id column"):
        store.set_derived("basemap", pd.DataFrame({"name": ["x"]}), by="x", reason="r")
    with pytest.raises(StoreError, match="reason"):
        store.set_derived("incidents", _values({"A-0": {"admin1": "X"}}), by="x", reason=" ")
    twice = pd.DataFrame({"admin1": ["X", "Y"]}, index=pd.Index(["A-0", "A-0"]))
    with pytest.raises(StoreError, match="each id once"):
        store.set_derived("incidents", twice, by="x", reason="r")


@pytest.mark.postgis
def test_postgis_counts_filter_places_however_spelt(postgis_url):
    from schema.filters import IncidentFilter
    from store import open_store

    store = open_store(postgis_url)
    _commit(store, helpers.incidents(3, "A"), b"a")  # admin1 Kalondo, office "A"
    for selection, expected in (
        (IncidentFilter(admin1=frozenset({"KALONDO"})), 3),
        (IncidentFilter(admin1=frozenset({"Kalondo prefecture"})), 3),
        (IncidentFilter(admin1=frozenset({"Kalondo", "Nowhere"})), 3),
        (IncidentFilter(admin1=frozenset({"Nowhere"})), 0),
        (IncidentFilter(field_offices=frozenset({"a"})), 3),
    ):
        assert store.incident_extent(selection)[1] == expected, selection
