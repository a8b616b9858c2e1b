"""The joint analysis page lists the incidents behind a hot spot, an agreement's area and a
milestone's windows (AppTest on the sample folder): as many as the table counts, each
linking to the incident desk; nothing is drawn until a row is chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.joint import analyse
from schema.mission import SAMPLE_DIR, load_sample

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "ui" / "pages" / "joint_analysis.py")


@pytest.fixture(autouse=True)
def sample_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("POCMAP_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "store.gpkg"))
    monkeypatch.delenv("POCMAP_TILE_URL", raising=False)
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def result():
    return analyse(load_sample())


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _listed(at: AppTest, key: str):
    return next(df for df in at.dataframe if df.proto.id.endswith(f"{key}_table"))


def test_a_hot_spot_lists_its_incidents_and_links_one(result):
    at = _run(AppTest.from_file(PAGE, default_timeout=120))
    tables = len(at.dataframe)
    spots = at.selectbox(key="analysis_gaps_hot_spot")
    assert spots.value is None and len(spots.options) == len(result.gaps.hot_spots)
    cluster = int(result.gaps.hot_spots["cluster"].iloc[1])
    spots.set_value(cluster)
    _run(at)
    listed = _listed(at, "analysis_gaps_spot").value
    expected = result.gaps.hot_spots.set_index("cluster").loc[cluster, "incidents"]
    assert len(listed) == expected and len(at.dataframe) == tables + 1
    first = listed["incident_id"].iloc[0]
    at.session_state["analysis_gaps_spot_table"] = {"selection": {"rows": [0], "columns": []}}
    _run(at)
    # Run on its own (no app around it), the page links to the desk's address.
    links = [m.value for m in at.markdown if "incidents?incident=" in m.value]
    assert links == [
        f"[Open {first.replace('-', chr(92) + '-')} in the incident desk]"
        f"(incidents?incident={first})"
    ]


def test_an_agreement_lists_each_part_of_its_watch(result):
    at = _run(AppTest.from_file(PAGE, default_timeout=120))
    row = result.agreements.summary.set_index("agreement_id").loc["LA-01"]
    at.selectbox(key="analysis_watch_agreement").set_value("LA-01")
    _run(at)
    part = at.radio(key="analysis_watch_agreement_part")
    assert part.value == "in_force"
    assert len(_listed(at, "analysis_watch_agreement").value) == row["in_force_incidents"]
    part.set_value("signature_before")
    _run(at)
    assert len(_listed(at, "analysis_watch_agreement").value) == row["window_before"]


def test_a_milestone_lists_its_windows(result):
    at = _run(AppTest.from_file(PAGE, default_timeout=120))
    row = result.escalation.table.iloc[0]
    at.selectbox(key="analysis_escalation_milestone").set_value(row["milestone_id"])
    _run(at)
    listed = _listed(at, "analysis_escalation_milestone").value
    assert len(listed) == row["before_incidents"] + row["after_incidents"]
    at.radio(key="analysis_escalation_milestone_side").set_value("after")
    _run(at)
    assert len(_listed(at, "analysis_escalation_milestone").value) == row["after_incidents"]
