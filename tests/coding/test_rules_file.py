"""The motivation rules file: read as a mission writes it, tried before the defaults, and
refused with a message naming file, line, column, value and what is accepted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coding import rules
from coding.evidence import verdict
from coding.rules import RULES_ENV, RulesError, load, parse
from languages import use
from tests.languages.english import english_left

HEADER = "kind,pattern,motivation,weight,reason\n"


def _file(tmp_path: Path, text: str, name: str = "mission_rules.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_defaults_read_and_every_kind_and_motivation_but_punitive_and_unknown_is_used() -> None:
    shipped = load(mission=None)
    assert len(shipped.rules) > 100
    assert {r.kind for r in shipped.rules} == set(rules.KINDS)
    assert {r.motivation for r in shipped.rules} == set(rules.SUGGESTED)
    # English and French phrases, as the issue lists them
    patterns = {r.pattern for r in shipped.rules}
    for phrase in ("cattle stolen", "vol* de betail", "ransom*", "rancon*", "checkpoint*",
                   "barriere*", "taxe*", "reprisal*", "represaille*", "accused of supporting",
                   "accuse* de complicite", "mine", "chantier* minier*", "crossfire",
                   "tirs croises", "shelling", "election*"):  # fmt: skip
        assert phrase in patterns, phrase


def test_a_mission_file_labels_in_french_semicolons_comments_and_regular_expressions(
    tmp_path,
) -> None:
    path = _file(
        tmp_path,
        "# our rules\n"
        "kind;pattern;motivation;weight;reason\n"
        "phrase;re:\\bzarguin\\w*;Prédation;0,7;bandits\n"
        "perpetrator_type;Criminel;prédation;0.2;\n"
        "Actor;Les Zaraguinas;predation;0.5;\n",
    )
    mine = load(path, defaults=False)
    assert [(r.kind, r.motivation, r.weight) for r in mine.rules] == [
        ("phrase", "predation", 0.7),
        ("perpetrator_type", "predation", 0.2),
        ("actor", "predation", 0.5),
    ]
    assert mine.rules[1].pattern == "criminal"  # a label read as its code
    found = verdict({"narrative": "Des Zarguinas ont frappé"}, mine)
    assert found.motivation == "predation"
    assert "Zarguinas" in found.reason


def test_the_mission_rules_come_first_and_replace_or_switch_off_a_default(
    tmp_path, monkeypatch
) -> None:
    incident = {"narrative": "Des coupeurs de route ont tué un commerçant au checkpoint."}
    assert verdict(incident, load()).motivation is None  # predation and extraction: both
    # In this mission a checkpoint says nothing: the default is switched off.
    path = _file(tmp_path, HEADER + "phrase,Checkpoint*,extraction,0,our checkpoints are ours\n")
    monkeypatch.setenv(RULES_ENV, str(path))
    current = rules.current()
    assert current.rules[0].source == str(path) and current.rules[0].weight == 0
    assert not [r for r in current.rules[1:] if r.key == ("phrase", "checkpoint")]
    said = verdict(incident, current)
    assert said.motivation == "predation"
    assert "coupeurs de route" in said.reason and "checkpoint" not in said.reason
    # The file is read again when it changes.
    path.write_text(HEADER + "phrase,commercant,political,0.9,traders are officials here\n")
    os.utime(path, (1, 1))
    assert rules.current().rules[0].motivation == "political"


@pytest.mark.parametrize(
    ("line", "column", "value", "accepted"),
    [
        ("phrases,cattle,predation,0.5,", "kind", "'phrases'", "event_type, actor"),
        ("perpetrator_type,bandits,predation,0.5,", "pattern", "'bandits'", "criminal"),
        ("phrase,re:(unclosed,predation,0.5,", "pattern", "'re:(unclosed'", "regular expression"),
        ("phrase,!!,predation,0.5,", "pattern", "'!!'", "no letter or digit"),
        ("phrase,cattle,unknown,0.5,", "motivation", "'unknown'", "predation, extraction"),
        ("phrase,cattle,greed,0.5,", "motivation", "'greed'", "punitive"),
        ("phrase,cattle,predation,1.5,", "weight", "'1.5'", "from 0"),
        ("phrase,cattle,predation,high,", "weight", "'high'", "from 0"),
    ],
)
def test_a_bad_rule_is_refused_naming_file_line_column_value_and_what_is_accepted(
    tmp_path, line, column, value, accepted
) -> None:
    path = _file(tmp_path, HEADER + "phrase,ransom,predation,0.7,fine\n" + line + "\n")
    with pytest.raises(RulesError) as refused:
        load(path)
    said = str(refused.value)
    assert str(path) in said
    assert "line 3" in said and f"column {column}" in said
    assert value in said and accepted in said


def test_a_bad_file_is_refused_saying_why(tmp_path) -> None:
    with pytest.raises(RulesError, match=r"mission_rules.csv: empty; it needs a header"):
        load(_file(tmp_path, "# nothing\n\n"))
    with pytest.raises(RulesError, match=r"line 1: the header is 'kind,words,motivation'"):
        load(_file(tmp_path, "kind,words,motivation\nphrase,x,predation\n"))
    with pytest.raises(RulesError, match=r"line 2: 6 cells but the header has 5"):
        load(_file(tmp_path, HEADER + "phrase,a,b,predation,0.5,x\n"))
    with pytest.raises(RulesError, match=rf"cannot be read .*; {RULES_ENV} must name a CSV"):
        load(tmp_path / "absent.csv")


def test_the_refusals_are_in_french(tmp_path) -> None:
    path = _file(tmp_path, HEADER + "phrase,cattle,predation,1.5,\n")
    with use("fr"), pytest.raises(RulesError) as refused:
        load(path)
    said = str(refused.value)
    assert said.startswith("règles de motivation") and "ligne 2, colonne weight" in said
    assert english_left(said, ignoring=[str(path), "weight", "1.5"]) == set()


def test_parse_numbers_rules_after_those_before() -> None:
    parsed = parse(HEADER + "phrase,ransom,predation,0.7,\n", "x.csv", first_number=5)
    assert parsed[0].number == 5 and parsed[0].line == 2
