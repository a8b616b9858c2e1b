"""The Coding page says how far to trust the suggestions: the model's precision and recall
per motivation on held-out coded incidents of the mission, or why there is no model yet."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from coding.suggest import model_status
from languages import format_number
from store import open_store
from tests.ui.coding_store import CODING, fill

CATTLE = "Armed men stole {n} head of cattle from herders near village {i}"
CROSSFIRE = "Civilian caught in crossfire during clashes between two armed groups at market {i}"


def _rows(coded: int) -> list[str]:
    rows = []
    for i in range(coded):
        predation = i % 2 == 0
        motivation = "predation" if predation else "collateral"
        text = (CATTLE if predation else CROSSFIRE).format(n=i + 3, i=i)
        rows.append(
            f"M-{i},2024-02-{1 + i % 28:02d},killing,{motivation},probable,community_militia,,1,"
            f"exact,Kalondo office,5.7{i % 10},20.6{i % 10},{text},,"
        )
    rows.append("M-X,2024-03-01,killing,unknown,,unidentified,,1,exact,RJDH,5.7,20.6,Shots,,")
    return rows


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "pocmap.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))  # none: local analyst
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def _quality(at: AppTest):
    (panel,) = [e for e in at.expander if e.label == "How good are the suggestions?"]
    return panel


def test_the_models_held_out_figures_are_shown(db):
    fill(db, _rows(80))
    at = AppTest.from_file(CODING, default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    shown = _quality(at).dataframe[0].value
    coded = open_store(db).layer("incidents")
    trained = model_status(coded[coded["motivation"] != "unknown"])
    assert trained.model is not None
    expected = trained.evaluation
    assert list(shown["Motivation"]) == ["Collateral harm", "Predation"]
    assert list(shown["Precision"]) == [format_number(v, 2) for v in expected["precision"]]
    assert list(shown["Recall"]) == [format_number(v, 2) for v in expected["recall"]]
    assert pd.Series(shown["Coded incidents held out"]).sum() == expected["support"].sum() == 20


def test_without_enough_codes_the_page_says_why_there_is_no_model(db):
    fill(db)
    at = AppTest.from_file(CODING, default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    panel = _quality(at)
    assert not panel.dataframe
    said = " ".join(m.value for m in panel.markdown)
    assert "60" in said  # the rule: at least 60 coded incidents
