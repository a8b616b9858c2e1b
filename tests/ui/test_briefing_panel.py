"""The Briefing action on the map and analysis pages, under AppTest on the sample."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from schema.mission import SAMPLE_DIR

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "map": ROOT / "ui" / "pages" / "joint_map.py",
    "analysis": ROOT / "ui" / "pages" / "joint_analysis.py",
}


@pytest.fixture(autouse=True)
def sample_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("POCMAP_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "store.gpkg"))
    monkeypatch.delenv("POCMAP_TILE_URL", raising=False)
    monkeypatch.delenv("POCMAP_MARKING", raising=False)
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _downloads(at: AppTest) -> dict[str, str]:
    return {b.proto.label: b.proto.url for b in at.get("download_button")}


@pytest.mark.parametrize("key", list(PAGES))
def test_one_click_gives_the_preview_and_both_files(key):
    at = AppTest.from_file(str(PAGES[key]), default_timeout=180).run()
    before = set(_downloads(at))
    assert not at.get("image")
    at.button(key=f"{key}_briefing").click().run()
    assert not at.exception, [e.message for e in at.exception]
    added = set(_downloads(at)) - before
    assert {"PNG for slides", "PDF (A4)"} <= added
    assert {
        "GeoPackage (every layer)",
        "GeoJSON (incidents)",
        "CSV (incidents)",
        "Interactive map (HTML)",
    } <= added
    assert len(at.get("image")) == 1  # the preview
    assert at.text_input(key=f"{key}_brief_marking").value == "UN CONFIDENTIAL"
    assert at.selectbox(key=f"{key}_brief_level").value == "shareable"


def test_options_change_the_briefing_and_bad_widths_cannot_be_asked():
    at = AppTest.from_file(str(PAGES["map"]), default_timeout=180).run()
    at.button(key="map_briefing").click().run()
    made = at.session_state["map_brief_made"]
    assert made.options.disclosure.level == "shareable"
    at.selectbox(key="map_brief_level").set_value("points").run()
    assert not at.exception, [e.message for e in at.exception]
    points = at.session_state["map_brief_made"]
    assert points.options.disclosure.level == "points" and points.png != made.png
    at.text_input(key="map_brief_marking").set_value("UN RESTRICTED").run()
    assert at.session_state["map_brief_made"].options.marking == "UN RESTRICTED"
    at.selectbox(key="map_brief_level").set_value("shareable").run()
    at.toggle(key="map_brief_auto").set_value(False).run()
    width = at.number_input(key="map_brief_cell")
    assert width.min == 5.0  # the shareable level never offers cells under 5 km
    # Pressing the button again folds the panel away.
    at.button(key="map_briefing").click().run()
    assert not at.get("image")
