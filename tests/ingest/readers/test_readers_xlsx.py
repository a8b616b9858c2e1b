"""Excel workbooks written with openpyxl, as field offices' templates look."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import openpyxl
import pytest

from ingest.readers import read, sheets_or_layers
from schema.upload import IngestError, Upload


def _workbook_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _incidents_book() -> bytes:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Lisez-moi"
    notes.sheet_state = "hidden"
    notes["A1"] = "Instructions"
    sheet = book.create_sheet("Incidents")
    sheet["A1"] = "Incidents — Bureau de Kalondo"
    sheet.merge_cells("A1:E1")
    sheet.append([])  # row 2 blank
    sheet.append(["date", "lat", "lon", "victims", "total", "confirmed"])  # row 3
    sheet.append(["#date+occurred", "#geo+lat", "#geo+lon", "#affected", None, None])
    sheet.append([datetime(2024, 1, 5), 4.35, 18.55, 3, "=D5*2", True])  # row 5
    sheet.append([])  # row 6 blank
    sheet.append([datetime(2024, 1, 7), 4.4, 18.6, 1, "=D7*2", False, "stray"])  # row 7
    book.create_sheet("Empty")
    return _workbook_bytes(book)


def test_title_rows_hxl_types_and_formulas():
    table = read(Upload("kalondo.xlsx", _incidents_book()))
    assert table.format == "xlsx"
    assert table.sheet == "Incidents"  # the hidden first sheet is skipped
    assert "header on row 3" in table.notes
    assert table.hxl_tags == {
        "date": "#date+occurred", "lat": "#geo+lat", "lon": "#geo+lon", "victims": "#affected",
    }  # fmt: skip
    records = table.records
    assert records.index.tolist() == [5, 7]
    assert records.loc[5, "date"] == datetime(2024, 1, 5)
    assert records.loc[5, "lat"] == 4.35
    assert records.loc[5, "victims"] == 3 and isinstance(records.loc[5, "victims"], int)
    assert records.loc[5, "confirmed"] is True
    # openpyxl never calculates: the formula has no cached value, so it is None, never "=D5*2".
    assert records.loc[5, "total"] is None
    assert records.loc[7, "_extra_1"] == "stray"
    assert any("formula cell(s) have no saved result" in n and "E5" in n for n in table.notes)
    assert any("1 blank row(s) skipped" in n for n in table.notes)


def test_cached_formula_value_is_read(tmp_path):
    # Put a cached value into the sheet XML, as Excel would after calculating.
    raw = _incidents_book()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                assert b"<f>D5*2</f><v />" in data
                data = data.replace(b"<f>D5*2</f><v />", b"<f>D5*2</f><v>6</v>")
            dst.writestr(info, data)
    table = read(Upload("k.xlsx", out.getvalue()))
    assert table.records.loc[5, "total"] == 6
    assert table.records.loc[7, "total"] is None
    assert all("=" not in str(v) for v in table.records["total"])


def test_sheet_choice_and_listing():
    data = _incidents_book()
    assert sheets_or_layers(Upload("k.xlsx", data)) == ["Incidents", "Empty"]  # not hidden
    table = read(Upload("k.xlsx", data), sheet="Lisez-moi")  # still readable by name
    assert table.sheet == "Lisez-moi"
    with pytest.raises(IngestError, match=r"no sheet “Nope”.*Incidents"):
        read(Upload("k.xlsx", data), sheet="Nope")


def test_header_on_first_row():
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.active.append([1, "x"])
    table = read(Upload("s.xlsx", _workbook_bytes(book)))
    assert table.records.index.tolist() == [2]
    assert table.records.loc[2].tolist() == [1, "x"]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("m.xlsm", b"PK\x03\x04", "macro"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", r"save as \.xlsx"),
        ("text.xlsx", b"a,b\n1,2\n", "plain text"),
        ("ole.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, r"\.xls"),
    ],
)
def test_refused(name, data, expected):
    with pytest.raises(IngestError, match=expected):
        read(Upload(name, data))


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(IngestError, match="not an Excel workbook"):
        read(Upload("z.xlsx", buffer.getvalue()))
