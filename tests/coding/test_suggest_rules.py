"""coding.suggest with the rules only: one row per incident not yet assessed, the reason in
words, nothing suggested on weak or contradictory evidence."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from coding.evidence import verdict
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


def _rules(tmp_path, text: str):
    path = tmp_path / "r.csv"
    path.write_text("kind,pattern,motivation,weight,reason\n" + text, encoding="utf-8")
    return load(path, defaults=False)


def test_clues_add_up_as_independent_ones_and_a_runner_up_discounts_them(tmp_path) -> None:
    mine = _rules(tmp_path, "phrase,cattle,predation,0.3,\nphrase,goods,predation,0.3,\n"
                            "phrase,reprisal,revenge,0.2,\n")  # fmt: skip
    one = verdict({"narrative": "cattle"}, mine)
    assert one.motivation is None and one.reason.startswith("evidence too weak")
    two = verdict({"narrative": "cattle and goods"}, mine)
    assert two.scores["predation"] == pytest.approx(0.51)
    assert (two.motivation, two.confidence) == ("predation", 0.51)
    against = verdict({"narrative": "cattle and goods in reprisal"}, mine)
    assert against.confidence == pytest.approx(round(0.51 * 0.8, 2))
    assert "against it: Revenge (phrase “reprisal”)" in against.reason


def test_a_longer_match_hides_the_shorter_and_the_same_words_count_once(tmp_path) -> None:
    mine = _rules(
        tmp_path,
        "phrase,mine,extraction,0.3,\nphrase,struck a mine,collateral,0.45,\n"
        "phrase,electoral*,political,0.3,\nphrase,elector*,political,0.3,\n",
    )
    hit = verdict({"narrative": "A motorbike struck a mine."}, mine)
    assert (hit.motivation, hit.scores) == ("collateral", {"collateral": pytest.approx(0.45)})
    vote = verdict({"narrative": "période électorale"}, mine)
    assert vote.scores == {"political": pytest.approx(0.3)}  # not 0.51: one word, one clue


def test_each_kind_reads_its_field(tmp_path) -> None:
    mine = _rules(
        tmp_path,
        "event_type,Looting/property destruction,predation,0.5,\n"
        "actor,zaraguina*,predation,0.4,\n"
        "perpetrator_type,criminal,predation,0.4,\n"
        "phrase,vol de bétail,predation,0.8,\n",
    )
    fields = {
        "event_type_raw": "Strategic developments: Looting/property destruction",
        "perpetrator_name": "Zaraguinas (Central African Republic)",
        "perpetrator_type": "criminal",
        "motivation_raw": "VOL DE BETAIL",
    }
    for field, value in fields.items():
        said = verdict({field: value}, mine)
        assert said.motivation == "predation", field
    # the event type is not a phrase: the narrative's "looting" is not the event type rule
    assert verdict({"narrative": "looting/property destruction"}, mine).motivation is None
    said = verdict(fields, mine).reason
    assert said == (
        "event type “Looting/property destruction”; actor “Zaraguinas”; perpetrator type "
        "Criminal; phrase “VOL DE BETAIL”"
    )
