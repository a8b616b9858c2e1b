"""The actor dictionary: the shipped defaults, a mission's own file before them, matching
that ignores case and accents, and files that cannot be read refused with where and why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest import actors
from ingest.actors import ActorDictionaryError, load, parse
from schema.incidents import PERPETRATOR_TYPES
from schema.upload import IngestError

# Actor names as ACLED (current and earlier exports) and UCDP GED write them.
KNOWN = [
    ("Wagner Group", "CAF", "allied_forces"),
    ("Wagner Group", "MLI", "allied_forces"),
    ("Africa Corps", "MLI", "allied_forces"),
    ("Military Forces of Rwanda (2000-)", "CAF", "allied_forces"),
    ("Military Forces of Burundi (2005-)", "COD", "allied_forces"),
    ("Military Forces of Uganda (1986-)", "SSD", "allied_forces"),
    (
        "MINUSCA: United Nations Multidimensional Integrated Stabilization Mission in the "
        "Central African Republic (2014-)",
        "CAF",
        "un_mission",
    ),
    ("MONUSCO: United Nations Organization Stabilization Mission in the DRC", "COD", "un_mission"),
    ("MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali", "MLI",
     "un_mission"),
    ("UNMISS: United Nations Mission in South Sudan (2011-)", "SSD", "un_mission"),
    ("Military Forces of the Central African Republic (2016-)", "CAF", "state_forces"),
    ("Police Forces of the Central African Republic (2016-) Gendarmerie", "CAF", "state_forces"),
    ("Government of Central African Republic", "CAF", "state_forces"),
    ("Government of DR Congo (Zaire)", "COD", "state_forces"),
    ("Military Forces of Mali (2021-)", "MLI", "state_forces"),
    ("Government of Mali", "MLI", "state_forces"),
    ("Government of South Sudan", "SSD", "state_forces"),
    ("Military Forces of South Sudan (2011-)", "SSD", "state_forces"),
    ("Mutiny of Military Forces of the Central African Republic (2016-)", "CAF",
     "non_state_armed_group"),
    ("UPC: Union for Peace in the Central African Republic", "CAF", "non_state_armed_group"),
    ("3R: Return, Reclamation, Rehabilitation", "CAF", "non_state_armed_group"),
    ("CPC: Coalition of Patriots for Change", "CAF", "non_state_armed_group"),
    ("Anti-Balaka", "CAF", "community_militia"),
    ("Anti-Balaka - Mokom Faction", "CAF", "non_state_armed_group"),
    ("ADF: Allied Democratic Forces", "COD", "non_state_armed_group"),
    ("CODECO: Cooperative for Development of Congo", "COD", "non_state_armed_group"),
    ("M23: March 23 Movement", "COD", "non_state_armed_group"),
    ("JNIM: Group for Support of Islam and Muslims", "MLI", "non_state_armed_group"),
    ("Islamic State Sahel Province", "MLI", "non_state_armed_group"),
    ("Islamic State (Greater Sahara)", "MLI", "non_state_armed_group"),
    ("SPLA-IO: Sudan People's Liberation Army-In Opposition", "SSD", "non_state_armed_group"),
    ("SPLM/A In Opposition", "SSD", "non_state_armed_group"),
    ("NAS: National Salvation Front", "SSD", "non_state_armed_group"),
    ("SPLA", "SSD", "state_forces"),
]  # fmt: skip


def _write(tmp_path: Path, text: str, name: str = "mission.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(("name", "country", "expected"), KNOWN)
def test_the_defaults_type_real_actor_names(name, country, expected):
    kind, rule = load(mission="").perpetrator_type(name, country)
    assert kind == expected, rule
    assert rule is not None and rule.origin.startswith("defaults.csv line ")


def test_every_default_rule_is_a_known_type_and_tried_in_file_order():
    dictionary = load(mission="")
    assert [r.number for r in dictionary.rules] == list(range(1, len(dictionary.rules) + 1))
    assert {r.perpetrator_type for r in dictionary.rules} <= {*PERPETRATOR_TYPES, "source"}
    countries = {r.country for r in dictionary.rules}
    assert countries == {"", "CAF", "COD", "MLI", "SSD"}
    for kind in ("allied_forces", "un_mission", "state_forces", "non_state_armed_group"):
        assert any(r.perpetrator_type == kind for r in dictionary.rules)


def test_a_countrys_rule_is_not_used_for_another_country():
    dictionary = load(mission="")
    assert dictionary.perpetrator_type("Wagner Group", "COD") == (None, None)
    assert (
        dictionary.match("Military Forces of the Central African Republic (2016-)", "MLI") is None
    )
    # In DR Congo, Rwanda's forces are left to the mission: the rule says "source".
    kind, rule = dictionary.perpetrator_type("Military Forces of Rwanda (2000-)", "COD")
    assert kind is None and rule is not None and rule.perpetrator_type == "source"
    # Any country's rules apply everywhere.
    assert dictionary.perpetrator_type("MONUSCO", "")[0] == "un_mission"


def test_rows_from_no_known_country_use_a_country_rule_only_when_unambiguous():
    dictionary = load(mission="")
    assert dictionary.perpetrator_type("FACA", "")[0] == "state_forces"
    assert dictionary.perpetrator_type("Wagner Group", "")[0] == "allied_forces"
    # Allied to the state in the Central African Republic, not in DR Congo.
    assert dictionary.perpetrator_type("Military Forces of Rwanda (2000-)", "") == (None, None)


def test_case_accents_and_punctuation_are_ignored_and_words_are_whole():
    dictionary = load(mission="")
    for written in (
        "FORCES ARMÉES MALIENNES",
        "forces armees maliennes",
        "Forces-Armées Maliennes",
    ):
        assert dictionary.perpetrator_type(written, "MLI")[0] == "state_forces", written
    assert dictionary.perpetrator_type("wagner group (russia)", "CAF")[0] == "allied_forces"
    # "UPC" is a word, not letters inside another one; "NAS" is not in "Nasir".
    assert dictionary.match("UPCO Transport", "CAF") is None
    assert dictionary.match("Nasir Youth", "SSD") is None
    # The opposition's rules come before the army's: "SPLA" is also in "SPLA-IO".
    assert dictionary.match("SPLA-IO", "SSD").pattern == "SPLA-IO"


def test_a_mission_file_comes_first_overrides_and_extends_the_defaults(tmp_path, monkeypatch):
    mission = _write(
        tmp_path,
        "country,pattern,perpetrator_type,note\n"
        "# our own choices\n"
        "COD,Military Forces of Rwanda,non_state_armed_group,beside M23\n"
        "CAF,Anti-Balaka,non_state_armed_group,CPC member\n"
        ",re:^azande ani kpi gb[eé],community_militia,\n"
        "MLI,Dozo,source,ACLED's own code\n"
        "\n",
    )
    dictionary = load(mission)
    assert [r.number for r in dictionary.rules[:4]] == [1, 2, 3, 4]
    assert dictionary.rules[0].origin == f"{mission} line 3"
    assert dictionary.rules[4].origin.startswith("defaults.csv line ")
    assert dictionary.perpetrator_type("Military Forces of Rwanda (2000-)", "COD")[0] == (
        "non_state_armed_group"
    )
    # Overridden: the mission's rule wins over the default one for the same name.
    kind, rule = dictionary.perpetrator_type("Anti-Balaka", "CAF")
    assert kind == "non_state_armed_group" and rule.number == 2
    assert rule.describe() == ("actor dictionary rule 2: Anti-Balaka (CAF) → non_state_armed_group")
    assert dictionary.perpetrator_type("Azande Ani Kpi Gbe", "CAF")[0] == "community_militia"
    # "source" switches the default rule off: the source's code decides.
    kind, rule = dictionary.perpetrator_type("Dozo Militia", "MLI")
    assert kind is None and rule.number == 4
    # The defaults are still there after the mission's rules.
    assert dictionary.perpetrator_type("Wagner Group", "CAF")[0] == "allied_forces"

    # The setting names the file; a changed file is read again.
    monkeypatch.setenv(actors.ACTORS_ENV, str(mission))
    assert actors.current().rules[0].pattern == "Military Forces of Rwanda"
    mission.write_text(
        "country,pattern,perpetrator_type\nCAF,Wagner,state_forces\n", encoding="utf-8"
    )
    os.utime(mission, (1, 1))  # a new modification time, whatever the clock's resolution
    assert actors.current().perpetrator_type("Wagner Group", "CAF")[0] == "state_forces"
    monkeypatch.delenv(actors.ACTORS_ENV)
    assert actors.current().perpetrator_type("Wagner Group", "CAF")[0] == "allied_forces"


def test_an_excel_file_with_semicolons_in_windows_encoding_is_read(tmp_path):
    path = _write(
        tmp_path,
        "Country;Pattern;Perpetrator_type;Note\r\n"
        "CAF;Forces armées;Forces allied to the state;é\r\n",
        encoding="cp1252",
    )
    rule = load(path, defaults=False).rules[0]
    # A label is read as its code.
    assert (rule.country, rule.pattern, rule.perpetrator_type) == (
        "CAF",
        "Forces armées",
        "allied_forces",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "country,pattern,perpetrator_type\nCentral African Republic,Wagner,allied_forces\n",
            "line 2, column country: 'Central African Republic' is not an ISO 3166 alpha-3 "
            "code; write three letters such as CAF",
        ),
        (
            "country,pattern,perpetrator_type\nCAF,Wagner,allies\n",
            "line 2, column perpetrator_type: 'allies' is not a perpetrator type; write one of "
            "state_forces, non_state_armed_group",
        ),
        (
            "country,pattern,perpetrator_type\n\nCAF,re:wagner(,allied_forces\n",
            "line 3, column pattern: 're:wagner(' is not a valid regular expression",
        ),
        (
            "country,pattern,perpetrator_type\nCAF, -- ,allied_forces\n",
            "line 2, column pattern: '--' has no letter or digit",
        ),
        (
            "pays,motif,type\nCAF,Wagner,allied_forces\n",
            "line 1: the header is 'pays,motif,type'; unknown column(s) pays, motif, type; "
            "missing country, pattern, perpetrator_type",
        ),
        (
            "country,pattern,perpetrator_type,note\nCAF,Wagner,allied_forces,Russian, private\n",
            "line 2: 5 cells but the header has 4",
        ),
        ("# only a comment\n\n", "empty; it needs a header line"),
    ],
)
def test_a_malformed_file_is_refused_naming_file_line_column_and_value(tmp_path, text, says):
    path = _write(tmp_path, text)
    with pytest.raises(ActorDictionaryError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"actor dictionary {path}")
    assert says in message
    assert isinstance(caught.value, IngestError)  # an import stops with it, whole


def test_a_missing_file_names_the_setting(tmp_path, monkeypatch):
    monkeypatch.setenv(actors.ACTORS_ENV, str(tmp_path / "nowhere.csv"))
    with pytest.raises(ActorDictionaryError, match=r"nowhere\.csv: cannot be read .*POCMAP_ACTORS"):
        actors.current()


def test_parse_numbers_rules_after_the_ones_before():
    rules = parse("country,pattern,perpetrator_type\n,Foo,criminal\n", "x.csv", first_number=7)
    assert rules[0].number == 7 and rules[0].origin == "x.csv line 2"
