"""Arrow's C parser splits a CSV exactly as the csv module does, or hands it back.

Every generated file is read twice, the usual way (Arrow where it can) and with the
csv module alone, and the two tables must agree in every record, row number, column
name, note and flag, or refuse the file with the same message.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.readers import csv_arrow, csv_reader
from schema.upload import IngestError, Limits, Upload

FAST = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
CELL = st.text(
    alphabet=st.sampled_from([*list("ab zé€ç,;\t\"'\n\r1,5.#\\"), "\xa0", "\u2003", "\x0b"]),
    max_size=6,
)
NAME = st.text(alphabet="abc #", max_size=4)


def _both(data: bytes, name: str = "f.csv", limits: Limits | None = None):
    """``(usual, csv module)``: each a table or the IngestError message, and whether the
    usual way used Arrow."""
    limits = limits or Limits()
    upload = Upload(name, data)
    used = []
    real = csv_reader.arrow_cells

    def spy(*args):
        cells = real(*args)
        used.append(cells is not None)
        return cells

    results = []
    for arrow in (spy, lambda *args: None):
        csv_reader.arrow_cells = arrow
        try:
            results.append(csv_reader.read_csv(upload, limits))
        except IngestError as err:
            results.append(str(err))
        finally:
            csv_reader.arrow_cells = real
    return results[0], results[1], bool(used and used[0])


def _same(usual, python) -> None:
    if isinstance(python, str) or isinstance(usual, str):
        assert usual == python
        return
    pd.testing.assert_frame_equal(usual.records, python.records)
    assert usual.notes == python.notes
    assert usual.hxl_tags == python.hxl_tags
    assert usual.decimal_comma == python.decimal_comma
    assert usual.format == python.format


def _csv(header, rows, delimiter, quoting, terminator) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@FAST
@given(
    header=st.lists(NAME, min_size=1, max_size=5),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=10),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    terminator=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    before=st.sampled_from(["", "\n", "\r\n\r\n", ",,\n", "  \n"]),
    after=st.sampled_from(["", "\n", "\n\n", "\r\n\r\n", ",,", " "]),
)
def test_arrow_reads_generated_files_as_the_csv_module(
    header, rows, delimiter, quoting, terminator, encoding, before, after
):
    text = before + _csv(header, rows, delimiter, quoting, terminator) + after
    usual, python, _ = _both(text.encode(encoding, errors="replace"))
    _same(usual, python)


FLAT_CELL = st.text(
    alphabet=st.sampled_from([*"ab zé€ç,;\t\"'1,5.#\\", "\xa0", "\u2003", "\x0b", "\x85"]),
    max_size=6,
)
GAP = st.sampled_from(["", "", "", "\n", "\r\n", "\r", "\n\n", ",,", " "])


@FAST
@given(
    data=st.data(),
    width=st.integers(1, 4),
    count=st.integers(0, 8),
    delimiter=st.sampled_from([",", ";"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    terminator=st.sampled_from(["\n", "\r\n"]),
)
def test_arrow_reads_rectangular_files_with_gaps_as_the_csv_module(
    data, width, count, delimiter, quoting, terminator
):
    """Rows as wide as the header (what Arrow reads itself), with empty and blank lines
    between them, so the numbering of every kind of gap is compared."""
    header = data.draw(st.lists(NAME, min_size=width, max_size=width))
    rows = [data.draw(st.lists(FLAT_CELL, min_size=width, max_size=width)) for _ in range(count)]
    lines = _csv(header, rows, delimiter, quoting, terminator).split(terminator)
    text = "".join(line + data.draw(GAP) + terminator for line in lines if line)
    usual, python, _ = _both(text.encode("utf-8"))
    _same(usual, python)


@FAST
@given(st.text(alphabet=st.sampled_from(list('a,;"\n\r \t#é1')), max_size=40))
def test_arrow_reads_any_text_as_the_csv_module(text):
    usual, python, _ = _both(text.encode("utf-8"))
    _same(usual, python)


@FAST
@given(st.binary(max_size=200))
def test_arrow_reads_any_bytes_as_the_csv_module(data):
    usual, python, _ = _both(data)
    _same(usual, python)


@pytest.mark.parametrize(
    ("data", "numbers", "note"),
    [
        (b"a,b\n1,2\n3,4\n", [2, 3], None),
        (b"a,b\r\n1,2\r\n3,4", [2, 3], None),
        (b"a,b\r1,2\r3,4\r", [2, 3], None),
        (b"\n\na,b\n1,2\n", [4], "header on row 3"),
        (b"a,b\n1,2\n\n,\n3,4\n", [2, 5], "2 blank row(s) skipped"),
        (b"a,b\n1,2\n \t,\xc2\xa0\n3,4\n\n\n", [2, 4], "3 blank row(s) skipped"),
        (b"a,b\r\n1,2\r\n\r\n3,4\r\n", [2, 4], "1 blank row(s) skipped"),
        (b"a,b\n1,2\r\r\n3,4\n", [2, 4], "1 blank row(s) skipped"),
        (b'a,b\n1,"x ""y"""\n', [2], None),
        (b"\xef\xbb\xbfa;b\n1,5;2\n", [2], "numbers use a decimal comma (4,35)"),
    ],
)
def test_arrow_numbers_rows_as_a_spreadsheet_does(data, numbers, note):
    usual, python, arrow = _both(data)
    assert arrow, "Arrow should read this file itself"
    _same(usual, python)
    assert usual.records.index.tolist() == numbers
    if note:
        assert note in usual.notes
    assert all(dtype == "str" for dtype in usual.records.dtypes)


@pytest.mark.parametrize(
    "data",
    [
        b'id,text\n1,"two\nlines"\n2,x\n',  # a cell on two lines: records and lines differ
        b"a,b\n1,2,3\n4\n",  # rows of different lengths
        b'a,b\n1,"open\n2,3\n',  # a quote left open
        b"a," + b"x" * 140_000 + b"\n1,2\n",  # a cell over csv.field_size_limit()
    ],
)
def test_files_arrow_cannot_match_go_to_the_csv_module(data):
    usual, python, arrow = _both(data)
    assert not arrow
    _same(usual, python)


def test_the_record_limit_is_the_same_either_way():
    for data in (b"a\n1\n2\n3\n", b"a\n#x\n1\n2\n", b"a\n#x\n1\n2\n3\n"):
        usual, python, _ = _both(data, limits=Limits(max_records=2))
        _same(usual, python)


@pytest.mark.parametrize(("quote", "line_break"), [("", ""), ('"', ""), ('"', "\n"), ('"', "\r\n")])
def test_files_of_many_blocks_read_as_the_csv_module(quote, line_break, monkeypatch):
    """Files of many blocks (1 MB here), read in parallel: Arrow first splits them at any
    line break, and keeps that read when it gives one row per line (no quote, or quoted
    cells holding the delimiter); a quoted cell holding a line break (about one block
    end in 1,000 falls inside one) sends the file to the quotes-following read, then to
    the csv module. Empty lines, both line ends and spaces-only rows are in every block."""
    monkeypatch.setattr(csv_arrow, "BLOCK_BYTES", 1 << 20)
    lines = ["id;name;note"]
    for i in range(100_000):
        note = f"n{i % 13}"
        if quote and i % 997 == 0:
            note = f'{quote}a;{line_break} ""b"" {i}{quote}'
        lines.append(f"{i};row {i};{note}" + ("\r\n ;\t; \n" if i % 101 == 0 else ""))
    data = "\n".join(lines).encode()
    assert len(data) > 1_500_000  # two blocks at least
    usual, python, arrow = _both(data)
    assert bool(arrow) is not bool(line_break)
    _same(usual, python)
    assert len(usual.records) == 100_000


def test_blocks_ending_inside_a_quoted_cell_read_as_the_csv_module(monkeypatch):
    """Every record on four lines: the 1 MB blocks Arrow first cuts at line breaks end
    inside a quoted cell, which Arrow refuses; the file is read as the csv module reads it."""
    monkeypatch.setattr(csv_arrow, "BLOCK_BYTES", 1 << 20)
    lines = ["id;note"] + [f'{i};"a;\n\n b\r\n{i}"' for i in range(80_000)]
    data = "\n".join(lines).encode()
    assert len(data) > 1_500_000
    usual, python, _ = _both(data)
    _same(usual, python)
    assert len(usual.records) == 80_000


def test_line_ends_are_counted_as_bytes_count_them():
    rng = np.random.default_rng(6)
    data = rng.choice(np.frombuffer(b"ab\n\r,", dtype=np.uint8), 3_000_001).tobytes()
    for octet in (10, 13):
        assert csv_arrow._count(data, octet) == data.count(bytes([octet]))
    assert csv_arrow._count(b"", 10) == 0
