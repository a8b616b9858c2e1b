"""The schema in French: every code's label, every column's label and help, what is
accepted and every validation error, with no English left; English unchanged; and the
words an office may write for a code or a column, in any language."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from babel.messages.pofile import read_po

from languages import LOCALE_DIR, _, translated_everywhere, use
from schema import (
    admin_boundaries,
    basemap,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from schema.catalogue import LAYER_LABELS, LAYER_SPECS
from schema.fields import (
    Field,
    LayerValidationError,
    code_words,
    field_for_header,
    header_words,
    word_key,
)
from schema.mission import SAMPLE_LABEL, incidents_from_csv
from schema.upload import Limits
from tests.languages.english import english_left
from tests.tiny_mission import incident_rows

LAYER_MODULES = (
    incidents,
    political_processes,
    local_agreements,
    mission_presence,
    admin_boundaries,
    basemap,
)
FIELDS = [(spec.name, f) for spec in LAYER_SPECS.values() for f in spec.fields]
CODED = [(layer, f) for layer, f in FIELDS if f.kind in ("code", "codes")]


def _ids(item: tuple[str, Field]) -> str:
    return f"{item[0]}.{item[1].name}"


def _identifiers() -> set[str]:
    """Codes and column names: identifiers, shown as they are in every language."""
    names = {f.name for _layer, f in FIELDS} | {f.name.replace("_", " ") for _l, f in FIELDS}
    codes = {code for _layer, f in FIELDS for code in f.codes}
    return names | codes | set(LAYER_SPECS) | {"geometry", "latitude", "longitude"}


@functools.cache
def _french_catalogue() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in (LOCALE_DIR / "fr" / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as handle:
            found |= {m.id: m.string for m in read_po(handle, locale="fr") if m.id and m.string}
    return found


def _labels() -> list[tuple[str, Mapping[str, str]]]:
    found = [
        (f"{module.__name__}.{name}", value)
        for module in LAYER_MODULES
        for name, value in vars(module).items()
        if name.endswith("_LABELS") and isinstance(value, Mapping)
    ]
    return [*found, ("schema.catalogue.LAYER_LABELS", LAYER_LABELS)]


@pytest.mark.parametrize(("name", "labels"), _labels(), ids=[n for n, _ in _labels()])
def test_every_label_reads_in_french_and_stays_english_in_english(name, labels) -> None:
    with use("en"):
        english = dict(labels.items())
    with use("fr"):
        french = dict(labels.items())
    assert english == labels.english  # type: ignore[attr-defined]
    for code, text in french.items():
        assert text.strip(), f"{name}[{code}] is empty in French"
        assert english_left(text) == set(), f"{name}[{code}] = {text!r}"
    # Each label is in the French catalogue (some read the same: "Probable").
    untranslated = [text for text in english.values() if text not in _french_catalogue()]
    assert not untranslated, untranslated
    assert len(set(french.values())) == len(french), f"two codes of {name} read the same"


def test_the_vocabulary_of_the_missions_is_the_one_shown() -> None:
    with use("fr"):
        assert incidents.MOTIVATION_LABELS["revenge"] == "Vengeance"
        assert incidents.INCIDENT_TYPE_LABELS["killing"] == "Meurtre"
        assert incidents.PERPETRATOR_LABELS["state_forces"] == "Forces de l'État"
        assert incidents.MOTIVATION_LABELS["unknown"] == "Pas encore évalué"
        assert local_agreements.AGREEMENT_TYPE_LABELS["weapon_free_zone"] == "Zone sans armes"
        assert local_agreements.STATUS_LABELS["lapsed"] == "Caduc"
        assert local_agreements.MISSION_ROLE_LABELS["facilitator"] == "Facilitation"
        assert LAYER_LABELS["local_agreements"] == "Accords locaux"
        assert incidents.SPEC.field("motivation_confidence").title == "Niveau de certitude"
        assert incidents.SPEC.field("perpetrator_name").title == "Nom de l'auteur"
        assert _(SAMPLE_LABEL).startswith("Carana : ")
    with use("en"):
        assert incidents.MOTIVATION_LABELS["revenge"] == "Revenge"
        assert incidents.SPEC.field("motivation_confidence").title == "Confidence"


@pytest.mark.parametrize(("layer", "field"), FIELDS, ids=[_ids(x) for x in FIELDS])
def test_every_field_says_its_label_help_and_what_is_accepted_in_french(layer, field) -> None:
    with use("fr"):
        texts = [field.title, field.help, field.allowed(), field.unreadable()]
    assert texts[0] and texts[0] != field.name
    for text in texts:
        assert english_left(text, ignoring=_identifiers()) == set(), text


def test_what_is_accepted_names_labels_with_their_codes_in_french_only() -> None:
    incident_type = incidents.SPEC.field("incident_type")
    victims = incidents.SPEC.field("victim_groups")
    with use("fr"):
        assert incident_type.allowed().startswith(
            "l'une des valeurs : Meurtre (killing), Blessure (injury), Enlèvement (abduction)"
        )
        assert victims.allowed() == (
            "aucune, une ou plusieurs des valeurs : Femmes (women), Enfants (children), "
            "Personnes âgées (elderly), Personnes déplacées (displaced), Personnes handicapées "
            "(disabled), séparées par « ; »"
        )
    with use("en"):
        assert incident_type.allowed() == "one of " + ", ".join(incidents.INCIDENT_TYPES)
        assert victims.allowed() == (
            "zero or more of women, children, elderly, displaced, disabled, separated by ';'"
        )


def _bad_incidents() -> gpd.GeoDataFrame:
    rows = incident_rows("")
    rows[0]["motivation"] = "greed"
    rows[1]["fatalities"] = "deux"
    rows[2]["victim_groups"] = "women;hommes"
    rows[3]["date"] = "hier"
    rows[4]["source"] = None
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def test_validation_errors_read_in_french() -> None:
    with use("fr"), pytest.raises(LayerValidationError) as info:
        incidents.validate(_bad_incidents(), source="bureau/incidents.csv")
    message = str(info.value)
    assert message.startswith(
        "5 problème(s) dans la couche « incidents » de bureau/incidents.csv :"
    )
    assert (
        "ligne 0, colonne « motivation » : 'greed' n'est pas un code connu ; attendu : "
        "l'une des valeurs : Prédation (predation)" in message
    )
    assert "ligne 1, colonne « fatalities » : 'deux' ne peut pas être lu comme un nombre" in message
    assert "contient un code inconnu" in message
    assert "ne peut pas être lu comme une date" in message
    assert "ligne 4, colonne « source » : None est manquant" in message
    data = {"greed", "deux", "women;hommes", "hier", "bureau/incidents.csv", "None"}
    assert english_left(message, ignoring=_identifiers() | data) == set(), message


def test_validation_errors_stay_english_in_english() -> None:
    with use("en"), pytest.raises(LayerValidationError) as info:
        incidents.validate(_bad_incidents(), source="office/incidents.csv")
    message = str(info.value)
    assert message.startswith("5 problem(s) in layer 'incidents' in office/incidents.csv:")
    assert "row 0, column 'motivation': 'greed' is not a known code; expected one of " in message
    assert "row 1, column 'fatalities': 'deux' cannot be read as count" in message


def test_geometry_errors_read_in_french() -> None:
    frame = pd.DataFrame(incident_rows("")).drop(columns="geometry")
    with use("fr"), pytest.raises(LayerValidationError) as info:
        incidents.validate(frame)
    message = str(info.value)
    assert "toutes les lignes, colonne « geometry » : None est manquant : cette couche" in message
    assert english_left(message, ignoring=_identifiers() | {"None", "Point"}) == set(), message
    agreements = gpd.GeoDataFrame(
        pd.DataFrame(incident_rows("")[:1]), geometry="geometry", crs="EPSG:3857"
    )
    with use("fr"), pytest.raises(LayerValidationError) as info:
        local_agreements.validate(agreements)
    assert "un Point ou Polygon ou MultiPolygon ou LineString ou MultiLineString en EPSG:4326" in (
        str(info.value)
    )


def test_a_mission_folder_is_refused_in_french(tmp_path: Path) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text("incident_id,longitude,latitude\nA,est,\n", encoding="utf-8")
    with use("fr"), pytest.raises(LayerValidationError) as info:
        incidents_from_csv(path)
    message = str(info.value)
    assert (
        "ligne 2, colonne « longitude » : 'est' n'est pas un nombre ; attendu : degrés" in message
    )
    assert "ligne 2, colonne « latitude » : None est manquant" in message
    data = {str(path), "est", "None"}
    assert english_left(message, ignoring=_identifiers() | data) == set(), message


def test_a_wrong_upload_setting_is_said_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POCMAP_MAX_UPLOAD_MB", "beaucoup")
    with use("fr"), pytest.raises(ValueError) as info:
        Limits.from_env()
    assert str(info.value) == (
        "POCMAP_MAX_UPLOAD_MB vaut 'beaucoup' mais devrait être un nombre de mégaoctets"
    )
    with use("en"), pytest.raises(ValueError) as info:
        Limits.from_env()
    assert str(info.value) == (
        "POCMAP_MAX_UPLOAD_MB was 'beaucoup' but is expected to be a number of megabytes"
    )


@pytest.mark.parametrize(("layer", "field"), CODED, ids=[_ids(x) for x in CODED])
def test_every_code_is_read_from_its_code_and_its_label_in_every_language(layer, field) -> None:
    words = code_words(field)
    assert field.code_labels is not None, f"{layer}.{field.name} has codes but no labels"
    for code in field.codes:
        assert words[word_key(code)] == code
        for text in translated_everywhere(field.code_labels.english[code]).values():  # type: ignore[attr-defined]
            assert words[word_key(text)] == code, (text, code)
    # No word of one language means another code in another language.
    seen: dict[str, str] = {}
    for code in field.codes:
        for text in {code, *translated_everywhere(field.code_labels.english[code]).values()}:  # type: ignore[attr-defined]
            assert seen.setdefault(word_key(text), code) == code, (text, code)


def test_the_words_a_french_office_writes_are_read_as_codes() -> None:
    def read(spec_field: Field, value: str) -> str | None:
        return code_words(spec_field).get(word_key(value))

    agreements = local_agreements.SPEC
    assert read(incidents.SPEC.field("incident_type"), "meurtre") == "killing"
    assert read(incidents.SPEC.field("incident_type"), "Killing") == "killing"
    assert read(incidents.SPEC.field("perpetrator_type"), "forces de l'etat") == "state_forces"
    assert read(agreements.field("agreement_type"), "zone sans armes") == "weapon_free_zone"
    assert read(agreements.field("agreement_type"), "Couloir de transhumance") == (
        "transhumance_corridor"
    )
    assert read(agreements.field("status"), "signé") == "signed"
    assert read(agreements.field("mission_role"), "facilitation") == "facilitator"
    assert read(incidents.SPEC.field("motivation_confidence"), "CONFIRMÉ") == "confirmed"
    assert read(incidents.SPEC.field("incident_type"), "extorsion") is None


@pytest.mark.parametrize("spec", list(LAYER_SPECS.values()), ids=list(LAYER_SPECS))
def test_every_header_names_one_column_in_any_language(spec) -> None:
    owner: dict[str, str] = {}
    for field in spec.fields:
        for word in header_words(field):
            assert owner.setdefault(word, field.name) == field.name, (word, spec.name)
        with use("fr"):
            french = field.title
        assert field_for_header(spec, french) is field
        assert field_for_header(spec, field.name) is field
        assert field_for_header(spec, field.label.upper()) is field
    assert field_for_header(spec, "no such column") is None


def test_a_french_template_header_names_its_column() -> None:
    spec = incidents.SPEC
    assert field_for_header(spec, "Type d'incident") is spec.field("incident_type")
    assert field_for_header(spec, "Nom de l\u2019auteur") is spec.field("perpetrator_name")
    assert field_for_header(spec, "niveau de certitude") is spec.field("motivation_confidence")
    assert field_for_header(spec, "Groupes de victimes") is spec.field("victim_groups")
