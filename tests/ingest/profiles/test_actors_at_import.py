"""The actor dictionary on import: ACLED and UCDP GED rows typed by their actors' names first,
external forces no rule types warned once per name, offices' empty types filled and their
own types kept. Files are written here in each source's real format (values invented)."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest import actors
from ingest.pipeline import ImportOptions, preview_import
from schema.upload import IngestError, Upload
from store import open_store
from tests.ingest.uploads import (
    ACLED_2019,
    ACLED_CURRENT,
    INSIDE,
    UCDP_COLUMNS,
    _acled,
    _csv,
)

TODAY = dt.date(2026, 11, 24)
MINUSCA = (
    "MINUSCA: United Nations Multidimensional Integrated Stabilization Mission in the Central "
    "African Republic (2014-)"
)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv(actors.ACTORS_ENV, raising=False)
    return open_store(tmp_path / "pocmap.gpkg")


def _preview(store, name: str, data: bytes):
    return preview_import(
        store,
        Upload(name, data),
        ImportOptions(layer="incidents", office="Bangui", uploader="pytest", today=TODAY),
    )


def _acled_rows(actors_and_codes, **base):
    rows = []
    for n, (actor, inter) in enumerate(actors_and_codes):
        x, y = INSIDE[n % len(INSIDE)]
        rows.append(
            {
                "event_id_cnty": f"CEN{100 + n}",
                "event_date": f"2022-03-{n + 1:02d}",
                "year": 2022,
                "time_precision": 1,
                "event_type": "Violence against civilians",
                "sub_event_type": "Attack",
                "actor1": actor,
                "inter1": inter,
                "inter2": "Civilians" if isinstance(inter, str) else 7,
                "latitude": y,
                "longitude": x,
                "geo_precision": 1,
                "source": "Corbeau News",
                "fatalities": 2,
            }
            | base
        )
    return rows


def _types(preview) -> dict[str, str]:
    accepted = preview.result.accepted
    return dict(zip(accepted["incident_id"], accepted["perpetrator_type"], strict=True))


@pytest.mark.parametrize(
    ("columns", "external", "rebels", "country"),
    [
        # Current exports: codes in words, ISO numeric country.
        (ACLED_CURRENT, "External/Other forces", "Rebel group", {"iso": 140,
         "country": "Central African Republic", "disorder_type": "Political violence",
         "civilian_targeting": "Civilian targeting"}),
        # 2019-2022 exports: codes as numbers, ISO3 too.
        (ACLED_2019, 8, 2, {"iso": 140, "iso3": "CAF", "country": "Central African Republic"}),
    ],
)  # fmt: skip
def test_acled_external_forces_are_typed_by_the_dictionary(
    store, columns, external, rebels, country
):
    rows = _acled_rows(
        [
            ("Wagner Group", external),
            ("Wagner Group", external),
            ("Military Forces of Rwanda (2000-)", external),
            (MINUSCA, external),
            ("Phantom Security Contractors", external),
            ("Phantom Security Contractors", external),
            ("Phantom Security Contractors", external),
            ("Unknown Foreign Force", external),
            ("UPC: Union for Peace in the Central African Republic", rebels),
            ("Unidentified Armed Group (Central African Republic)", rebels),
        ],
        **country,
    )
    preview = _preview(store, "acled_car.csv", _acled(columns, rows))
    types = _types(preview)
    assert types == {
        "CEN100": "allied_forces",
        "CEN101": "allied_forces",
        "CEN102": "allied_forces",
        "CEN103": "un_mission",
        "CEN104": "unidentified",
        "CEN105": "unidentified",
        "CEN106": "unidentified",
        "CEN107": "unidentified",
        "CEN108": "non_state_armed_group",  # the dictionary's UPC rule
        "CEN109": "non_state_armed_group",  # no rule: ACLED's own code (rebel group)
    }
    # One warning line per actor name no rule types, on its first row, naming the others;
    # every one of those rows is counted as accepted with a warning.
    report = preview.result.report
    lines = report[report["column"] == "perpetrator_type"]
    assert lines["value"].tolist() == ["Phantom Security Contractors", "Unknown Foreign Force"]
    assert lines["row"].tolist() == [6, 9]
    phantom = lines["problem"].iloc[0]
    assert "'Phantom Security Contractors' is one of ACLED's external/other forces" in phantom
    assert "recorded as 'unidentified' (this row and 2 others: rows 7, 8)" in phantom
    assert "POCMAP_ACTORS" in lines["expected"].iloc[0]
    assert "pocmap actors --apply" in lines["expected"].iloc[0]
    assert preview.result.counts == {
        "accepted": 6,
        "accepted_with_warning": 4,
        "rejected": 0,
        "out_of_scope": 0,
    }
    assert "None" not in " ".join(lines["problem"]) and "nan" not in " ".join(lines["problem"])
    # The whole file's notes: which rules typed how many rows, and the names to add.
    notes = " ".join(preview.notes)
    assert "4 of 10 row(s) typed by the actor dictionary" not in notes
    assert "5 of 10 row(s) typed by the actor dictionary" in notes
    assert "rule 8 Wagner → allied_forces (2)" in notes
    assert (
        "2 actor name(s) of ACLED's external/other forces (inter code 8) have no type in the "
        "actor dictionary and come in as 'unidentified': 'Phantom Security Contractors' "
        "(3 row(s)); 'Unknown Foreign Force' (1 row(s))"
    ) in notes
    assert preview.mapped.mapping["perpetrator_type"] == "actor1 (actor dictionary), else inter1"


def test_acled_rows_from_another_country_skip_its_rules(store):
    rows = _acled_rows(
        [("Wagner Group", 8), ("Military Forces of Rwanda (2000-)", 8), ("FARDC", 1)],
        iso=180,
        country="Democratic Republic of Congo",
    )
    preview = _preview(store, "acled_drc.csv", _acled(ACLED_2019, rows))
    # Wagner and Rwanda are not allied to the state in DR Congo: unidentified, warned.
    assert _types(preview) == {
        "CEN100": "unidentified",
        "CEN101": "unidentified",
        "CEN102": "state_forces",
    }
    assert preview.result.counts["accepted_with_warning"] == 2


def test_a_mission_rule_changes_what_an_import_gives(store, tmp_path, monkeypatch):
    mission = tmp_path / "actors.csv"
    mission.write_text(
        "country,pattern,perpetrator_type,note\nCAF,Phantom Security,allied_forces,contractor\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(actors.ACTORS_ENV, str(mission))
    rows = _acled_rows([("Phantom Security Contractors", 8), ("Wagner Group", 8)], iso=140)
    preview = _preview(store, "acled_car.csv", _acled(ACLED_2019, rows))
    assert _types(preview) == {"CEN100": "allied_forces", "CEN101": "allied_forces"}
    assert preview.result.counts == {
        "accepted": 2,
        "accepted_with_warning": 0,
        "rejected": 0,
        "out_of_scope": 0,
    }
    assert "rule 1 Phantom Security → allied_forces (1)" in " ".join(preview.notes)


def test_a_broken_mission_dictionary_refuses_the_import_naming_it(store, tmp_path, monkeypatch):
    mission = tmp_path / "actors.csv"
    mission.write_text("country,pattern,perpetrator_type\nCAF,Wagner,allys\n", encoding="utf-8")
    monkeypatch.setenv(actors.ACTORS_ENV, str(mission))
    rows = _acled_rows([("Wagner Group", 8)], iso=140)
    with pytest.raises(IngestError, match=r"actor dictionary .*actors\.csv, line 2, column "
                       r"perpetrator_type: 'allys' is not a perpetrator type"):  # fmt: skip
        _preview(store, "acled_car.csv", _acled(ACLED_2019, rows))


def test_ucdp_side_a_is_typed_by_the_dictionary_first(store):
    sides = [
        "Government of Central African Republic",
        "Wagner Group",
        "UPC",
        "Anti-balaka",
        "FPRC",
    ]
    rows = []
    for n, side in enumerate(sides):
        x, y = INSIDE[n]
        day = f"2021-0{n + 1}-10 00:00:00.000"
        rows.append(
            {
                "id": 300 + n,
                "year": 2021,
                "type_of_violence": 3,
                "side_a": side,
                "side_b": "Civilians",
                "country": "Central African Republic",
                "country_id": 482,
                "where_prec": 1,
                "latitude": y,
                "longitude": x,
                "date_prec": 1,
                "date_start": day,
                "date_end": day,
                "deaths_civilians": 3,
                "best": 3,
                "low": 3,
                "high": 4,
            }
        )
    data = _csv([list(UCDP_COLUMNS)] + [[r.get(c, "") for c in UCDP_COLUMNS] for r in rows])
    preview = _preview(store, "ged_car.csv", data)
    assert preview.mapped.profile == "ucdp"
    assert _types(preview) == {
        "UCDP-300": "state_forces",
        "UCDP-301": "allied_forces",
        "UCDP-302": "non_state_armed_group",
        "UCDP-303": "community_militia",
        "UCDP-304": "non_state_armed_group",
    }
    assert preview.result.counts["accepted_with_warning"] == 0


def test_an_offices_empty_type_is_filled_and_its_own_type_kept(store):
    header = [
        "incident_id", "date", "incident_type", "motivation", "perpetrator_type",
        "perpetrator_name", "fatalities", "location_precision", "source", "latitude", "longitude",
    ]  # fmt: skip
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = INSIDE[:4]
    rows = [
        ["BG-1", "2024-05-01", "killing", "revenge", "", "Wagner", 1, "exact", "HRD", y1, x1],
        ["BG-2", "2024-05-02", "killing", "revenge", "", "Wagner", 1, "exact", "HRD", y2, x2],
        # The office says who they were: kept, even where the dictionary would say otherwise.
        ["BG-3", "2024-05-03", "threat", "extraction", "state_forces", "Wagner", 0, "exact",
         "HRD", y3, x3],
        # No rule for this name: left empty, so the row is rejected as before.
        ["BG-4", "2024-05-04", "threat", "extraction", "", "Inconnus", 0, "exact", "HRD", y4, x4],
    ]  # fmt: skip
    preview = _preview(store, "bangui.csv", _csv([header, *rows]))
    assert preview.mapped.profile == "native"
    assert _types(preview) == {
        "BG-1": "allied_forces",
        "BG-2": "allied_forces",
        "BG-3": "state_forces",
    }
    report = preview.result.report
    filled = report[report["problem"].str.startswith("no perpetrator type given")]
    assert filled["row"].tolist() == [2]
    assert filled["problem"].item() == (
        "no perpetrator type given for 'Wagner': 'allied_forces' from actor dictionary rule 8: "
        "Wagner (CAF) → allied_forces (this row and row 3)"
    )
    assert preview.result.counts == {
        "accepted": 1,
        "accepted_with_warning": 2,
        "rejected": 1,
        "out_of_scope": 0,
    }
    assert "2 row(s) gave a perpetrator's name but no type" in " ".join(preview.notes)


def test_an_hxl_sheet_with_names_and_no_types_is_typed_by_the_dictionary(store):
    header = ["Ref", "Quand", "Quoi", "Qui", "Décès", "Lat", "Lon", "Origine"]
    tags = ["#event+id", "#date+occurred", "#event+type", "#actor+perpetrator",
            "#affected+killed", "#geo+lat", "#geo+lon", "#meta+source"]  # fmt: skip
    rows = [header, tags]
    for n, who in enumerate(["FACA", "Éléments de la MINUSCA", "Wagner"]):
        x, y = INSIDE[n]
        rows.append([f"H-{n}", "2025-02-15", "killing", who, "1", str(y), str(x), "OCHA"])
    preview = _preview(store, "hxl.csv", _csv(rows))
    assert preview.mapped.profile == "hxl"
    assert _types(preview) == {
        "H-0": "state_forces",
        "H-1": "un_mission",
        "H-2": "allied_forces",
    }
    problems = preview.result.report["problem"].tolist()
    assert [p.split(":")[0] for p in problems] == [
        "no perpetrator type given for 'FACA'",
        "no perpetrator type given for 'Éléments de la MINUSCA'",
        "no perpetrator type given for 'Wagner'",
    ]
