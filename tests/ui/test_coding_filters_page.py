"""The sidebar's coding filters under AppTest: "confirmed and probable only" in one click,
the confidence and "coded by" multiselects, and the note on suggestion-coded incidents."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from access.roles import ANALYST, Caller
from access.session import Session
from analysis.filters import filter_incidents
from languages import format_number, use
from schema.filters import IncidentFilter
from schema.mission import SAMPLE_DIR, load_sample
from store import open_store
from tests.ingest import uploads
from tests.languages.english import english_left
from tests.store import helpers

ROOT = Path(__file__).resolve().parents[2]
JOINT_MAP = str(ROOT / "ui" / "pages" / "joint_map.py")
JOINT_ANALYSIS = str(ROOT / "ui" / "pages" / "joint_analysis.py")
FIRM = frozenset({"confirmed", "probable"})


@pytest.fixture
def sample_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("POCMAP_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "store.gpkg"))
    monkeypatch.delenv("POCMAP_TILE_URL", raising=False)
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    st.cache_resource.clear()
    yield load_sample().incidents
    st.cache_resource.clear()


def _run(page: str) -> AppTest:
    at = AppTest.from_file(page, default_timeout=300).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize(
    ("page", "metric"), [(JOINT_ANALYSIS, "Incidents analysed"), (JOINT_MAP, "Incidents shown")]
)
def test_confirmed_and_probable_only_in_one_click(sample_folder, page, metric):
    incidents = sample_folder
    firm = len(filter_incidents(incidents, IncidentFilter(confidences=FIRM)))
    confirmed = len(
        filter_incidents(incidents, IncidentFilter(confidences=frozenset({"confirmed"})))
    )
    # The sample holds possible codes and incidents not yet assessed: the counts must drop.
    assert confirmed < firm < len(incidents)
    at = _run(page)
    assert _metric(at, metric) == format_number(len(incidents))
    at.toggle(key="map_filter_firm").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect(key="map_filter_confidence").value == ["confirmed", "probable"]
    assert _metric(at, metric) == format_number(firm)
    # Choosing another mix in the multiselect turns the toggle off.
    at.multiselect(key="map_filter_confidence").set_value(["confirmed"]).run()
    assert at.toggle(key="map_filter_firm").value is False
    assert _metric(at, metric) == format_number(confirmed)
    at.toggle(key="map_filter_firm").set_value(True).run()
    at.toggle(key="map_filter_firm").set_value(False).run()
    assert at.multiselect(key="map_filter_confidence").value == []
    assert _metric(at, metric) == format_number(len(incidents))


def test_the_analysis_says_why_the_count_dropped(sample_folder):
    at = _run(JOINT_ANALYSIS)
    at.toggle(key="map_filter_firm").set_value(True).run()
    left_out = len(sample_folder) - len(
        filter_incidents(sample_folder, IncidentFilter(confidences=FIRM))
    )
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    assert f"{format_number(left_out)} incidents of this selection were left out" in notes
    assert "coded confirmed or probable" in notes


@pytest.fixture
def coded_store(tmp_path, monkeypatch):
    """A store of 40 incidents, 3 of them coded by accepting a suggestion."""
    path = uploads.store_with_boundaries(tmp_path / "store.gpkg")
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    st.cache_resource.clear()
    store = open_store(path)
    rows = helpers.incidents(40, "C", seed=5)
    store.commit_batch(
        helpers.new_batch("incidents", rows, b"c"),
        rows,
        report=helpers.REPORT,
        original=b"c",
        id_column="incident_id",
    )
    session = Session(store, Caller("ana", ANALYST, None))
    for incident in ("C-0", "C-1", "C-2"):
        session.edit_motivation(
            incident, motivation="predation", reason="rule", origin="suggestion"
        )
    yield store
    st.cache_resource.clear()


def test_suggestion_coded_incidents_stay_distinguishable(coded_store):
    at = _run(JOINT_ANALYSIS)
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    assert (
        "3 of the 40 assessed incidents in this selection (8 %) were coded by an analyst" in notes
    )
    drivers = next(df.value for df in at.dataframe if "coded_by_suggestion" in df.value.columns)
    assert drivers["coded_by_suggestion"].sum() == 3
    origin = at.multiselect(key="map_filter_origin")
    assert origin.label == "Motivation coded by" and origin.placeholder == "All"
    assert origin.options == ["As sent", "Coded by an analyst", "Accepted suggestion"]
    origin.set_value(["suggestion"]).run()
    assert not at.exception, [e.message for e in at.exception]
    assert _metric(at, "Incidents analysed") == "3"
    at.multiselect(key="map_filter_origin").set_value(["source", "analyst"]).run()
    assert _metric(at, "Incidents analysed") == "37"
    assert not any("accepting" in i.value for i in at.info)


def test_the_coding_filters_speak_french(coded_store, monkeypatch):
    monkeypatch.setenv("POCMAP_LANG", "fr")
    at = _run(JOINT_ANALYSIS)
    texts = [at.toggle(key="map_filter_firm").label, at.toggle(key="map_filter_firm").help]
    for key in ("map_filter_confidence", "map_filter_origin"):
        widget = at.multiselect(key=key)
        texts += [widget.label, widget.placeholder, *widget.options]
    texts += [i.value.replace("\\", "") for i in at.info]
    with use("fr"):
        assert at.multiselect(key="map_filter_origin").label == "Motivation codée par"
        found = {t: english_left(t, ignoring={"pocmap"}) for t in texts}
    assert {t: w for t, w in found.items() if w} == {}
    assert any("3 des 40 incidents évalués" in t for t in texts)
    at.toggle(key="map_filter_firm").set_value(True).run()
    assert at.multiselect(key="map_filter_confidence").value == ["confirmed", "probable"]
    assert pd.notna(at.metric[0].value)
