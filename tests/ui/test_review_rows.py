"""The review page sees a batch's rows (AppTest, a real store): the rows with their
narratives, each row beside the stored event it may report, accepting 3 of 5 rows (the 2
others withdrawn with the analyst's reason), withdrawing a row of an accepted batch, and
restoring; in French, no English left."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from access.roles import Caller
from access.session import Session
from ingest.pipeline import ImportOptions, commit_import, preview_import
from languages import use
from schema.mission import from_layers
from schema.upload import Upload
from store import open_store
from tests.ui.test_pages_in_french import data_values, english_on

REVIEW = str(Path(__file__).resolve().parents[2] / "ui" / "pages" / "review.py")
HEADER = (
    "incident_id,date,incident_type,motivation,perpetrator_type,perpetrator_name,fatalities,"
    "location_precision,source,latitude,longitude,narrative\n"
)
ANA = Caller("ana", "analyst")
KALONDO = Caller("kal", "field_office", "Kalondo office")
# Five reports from Kalondo; K-1 is the ACLED event A-1 sent again (same day, place, type,
# perpetrator), K-2..K-5 are days and kilometres apart from anything stored.
KALONDO_ROWS = "".join(
    f"K-{i},2024-03-{3 + 2 * i:02d},killing,unknown,state_forces,,{i},exact,office,"
    f"{5.75 + (i - 1) * 0.3:.3f},20.67,[SYNTHETIC] récit {i}\n"
    for i in range(1, 6)
)


def _import(session, name: str, rows: str, office: str) -> None:
    upload = Upload(name, (HEADER + rows).encode())
    options = session.import_options(
        ImportOptions(layer="incidents", office=office, uploader="x", profile="native")
    )
    commit_import(session, preview_import(session, upload, options))


@pytest.fixture
def waiting(tmp_path, monkeypatch):
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    monkeypatch.delenv("POCMAP_USERS", raising=False)
    st.cache_resource.clear()
    store = open_store(path)
    _import(
        Session(store, ANA),
        "acled.csv",
        "A-1,2024-03-05,killing,unknown,state_forces,,1,exact,ACLED: Corbeau News,5.75,20.67,"
        "[SYNTHETIC] acled\n",
        "JMAC",
    )
    _import(Session(store, KALONDO), "kalondo.csv", KALONDO_ROWS, "Kalondo office")
    yield store
    st.cache_resource.clear()


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _table(at: AppTest, column: str):
    """The first table of the page with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value)


def _in_analysis(store) -> list[str]:
    return sorted(from_layers(Session(store, ANA).layer).incidents["incident_id"])


def test_accept_three_of_five_rows_then_restore_one(waiting):
    store = waiting
    at = _run(AppTest.from_file(REVIEW, default_timeout=90))
    rows = _table(at, "narrative")
    assert rows["incident_id"].tolist() == [f"K-{i}" for i in range(1, 6)]
    assert rows["narrative"].tolist() == [f"[SYNTHETIC] récit {i}" for i in range(1, 6)]
    # K-1 beside the ACLED report of the same killing.
    pairs = _table(at, "row_incident_id")
    assert pairs[["row_incident_id", "stored_incident_id"]].values.tolist() == [["K-1", "A-1"]]
    assert pairs["stored_narrative"].tolist() == ["[SYNTHETIC] acled"]
    assert any("5 rows read" in c.value for c in at.caption)
    # No empty text cell left for Streamlit to write "None" in (English, in any language).
    for table in at.dataframe:
        frame = table.value
        text = [c for c in frame if not pd.api.types.is_numeric_dtype(frame[c])]
        assert not frame[text].isna().any().any(), frame[text]

    at.multiselect(key="review_leave_out").select("K-1").select("K-4")
    at.text_input(key="review_leave_out_reason").input("K-1 is ACLED's A-1; K-4 in the river")
    _run(at)
    button = at.button(key="review_accept")
    assert button.label == "Accept 3 rows, withdraw 2"
    button.click()
    _run(at)
    assert _in_analysis(store) == ["A-1", "K-2", "K-3", "K-5"]
    withdrawn = store.row_withdrawals(in_force=True)
    assert withdrawn["row_key"].tolist() == ["K-1", "K-4"]
    assert set(withdrawn["reason"]) == {"K-1 is ACLED's A-1; K-4 in the river"}
    # By the analyst who accepted (this machine's user: access control is off).
    assert set(withdrawn["withdrawn_by"]) == {store.batch(2).reviewed_by} != {None}
    log = store.audit_log()
    assert log["action"].tolist()[-3:] == ["withdraw_row", "withdraw_row", "review"]
    # The withdrawn rows, on the page with their reason; restore K-4.
    shown = _table(at, "row_key")
    assert shown["row_key"].tolist() == ["K-1", "K-4"]
    at.multiselect(key="review_restore_rows").select("2: K-4")
    _run(at)
    at.button(key="review_restore_button").click()
    _run(at)
    assert _in_analysis(store) == ["A-1", "K-2", "K-3", "K-4", "K-5"]
    assert store.row_withdrawals(in_force=True)["row_key"].tolist() == ["K-1"]
    actions = store.audit_log()["action"].tolist()
    assert actions.count("withdraw_row") == 2 and actions.count("restore_row") == 1


def test_withdraw_a_row_of_an_accepted_batch(waiting):
    store = waiting
    Session(store, ANA).accept(2)
    at = _run(AppTest.from_file(REVIEW, default_timeout=90))
    at.selectbox(key="review_accepted_batch").select(2)
    _run(at)
    assert _table(at, "narrative")["incident_id"].tolist() == [f"K-{i}" for i in range(1, 6)]
    at.multiselect(key="review_accepted_withdraw_rows").select("K-3")
    at.text_input(key="review_accepted_withdraw_reason").input(
        "date is the report's, not the event's"
    )
    _run(at)
    at.button(key="review_accepted_withdraw_button").click()
    _run(at)
    assert "K-3" not in _in_analysis(store)
    entry = store.audit_log().query("action == 'withdraw_row'").iloc[-1]
    assert (entry["role"], entry["target"]) == ("analyst", "incidents K-3")
    assert json.loads(entry["details"])["reason"] == "date is the report's, not the event's"


def test_the_review_page_in_french_leaves_no_english(waiting, monkeypatch):
    store = waiting
    Session(store, ANA).withdraw_rows(2, ["K-5"], reason="hors zone")
    monkeypatch.setenv("POCMAP_LANG", "fr")
    at = AppTest.from_file(REVIEW, default_timeout=90)
    _run(at)
    at.multiselect(key="review_leave_out").select("K-2")
    _run(at)
    with use("fr"):
        ignoring = data_values(Path(store.location))
    ignoring |= {"Kalondo office", "JMAC", "kalondo.csv", "hors zone", "ana", "kal"}
    with use("fr"):
        left = english_on(at, ignoring)
    assert left == {}, left
    assert any(s.value == "Lignes retirées" for s in at.subheader)
    # The same page in English: the check above would have found its words.
    monkeypatch.setenv("POCMAP_LANG", "en")
    english = _run(AppTest.from_file(REVIEW, default_timeout=90))
    assert english_on(english, ignoring)
