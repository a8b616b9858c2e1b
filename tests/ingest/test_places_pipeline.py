"""Places from the map through the real import: files in, stored rows, audit, filters.

Boundaries and areas of responsibility are imported as GeoJSON files, incidents as a
native CSV, into a GeoPackage store; then a new boundaries batch comes and is withdrawn,
and ``pocmap analyse --json`` filters by office and admin1 as spelt any way.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from access.roles import ANALYST, Caller
from access.session import Session
from cli import main
from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.places import OUTSIDE_AREAS, OUTSIDE_BOUNDARIES
from schema.upload import Upload
from store import open_store
from tests.ingest.test_places import _boxes, boundaries, presence

HEADER = (
    "incident_id,date,incident_type,motivation,perpetrator_type,fatalities,"
    "location_precision,admin1,admin2,field_office,source,longitude,latitude"
).split(",")
ROWS = [
    ("I-1", 0.25, "exact", "OUAKA province", "bambari"),  # Ouaka, Bambari: Bambari's area
    ("I-2", 1.05, "exact", "Ouaka", ""),  # 5.6 km inside Kémo: disagrees
    ("I-3", 1.5, "approximate", "Kémo prefecture", "Sibut"),  # Kémo, Sibut: Sibut's area
    ("I-4", 2.01, "exact", "Nana", ""),  # just outside every boundary (mission area +0.02)
    ("I-5", 0.75, "exact", "Ouaka", "Ippy"),  # Ippy: no office's area
]


def _csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for incident_id, x, precision, admin1, admin2 in ROWS:
        writer.writerow(
            [incident_id, "2024-03-01", "killing", "revenge", "community_militia", 1,
             precision, admin1, admin2, "", "HRD", x, 0.5]
        )  # fmt: skip
    return out.getvalue().encode()


def _import(store, layer: str, name: str, data: bytes, office: str = "JMAC"):
    options = ImportOptions(layer=layer, office=office, uploader="ana", profile="native")
    preview = preview_import(store, Upload(name, data), options)
    return preview, commit_import(store, preview)


def _stored(store) -> dict[str, dict]:
    frame = store.layer("incidents")
    columns = ["admin1", "admin2", "field_office", "admin1_reported", "place_note"]
    return {
        row["incident_id"]: {c: (None if row[c] is None or row[c] != row[c] else row[c])
                             for c in columns}
        for row in frame.astype(object).to_dict("records")
    }  # fmt: skip


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "pocmap.gpkg")
    _import(store, "admin_boundaries", "cod-ab.geojson", boundaries().to_json().encode())
    _import(store, "mission_presence", "aor.geojson", presence().to_json().encode())
    return store


def test_an_import_places_its_incidents_keeps_the_names_and_says_so(store):
    preview, batch = _import(store, "incidents", "hrd.csv", _csv())
    assert preview.result.counts["rejected"] == 0
    line = next(n for n in batch.notes if n.startswith("Places from the map"))
    assert line == (
        "Places from the map: 4 incident(s) placed by their point; 1 with reported admin names "
        "that disagree with the point (see place_note); 1 outside the loaded boundaries; "
        "2 outside every area of responsibility."
    )
    assert batch.office == "JMAC"  # the office that sent it, whatever the areas say
    got = _stored(store)
    assert got["I-1"] == {
        "admin1": "Ouaka",
        "admin2": "Bambari",
        "field_office": "Bambari",
        "admin1_reported": "OUAKA province",
        "place_note": None,
    }
    assert got["I-2"]["admin1"] == "Kémo" and got["I-2"]["field_office"] == "Sibut"
    assert got["I-2"]["place_note"] == (
        "admin1 reported as 'Ouaka' but the point is in Kémo, 5.6 km outside Ouaka "
        "(exact location: 1 km allowed)"
    )
    assert got["I-3"] == {
        "admin1": "Kémo",
        "admin2": "Sibut",
        "field_office": "Sibut",
        "admin1_reported": "Kémo prefecture",
        "place_note": None,
    }
    assert got["I-4"] == {
        "admin1": "Nana",
        "admin2": None,
        "field_office": "JMAC",
        "admin1_reported": "Nana",
        "place_note": f"{OUTSIDE_BOUNDARIES}; {OUTSIDE_AREAS}",
    }
    assert (got["I-5"]["admin2"], got["I-5"]["field_office"]) == ("Ippy", "JMAC")
    assert got["I-5"]["place_note"] == OUTSIDE_AREAS


def test_new_boundaries_place_every_incident_again_and_withdrawing_them_undoes_it(store):
    _import(store, "incidents", "hrd.csv", _csv())
    nana = _boxes(
        [{"admin_id": "CF3", "name": "Nana-Grébizi", "level": "1", "parent_id": None,
          "box": (2, 0, 3, 1)}]
    )  # fmt: skip
    _, added = _import(store, "admin_boundaries", "nana.geojson", nana.to_json().encode())
    got = _stored(store)
    # "Nana" is not "Nana-Grébizi": a name no boundary has, 0 km away but not the same place.
    assert got["I-4"]["admin1"] == "Nana-Grébizi"
    assert got["I-4"]["place_note"] == (
        "admin1 reported as 'Nana', which is not a loaded admin1 area; the point is in "
        f"Nana-Grébizi; {OUTSIDE_AREAS}"
    )
    assert got["I-1"]["admin1"] == "Ouaka"  # the others are as they were
    entry = store.audit_log().iloc[-1]
    assert entry["action"] == "derive" and entry["actor"] == "ana"
    details = json.loads(entry["details"])
    assert details["rows_changed"] == 1
    assert details["reason"] == f"batch {added.batch_id} imported"

    analyst = Session(store, Caller("an.analyst", ANALYST))
    analyst.withdraw(added.batch_id, reason="wrong release")
    got = _stored(store)
    assert got["I-4"]["admin1"] == "Nana"
    assert got["I-4"]["place_note"] == f"{OUTSIDE_BOUNDARIES}; {OUTSIDE_AREAS}"
    entry = store.audit_log().iloc[-1]
    assert (entry["action"], entry["actor"]) == ("derive", "an.analyst")
    assert json.loads(entry["details"])["reason"] == f"batch {added.batch_id} withdrawn"

    analyst.restore(added.batch_id)
    assert _stored(store)["I-4"]["admin1"] == "Nana-Grébizi"


def test_withdrawing_the_areas_keeps_the_offices_and_restoring_them_places_again(store):
    _import(store, "incidents", "hrd.csv", _csv())
    (areas,) = store.batches("mission_presence")
    analyst = Session(store, Caller("an.analyst", ANALYST))
    analyst.withdraw(areas.batch_id, reason="redrawn")
    got = _stored(store)
    # No area loaded: offices stay as last placed; the notes about areas go.
    assert got["I-1"]["field_office"] == "Bambari"
    assert got["I-5"]["place_note"] is None
    assert got["I-4"]["place_note"] == OUTSIDE_BOUNDARIES
    analyst.restore(areas.batch_id)
    assert _stored(store)["I-5"]["place_note"] == OUTSIDE_AREAS


def test_places_refresh_and_filters_by_office_and_admin1_spelt_any_way(store, monkeypatch, capsys):
    _import(store, "incidents", "hrd.csv", _csv())
    monkeypatch.setenv("POCMAP_DB", store.location)
    assert main(["places", "--refresh", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "incidents": 5,
        "placed": 4,
        "disagreed": 1,
        "outside_boundaries": 1,
        "outside_areas": 2,
    }
    for flags, expected in (
        (["--office", "Bambari"], 1),
        (["--office", "sibut"], 2),
        (["--admin1", "Ouaka"], 2),
        (["--admin1", "kemo prefecture"], 2),
        (["--admin1", "Nana"], 1),
        (["--admin2", "IPPY"], 1),
    ):
        assert main(["analyse", "--json", *flags]) == 0, flags
        assert json.loads(capsys.readouterr().out)["incidents"] == expected, flags
