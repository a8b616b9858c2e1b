"""CSV cells split by Arrow's C parser, numbered exactly as Python's ``csv`` module would.

:func:`arrow_cells` is the fast path of :func:`ingest.readers.csv_reader.read_csv`: it
returns ``None`` whenever it cannot give the very cells and row numbers the ``csv``
module gives (cells on several lines, rows of different lengths, an open quote, a cell
over ``csv.field_size_limit()``), and the reader then reads the file with ``csv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ingest.columns import blank_strings

_MAX_COLUMNS = 4096
"""Wider files are left to the ``csv`` module (Arrow needs every column's type up front)."""

BLOCK_BYTES = 16 << 20
"""How much of the file Arrow parses as one piece (its default is 1 MB). Each block is a
chunk of every column, and every later pass over a column (blank cells, distinct values)
pays a little per chunk: a million rows in 16 MB blocks are 17 chunks, not 261, and two
cores still get a block each at a time."""

_TYPES = {f"f{i}": pa.large_string() for i in range(_MAX_COLUMNS)}
_LF, _CR = 10, 13


@dataclass
class ArrowCells:
    """A CSV's records as Arrow string columns, blank rows already set aside.

    Attributes
    ----------
    header_raw : the header record's cells (``""`` for an empty cell).
    header_row : its record number (1 = the file's first record).
    rows : the non-blank records after the header, every column ``large_string`` with
        ``null`` for an empty cell, every record as wide as the first.
    numbers : each of ``rows``' record number.
    blank : blank records after the header (skipped, but counted in the numbering).
    """

    header_raw: list[str]
    header_row: int
    rows: pa.Table
    numbers: np.ndarray
    blank: int


def arrow_cells(
    data: bytes, start: int, delimiter: str, line_feeds: int | None = None
) -> ArrowCells | None:
    """Split UTF-8 ``data[start:]`` into cells; ``None`` when only the ``csv`` module can.

    Parameters
    ----------
    data : the file as UTF-8 bytes (already checked to be UTF-8).
    start : where the text starts (3 after a UTF-8 byte-order mark, else 0).
    delimiter : ``,``, ``;`` or tab.
    line_feeds : the ``\n`` in ``data``, when counted already (:mod:`.csv_shape` does).
    """
    quoted = b'"' in data
    # First as if each line were a record, with empty lines kept (as rows of empty
    # cells, set aside below as blank): Arrow then splits the file at any line break,
    # in parallel, and when it gives one row per line the numbering needs no more. A
    # quoted cell holding a line break makes fewer rows than lines (or Arrow refuses
    # the file): then it is read again following the quotes, skipping empty lines, and
    # the lines are counted.
    numbered = None
    records = None  # the lines, once counted
    try:
        table = _parse(data, start, delimiter, follow_quotes=False, skip_empty_lines=False)
        if quoted:
            records = _record_count(data, start, line_feeds)
        if records is None or table.num_rows == records:
            numbered = np.arange(1, table.num_rows + 1, dtype=np.int64), table.num_rows
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    if numbered is None:
        try:
            table = _parse(data, start, delimiter, quoted, skip_empty_lines=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None  # rows of different lengths, an open quote...: the csv module decides
    if table.num_rows == 0 or any(not pa.types.is_large_string(t) for t in table.schema.types):
        return None
    if _longest_cell(table) > csv.field_size_limit():
        return None  # the csv module refuses such a file; let it say so
    if numbered is None:
        numbered = _record_numbers(data, start, table, records)
    if numbered is None:
        return None  # a cell holds a line break: records and lines differ
    numbers, records = numbered
    blank = _blank_rows(table)
    if blank.all():
        return None  # only blank records: the csv module's "is empty" message
    first = int(np.argmin(blank))
    after = blank[first + 1 :]
    if after.any():
        keep = np.flatnonzero(~after) + first + 1
        rows, kept = table.take(keep), numbers[keep]
    else:
        rows, kept = table.slice(first + 1), numbers[first + 1 :]
    header = table.slice(first, 1).to_pylist()[0].values()
    header_row = int(numbers[first])
    return ArrowCells(
        header_raw=["" if v is None else v for v in header],
        header_row=header_row,
        rows=rows,
        numbers=kept,
        # Empty lines are records Arrow skips: every record after the header not kept.
        blank=records - header_row - len(kept),
    )


def _parse(
    data: bytes, start: int, delimiter: str, follow_quotes: bool, *, skip_empty_lines: bool
) -> pa.Table:
    """Arrow's read of ``data[start:]``, every cell a string (``null`` when empty)."""
    return pa_csv.read_csv(
        pa.BufferReader(pa.py_buffer(data).slice(start)),
        read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=BLOCK_BYTES),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            # Not following quotes, Arrow splits the file at any line break (in
            # parallel): right whenever no quoted cell holds a line break.
            newlines_in_values=follow_quotes,
            ignore_empty_lines=skip_empty_lines,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=_TYPES,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def _longest_cell(table: pa.Table) -> int:
    longest = 0
    for column in table.columns:
        # Bytes, not characters: an over-estimate only sends a file to the csv module.
        longest = max(longest, pc.max(pc.binary_length(column)).as_py() or 0)
    return longest


def _record_numbers(
    data: bytes, start: int, table: pa.Table, records: int | None = None
) -> tuple[np.ndarray, int] | None:
    """The record number of each of Arrow's ``rows``, and how many records ``csv`` sees.

    Without line breaks inside cells, records are lines (``io.StringIO(newline="")``
    splits at \\n, \\r and \\r\\n) and Arrow skips the empty ones. ``None`` when a record
    spans lines: then records and lines cannot be matched here. ``records``: the lines,
    when counted already (:func:`_record_count`).
    """
    if records is None:
        records = _record_count(data, start)
    rows = table.num_rows
    if records == rows:
        return np.arange(1, rows + 1, dtype=np.int64), records
    lines = _nonempty_lines(np.frombuffer(data, dtype=np.uint8, offset=start))
    if len(lines) != rows or any(_has_line_break(column) for column in table.columns):
        return None  # a quote left open can swallow empty lines without changing the count
    return lines, records


def _record_count(data: bytes, start: int, line_feeds: int | None = None) -> int:
    """The lines of ``data[start:]`` (``\n``, ``\r`` or ``\r\n`` ends each), empty ones too:
    its records when no cell holds a line break. ``line_feeds``: the ``\n``, if counted."""
    # A byte-order mark holds no line break.
    lf = _count(data, _LF) if line_feeds is None else line_feeds
    cr = _count(data, _CR) if b"\r" in data else 0
    crlf = data.count(b"\r\n") if cr else 0
    unterminated = int(len(data) > start and data[-1] not in (_LF, _CR))
    return lf + cr - crlf + unterminated


def _count(data: bytes, octet: int) -> int:
    """``data.count(bytes([octet]))`` in a third of the time, a megabyte at a time."""
    octets = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 20
    return sum(
        int(np.count_nonzero(octets[at : at + step] == octet)) for at in range(0, len(octets), step)
    )


def _has_line_break(column: pa.ChunkedArray) -> bool:
    return any(pc.any(pc.match_substring(column, c)).as_py() for c in ("\n", "\r"))


def _nonempty_lines(octets: np.ndarray) -> np.ndarray:
    """The numbers (from 1) of the lines that are not empty."""
    size = len(octets)
    lf = np.flatnonzero(octets == _LF)
    cr = np.flatnonzero(octets == _CR)
    lone_cr = cr[(cr + 1 >= size) | (octets[np.minimum(cr + 1, size - 1)] != _LF)]
    after_cr = (lf > 0) & (octets[np.maximum(lf - 1, 0)] == _CR)
    # Each line ends at a terminator: where the terminator starts, and its last byte.
    stop = np.concatenate([np.where(after_cr, lf - 1, lf), lone_cr])
    end = np.concatenate([lf, lone_cr])
    order = np.argsort(end, kind="stable")
    line_start = np.concatenate([[0], end[order] + 1])
    lengths = np.concatenate([stop[order], [size]]) - line_start
    return (np.flatnonzero(lengths > 0) + 1).astype(np.int64)


def _blank_rows(table: pa.Table) -> np.ndarray:
    """Records whose every cell is empty or only spaces (``_table.is_blank``)."""
    blank = blank_strings(table.column(0))
    for position in range(1, table.num_columns):
        candidates = np.flatnonzero(blank)
        if not len(candidates):
            break
        blank[candidates] = blank_strings(table.column(position).take(candidates))
    return blank
