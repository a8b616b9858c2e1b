"""Exports and briefings keep suggestion-coded incidents apart: every point carries how its
motivation was coded, and the filters' words name the confidence and coded-by filters."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pyogrio

from briefing.disclosure import Disclosure
from briefing.exports import about, export, to_csv, to_geojson
from briefing.figures import filters_text
from briefing.selection import prepare
from languages import use
from schema.filters import IncidentFilter
from tests.languages.english import english_left
from tests.tiny_mission import tiny_mission

# T-1..T-8: T-3 and T-5 coded by accepting a suggestion, T-2 by an analyst, others as sent.
ORIGIN = ["", "analyst", "suggestion", None, "suggestion", "source", None, None]
EXPECTED = ["source", "analyst", "suggestion", "source", "suggestion", "source", "source", "source"]


def _data():
    data = tiny_mission()
    data.incidents["motivation_origin"] = pd.array(ORIGIN, dtype="str")
    return data


def test_every_exported_point_says_how_it_was_coded(tmp_path):
    prepared = prepare(_data(), disclosure=Disclosure("points"))
    rows = list(csv.DictReader(io.StringIO(to_csv(prepared).decode("utf-8-sig"))))
    # Points are exported in date order, as the tiny mission's ids are.
    assert [r["motivation_origin"] for r in rows] == EXPECTED
    features = json.loads(to_geojson(prepared))["features"]
    assert [f["properties"]["motivation_origin"] for f in features] == EXPECTED
    path = export(prepared, "gpkg", tmp_path / "x.gpkg")
    layer = pyogrio.read_dataframe(path, layer="incidents")
    assert layer["motivation_origin"].tolist() == EXPECTED
    # The store's value is left as it is: an empty origin stays empty there.
    assert prepared.data.incidents["motivation_origin"].isna().sum() == 3


def test_the_filters_in_words_name_confidence_and_coded_by():
    selection = IncidentFilter(
        confidences=frozenset({"confirmed", "probable"}),
        motivation_origins=frozenset({"suggestion"}),
    )
    said = filters_text(selection)
    assert said == (
        "Motivation confidence: Confirmed, Probable; Motivation coded by: Accepted suggestion"
    )
    prepared = prepare(_data(), selection, Disclosure("points"))
    assert prepared.incident_count == 2  # T-3 and T-5, both coded probable
    assert sorted(prepared.points["motivation"]) == ["collateral", "predation"]
    assert about(prepared).set_index("key")["value"]["selection"] == said
    with use("fr"):
        french = filters_text(selection).replace("\xa0", " ")
        assert french.startswith("Niveau de certitude de la motivation : Confirmé, Probable")
        assert "Motivation codée par : Suggestion acceptée" in french
        assert english_left(french) == set()
