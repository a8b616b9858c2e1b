"""ACLED and UCDP exports through the whole import: what is in the incidents' scope, the
type each event gets, the precision kept, and the accounting of every row.

The files are written here in each source's real column layout (values invented, in the
synthetic Carana mission area); no ACLED row is ever committed to the repository.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.upload import Upload
from store import open_store
from tests.ingest import uploads

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def boundaries_store(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("scope") / "b.gpkg")


@pytest.fixture
def store(boundaries_store: Path, tmp_path: Path):
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_store, path)
    return open_store(path)


def _import(store, name: str, data: bytes):
    options = ImportOptions(layer="incidents", office="Bureau", uploader="pytest", today=TODAY)
    preview = preview_import(store, Upload(name, data), options)
    return preview, commit_import(store, preview)


def _identity(preview, batch) -> dict[str, int]:
    counts = preview.result.counts
    read = preview.result.rows_read
    assert read == len(preview.table.records)
    assert read == sum(counts[k] for k in ("accepted", "accepted_with_warning", "out_of_scope",
                                           "rejected"))  # fmt: skip
    assert (batch.rows_read, batch.out_of_scope, batch.rejected) == (
        read,
        counts["out_of_scope"],
        counts["rejected"],
    )
    return counts


def _acled_row(n: int, event: str, sub: str, **more) -> dict[str, object]:
    lon, lat = uploads.INSIDE[n % len(uploads.INSIDE)]
    return {
        "event_id_cnty": f"CRN{9000 + n}", "event_date": f"2024-05-{n + 1:02d}",
        "year": 2024, "time_precision": 1, "disorder_type": "Political violence",
        "event_type": event, "sub_event_type": sub, "actor1": "Armed group",
        "inter1": "Rebel group", "country": "Carana", "latitude": lat, "longitude": lon,
        "geo_precision": 1, "source": "Radio", "fatalities": 0, **more,
    }  # fmt: skip


TARGETED = {"civilian_targeting": "Civilian targeting", "inter2": "Civilians"}

# (row, in scope?, incident type) covering every branch of the ACLED profile.
ACLED_CASES = [
    (_acled_row(0, "Violence against civilians", "Attack", fatalities=3, **TARGETED), "killing"),
    (_acled_row(1, "Violence against civilians", "Attack", fatalities=0, **TARGETED), "attack"),
    (_acled_row(2, "Violence against civilians", "Sexual violence", **TARGETED), "sexual_violence"),
    (_acled_row(3, "Violence against civilians", "Abduction/forced disappearance", **TARGETED),
     "abduction"),
    (_acled_row(4, "Strategic developments", "Looting/property destruction"),
     "looting_destruction"),
    (_acled_row(5, "Battles", "Armed clash", fatalities=2, **TARGETED), "killing"),
    (_acled_row(6, "Explosions/Remote violence", "Shelling/artillery/missile attack",
                fatalities=0, **TARGETED), "attack"),
    (_acled_row(7, "Explosions/Remote violence", "Air/drone strike", fatalities=4,
                **TARGETED), "killing"),
    (_acled_row(8, "Battles", "Armed clash", fatalities=9, inter2="Rebel group"), None),
    (_acled_row(9, "Battles", "Government regains territory", fatalities=1), None),
    (_acled_row(10, "Explosions/Remote violence", "Remote explosive/landmine/IED",
                fatalities=2), None),
    (_acled_row(11, "Protests", "Peaceful protest"), None),
    (_acled_row(12, "Protests", "Excessive force against protesters", fatalities=1), None),
    (_acled_row(13, "Riots", "Mob violence", fatalities=1), None),
    (_acled_row(14, "Strategic developments", "Agreement"), None),
    # civilian_targeting decides where the export has it, whoever the other actor is.
    (_acled_row(15, "Explosions/Remote violence", "Grenade", inter2="Civilians"), None),
]  # fmt: skip


def test_acled_scope_types_and_precision(store) -> None:
    rows = [row for row, _ in ACLED_CASES]
    rows[1] |= {"time_precision": 2, "geo_precision": 2}
    rows[2] |= {"time_precision": 3, "geo_precision": 3}
    preview, batch = _import(store, "acled.csv", uploads._acled(uploads.ACLED_CURRENT, rows))
    counts = _identity(preview, batch)
    wanted = {row["event_id_cnty"]: kind for row, kind in ACLED_CASES if kind}
    assert counts["out_of_scope"] == len(ACLED_CASES) - len(wanted) == 8
    assert counts["rejected"] == 0, preview.result.report.to_string()
    stored = store.layer("incidents").set_index("incident_id")
    assert stored["incident_type"].to_dict() == wanted
    assert "injury" not in set(stored["incident_type"])  # no type is invented
    assert stored.loc["CRN9001", "date_precision"] == "week"
    assert stored.loc["CRN9002", "date_precision"] == "month"
    assert stored.loc["CRN9000", "date_precision"] == "day"
    assert stored.loc["CRN9001", "location_precision"] == "approximate"
    assert stored.loc["CRN9002", "location_precision"] == "admin2"
    # The rows out of scope: one line, counted by event type, never asked to be fixed.
    report = preview.result.report
    scoped = report[report["outcome"] == "out_of_scope"]
    assert len(scoped) == 1 and scoped.index[0] == 0 and scoped["row"].iloc[0] == "all"
    assert scoped["problem"].iloc[0] == (
        "out of scope for incidents: 8 rows: Battles 2, Explosions/Remote violence 2, "
        "Protests 2, Riots 1, Strategic developments 1"
    )
    assert scoped["expected"].iloc[0].startswith("nothing to fix")
    assert dict(preview.header().lines())["Out of scope (counted, not imported)"] == "8"


def test_acled_exports_without_civilian_targeting_use_the_other_actor(store) -> None:
    """Legacy and 2019-2022 exports: a shelling of civilians (inter2 7) is in scope, a
    battle never is (who died in it cannot be told from the row)."""
    rows = [
        {"gwno": 482, "event_id_cnty": "CRN1", "event_date": "2017-03-04",
         "event_type": "Remote violence", "actor1": "Seleka", "inter1": 2, "inter2": 7,
         "interaction": 27, "latitude": uploads.INSIDE[0][1],
         "longitude": uploads.INSIDE[0][0], "geo_precision": 1, "fatalities": 2},
        {"gwno": 482, "event_id_cnty": "CRN2", "event_date": "2017-03-05",
         "event_type": "Remote violence", "actor1": "FACA", "inter1": 1, "inter2": 2,
         "interaction": 12, "latitude": uploads.INSIDE[1][1],
         "longitude": uploads.INSIDE[1][0], "geo_precision": 1, "fatalities": 0},
        {"gwno": 482, "event_id_cnty": "CRN3", "event_date": "2017-03-06",
         "event_type": "Battle-No change of territory", "actor1": "FACA", "inter1": 1,
         "inter2": 7, "latitude": uploads.INSIDE[2][1], "longitude": uploads.INSIDE[2][0],
         "fatalities": 3},
    ]  # fmt: skip
    preview, batch = _import(store, "acled_legacy.csv", uploads._acled(uploads.ACLED_LEGACY, rows))
    counts = _identity(preview, batch)
    assert (counts["out_of_scope"], counts["rejected"]) == (2, 0)
    assert store.layer("incidents")["incident_id"].tolist() == ["CRN1"]
    assert (
        "Battle-No change of territory 1, Remote violence 1"
        in preview.result.report["problem"].iloc[0]
    )


def _ucdp_file(rows: list[dict[str, object]]) -> bytes:
    table = [list(uploads.UCDP_COLUMNS)]
    table += [[row.get(c, "") for c in uploads.UCDP_COLUMNS] for row in rows]
    return uploads._csv(table)


def _ucdp_row(n: int, kind: int, **more) -> dict[str, object]:
    lon, lat = uploads.INSIDE[n % len(uploads.INSIDE)]
    return {"id": 70000 + n, "type_of_violence": kind, "side_a": "FPRC", "side_b": "Civilians",
            "date_start": f"2023-04-{n + 1:02d}", "date_prec": 1, "where_prec": 1,
            "latitude": lat, "longitude": lon, "source_office": "AFP", "deaths_civilians": 0,
            "best": 0, **more}  # fmt: skip


def test_ucdp_scope_estimates_and_precision(store) -> None:
    rows = [
        _ucdp_row(0, 3, best=4, low=3, high=9, deaths_civilians=4),
        _ucdp_row(1, 1, side_a="Government of Carana", best=10, low=8, high=15,
                  deaths_civilians=2, deaths_a=3, deaths_b=5),
        _ucdp_row(2, 2, best=7, low=7, high=7),  # no civilian died: out of scope
        _ucdp_row(3, 1, best=5, low=5, high=6),  # no civilian died: out of scope
        _ucdp_row(4, 3, best=0, low=0, high=1),  # one-sided, no death reported: attack
        *(_ucdp_row(10 + p, 3, best=1, deaths_civilians=1, date_prec=p) for p in range(2, 6)),
        *(_ucdp_row(20 + w, 3, best=1, deaths_civilians=1, where_prec=w) for w in range(2, 8)),
    ]  # fmt: skip
    preview, batch = _import(store, "ged.csv", _ucdp_file(rows))
    counts = _identity(preview, batch)
    assert (counts["out_of_scope"], counts["rejected"]) == (2, 0), preview.result.report
    line = preview.result.report["problem"].iloc[0]
    assert line == (
        "out of scope for incidents: 2 rows: UCDP type 1 (state-based) without civilian deaths "
        "1, UCDP type 2 (non-state) without civilian deaths 1"
    )
    stored = store.layer("incidents").set_index("incident_id")
    one_sided, state = stored.loc["UCDP-70000"], stored.loc["UCDP-70001"]
    assert (one_sided["fatalities"], one_sided["fatalities_low"], one_sided["fatalities_high"]) == (
        4,
        3,
        9,
    )
    # Type 1: its civilian deaths; UCDP's low/high bound every death of the event: empty.
    assert state["fatalities"] == 2
    assert pd.isna(state["fatalities_low"]) and pd.isna(state["fatalities_high"])
    assert stored.loc["UCDP-70004", "incident_type"] == "attack"
    dates = {p: stored.loc[f"UCDP-{70010 + p}", "date_precision"] for p in range(2, 6)}
    assert dates == {2: "week", 3: "week", 4: "month", 5: "year"}
    assert stored.loc["UCDP-70000", "date_precision"] == "day"
    places = {w: stored.loc[f"UCDP-{70020 + w}", "location_precision"] for w in range(2, 8)}
    assert places == {2: "approximate", 3: "admin2", 4: "admin1", 5: "admin1", 6: "country",
                      7: "country"}  # fmt: skip
