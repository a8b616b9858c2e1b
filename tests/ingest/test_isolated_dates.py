"""A date far from all the file's other dates (a mistyped year) is imported with a warning.

Future dates are refused (tests/ingest/test_impossible_dates.py); a date in the past but
more than :data:`schema.dates.ISOLATED_DAYS` days from every other date of its file, as
30 November 2026 typed for 2025 in a file of 2025, is kept and named in the report with
its row, value and the file's own range, because it would otherwise stretch the reporting
period by empty months. Files are made here and read through ``ingest.pipeline``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.dates import ISOLATED_DAYS
from schema.upload import Upload
from store import open_store
from tests.ingest import uploads

TODAY = dt.date(2026, 12, 6)
SAMPLE_CSV = Path(__file__).resolve().parents[2] / "sample_data" / "incidents.csv"


@pytest.fixture(scope="module")
def boundaries(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("lone") / "b.gpkg")


@pytest.fixture
def store(boundaries: Path, tmp_path: Path):
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries, path)
    return open_store(path)


def _sample_csv(dates: list[str]) -> bytes:
    header, *rows = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()[: len(dates) + 1]
    at = header.split(",").index("date")
    cells = [row.split(",") for row in rows]
    for cell, date in zip(cells, dates, strict=True):
        cell[at] = date
    return "\n".join([header, *(",".join(c) for c in cells)]).encode("utf-8")


def _preview(store, dates: list[str]):
    options = ImportOptions(
        layer="incidents", office="Bureau de test", uploader="pytest", today=TODAY
    )
    return preview_import(store, Upload("incidents.csv", _sample_csv(dates)), options)


def test_a_mistyped_year_is_warned_and_imported(store) -> None:
    dates = ["2025-03-01", "2025-03-05", "2025-04-10", "2026-11-30", "2025-05-01"]
    preview = _preview(store, dates)
    counts = preview.result.counts
    assert counts["rejected"] == 0 and counts["accepted_with_warning"] >= 1
    report = preview.result.report
    lines = report[(report["column"] == "date")]
    assert len(lines) == 1, report.to_string()
    line = lines.iloc[0]
    assert line["row"] == 5  # the 4th data row: line 5 of the file
    assert line["value"] == "2026-11-30" and line["outcome"] == "accepted_with_warning"
    assert "578 days from the file's nearest other date (01 May 2025)" in line["problem"]
    assert "mistyped year?" in line["problem"]
    assert "01 March 2025 to 01 May 2025" in line["expected"]
    assert "imported as it is" in line["expected"]
    commit_import(store, preview)
    assert sorted(store.layer("incidents")["date"].dt.date.astype(str))[-1] == "2026-11-30"


def test_dates_close_together_are_not_warned(store) -> None:
    # Gaps of up to ISOLATED_DAYS between consecutive dates: nothing stands alone.
    first = dt.date(2024, 1, 1)
    dates = [str(first + dt.timedelta(days=ISOLATED_DAYS * i)) for i in range(4)]
    report = _preview(store, dates).result.report
    assert not (report["column"] == "date").any(), report.to_string()
