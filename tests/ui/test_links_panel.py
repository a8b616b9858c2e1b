"""The review page's queue of links: an analyst reads two sources' reports side by side and
confirms or splits; the store and the counts follow (AppTest, a real store)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.mission import from_layers
from schema.upload import Upload
from store import open_store

REVIEW = str(Path(__file__).resolve().parents[2] / "ui" / "pages" / "review.py")
HEADER = (
    "incident_id,date,incident_type,motivation,perpetrator_type,perpetrator_name,fatalities,"
    "location_precision,source,latitude,longitude\n"
)


def _import(store, name: str, rows: str) -> None:
    upload = Upload(name, (HEADER + rows).encode())
    options = ImportOptions(layer="incidents", office="JMAC", uploader="ana", profile="native")
    commit_import(store, preview_import(store, upload, options))


@pytest.fixture
def queued(tmp_path, monkeypatch):
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    st.cache_resource.clear()
    store = open_store(path)
    # One killing, two sources, a day and 3 km apart: the perpetrators contradict, so
    # pocmap asks rather than links.
    _import(
        store,
        "acled.csv",
        "A-1,2024-03-04,killing,unknown,state_forces,FACA,4,exact,ACLED: Corbeau News,5.75,20.67\n",
    )
    _import(
        store,
        "ucdp.csv",
        "U-1,2024-03-05,killing,unknown,non_state_armed_group,UPC,5,exact,UCDP GED: Reuters,"
        "5.77,20.68\n",
    )
    yield store
    st.cache_resource.clear()


def test_the_queue_shows_both_reports_and_a_split_is_kept(queued):
    store = queued
    (link,) = store.links("queued").itertuples(index=False)
    at = AppTest.from_file(REVIEW, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(s.value == "Same event, several sources" for s in at.subheader)
    table = at.dataframe[-3].value  # the queue, then report a, then report b
    assert table["incident_id (a)"].tolist() == ["A-1"]
    assert table["incident_id (b)"].tolist() == ["U-1"]
    assert any("contradict" in c.value for c in at.caption)
    at.text_input(key="links_reason").input("FACA and UPC: two clashes, two events").run()
    at.button(key="links_split").click().run()
    assert not at.exception, [e.message for e in at.exception]
    decided = store.links().set_index("link_id").loc[link.link_id]
    assert decided["status"] == "split" and decided["decision_reason"].startswith("FACA and UPC")
    assert len(from_layers(store.layer).incidents) == 2  # two events, both counted


def test_a_confirmation_counts_the_event_once(queued):
    store = queued
    at = AppTest.from_file(REVIEW, default_timeout=60).run()
    at.text_input(key="links_reason").input("same victims named in both").run()
    at.button(key="links_confirmed").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert store.links()["status"].tolist() == ["confirmed"]
    incidents = from_layers(store.layer).incidents
    # The UCDP report is counted (by default UCDP GED before ACLED), with both figures kept.
    assert incidents["incident_id"].tolist() == ["U-1"]
    assert (
        incidents["linked_fatalities_low"].item(),
        incidents["linked_fatalities_high"].item(),
    ) == (4, 5)
    assert "No link is waiting." in " ".join(m.value for m in at.markdown)
