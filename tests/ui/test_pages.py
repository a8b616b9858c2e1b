"""The Streamlit pages, run headless with AppTest on the tiny mission.

AppTest cannot draw the folium map (it is an unknown component element), so these tests
look at what the page computes: metrics, captions, widgets and tables.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from schema.mission import save_folder
from tests.tiny_mission import tiny_mission

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = sorted((ROOT / "ui" / "pages").glob("[!_]*.py"))
JOINT_MAP = str(ROOT / "ui" / "pages" / "joint_map.py")
LAYERS_AND_CODES = str(ROOT / "ui" / "pages" / "layers_and_codes.py")


@pytest.fixture(autouse=True)
def tiny_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tiny"
    save_folder(tiny_mission(), folder)
    monkeypatch.setenv("POCMAP_DATA_DIR", str(folder))
    # The Upload page opens the store: never the repository's own data/ folder.
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "store.gpkg"))
    monkeypatch.delenv("POCMAP_DATA_LABEL", raising=False)
    monkeypatch.delenv("POCMAP_TILE_URL", raising=False)
    st.cache_resource.clear()
    yield folder
    st.cache_resource.clear()


def run(path: str) -> AppTest:
    at = AppTest.from_file(path, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def shown(at: AppTest) -> str:
    return metrics(at)["Incidents shown"]


def test_app_runs_the_joint_map_by_default():
    at = run(APP)
    assert shown(at) == "8"
    assert at.title[0].value == "Joint POC and political map"


def test_app_switches_to_layers_and_codes():
    at = run(APP)
    at.switch_page("ui/pages/layers_and_codes.py").run()
    assert not at.exception
    assert at.title[0].value == "Layers and codes"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_runs(page):
    at = run(str(page))
    assert at.title


def test_joint_map_metrics():
    at = run(JOINT_MAP)
    assert metrics(at) == {
        "Incidents shown": "8",
        "Fatalities": "5",
        "Local processes": "1",
        "Local agreements": "3",
    }
    assert at.caption[-1].value == "Showing 8 of 8 incidents, 05 Jan 2024 to 30 May 2024."
    assert at.caption[0].value == "tiny"  # the folder's name labels the data
    counts = at.markdown[0].value
    assert ":gray[Revenge] **2**" in counts
    assert ":gray[Collateral harm] **1**" in counts


def test_joint_map_filter_by_motivation():
    at = run(JOINT_MAP)
    at.multiselect(key="map_filter_motivation").set_value(["revenge"]).run()
    assert not at.exception
    assert metrics(at) == {
        "Incidents shown": "2",
        "Fatalities": "2",
        "Local processes": "1",
        "Local agreements": "3",
    }
    assert ":gray[Revenge] **2**" in at.markdown[0].value
    assert ":gray[Predation] **0**" in at.markdown[0].value


def test_joint_map_filter_by_office_filters_political_work():
    at = run(JOINT_MAP)
    assert at.multiselect(key="map_filter_office").options == ["FO E", "FO W"]
    at.multiselect(key="map_filter_office").set_value(["FO E"]).run()
    assert metrics(at) == {
        "Incidents shown": "4",
        "Fatalities": "3",
        "Local processes": "0",
        "Local agreements": "2",
    }


def test_joint_map_period():
    at = run(JOINT_MAP)
    at.date_input(key="map_filter_period").set_value(
        (dt.date(2024, 1, 20), dt.date(2024, 3, 2))
    ).run()
    assert not at.exception
    assert shown(at) == "3"
    assert at.caption[-1].value == "Showing 3 of 8 incidents, 20 Jan 2024 to 02 Mar 2024."


def test_joint_map_period_while_picking_keeps_the_last_date():
    at = run(JOINT_MAP)
    at.date_input(key="map_filter_period").set_value((dt.date(2024, 4, 1),)).run()
    assert not at.exception
    assert shown(at) == "3"


def test_joint_map_step_through_months():
    at = run(JOINT_MAP)
    at.toggle(key="map_filter_step").set_value(True).run()
    assert not at.exception
    month = at.select_slider(key="map_filter_month")
    assert month.options == ["Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024", "May 2024"]
    assert month.value == pd.Period("2024-05", "M")
    assert shown(at) == "1"
    assert at.caption[-1].value == "Showing 1 of 8 incidents, 01 May 2024 to 30 May 2024."
    month.set_value(pd.Period("2024-01", "M")).run()
    assert shown(at) == "2"
    assert at.caption[-1].value == "Showing 2 of 8 incidents, 05 Jan 2024 to 31 Jan 2024."
    at.multiselect(key="map_filter_motivation").set_value(["revenge"]).run()
    assert shown(at) == "2"
    at.toggle(key="map_filter_step").set_value(False).run()
    assert not at.exception
    assert shown(at) == "2"
    assert not at.select_slider


def test_step_through_months_stays_inside_the_period():
    at = run(JOINT_MAP)
    at.date_input(key="map_filter_period").set_value(
        (dt.date(2024, 1, 20), dt.date(2024, 3, 2))
    ).run()
    at.toggle(key="map_filter_step").set_value(True).run()
    assert at.select_slider(key="map_filter_month").options == [
        "Jan 2024",
        "Feb 2024",
        "Mar 2024",
    ]
    assert shown(at) == "1"  # T-4 on 2 March
    assert at.caption[-1].value == "Showing 1 of 8 incidents, 01 Mar 2024 to 02 Mar 2024."


def test_joint_map_basemap_and_density():
    at = run(JOINT_MAP)
    assert at.selectbox(key="map_base").options == [
        "Offline basemap (no internet needed)",
        "OpenStreetMap (needs internet)",
    ]
    at.selectbox(key="map_base").set_value("openstreetmap").run()
    at.toggle(key="map_density").set_value(True).run()
    assert not at.exception
    assert shown(at) == "8"


def test_joint_map_offers_the_mission_tile_server(monkeypatch):
    monkeypatch.setenv("POCMAP_TILE_URL", "https://tiles.mission.un/{z}/{x}/{y}.png")
    at = run(JOINT_MAP)
    assert at.selectbox(key="map_base").options[-1] == "Mission tile server"
    at.selectbox(key="map_base").set_value("custom").run()
    assert not at.exception


def test_layers_and_codes_lists_the_layers(tiny_folder):
    at = run(LAYERS_AND_CODES)
    assert at.title[0].value == "Layers and codes"
    layers = at.dataframe[0].value
    assert layers.to_dict("list") == {
        "Layer": [
            "Incidents",
            "National process milestones",
            "Local political processes",
            "Local agreements",
            "Mission presence (offices, areas, bases)",
            "Administrative areas",
        ],
        "Rows": [8, 2, 1, 3, 4, 6],
    }
    assert f"Loaded from the folder `{tiny_folder.resolve()}`." in [m.value for m in at.markdown]
    assert [e.label for e in at.expander][:3] == [
        "Motivation",
        "Motivation confidence",
        "Motivation coded by",
    ]
    origins = at.dataframe[4].value  # layers, milestones, then one table per code list
    assert origins.to_dict("list") == {
        "Code": ["source", "analyst", "suggestion"],
        "Meaning": ["As sent", "Coded by an analyst", "Accepted suggestion"],
    }
    motivations = at.dataframe[2].value
    assert motivations["Code"].tolist() == [
        "predation",
        "extraction",
        "revenge",
        "collateral",
        "political",
        "punitive",
        "unknown",
    ]


def test_layers_and_codes_national_process_in_date_order():
    at = run(LAYERS_AND_CODES)
    milestones = at.dataframe[1].value
    assert milestones["kind"].tolist() == ["Negotiation round", "Signature"]


def test_data_label_from_the_environment(monkeypatch):
    monkeypatch.setenv("POCMAP_DATA_LABEL", "Tiny test mission, synthetic")
    at = run(JOINT_MAP)
    assert at.caption[0].value == "Tiny test mission, synthetic"
