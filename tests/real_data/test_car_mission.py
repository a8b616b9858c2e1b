"""A real mission's data in one afternoon: the Central African Republic, end to end.

OCHA's COD-AB boundaries (real), areas of responsibility drawn on them, an ACLED-format
export (written by us: ACLED rows may not be redistributed) and a real UCDP GED subset
are imported as a mission would, through the same functions the app and ``pocmap import``
use, into a real store. Then ``pocmap analyse --json`` is asked what a briefing would ask.
The expected figures are computed here from the files themselves (and from ``truth.csv``,
which says which ACLED-format rows report which UCDP events), never typed in.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from cli import main
from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.upload import Upload
from store import open_store
from tests.real_data import CAR, CAR_ACLED, CAR_TRUTH, CAR_UCDP

COD_AB = CAR / "cod_ab_caf_admbnda_adm2_200k_sigcaf_reach_itos_v2.zip"
# Areas of responsibility drawn on the prefectures (by P-code), as a mission might; the
# other prefectures are in no office's area.
OFFICES = {
    "Bambari": ("CF43", "CF52", "CF61"),  # Ouaka, Haute-Kotto, Basse-Kotto
    "Kaga-Bandoro": ("CF42", "CF41", "CF32"),  # Nana-Gribizi, Kémo, Ouham
    "Bangui": ("CF71", "CF11", "CF12"),  # Bangui, Ombella M'Poko, Lobaye
    "Bouar": ("CF22", "CF31", "CF21", "CF23"),
}
OUT_OF_SCOPE_EVENTS = ("Protests", "Riots", "Strategic developments")


def _import(store, path: Path, layer: str, office: str = "JMAC") -> dict:
    options = ImportOptions(layer=layer, office=office, uploader="jmac.analyst")
    preview = preview_import(store, Upload(path.name, path.read_bytes()), options)
    commit_import(store, preview)
    report = preview.result.report
    return preview.accounting() | {"rejections": report[report["outcome"] == "rejected"]}


def _areas(boundaries: gpd.GeoDataFrame) -> bytes:
    prefectures = boundaries[boundaries["level"] == "1"].set_index("admin_id")
    rows = [
        {
            "presence_id": f"AOR-{office}",
            "name": f"{office} area of responsibility",
            "kind": "area_of_responsibility",
            "field_office": office,
            "geometry": prefectures.loc[list(codes)].union_all(),
        }
        for office, codes in OFFICES.items()
    ]
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return frame.to_json().encode("utf-8")


@pytest.fixture(scope="module")
def mission(tmp_path_factory):
    folder = tmp_path_factory.mktemp("car")
    store = open_store(folder / "car.gpkg")
    imports = {"boundaries": _import(store, COD_AB, "admin_boundaries", "HQ")}
    areas = folder / "areas_of_responsibility.geojson"
    areas.write_bytes(_areas(store.layer("admin_boundaries")))
    imports["areas"] = _import(store, areas, "mission_presence", "HQ")
    imports["acled"] = _import(store, CAR_ACLED, "incidents")
    imports["ucdp"] = _import(store, CAR_UCDP, "incidents")
    return store, imports


def _analyse(store, capsys, *filters: str) -> dict:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("POCMAP_DB", store.location)
        capsys.readouterr()
        assert main(["analyse", "--json", *filters]) == 0
    return json.loads(capsys.readouterr().out)


def _acled() -> pd.DataFrame:
    return pd.read_csv(CAR_ACLED, dtype=str, keep_default_na=False)


def _ucdp() -> pd.DataFrame:
    return pd.read_csv(CAR_UCDP, dtype=str, keep_default_na=False)


def test_the_cod_ab_boundaries_are_accepted_whole(mission):
    store, imports = mission
    found = imports["boundaries"]
    assert found["profile"] == "cod_ab"
    assert found["rows_read"] == found["accepted"] == 72 and found["rejected"] == 0
    boundaries = store.layer("admin_boundaries")
    assert (boundaries["level"] == "2").sum() == 72
    assert (boundaries["level"] == "1").sum() == 17  # dissolved from their admin2 areas
    assert boundaries["admin_id"].str.match(r"^CF\d{2,3}$").all()


def test_every_import_accounts_for_every_row(mission):
    _, imports = mission
    for name, found in imports.items():
        parts = ("accepted", "accepted_with_warning", "out_of_scope", "rejected")
        assert found["rows_read"] == sum(found.get(p, 0) for p in parts), name
    assert imports["acled"]["rows_read"] == len(_acled())
    assert imports["ucdp"]["rows_read"] == len(_ucdp())


def test_rows_outside_the_incidents_layer_are_out_of_scope_not_rejected(mission):
    _, imports = mission
    acled = _acled()
    # Looting of civilians' property is harm to civilians whatever ACLED files it under.
    looting = acled["sub_event_type"] == "Looting/property destruction"
    outside = (acled["event_type"].isin(OUT_OF_SCOPE_EVENTS) & ~looting) | (
        acled["event_type"].isin(["Battles", "Explosions/Remote violence"])
        & (acled["civilian_targeting"] == "")
    )
    assert imports["acled"]["out_of_scope"] == int(outside.sum()) > 0
    ucdp = _ucdp()
    civilians = pd.to_numeric(ucdp["deaths_civilians"])
    ucdp_outside = (ucdp["type_of_violence"] != "3") & (civilians == 0)
    assert imports["ucdp"]["out_of_scope"] == int(ucdp_outside.sum()) > 0
    assert imports["ucdp"]["rejected"] == 0
    # Our ACLED-format file moved some points by up to 25 km: the few that left the
    # country are refused as such, nothing else.
    refused = imports["acled"]["rejections"]
    assert len(refused) == imports["acled"]["rejected"] < 10
    assert (refused["problem"] == "is outside the mission area").all()


def test_places_come_from_the_map_and_the_sources_names_are_kept(mission):
    store, _ = mission
    boundaries = store.layer("admin_boundaries")
    names = set(boundaries.loc[boundaries["level"] == "1", "name"])
    incidents = store.layer("incidents")
    placed = incidents["admin1"].dropna()
    assert set(placed) <= names
    # ACLED writes "Kemo", UCDP "Kémo province": both are the boundaries' Kémo now.
    reported = incidents.set_index("admin1_reported")["admin1"]
    assert set(reported.loc[["Kemo", "Kémo province"]]) == {"Kémo"}
    # Only points with no place of their own (country-level) are left unplaced.
    unplaced = incidents[incidents["admin1"].isna()]
    assert (unplaced["location_precision"] == "country").all()


def test_incidents_belong_to_the_office_whose_area_holds_them(mission, capsys):
    store, _ = mission
    incidents = store.layer("incidents")
    boundaries = store.layer("admin_boundaries").set_index("admin_id")
    # Placed by their point (not outside the boundaries, not a country-level point).
    notes = incidents["place_note"].fillna("")
    by_point = ~notes.str.contains("outside the loaded boundaries") & (
        incidents["location_precision"] != "country"
    )
    for office, codes in OFFICES.items():
        prefectures = set(boundaries.loc[list(codes), "name"])
        inside = incidents[incidents["admin1"].isin(prefectures) & by_point]
        assert len(inside) and (inside["field_office"] == office).all(), office
    # Prefectures outside every area: no office invented (ACLED and UCDP name none, and
    # the office that imported them is not where they happened).
    elsewhere = incidents[
        by_point
        & ~incidents["admin1"].isin(
            set(boundaries.loc[[c for cs in OFFICES.values() for c in cs], "name"])
        )
    ]
    assert len(elsewhere) and elsewhere["field_office"].isna().all()
    assert "JMAC" not in set(incidents["field_office"].dropna())
    result = _analyse(store, capsys, "--office", "Bambari")
    counted = incidents[(incidents["field_office"] == "Bambari") & _counted(incidents)]
    assert result["incidents"] == len(counted) > 0


def _true_pairs(incidents: pd.DataFrame) -> pd.DataFrame:
    truth = pd.read_csv(CAR_TRUTH, dtype=str)
    truth["ucdp"] = "UCDP-" + truth["ucdp_id"]
    held = truth["event_id_cnty"].isin(incidents.index) & truth["ucdp"].isin(incidents.index)
    return truth[held]


def _recall(incidents: pd.DataFrame, pairs: pd.DataFrame) -> float:
    group = incidents["event_group"]
    same = [
        pd.notna(group[a]) and group[a] == group[u]
        for a, u in zip(pairs["event_id_cnty"], pairs["ucdp"], strict=True)
    ]
    return sum(same) / len(pairs)


def _precision(incidents: pd.DataFrame, pairs: pd.DataFrame) -> float:
    """Of the reports left out, the share that truly are a second report of their event."""
    hidden = incidents[~_counted(incidents)]
    true_ids = set(pairs["event_id_cnty"]) | set(pairs["ucdp"])
    return float(hidden.index.isin(list(true_ids)).mean())


def test_events_reported_by_acled_and_ucdp_are_counted_once(mission, capsys):
    store, imports = mission
    # The UCDP file's preview already said how many of its events ACLED had reported.
    said = [n for n in imports["ucdp"]["notes"] if "already stored from another source" in n]
    assert len(said) == 1 and int(said[0].split(" of these")[0].replace(",", "")) > 50
    incidents = store.layer("incidents").set_index("incident_id")
    pairs = _true_pairs(incidents)
    assert len(pairs) > 50
    # Links pocmap makes without asking: nearly always right, most of the true pairs.
    assert _precision(incidents, pairs) >= 0.95
    assert _recall(incidents, pairs) >= 0.7
    result = _analyse(store, capsys)
    shown = incidents[_counted(incidents)]
    assert result["incidents"] == len(shown) < len(incidents)
    assert result["fatalities"] == int(shown["fatalities"].sum())
    assert result["fatalities"] < int(incidents["fatalities"].sum())
    low, high = result["fatalities_range"]["low"], result["fatalities_range"]["high"]
    assert low <= result["fatalities"] <= high
    assert any("counted once" in note for note in result["notes"])


def test_an_analyst_working_the_queue_counts_the_rest_once(mission, capsys):
    """The analyst reads both reports of each queued link and decides (here, as the
    ground truth says); the counts follow each decision."""
    store, _ = mission
    before = store.layer("incidents").set_index("incident_id")
    pairs = _true_pairs(before)
    true = set(zip(pairs["event_id_cnty"], pairs["ucdp"], strict=True))
    queued = store.links("queued")
    assert len(queued)
    session_store = _analyst(store)
    for link in queued.itertuples(index=False):
        same = (link.a, link.b) in true or (link.b, link.a) in true
        session_store.decide_link(
            int(link.link_id),
            "confirmed" if same else "split",
            reason="read both reports" if same else "different events",
        )
    after = store.layer("incidents").set_index("incident_id")
    assert _recall(after, pairs) >= 0.85
    assert _precision(after, pairs) >= 0.95
    assert _analyse(store, capsys)["incidents"] < len(before[_counted(before)])
    decisions = store.audit_log().query("action == 'link-decision'")
    assert len(decisions) == len(queued)


def _counted(frame: pd.DataFrame) -> pd.Series:
    """Counted: ``counted`` true or empty (a report in no group)."""
    return frame["counted"].astype("boolean").fillna(True).astype(bool)


def _analyst(store):
    from access.roles import ANALYST, Caller
    from access.session import Session

    return Session(store, Caller("jmac.analyst", ANALYST, "JMAC"))


def test_external_forces_are_not_unidentified(mission):
    store, _ = mission
    incidents = store.layer("incidents")
    acled = incidents[incidents["source"].str.startswith("ACLED")]
    names = acled["perpetrator_name"].fillna("")
    allied = names.str.contains("Wagner|Rwanda", regex=True)
    assert allied.any() and (acled.loc[allied, "perpetrator_type"] == "allied_forces").all()
    un = names.str.contains("MINUSCA")
    assert un.any() and (acled.loc[un, "perpetrator_type"] == "un_mission").all()
    # Every "External/Other forces" actor of the file is one the dictionary knows.
    file = _acled()
    external = set(file.loc[file["inter1"] == "External/Other forces", "event_id_cnty"])
    assert external
    assert not (
        acled["incident_id"].isin(external) & (acled["perpetrator_type"] == "unidentified")
    ).any()


def test_the_same_day_events_of_different_actors_are_two_events(mission):
    store, _ = mission
    incidents = store.layer("incidents")
    acled = incidents[incidents["source"].str.startswith("ACLED")]
    places = acled.assign(x=acled.geometry.x.round(4), y=acled.geometry.y.round(4))
    same_day = places.groupby(["date", "x", "y"]).filter(
        lambda g: g["perpetrator_name"].nunique() > 1
    )
    assert len(same_day)
    assert _counted(same_day).all()
