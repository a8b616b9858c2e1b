"""CSV variants as field offices send them."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.readers import FORMATS, read, sheets_or_layers
from schema.upload import IngestError, Upload


def _read(name: str, data: bytes):
    return read(Upload(name, data))


def test_utf8_comma():
    table = _read("incidents.csv", b"date,lat,lon,village\n2024-01-05,4.35,18.55,Kalondo\n")
    assert table.format == "csv"
    assert list(table.records.columns) == ["date", "lat", "lon", "village"]
    assert table.records.loc[2, "lat"] == "4.35"
    assert table.records.index.tolist() == [2]
    assert "encoding: utf-8" in table.notes
    assert "delimiter: ," in table.notes
    assert not table.decimal_comma
    assert not table.has_geometry


def test_utf8_bom_header_name_clean():
    table = _read("a.csv", "\ufeffvillage,type\nBéni,pillage\n".encode())
    assert list(table.records.columns) == ["village", "type"]
    assert table.records.loc[2, "village"] == "Béni"
    assert "encoding: utf-8 (with BOM)" in table.notes


def test_cp1252_accents_quotes_euro():
    # cp1252 curly quotes (0x93, 0x94, 0x92) and the euro sign (0x80), as Windows writes them.
    text = (
        "lieu;description;coût\n"
        "Kalondo;\u201cpillage\u201d près de l\u2019église;1 200 €\n"
        "Bérégo;ça va;ô\n"
    )
    table = _read("f.csv", text.encode("cp1252"))
    assert "encoding: cp1252" in table.notes
    assert table.records.loc[2, "description"] == "\u201cpillage\u201d près de l\u2019église"
    assert table.records.loc[2, "coût"] == "1 200 €"
    assert table.records.loc[3, "lieu"] == "Bérégo"


def test_semicolon_decimal_comma_not_converted():
    table = _read("f.csv", b"date;lat;lon\n2024-01-05;4,35;18,55\n2024-01-06;4,40;18,60\n")
    assert "delimiter: ;" in table.notes
    assert table.decimal_comma
    assert table.records.loc[3, "lat"] == "4,40"


def test_tab_separated():
    table = _read("f.tsv", b"a\tb\n1,5\t2\n")
    assert "delimiter: tab" in table.notes
    assert table.records.loc[2, "a"] == "1,5"
    assert table.decimal_comma


def test_utf16_excel_unicode_text():
    table = _read("f.txt", "village\ttype\nBéni\tpillage\n".encode("utf-16"))
    assert table.records.loc[2, "village"] == "Béni"


def test_quoted_multiline_and_delimiters_is_one_row():
    data = b'id,description\n1,"line one\nline two, with comma"\n2,plain\n'
    table = _read("f.csv", data)
    assert table.records.loc[2, "description"] == "line one\nline two, with comma"
    assert table.records.loc[3, "id"] == "2"


def test_blank_lines_keep_spreadsheet_numbering():
    table = _read("f.csv", b"a,b\n1,2\n\n,\n3,4\n")
    assert table.records.index.tolist() == [2, 5]
    assert any("2 blank row(s) skipped" in n for n in table.notes)


def _cells(row) -> list:
    """A record's cells with an empty (missing) cell as None."""
    return [None if pd.isna(v) else v for v in row.tolist()]


def test_empty_cells_missing_short_rows_padded():
    table = _read("f.csv", b"a,b,c\n1,,\n2\n")
    assert all(dtype == "str" for dtype in table.records.dtypes)
    assert _cells(table.records.loc[2]) == ["1", None, None]
    assert _cells(table.records.loc[3]) == ["2", None, None]


def test_ragged_row_keeps_extra_values():
    table = _read("f.csv", b"a,b\n1,2\n3,4,5,6\n")
    assert table.records.loc[3, "_extra_1"] == "5"
    assert table.records.loc[3, "_extra_2"] == "6"
    assert pd.isna(table.records.loc[2, "_extra_1"])
    assert any("_extra_1" in n for n in table.notes)


def test_duplicate_and_empty_headers():
    table = _read("f.csv", b"name,name,,x,\n1,2,3,4,\n")
    assert list(table.records.columns) == ["name", "name_2", "column_3", "x"]
    assert any("column_3" in n for n in table.notes)
    assert any("name_2" in n for n in table.notes)


def test_hxl_row():
    data = b"date,lat,lon,note\n#date+occurred,#geo+lat,#geo+lon,\n2024-01-05,4.3,18.5,x\n"
    table = _read("f.csv", data)
    assert table.hxl_tags == {"date": "#date+occurred", "lat": "#geo+lat", "lon": "#geo+lon"}
    assert table.records.index.tolist() == [3]


def test_header_after_leading_blank_lines():
    table = _read("f.csv", b"\n\na,b\n1,2\n")
    assert table.records.index.tolist() == [4]
    assert "header on row 3" in table.notes


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("vrt.csv", b"<OGRVRTDataSource><OGRVRTLayer name='x'/></OGRVRTDataSource>", "virtual"),
        ("page.csv", b"\xef\xbb\xbf  <html><body>login</body></html>", "XML"),
        ("book.csv", b"PK\x03\x04rest", "zip"),
        ("bin.csv", b"a,b\n1,\x00\n", "binary"),
        ("empty.csv", b"\n\n", "empty"),
        ("none.csv", b"", "empty"),
    ],
)
def test_refused(name, data, expected):
    with pytest.raises(IngestError, match=expected) as info:
        _read(name, data)
    assert name in str(info.value)


def test_formats_and_single_table_listing():
    assert set(FORMATS) == {
        ".csv", ".txt", ".tsv", ".xlsx", ".geojson", ".json", ".zip", ".gpkg", ".kml", ".kmz",
    }  # fmt: skip
    assert sheets_or_layers(Upload("f.csv", b"a\n1\n")) == []


def test_unknown_extension():
    with pytest.raises(IngestError, match=r"accepted: \.csv"):
        _read("f.docx", b"x")
