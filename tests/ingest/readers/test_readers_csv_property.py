"""Property: no CSV bytes crash the reader, and no non-blank record is ever lost."""

from __future__ import annotations

import csv
import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.readers import read
from schema.upload import IngestError, Upload

FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# No '#' (an HXL row is legitimately not a record) and no leading '<' (refused as XML).
CELL = st.text(alphabet=st.sampled_from(list("ab zé€ç,;\t\"'\n\r1,5.")), max_size=8)
NAME = st.text(alphabet="abcdefghij", min_size=1, max_size=5)


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data):
    try:
        table = read(Upload("random.csv", data))
    except IngestError:
        return
    # Text or empty (pandas' str dtype: an empty cell is NaN), never a number read.
    assert all(dtype == "str" for dtype in table.records.dtypes)
    assert all(isinstance(v, str) or pd.isna(v) for v in table.records.to_numpy().ravel())


@FAST
@given(st.text(max_size=300))
def test_random_text_never_crashes(text):
    for encoding in ("utf-8", "utf-8-sig"):
        try:
            read(Upload("random.txt", text.encode(encoding)))
        except IngestError:
            pass


@FAST
@given(
    # Two or more header names: a one-column header says nothing about the delimiter, so a
    # row like ", " is honestly ambiguous (blank for ",", the value ", " for ";").
    header=st.lists(NAME, min_size=2, max_size=5),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_every_nonblank_record_is_kept(header, rows, delimiter, quoting, encoding):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    table = read(Upload("gen.csv", buffer.getvalue().encode(encoding)))
    expected = sum(1 for row in rows if any(cell.strip() for cell in row))
    assert len(table.records) == expected
    values = {v for v in table.records.to_numpy().ravel() if isinstance(v, str)}
    for row in rows:
        for cell in row:
            if cell.strip():
                # newline="" keeps quoted cells byte for byte, "\r\n" included.
                assert cell in values or any(cell in v for v in values)
