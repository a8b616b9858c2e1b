"""Ids that differ only by case, surrounding spaces or Unicode form are one id.

``INC-É1`` typed (one code point, NFC) and pasted (``E`` + a combining accent, NFD),
``inc-é1`` and `` INC-É1 `` are refused as repeats, in one file and against the store, on
both stores; the id is stored as sent. Files are made here and imported through
``ingest.pipeline``; the store's own guards (commit, restore) are tried directly too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata

import pytest
from openpyxl import Workbook

from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.ids import id_key, id_keys
from schema.upload import Upload
from store import open_store
from store.base import DuplicateIds
from tests.ingest import uploads
from tests.store import helpers

NFC = unicodedata.normalize("NFC", "INC-É1")
NFD = unicodedata.normalize("NFD", "INC-É1")
TODAY = dt.date(2026, 11, 24)
HEADER = [
    "incident_id",
    "date",
    "incident_type",
    "motivation",
    "perpetrator_type",
    "fatalities",
    "latitude",
    "longitude",
    "source",
]


def test_the_key_ignores_case_spaces_and_form_but_nothing_else():
    assert NFC != NFD and len(NFD) == len(NFC) + 1
    same = [NFC, NFD, "inc-é1", " INC-É1\u00a0", "\tinc-" + unicodedata.normalize("NFD", "é1")]
    assert {id_key(i) for i in same} == {"inc-é1"}
    assert id_key("STRASSE-1") == id_key("Straße-1")  # case folding, not lower casing
    different = ["INC-E1", "INC-É1-", "INC-É 1", "INC-01", "INC-1"]
    assert len({id_key(i) for i in different}) == len(different)
    # The vectorised keys (Arrow for ASCII, Python for the rest) are the same keys.
    ids = [*same, *different, None, "  ABC ", "\x1cabc\x1f"]
    assert id_keys(ids).tolist()[:-3] == [id_key(i) for i in same + different]
    assert id_keys(ids).isna().tolist()[-3] and id_keys(ids).tolist()[-2:] == ["abc", "abc"]


def _csv(ids: list[str], encoding: str = "utf-8") -> bytes:
    lines = [",".join(HEADER)]
    for i, incident in enumerate(ids):
        lon, lat = uploads.INSIDE[i % len(uploads.INSIDE)]
        date = f"2025-03-{1 + i:02d}"
        lines.append(f'"{incident}",{date},killing,revenge,criminal,1,{lat},{lon},HRD')
    return "\n".join(lines).encode(encoding)


def _xlsx(ids: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i, incident in enumerate(ids):
        lon, lat = uploads.INSIDE[i % len(uploads.INSIDE)]
        date = dt.datetime(2025, 4, 1 + i)
        sheet.append([incident, date, "killing", "revenge", "criminal", 1, lat, lon, "HRD"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)])
def store(request, tmp_path):
    if request.param == "geopackage":
        where = str(tmp_path / "pocmap.gpkg")
    else:
        where = request.getfixturevalue("postgis_url")
    uploads.store_with_boundaries(where)
    return open_store(where)


def _preview(store, name: str, data: bytes, office: str = "Kalondo office"):
    options = ImportOptions(layer="incidents", office=office, today=TODAY)
    return preview_import(store, Upload(name, data), options)


def _problems(preview) -> dict[int, str]:
    report = preview.result.report
    lines = report[report["column"] == "incident_id"]
    return dict(zip(lines["row"], lines["problem"], strict=True))


@pytest.mark.parametrize(("name", "make"), [("ids.csv", _csv), ("ids.xlsx", _xlsx)])
def test_one_file_repeating_an_id_in_another_form(store, name, make):
    ids = [NFC, "INC-2", NFD, "inc-é1", " INC-É1 ", "inc-2", "INC-3"]
    preview = _preview(store, name, make(ids))
    problems = _problems(preview)
    assert sorted(problems) == [4, 5, 6, 7]
    assert problems[4].startswith(f"repeats the id of row 2 in this file (written {NFC} there; ids")
    assert "ignoring case, surrounding spaces and Unicode form" in problems[6]
    assert problems[7].startswith("repeats the id of row 3 in this file (written INC-2 there")
    counts = preview.result.counts
    assert preview.result.rows_read == 7 == sum(counts.values()) and counts["rejected"] == 4
    commit_import(store, preview)
    # Stored as sent: the NFC spelling of row 2, not a normalised one.
    assert sorted(store.layer("incidents")["incident_id"]) == sorted(["INC-2", "INC-3", NFC])


def test_an_id_in_the_store_in_another_form_is_refused(store):
    first = commit_import(store, _preview(store, "first.csv", _csv([NFD, "KAL-7"])))
    assert set(store.layer("incidents")["incident_id"]) == {NFD, "KAL-7"}  # as sent
    assert store.existing_ids("incidents", [" inc-é1", "kal-7 ", "KAL-8"]) == {
        " inc-é1": first.batch_id,
        "kal-7 ": first.batch_id,
    }
    # From another office (the same office's would be an update: tests/ingest/test_resend.py).
    preview = _preview(store, "second.xlsx", _xlsx([" inc-É1", "KAL-8", "Kal-7"]), "Oubandi office")
    problems = _problems(preview)
    assert problems == {
        2: f"is already in the store (batch {first.batch_id})",
        4: f"is already in the store (batch {first.batch_id})",
    }
    expected = preview.result.report.set_index("row").loc[2, "expected"]
    assert "ignoring case, surrounding spaces and Unicode form" in expected
    commit_import(store, preview)
    assert sorted(store.layer("incidents")["incident_id"]) == sorted(["KAL-7", "KAL-8", NFD])


def test_the_stores_own_guards_compare_ids_by_key(store):
    rows = helpers.incidents(2, "KAL")
    one = helpers.new_batch("incidents", rows, b"one")
    done = store.commit_batch(
        one, rows, report=helpers.REPORT, original=b"one", id_column="incident_id"
    )
    # Checked again under the write lock (another office's commit since the preview).
    other = rows.assign(incident_id=["kal-0 ", "KAL-9"])
    batch = dataclasses.replace(helpers.new_batch("incidents", other, b"two"), office="Oubandi")
    with pytest.raises(DuplicateIds, match="kal-0"):
        store.commit_batch(
            batch, other, report=helpers.REPORT, original=b"two", id_column="incident_id"
        )
    # Within one batch, too.
    twice = rows.assign(incident_id=[NFC, NFD])
    with pytest.raises(ValueError, match="repeats within the batch"):
        store.commit_batch(
            helpers.new_batch("incidents", twice, b"three"),
            twice,
            report=helpers.REPORT,
            original=b"three",
            id_column="incident_id",
        )
    # A withdrawn batch cannot come back over the same ids in another form.
    store.withdraw(done.batch_id, by="ana", reason="wrong office")
    again = store.commit_batch(
        batch, other, report=helpers.REPORT, original=b"two", id_column="incident_id"
    )
    with pytest.raises(DuplicateIds, match=f"batch {done.batch_id} cannot be restored"):
        store.restore(done.batch_id, by="ana")
    assert store.existing_ids("incidents", ["KAL-0", "kal-9"]) == {
        "KAL-0": again.batch_id,
        "kal-9": again.batch_id,
    }
