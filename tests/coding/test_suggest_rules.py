"""coding.suggest with the rules only: one row per incident not yet assessed, the reason in
words, nothing suggested on weak or contradictory evidence."""

from __future__ import annotations

import math

import pandas as pd

from coding.rules import load
from coding.suggest import COLUMNS, suggest
from languages import use
from tests.languages.english import english_left


def _incidents() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"incident_id": "A", "motivation": "unknown",
             "narrative": "Armed men took the herders' cattle; cattle stolen near the village.",
             "event_type_raw": "Violence against civilians: Looting/property destruction"},
            {"incident_id": "B", "motivation": "unknown",
             "narrative": "Trois civils tués en représailles, accusés de complicité."},
            {"incident_id": "C", "motivation": "unknown",
             "narrative": "A woman was found dead near the market."},
            {"incident_id": "D", "motivation": "predation", "narrative": "cattle stolen"},
            {"incident_id": "E", "motivation": None,
             "narrative": "Un motard a sauté sur une mine à la sortie de Pavika.",
             "event_type_raw": "Explosions/Remote violence: Remote explosive/landmine/IED"},
            {"incident_id": "F", "motivation": "unknown",
             "narrative": "Taxe illégale prélevée à la barrière de Bambari."},
            {"incident_id": "G", "motivation": "unknown", "narrative": "vol"},
        ]
    )  # fmt: skip


def test_one_row_per_incident_not_yet_assessed_with_the_columns_of_the_api() -> None:
    found = suggest(_incidents(), rules=load(defaults=True))
    assert list(found.columns) == list(COLUMNS)
    assert found["incident_id"].tolist() == ["A", "B", "C", "E", "F", "G"]  # D is coded


def test_suggestions_say_their_evidence_as_written() -> None:
    found = suggest(_incidents(), rules=load()).set_index("incident_id")
    assert found.loc["A", "motivation"] == "predation"
    assert found.loc["A", "by"] == "rule"
    assert "Looting/property destruction" in found.loc["A", "reason"]
    assert "“cattle stolen”" in found.loc["A", "reason"]
    assert 0.8 <= found.loc["A", "confidence"] <= 1
    # the longer match wins: "sur une mine" is a landmine, not a mining site
    assert found.loc["E", "motivation"] == "collateral"
    assert "sur une mine" in found.loc["E", "reason"]
    assert found.loc["F", "motivation"] == "extraction"
    assert "barrière" in found.loc["F", "reason"]  # accents as written


def test_contradictory_weak_and_absent_evidence_suggest_nothing_and_say_why() -> None:
    found = suggest(_incidents(), rules=load()).set_index("incident_id")
    for key in ("B", "C", "G"):
        assert found.loc[key, "motivation"] is None
        assert math.isnan(found.loc[key, "confidence"])
        assert found.loc[key, "by"] == ""
    assert found.loc["B", "reason"].startswith("contradictory evidence")
    assert "accusés de complicité" in found.loc["B", "reason"]
    assert found.loc["C", "reason"] == "no rule matched"
    assert found.loc["G", "reason"].startswith("evidence too weak")


def test_reasons_in_french() -> None:
    with use("fr"):
        found = suggest(_incidents(), rules=load())
    data = [str(v) for v in _incidents()["narrative"]] + [
        "Looting/property destruction", "Remote explosive/landmine/IED", "cattle stolen", "vol",
        "barrière", "Taxe", "représailles", "accusés de complicité", "sur une mine",
    ]  # fmt: skip
    for reason in found["reason"]:
        assert english_left(reason, ignoring=data) == set(), reason
