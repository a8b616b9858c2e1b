"""Uploads end to end: real files through read, map, check and commit into a real store."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.sample import IMPORT_ORDER, load_sample_into
from schema.mission import from_layers, load_sample
from schema.upload import IngestError, Upload
from store import open_store
from tests.ingest import uploads

SAMPLE_CSV = Path(__file__).resolve().parents[2] / "sample_data" / "incidents.csv"

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="session")
def boundaries_store(tmp_path_factory) -> Path:
    """A store holding the sample's admin boundaries (the mission area), made once."""
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("template") / "b.gpkg")


@pytest.fixture
def store(boundaries_store: Path, tmp_path: Path):
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_store, path)
    return open_store(path)


def _import(store, fixture: uploads.Fixture, office: str = "Bureau de test", **options):
    preview = preview_import(
        store,
        Upload(fixture.name, fixture.data),
        ImportOptions(
            layer=fixture.layer,
            office=office,
            uploader="pytest",
            profile=fixture.profile,
            today=TODAY,
            **options,
        ),
    )
    return preview, commit_import(store, preview)


def _accounted(preview, batch, expected: uploads.Expected) -> None:
    counts = preview.result.counts
    assert preview.result.rows_read == len(preview.table.records) == expected.rows_read
    assert sum(counts.values()) == expected.rows_read
    assert counts["accepted"] + counts["accepted_with_warning"] == expected.accepted, (
        preview.result.report.to_string()
    )
    assert counts["rejected"] == expected.rejected
    assert counts["out_of_scope"] == expected.out_of_scope
    # rows read = accepted + accepted with a warning + out of scope + rejected, every import.
    assert preview.result.rows_read == (
        counts["accepted"] + counts["accepted_with_warning"] + counts["out_of_scope"]
        + counts["rejected"]
    )  # fmt: skip
    # The batch records the same accounting, and every rejected row is explained.
    assert (batch.rows_read, batch.rejected, batch.out_of_scope) == (
        expected.rows_read,
        expected.rejected,
        expected.out_of_scope,
    )
    rejected_rows = set(preview.result.outcomes[preview.result.outcomes == "rejected"].index)
    assert rejected_rows <= set(preview.result.report["row"])


BUILDERS = uploads.builders()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_format_and_profile_imports_and_every_row_is_accounted_for(
    store, tmp_path, name
) -> None:
    fixture = BUILDERS[name](tmp_path)
    if fixture.layer == "admin_boundaries":
        store = open_store(tmp_path / "fresh.gpkg")  # boundaries define the mission area
    preview, batch = _import(store, fixture)
    _accounted(preview, batch, fixture.expected)
    if fixture.detected:
        assert preview.mapped.profile == fixture.detected
    stored = store.layer(fixture.layer)
    assert len(stored) == fixture.expected.accepted
    if fixture.layer in ("admin_boundaries", "mission_presence", "local_agreements"):
        assert stored.crs.to_epsg() == 4326
    assert store.report(batch.batch_id)["row"].tolist() == preview.result.report["row"].tolist()
    assert store.original(batch.batch_id).data == fixture.data


def test_french_accents_and_decimal_commas_arrive_intact(store) -> None:
    preview, _ = _import(store, uploads.native_incidents_cp1252())
    incidents = store.layer("incidents")
    assert set(incidents["narrative"]) == {"Éléments armés près du marché; œuvre à vérifier"}
    assert set(incidents["motivation"]) == {"revenge"}
    assert set(incidents["motivation_raw"]) == {"vengeance"}  # the raw value is kept
    assert incidents.geometry.iloc[0].y == pytest.approx(uploads.INSIDE[0][1])
    swapped = preview.result.report
    assert "swapped" in swapped.loc[swapped["row"] == 6, "problem"].iloc[0]


def test_each_stored_row_keeps_its_row_as_sent(store) -> None:
    preview, _ = _import(store, uploads.native_incidents_cp1252())
    with sqlite3.connect(store.location) as conn:
        kept = dict(conn.execute("SELECT source_row, source_record FROM incidents"))
    accepted = preview.result.outcomes[preview.result.outcomes != "rejected"].index
    assert sorted(kept) == accepted.tolist()
    for row, record in kept.items():
        sent = preview.table.records.loc[row]
        assert json.loads(record) == {c: (None if pd.isna(v) else v) for c, v in sent.items()}
    assert "," in json.loads(kept[2])["latitude"]  # the decimal comma as the office wrote it


def test_reuploading_the_same_file_is_detected_and_withdrawn_batches_hide(store) -> None:
    fixture = uploads.agreements_geojson()
    _, batch = _import(store, fixture)
    with pytest.raises(IngestError, match=f"already imported as batch {batch.batch_id}"):
        _import(store, fixture)
    store.withdraw(batch.batch_id, by="pytest", reason="wrong office")
    assert len(store.layer("local_agreements")) == 0
    # A withdrawn file can be imported again (re-processed); then the old one stays hidden.
    _, again = _import(store, fixture)
    assert again.batch_id != batch.batch_id
    assert len(store.layer("local_agreements")) == fixture.expected.accepted


def test_ids_already_in_the_store_are_rejected_as_duplicates(store) -> None:
    fixture = uploads.processes_kml()
    _import(store, fixture)
    changed = uploads.Fixture(
        "processus_v2.kml",
        fixture.data.replace(b"Dialogue 1", b"Dialogue un"),
        fixture.layer,
        fixture.expected,
        fixture.profile,
    )
    # Another office's: refused row by row (the same office's is an update,
    # tests/ingest/test_resend.py).
    with pytest.raises(IngestError, match="no row can be imported"):
        _import(store, changed, office="Autre bureau")


def test_the_sample_loads_through_the_import_path(tmp_path) -> None:
    store = open_store(tmp_path / "sample.gpkg")
    batches = load_sample_into(store)
    assert [b.layer for b in reversed(store.batches())] == list(IMPORT_ORDER)
    assert all(b.rejected == 0 for b in batches)
    loaded = from_layers(store.layer, "sample")
    sample = load_sample()
    for name in IMPORT_ORDER:
        assert len(getattr(loaded, name)) == len(getattr(sample, name)), name
    assert load_sample_into(store) == []  # already there: nothing imported twice


def test_counts_too_large_to_keep_exactly_are_refused_row_by_row(store) -> None:
    header, *rows = (SAMPLE_CSV.read_text(encoding="utf-8").splitlines())[:4]
    columns = header.split(",")
    fatalities, injured = columns.index("fatalities"), columns.index("injured")
    cells = [row.split(",") for row in rows]
    cells[0][fatalities] = "1" * 25  # would overflow a 64-bit count, or lose its digits
    cells[1][injured] = "1e400"  # written as a number, too large for one
    data = "\n".join([header, *(",".join(c) for c in cells)]).encode("utf-8")
    preview = preview_import(
        store,
        Upload("large_counts.csv", data),
        ImportOptions(layer="incidents", office="Test", profile="native", today=TODAY),
    )
    counts = preview.result.counts
    assert counts["rejected"] == 2 and counts["accepted"] + counts["accepted_with_warning"] == 1
    report = preview.result.report
    problems = dict(zip(report["column"], report["problem"], strict=False))
    assert "too large for a count" in problems["fatalities"]
    assert "not a finite number" in problems["injured"]
