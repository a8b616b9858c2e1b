"""French as offices write it, cell by cell: coordinates, counts in words, the codes of
every coded field of every layer, columns told by their values."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.coordinates import parse_coordinate
from ingest.number_words import number_in_words
from ingest.profiles import apply, suggest_mapping
from ingest.profiles.vocabulary import _SYNONYMS, lookup, to_code, word
from ingest.values import parse_count
from schema import incidents, local_agreements, political_processes
from schema.catalogue import LAYER_SPECS
from schema.upload import RawTable


@pytest.mark.parametrize(
    ("written", "axis", "degrees"),
    [
        ("4°21'36\"N", "latitude", 4.36),
        ("4°21\u203236\u2033N", "latitude", 4.36),  # primes, as Word types them
        ("18 33 54 E", "longitude", 18.565),
        ("4,36 N", "latitude", 4.36),
        ("N 4°21.6'", "latitude", 4.36),
        ("3°S", "latitude", -3.0),
        ("18°33'54\" O", "longitude", -18.565),
        ("W 0°30'", "longitude", -0.5),
    ],
)
def test_degrees_minutes_seconds_and_hemisphere_letters(written, axis, degrees) -> None:
    assert parse_coordinate(written, axis) == pytest.approx(degrees, abs=1e-7)


@pytest.mark.parametrize(
    ("written", "axis"),
    [
        ("-4.36", "latitude"),  # a plain number: the checks read it as always
        ("4 21", "latitude"),  # spaces alone could be anything
        ("4°21'36\"E", "latitude"),  # a longitude's letter in a latitude
        ("4°70'", "latitude"),  # 70 minutes
        ("-4.3 N", "latitude"),  # a sign and a letter: which one is meant?
        ("N 4 E", "longitude"),
        ("quatre", "latitude"),
        (None, "latitude"),
    ],
)
def test_coordinates_that_are_not_read_are_left_for_the_checks(written, axis) -> None:
    assert parse_coordinate(written, axis) is None


@pytest.mark.parametrize(
    ("written", "number"),
    [("deux", 2), ("Trois", 3), ("dix-sept", 17), ("vingt et un", 21), ("two", 2),
     ("twenty one", 21), ("cent", 100), ("zéro", 0)],
)  # fmt: skip
def test_numbers_written_in_words_are_recognised_for_a_suggestion(written, number) -> None:
    assert number_in_words(written) == number
    count, problem = parse_count(written)
    assert count is None and problem is not None and f"{written} → {number}?" in problem


def test_other_words_are_not_numbers() -> None:
    assert number_in_words("beaucoup") is None and number_in_words("2") is None
    assert parse_count("beaucoup") == (None, "is not a number")


CODED = sorted(
    {
        (layer, field.name, code)
        for layer, spec in LAYER_SPECS.items()
        for field in spec.fields
        if field.kind in ("code", "codes") and not field.derived
        for code in field.codes
    }
)


@pytest.mark.parametrize(("layer", "field", "code"), CODED)
def test_every_code_of_every_layer_has_french_words(layer, field, code) -> None:
    spec_field = next(f for f in LAYER_SPECS[layer].fields if f.name == field)
    table = lookup(field, spec_field.codes)
    french = [w for w in _SYNONYMS.get(field, {}).get(code, ()) if table.get(word(w)) == code]
    assert french, f"no French word for {layer}.{field} = {code}"


@pytest.mark.parametrize(
    ("field", "codes", "written", "code"),
    [
        ("agreement_type", local_agreements.AGREEMENT_TYPES, "Zone sans armes", "weapon_free_zone"),
        ("agreement_type", local_agreements.AGREEMENT_TYPES, "couloir de transhumance",
         "transhumance_corridor"),
        ("status", local_agreements.AGREEMENT_STATUSES, "Signé", "signed"),
        ("status", local_agreements.AGREEMENT_STATUSES, "signée", "signed"),
        ("mission_role", local_agreements.MISSION_ROLES, "Facilitation", "facilitator"),
        ("process_type", political_processes.PROCESS_TYPES, "Comité local de paix",
         "local_peace_committee"),
        ("process_type", political_processes.PROCESS_TYPES, "dialogue intercommunautaire",
         "intercommunal_dialogue"),
        ("kind", political_processes.MILESTONE_KINDS, "cessez-le-feu", "ceasefire"),
        ("motivation", incidents.MOTIVATIONS, "Représailles", "revenge"),
        ("perpetrator_type", incidents.PERPETRATOR_TYPES, "FDS", "state_forces"),
        ("perpetrator_type", incidents.PERPETRATOR_TYPES, "Groupe armé", "non_state_armed_group"),
        ("perpetrator_type", incidents.PERPETRATOR_TYPES, "milice", "community_militia"),
        ("perpetrator_type", incidents.PERPETRATOR_TYPES, "Casques bleus", "un_mission"),
        ("incident_type", incidents.INCIDENT_TYPES, "Violences sexuelles", "sexual_violence"),
        ("incident_type", incidents.INCIDENT_TYPES, "Attaque", "attack"),
        ("victim_groups", incidents.VICTIM_GROUPS, "Personnes âgées", "elderly"),
    ],
)  # fmt: skip
def test_the_words_offices_write(field, codes, written, code) -> None:
    assert to_code(written, lookup(field, codes)) == code


def test_extortion_as_an_incident_type_is_the_offices_choice() -> None:
    assert to_code("Extorsion", lookup("incident_type", incidents.INCIDENT_TYPES)) == "Extorsion"
    assert to_code("Extorsion", lookup("motivation", incidents.MOTIVATIONS)) == "extraction"


def _table(columns: dict[str, list]) -> RawTable:
    records = pd.DataFrame(columns, dtype=object)
    records.index = pd.RangeIndex(2, 2 + len(records))
    return RawTable("t.xlsx", "xlsx", records)


def test_a_column_of_perpetrator_types_is_mapped_so_whatever_its_header() -> None:
    t = _table(
        {
            "Auteur": ["FDS", "groupe armé", "milice", "FDS"],
            "Nom de l'auteur": ["FACA", "3R", "Anti-Balaka", ""],
            "Niveau de certitude": ["confirmé", "probable", "possible", "probable"],
        }
    )
    assert suggest_mapping(t, "incidents") == {
        "perpetrator_type": "Auteur",
        "perpetrator_name": "Nom de l'auteur",
        "motivation_confidence": "Niveau de certitude",
    }


def test_a_column_of_names_keeps_its_header_mapping() -> None:
    t = _table({"Auteur": ["FACA", "3R", "Anti-Balaka"], "Type": ["Meurtre", "Pillage", "VBG"]})
    assert suggest_mapping(t, "incidents") == {
        "perpetrator_name": "Auteur",
        "incident_type": "Type",
    }


def test_a_header_naming_the_field_exactly_is_never_overruled() -> None:
    t = _table({"perpetrator_name": ["FDS", "milice"], "Auteur": ["FACA", "3R"]})
    mapping = suggest_mapping(t, "incidents")
    assert mapping["perpetrator_name"] == "perpetrator_name"
    assert "perpetrator_type" not in mapping


def test_an_unknown_motivation_is_kept_as_written_with_a_warning() -> None:
    t = _table({"Motivation": ["règlement de comptes", "vengeance", "revenge?"]})
    mapped = apply(t, "incidents", "custom")
    assert mapped.frame["motivation"].tolist() == ["unknown", "revenge", "revenge?"]
    assert mapped.frame["motivation_raw"].tolist()[0] == "règlement de comptes"
    [warning] = mapped.warnings
    assert (warning.rows, warning.column, warning.value) == ((2,), "motivation",
                                                             "règlement de comptes")  # fmt: skip
    assert "motivation_raw" in warning.problem


FIELDS = sorted(
    (layer, field.name)
    for layer, spec in LAYER_SPECS.items()
    for field in spec.fields
    if not field.derived
)


@pytest.mark.parametrize(("layer", "field"), FIELDS)
def test_every_field_has_a_french_header(layer, field) -> None:
    from ingest.profiles.matching import _FIELD_WORDS

    headers = _FIELD_WORDS.get(field, ())
    english = {word(field.replace("_", " "))}
    assert set(headers) - english, f"no header people write for {layer}.{field}"


@pytest.mark.parametrize(
    ("header", "field"),
    [("N° fiche", "incident_id"), ("n° de fiche", "incident_id"),
     ("Niveau de certitude", "motivation_confidence"), ("CERTITUDE", "motivation_confidence"),
     ("Description des faits", "narrative"), ("description", "narrative"),
     ("Nom de l'auteur", "perpetrator_name"), ("Blessés", "injured"),
     ("Enlevés", "abducted"), ("Groupes de victimes", "victim_groups")],
)  # fmt: skip
def test_french_headers_accents_case_and_punctuation_aside(header, field) -> None:
    assert suggest_mapping(_table({header: ["x"]}), "incidents") == {field: header}
