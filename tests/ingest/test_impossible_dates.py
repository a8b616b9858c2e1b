"""An impossible date (year 0205, a spreadsheet's year 205) is one row's rejection.

Before issue 18 one such cell failed the whole date column ("cannot be read as date" on
every row, or "Out of bounds nanosecond timestamp" for the file): pandas cannot hold a
year before 1678 as a timestamp. Now the row is refused with its row, column and value and
what would be accepted, the other rows are imported, and every row is accounted for.
Files are made here, read and checked through ``ingest.pipeline`` as the Upload page does.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.values import EARLIEST_DATE
from schema.upload import Upload
from store import open_store
from tests.ingest import uploads

TODAY = dt.date(2026, 11, 24)
SAMPLE_CSV = Path(__file__).resolve().parents[2] / "sample_data" / "incidents.csv"
EXPECTED = "from 1900-01-01 to 2026-11-24"


@pytest.fixture(scope="module")
def boundaries(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("dates") / "b.gpkg")


@pytest.fixture
def store(boundaries: Path, tmp_path: Path):
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries, path)
    return open_store(path)


def _preview(store, name: str, data: bytes, layer: str = "incidents"):
    options = ImportOptions(layer=layer, office="Bureau de test", uploader="pytest", today=TODAY)
    return preview_import(store, Upload(name, data), options)


def _accounted(preview, rows: int, rejected: int) -> None:
    counts = preview.result.counts
    assert preview.result.rows_read == rows
    assert counts["accepted"] + counts["accepted_with_warning"] + counts["rejected"] == rows
    assert counts["rejected"] == rejected, preview.result.report.to_string()


def _date_line(preview, row: int) -> pd.Series:
    report = preview.result.report
    lines = report[(report["row"] == row) & (report["column"] == "date")]
    assert len(lines) == 1, report.to_string()
    return lines.iloc[0]


def _sample_csv(dates: list[str]) -> bytes:
    header, *rows = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()[: len(dates) + 1]
    at = header.split(",").index("date")
    cells = [row.split(",") for row in rows]
    for cell, date in zip(cells, dates, strict=True):
        cell[at] = date
    return "\n".join([header, *(",".join(c) for c in cells)]).encode("utf-8")


def test_a_year_0205_in_a_csv_rejects_its_row_only(store) -> None:
    dates = ["2023-01-01", "0205-03-15", "2023-01-03", "1899-12-31", "15/03/0205", "2023-01-04"]
    preview = _preview(store, "incidents_0205.csv", _sample_csv(dates))
    _accounted(preview, rows=6, rejected=3)
    for row, value, year in (
        (3, "0205-03-15", 205),
        (5, "1899-12-31", 1899),
        (6, "15/03/0205", 205),
    ):
        line = _date_line(preview, row)
        assert line["value"] == value
        assert f"(year {year})" in line["problem"] and "before 01 January 1900" in line["problem"]
        assert EXPECTED in line["expected"] and line["outcome"] == "rejected"
    # The other rows are read and typed as usual, and committed.
    commit_import(store, preview)
    stored = store.layer("incidents")
    assert sorted(stored["date"].dt.date.astype(str)) == ["2023-01-01", "2023-01-03", "2023-01-04"]
    assert EARLIEST_DATE == dt.date(1900, 1, 1)


def test_real_spreadsheet_dates_of_year_205_reject_their_rows_only(store) -> None:
    # An incident already stored: the near-duplicate check (which compares dates with
    # the store's) runs too, as it does on a real mission.
    commit_import(store, _preview(store, "first.csv", _sample_csv(["2023-01-01"])))
    book = Workbook()
    sheet = book.active
    header = "incident_id date incident_type motivation perpetrator_type fatalities"
    sheet.append([*header.split(), "latitude", "longitude", "source"])
    cells = [
        dt.datetime(205, 3, 1),  # a real datetime cell, as Excel keeps a mistyped year
        dt.datetime(2024, 3, 1),
        dt.date(1, 1, 1),
        "0205-03-01",
        dt.datetime(2024, 3, 2, 10, 30),
        dt.datetime(9999, 12, 31),
    ]
    for i, date in enumerate(cells):
        lon, lat = uploads.INSIDE[i]
        sheet.append([f"X-{i}", date, "killing", "revenge", "criminal", 1, lat, lon, "HRD"])
    data = io.BytesIO()
    book.save(data)
    preview = _preview(store, "incidents_205.xlsx", data.getvalue())
    _accounted(preview, rows=6, rejected=4)
    for row, year in ((2, 205), (4, 1), (5, 205)):
        line = _date_line(preview, row)
        assert str(line["value"]).startswith(f"{year:04d}-")
        assert f"(year {year})" in line["problem"] and EXPECTED in line["expected"]
    assert "in the future" in _date_line(preview, 7)["problem"]
    commit_import(store, preview)
    kept = store.layer("incidents")
    assert sorted(kept.loc[kept["incident_id"].str.startswith("X-"), "incident_id"]) == [
        "X-1",
        "X-4",
    ]


def test_an_impossible_date_in_another_layer_is_refused_row_by_row(store) -> None:
    """Every date field reads through the same check (here a milestone's ``date``)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["milestone_id", "date", "kind", "title"])
    sheet.append(["M-1", dt.datetime(2024, 5, 1), "pre_negotiation", "Exploratory contacts"])
    sheet.append(["M-2", dt.datetime(205, 5, 1), "pre_negotiation", "Agenda agreed"])
    data = io.BytesIO()
    book.save(data)
    preview = _preview(store, "milestones.xlsx", data.getvalue(), layer="national_milestones")
    report = preview.result.report
    lines = report[report["column"] == "date"]
    assert lines["row"].tolist() == [3], report.to_string()
    assert "(year 205)" in lines["problem"].item()
    assert preview.result.rows_read == sum(preview.result.counts.values()) == 2
    assert preview.result.counts["rejected"] == 1
