"""A corrected file sent again is an update (issue 23): unchanged rows skipped, changed rows
updated with their history, new rows added; shown as a difference before it is applied.

Real files (CSV and Excel) of the sample's incidents go through the real pipeline into both
backends: the original, then the same file corrected (two values changed, one row added,
one unchanged row left out).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pyproj
import pytest
from openpyxl import Workbook

from access.roles import Caller
from access.session import Session
from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.replace import replace_all
from languages import use
from schema.filters import IncidentFilter
from schema.mission import SAMPLE_DIR, from_layers
from schema.upload import IngestError, Upload
from store import open_store
from tests.ingest import uploads
from tests.languages.english import english_left

OFFICE = "Field Office South"
OTHER = "Field Office North"
TODAY = __import__("datetime").date(2026, 11, 24)
CHANGED = {"INC-000004": ("fatalities", "7"), "INC-000008": ("injured", "3")}
LEFT_OUT = "INC-000011"
ADDED = "INC-000031"


def _sample_rows() -> tuple[list[str], list[list[str]]]:
    with (SAMPLE_DIR / "incidents.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _files(kind: str) -> tuple[Upload, Upload, dict[str, str]]:
    """The original file (30 incidents) and its correction; ``was``: the changed cells'
    stored values."""
    header, rows = _sample_rows()
    original = [list(r) for r in rows[:30]]
    corrected = [list(r) for r in rows[:31]]  # one row added
    was = {}
    for row in corrected:
        if row[0] in CHANGED:
            column, value = CHANGED[row[0]]
            at = header.index(column)
            was[row[0]] = row[at]
            assert row[at] != value, "the sample already holds the corrected value"
            row[at] = value
    corrected = [r for r in corrected if r[0] != LEFT_OUT]
    for row in corrected:
        if row[0] == "INC-000008":  # the same id written otherwise: still the same row
            row[0] = " inc-000008 "
    return (
        _upload(f"incidents.{kind}", header, original, kind),
        _upload(f"incidents_corrected.{kind}", header, corrected, kind),
        was,
    )


def _upload(name: str, header: list[str], rows: list[list[str]], kind: str) -> Upload:
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
        return Upload(name, out.getvalue().encode("utf-8"))
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return Upload(name, data.getvalue())


def _options(office: str = OFFICE, layer: str = "incidents") -> ImportOptions:
    return ImportOptions(layer=layer, office=office, uploader="pytest", today=TODAY)


BACKENDS = ["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)]


@pytest.fixture(scope="module")
def boundaries_gpkg(tmp_path_factory) -> Path:
    """A GeoPackage holding the sample's boundaries (the mission area), made once."""
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("resend") / "b.gpkg")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path: Path, boundaries_gpkg: Path):
    """A store of each backend holding the sample's boundaries (the mission area)."""
    if request.param == "geopackage":
        shutil.copyfile(boundaries_gpkg, tmp_path / "pocmap.gpkg")
        return open_store(tmp_path / "pocmap.gpkg")
    opened = open_store(request.getfixturevalue("postgis_url"))
    source = SAMPLE_DIR / "admin_boundaries.geojson"
    options = ImportOptions(layer="admin_boundaries", office="HQ", profile="native")
    commit_import(opened, preview_import(opened, Upload(source.name, source.read_bytes()), options))
    return opened


def _analyst() -> Caller:
    return Caller("ana", "analyst")


def _current(store, incident_id: str) -> pd.Series:
    rows = store.layer("incidents")
    found = rows[rows["incident_id"] == incident_id]
    assert len(found) == 1, f"{incident_id} is read {len(found)} times"
    return found.iloc[0]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_corrected_file_is_an_update_with_its_history(store, kind: str) -> None:
    first, corrected, was = _files(kind)
    original = commit_import(store, preview_import(store, first, _options()))
    preview = preview_import(store, corrected, _options())

    # The difference, before anything is written.
    counts = preview.accounting()
    assert counts["rows_read"] == 30
    assert (counts["unchanged"], counts["updated"]) == (27, 2)
    assert preview.difference is not None and preview.difference.new == 1
    accounted = ("accepted", "accepted_with_warning", "out_of_scope", "rejected", "unchanged")
    assert sum(counts[k] for k in accounted) == counts["rows_read"]
    assert counts["accepted"] + counts["accepted_with_warning"] == 3  # 1 new + 2 updated
    cells = {
        (c["id"], c["column"]): (c["stored"], c["sent"]) for c in counts["difference"]["cells"]
    }
    assert cells == {
        (incident, column): (was[incident], value) for incident, (column, value) in CHANGED.items()
    }
    assert counts["difference"]["left_out"] == 1
    assert any(LEFT_OUT in n and "not deleted" in n for n in preview.notes)
    rows = preview.result.report.groupby("outcome")["row"].nunique()
    assert rows.get("unchanged") == 27 and rows.get("updated") == 2
    assert len(store.layer("incidents")) == 30  # nothing written yet
    assert _current(store, "INC-000004")["fatalities"] == int(was["INC-000004"])

    batch = commit_import(store, preview)
    assert (batch.updated, batch.unchanged, batch.rows_read) == (2, 27, 30)
    total = batch.accepted + batch.accepted_with_warning + batch.rejected + batch.out_of_scope
    assert total + batch.unchanged == batch.rows_read
    kept = store.report(batch.batch_id)  # the row-level report keeps every row's outcome
    assert kept.groupby("outcome")["row"].nunique().to_dict() == {
        **kept.groupby("outcome")["row"].nunique().to_dict(),
        "unchanged": 27,
        "updated": 2,
    }

    # Each incident once, the current version in every reader.
    layer = store.layer("incidents")
    assert len(layer) == 31 and not layer["incident_id"].duplicated().any()
    assert _current(store, "INC-000004")["fatalities"] == 7
    assert _current(store, "INC-000008")["injured"] == 3
    assert _current(store, LEFT_OUT)["batch_id"] == original.batch_id  # left out: not deleted
    session = Session(store, _analyst())
    mission = from_layers(session.layer)  # what maps, analysis and exports read
    assert len(mission.incidents) + mission.not_counted == 31
    assert mission.incidents.set_index("incident_id").loc["INC-000008", "injured"] == 3

    # The history: before and after, by whom, why.
    edits = store.edits("incidents", "INC-000004")
    assert edits[["column", "before", "after"]].values.tolist() == [
        ["fatalities", was["INC-000004"], "7"]
    ]
    assert f"batch {batch.batch_id}" in edits["reason"].iloc[0]
    assert corrected.name in edits["reason"].iloc[0]
    assert "update" in set(store.audit_log()["action"])

    # Withdrawing the update brings the older values back; restoring it applies it again.
    store.withdraw(batch.batch_id, by="ana", reason="wrong correction")
    assert _current(store, "INC-000004")["fatalities"] == int(was["INC-000004"])
    assert len(store.layer("incidents")) == 30
    back = store.edits("incidents", "INC-000004").iloc[-1]
    assert (back["before"], back["after"]) == ("7", was["INC-000004"])
    store.restore(batch.batch_id, by="ana")
    assert _current(store, "INC-000004")["fatalities"] == 7


def test_a_field_offices_update_waits_for_review(store) -> None:
    first, corrected, was = _files("csv")
    office = Session(store, Caller("kim", "field_office", OFFICE))
    analyst = Session(store, _analyst())
    commit_import(office, preview_import(office, first, office.import_options(_options())))
    analyst.accept(store.batches("incidents")[0].batch_id)
    preview = preview_import(office, corrected, office.import_options(_options()))
    assert (preview.updated, preview.unchanged) == (2, 27)
    batch = commit_import(office, preview)
    assert batch.review == "under_review"

    # Nothing changes in analysis before an analyst accepts it.
    shown = analyst.layer("incidents")
    assert len(shown) == 30
    assert shown.set_index("incident_id").loc["INC-000004", "fatalities"] == int(was["INC-000004"])
    assert store.edits("incidents", "INC-000004").empty
    waiting = analyst.layer("incidents", under_review=True)
    assert sorted(waiting["incident_id"]) == sorted([*CHANGED, ADDED])

    analyst.accept(batch.batch_id)
    shown = analyst.layer("incidents")
    assert len(shown) == 31 and not shown["incident_id"].duplicated().any()
    assert shown.set_index("incident_id").loc["INC-000004", "fatalities"] == 7
    edits = store.edits("incidents", "INC-000004")
    assert edits[["before", "after", "edited_by"]].values.tolist() == [
        [was["INC-000004"], "7", "ana"]
    ]


def test_another_offices_ids_are_still_refused(store) -> None:
    first, corrected, _was = _files("csv")
    commit_import(store, preview_import(store, first, _options()))
    preview = preview_import(store, corrected, _options(office=OTHER))
    assert preview.difference is None
    counts = preview.accounting()
    assert counts["rejected"] == 29 and counts["unchanged"] == 0
    problems = preview.result.report["problem"].astype(str)
    assert problems.str.contains("already in the store").sum() == 29


def test_an_analysts_coding_is_kept_and_the_files_shown_as_a_conflict(store) -> None:
    header, rows = _sample_rows()
    first, _corrected, _was = _files("csv")
    commit_import(store, preview_import(store, first, _options()))
    analyst = Session(store, _analyst())
    stored = _current(store, "INC-000004")
    recoded = "revenge" if stored["motivation"] != "revenge" else "predation"
    analyst.edit_motivation("INC-000004", motivation=recoded, reason="read the narrative")
    # The office corrects the fatalities and sends its own motivation again, changed.
    corrected = [list(r) for r in rows[:30]]
    sent = (
        "political"
        if recoded != "political" and stored["motivation"] != "political"
        else "collateral"
    )
    for row in corrected:
        if row[0] == "INC-000004":
            row[header.index("fatalities")] = "7"
            row[header.index("motivation")] = sent
    preview = preview_import(store, _upload("v2.csv", header, corrected, "csv"), _options())
    lines = preview.difference.lines
    conflict = lines[lines["kind"] == "conflict"]
    assert conflict[["id", "column", "stored", "sent"]].values.tolist() == [
        ["INC-000004", "motivation", recoded, sent]
    ]
    assert preview.updated == 1
    commit_import(store, preview)
    current = _current(store, "INC-000004")
    assert (current["motivation"], current["motivation_origin"]) == (recoded, "analyst")
    assert current["fatalities"] == 7


def test_a_file_with_nothing_new_is_refused_saying_so(store) -> None:
    first, _corrected, _was = _files("csv")
    commit_import(store, preview_import(store, first, _options()))
    header, rows = _sample_rows()
    same = _upload("again.csv", header, rows[:30], "csv")
    # Same rows, another file (its bytes differ: a trailing line).
    same = Upload("again.csv", same.data + b"\r\n")
    preview = preview_import(store, same, _options())
    assert preview.unchanged == 30
    with pytest.raises(IngestError, match="same as stored"):
        commit_import(store, preview)


def test_a_moved_incident_is_placed_where_its_current_version_is(store) -> None:
    """The places pocmap derives (admin areas) follow the current version, through the
    import, re-placing (ingest.replace) and a withdrawal of the update."""
    header, rows = _sample_rows()
    first, _corrected, _was = _files("csv")
    commit_import(store, preview_import(store, first, _options()))
    before = _current(store, "INC-000004")
    far = next(r for r in rows[:30] if r[header.index("admin1")] != before["admin1"])
    moved = [list(r) for r in rows[:30]]
    for row in moved:
        if row[0] == "INC-000004":
            for column in ("longitude", "latitude"):
                row[header.index(column)] = far[header.index(column)]
    preview = preview_import(store, _upload("moved.csv", header, moved, "csv"), _options())
    assert preview.updated == 1
    # The place, and the admin areas the map gives it (shown, so the person sees them).
    changed = set(preview.difference.lines["column"])
    assert {"geometry", "admin1"} <= changed <= {"geometry", "admin1", "admin2", "field_office"}
    batch = commit_import(store, preview)
    assert _current(store, "INC-000004")["admin1"] == far[header.index("admin1")]
    replace_all(store, by="ana")
    assert _current(store, "INC-000004")["admin1"] == far[header.index("admin1")]
    Session(store, _analyst()).withdraw(batch.batch_id, reason="moved by mistake")
    assert _current(store, "INC-000004")["admin1"] == before["admin1"]


def test_postgis_tallies_each_incident_once_in_sql(postgis_url) -> None:
    opened = open_store(postgis_url)
    first, corrected, _was = _files("csv")
    commit_import(opened, preview_import(opened, first, _options()))
    commit_import(opened, preview_import(opened, corrected, _options()))
    incidents = opened.layer("incidents")
    counted = incidents[incidents["counted"].astype("boolean").fillna(True).to_numpy()]
    counted = counted[counted["location_precision"] != "country"]
    totals = opened.cell_totals(
        IncidentFilter(), crs=pyproj.CRS.from_epsg(32732), shape="square", width_m=50_000
    )
    assert (
        int(totals["incidents"].sum())
        == len(counted)
        == 31 - int((incidents["location_precision"] == "country").sum())
    )
    assert totals["fatalities"].sum() == pytest.approx(counted["fatalities"].fillna(0).sum())
    _box, n = opened.incident_extent(IncidentFilter())
    assert n == len(counted)


test_postgis_tallies_each_incident_once_in_sql = pytest.mark.postgis(
    test_postgis_tallies_each_incident_once_in_sql
)


def test_the_preview_of_an_update_is_french(store) -> None:
    first, corrected, was = _files("csv")
    commit_import(store, preview_import(store, first, _options()))
    with use("fr"):
        preview = preview_import(store, corrected, _options())
        lines = preview.result.report
        ours = lines[lines["outcome"].isin(["unchanged", "updated"])]
        said = [*ours["problem"], *ours["expected"].dropna(), *preview.notes[-1:]]
        said += [line for pair in preview.header().lines() for line in pair]
        said += [preview.difference.summary()]
    data = [corrected.name, OFFICE, LEFT_OUT, *CHANGED, *was.values(), "incident_id"]
    data += [preview.mapped.profile, "incidents"]
    assert english_left("\n".join(str(s) for s in said), ignoring=data) == set()
    assert any("n'est pas supprimée" in note for note in preview.notes)
