"""The Joint analysis page under AppTest, on the sample folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from schema.mission import SAMPLE_DIR

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


def _run() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_page_shows_every_planted_finding():
    at = _run()
    assert _metrics(at) == {
        "Incidents analysed": "4,943",
        "Hot-spot clusters": "9",
        "Protection gaps": "3",
        "Escalation flags": "2",
    }
    headings = [h.value for h in at.subheader]
    for heading in (
        "Hot spots over the political layers",
        "What drives each hot spot",
        "Protection gaps",
        "Agreement watch",
        "Possible violations of agreements",
        "Escalation around national milestones",
        "State and allied forces among the perpetrators",
        "Field offices: local work and national linkage",
    ):
        assert heading in headings
    # Every table has a caption saying how it was computed, and a download.
    assert len(at.dataframe) == 11  # hot-spot cells on the map; cell widths in an expander
    assert len(at.get("download_button")) == 12
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # markdown-escaped
    assert "Cell width 10 km, chosen from the data" in captions
    assert "How the hot spots change with the cell width" in captions
    assert any(e.label == "How the hot spots change with the cell width" for e in at.expander)
    assert "Getis-Ord Gi*" in captions and "Mann-Kendall" in captions
    assert "conditional binomial" in captions
    assert any("ratchet up violence" in w.value for w in at.warning)
    watch = next(df.value for df in at.dataframe if "verdict" in df.value.columns)
    assert watch.set_index("agreement_id").loc["LA-01", "verdict"] == "fell after signature"


def test_filtering_on_revenge_leaves_the_corridor():
    at = _run()
    at.multiselect(key="map_filter_motivation").set_value(["revenge"]).run()
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["Hot-spot clusters"] == "1"
    watch = next(df.value for df in at.dataframe if "verdict" in df.value.columns)
    corridor = watch.set_index("agreement_id").loc["LA-01"]
    assert corridor["verdict"] == "fell after signature"
    assert corridor["after_end_verdict"] == "resumed after it ended"


def test_the_options_change_the_cells():
    at = _run()
    at.toggle(key="analysis_auto").set_value(False).run()
    at.number_input(key="analysis_width").set_value(25.0).run()
    assert not at.exception
    assert any("25 km hexagon" in c.value.replace("\\", "") for c in at.caption)


@pytest.mark.parametrize(
    ("last_day", "said"),
    [
        ("2023-01-05", "Too few incidents to call hot spots"),  # under 30 incidents
        ("2023-01-10", "near a hot spot"),  # 30 to 50: the empty significant cells
    ],
)
def test_a_sparse_selection_says_why_it_has_few_hot_spots(last_day, said):
    import datetime as dt

    at = _run()
    period = (dt.date(2023, 1, 1), dt.date.fromisoformat(last_day))
    at.date_input(key="map_filter_period").set_value(period).run()
    assert not at.exception, [e.message for e in at.exception]
    incidents = int(_metrics(at)["Incidents analysed"].replace(",", ""))
    assert incidents <= 50
    assert any(said in i.value for i in at.info), [i.value for i in at.info]
    if said.startswith("Too few"):
        assert _metrics(at)["Hot-spot clusters"] == "0"
        assert _metrics(at)["Protection gaps"] == "0"
