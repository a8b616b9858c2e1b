"""Profiles on small tables: detection, mapping, vocabulary, hand overrides, errors."""

from __future__ import annotations

import pandas as pd
import pytest
from shapely.geometry import Point

from ingest.profiles import PROFILES, apply, detect, detect_details, suggest_mapping
from ingest.profiles.vocabulary import lookup, to_code, to_codes
from schema import incidents, local_agreements
from schema.upload import RawTable


def table(columns: dict[str, list], *, hxl: dict[str, str] | None = None, geo=None) -> RawTable:
    records = pd.DataFrame(columns, dtype=object)
    records.index = pd.RangeIndex(2, 2 + len(records))
    if geo is not None:
        records["geometry"] = geo
    return RawTable("t.csv", "csv", records, hxl_tags=hxl)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Prédation", "predation"),
        ("racket", "extraction"),
        ("VENGEANCE", "revenge"),
        ("représailles", "revenge"),
        ("Dommages collatéraux", "collateral"),
        ("Collateral harm", "collateral"),  # the label pocmap shows
        ("punition collective", "punitive"),
        ("Not yet assessed", "unknown"),
    ],
)
def test_motivations_in_english_and_french(written, code) -> None:
    assert to_code(written, lookup("motivation", incidents.MOTIVATIONS)) == code


def test_other_code_lists_and_lists_of_codes() -> None:
    perpetrators = lookup("perpetrator_type", incidents.PERPETRATOR_TYPES)
    assert to_code("FDS", perpetrators) == "state_forces"
    assert to_code("coupeurs de route", perpetrators) == "criminal"
    kinds = lookup("incident_type", incidents.INCIDENT_TYPES)
    assert to_code("Enlèvement", kinds) == "abduction"
    assert to_code("VBG", kinds) == "sexual_violence"
    groups = lookup("victim_groups", incidents.VICTIM_GROUPS)
    assert to_codes("femmes, enfants", groups) == "women;children"
    assert to_codes("women children", groups, space_separated=True) == "women;children"
    assert to_codes("femmes et PDI", groups) == "women;displaced"
    # A word with no meaning stays as written, for the checks to report.
    assert to_code("jalousie", lookup("motivation", incidents.MOTIVATIONS)) == "jalousie"
    assert to_codes("femmes; martiens", groups) == "femmes; martiens"


def test_the_motivation_as_written_is_kept_and_empty_means_unknown() -> None:
    t = table({"motivation": ["vengeance", None, "revenge?"], "latitude": [1, 2, 3]})
    mapped = apply(t, "incidents", "custom")
    assert mapped.frame["motivation"].tolist() == ["revenge", "unknown", "revenge?"]
    assert mapped.frame["motivation_raw"].tolist() == ["vengeance", None, "revenge?"]


def test_native_detection_needs_the_schema_columns() -> None:
    columns = {f.name: ["x"] for f in incidents.SPEC.fields} | {"latitude": [1], "longitude": [2]}
    assert detect(table(columns), "incidents") == "native"
    del columns["perpetrator_type"]
    profile, reason = detect_details(table(columns), "incidents")
    assert profile == "custom" and "perpetrator_type" in reason


def test_french_headers_are_suggested() -> None:
    t = table(
        {
            "Date de l'incident": ["2025-01-01"],
            "Type d'incident": ["meurtre"],
            "Auteur présumé": ["x"],
            "Nombre de morts": [1],
            "Lat": [-3.0],
            "Long": [2.0],
            "Bureau": ["Kalondo"],
        }
    )
    assert suggest_mapping(t, "incidents") == {
        "date": "Date de l'incident",
        "incident_type": "Type d'incident",
        "perpetrator_name": "Auteur présumé",
        "fatalities": "Nombre de morts",
        "latitude": "Lat",
        "longitude": "Long",
        "field_office": "Bureau",
    }


def test_a_hand_mapping_overrides_and_can_unmap() -> None:
    t = table({"Date": ["2025-01-01"], "Quand": ["2025-02-02"], "Lat": [1], "Lon": [2]})
    assert apply(t, "incidents", "custom").mapping["date"] == "Date"
    mapped = apply(t, "incidents", "custom", {"date": "Quand", "latitude": ""})
    assert mapped.mapping["date"] == "Quand"
    assert mapped.frame["date"].tolist() == ["2025-02-02"]
    assert "latitude" not in mapped.frame and "latitude" not in mapped.mapping
    assert "Date" in mapped.unmapped and "Lat" in mapped.unmapped


def test_hxl_works_for_any_layer() -> None:
    t = table(
        {"A": ["LA-1"], "B": ["Pacte"], "C": ["signé"], "D": ["farmer_herder"]},
        hxl={"A": "#agreement_id", "B": "#name", "C": "#status", "D": "#agreement_type"},
        geo=[Point(2, -3)],
    )
    assert detect(t, "local_agreements") == "hxl"
    mapped = apply(t, "local_agreements")
    assert mapped.frame.loc[2, "status"] == "signed"
    assert mapped.frame.loc[2, "agreement_id"] == "LA-1"
    assert mapped.frame.loc[2, "geometry"] == Point(2, -3)
    assert set(local_agreements.AGREEMENT_STATUSES) >= {mapped.frame.loc[2, "status"]}


def test_bad_arguments_name_what_is_allowed() -> None:
    t = table({"a": [1]})
    with pytest.raises(ValueError, match="`layer` was 'incident'"):
        apply(t, "incident")
    with pytest.raises(ValueError, match="`profile` was 'excel'"):
        apply(t, "incidents", "excel")
    with pytest.raises(ValueError, match="reads incidents only"):
        apply(t, "local_agreements", "acled")
    with pytest.raises(ValueError, match="mapping column “b”"):
        apply(t, "incidents", "custom", {"date": "b"})
    with pytest.raises(ValueError, match="mapping field “when”"):
        apply(t, "incidents", "custom", {"when": "a"})
    assert "custom" in PROFILES
