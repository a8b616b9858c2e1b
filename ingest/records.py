"""Each row as the sender wrote it, kept beside the row in the store (nothing is lost)."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from shapely.geometry.base import BaseGeometry

from schema import arrow_strings


def _plain_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, BaseGeometry):
        return value.wkt
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


_BATCH_ROWS = 16_384
"""Records put together at a time (a few MB of text, so the batch's pieces stay in cache)."""

# How a cell is written, which decides the text around it: a missing text cell as null, a
# present one between quotes (the quotes are in the text around it), a cell of any other
# column as its own JSON.
_NULL, _QUOTED, _BARE = 0, 1, 2
_WAYS = 3


@dataclass(frozen=True)
class _Cells:
    """One column's cells as JSON: ``values`` without their quotes (missing ones empty,
    no nulls), and how each is written (``ways``: one per row, or one for all)."""

    values: pa.ChunkedArray
    ways: np.ndarray | int


def with_source_records(accepted: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """``accepted`` (rows indexed by row number) with a ``source_record`` column: each
    row of ``records`` (the file as read) as sent, made when the rows are written, not
    while they are judged, so a preview never holds a second copy of the file."""
    if not len(accepted):
        return accepted.assign(source_record=pd.Series(dtype="str"))
    sent = records if accepted.index.equals(records.index) else records.loc[accepted.index]
    return accepted.assign(source_record=source_records(sent))


def source_records(records: pd.DataFrame) -> pd.Series:
    """One JSON object per row: every column as read (geometry as WKT), in file order.

    The same text as ``json.dumps({column: value, ...}, ensure_ascii=False)`` row by row.
    Each cell's JSON (text columns, a CSV's, escaped by Arrow in C; other columns value
    by value) and the text between cells (keys, quotes, ``null``) are laid one after
    another by an Arrow ``take`` per batch of rows, and each batch's bytes copied into one
    buffer made by numpy, which asks the kernel for huge pages: a million records are
    600 MB of text, and faulting them in 4 kB pages costs more than writing them.
    """
    columns = [str(c) for c in records.columns]
    if not len(records) or len(set(columns)) < len(columns):
        return _row_by_row(records, columns)
    cells = [_json_cells(records.iloc[:, position]) for position in range(len(columns))]
    glue_text = _glue(columns)
    glue = pa.array(glue_text, pa.large_string())
    rows, width = len(records), len(columns)
    longest = sum(
        max(len(g.encode()) for g in glue_text[b * _WAYS**2 : (b + 1) * _WAYS**2])
        for b in range(width + 1)
    )
    # At most this long (only the part written is ever touched, so kept in memory).
    data = np.empty(sum(_text_size(c.values) for c in cells) + rows * longest, dtype=np.uint8)
    ends = np.zeros(rows + 1, dtype=np.int64)
    written = 0
    for start in range(0, rows, _BATCH_ROWS):
        stop = min(start + _BATCH_ROWS, rows)
        laid = _laid_out(cells, glue, start, stop)
        offsets = np.frombuffer(laid.buffers()[1], dtype=np.int64, count=len(laid) + 1)
        size = int(offsets[-1])
        data[written : written + size] = np.frombuffer(laid.buffers()[2], np.uint8, count=size)
        ends[start + 1 : stop + 1] = written + offsets[2 * width + 1 :: 2 * width + 1]
        written += size
        del laid  # its memory serves the next batch
    joined = pa.Array.from_buffers(
        pa.large_string(), rows, [None, pa.py_buffer(ends), pa.py_buffer(data[:written])], 0
    )
    return pd.Series(pd.array(pa.chunked_array([joined]), dtype="str"), index=records.index)


def _glue(columns: list[str]) -> list[str]:
    """The text before each column's cell, and after the last cell: for the boundary
    ``b`` (before column ``b``; ``len(columns)`` after the last) between a cell written
    ``before`` and one written ``after``, at ``(b * _WAYS + before) * _WAYS + after``."""
    glue = []
    for boundary in range(len(columns) + 1):
        for before in range(_WAYS):
            for after in range(_WAYS):
                text = '"' if boundary and before == _QUOTED else ""
                if not boundary:
                    text = "{"
                if boundary < len(columns):
                    key = json.dumps(columns[boundary], ensure_ascii=False)
                    text += f"{', ' if boundary else ''}{key}: "
                    text += {_NULL: "null", _QUOTED: '"', _BARE: ""}[after]
                else:
                    text += "}"
                glue.append(text)
    return glue


def _laid_out(cells: list[_Cells], glue: pa.Array, start: int, stop: int) -> pa.Array:
    """Rows ``start`` to ``stop`` in pieces, in the order they are written: glue, cell,
    glue, ..., cell, glue for the first row, then the next row's."""
    rows, width = stop - start, len(cells)
    pieces: list[pa.Array] = []
    for column in cells:
        pieces += column.values.slice(start, rows).chunks
    source = pa.concat_arrays([*pieces, glue])  # column after column, then the glue
    index = np.empty((rows, 2 * width + 1), dtype=np.int64)
    ways = [
        c.ways if isinstance(c.ways, int) else c.ways[start:stop].astype(np.int64) for c in cells
    ]
    for boundary in range(width + 1):
        before = ways[boundary - 1] if boundary else 0
        after = ways[boundary] if boundary < width else 0
        index[:, 2 * boundary] = width * rows + (boundary * _WAYS + before) * _WAYS + after
        if boundary < width:
            index[:, 2 * boundary + 1] = np.arange(boundary * rows, (boundary + 1) * rows)
    return source.take(pa.array(index.reshape(-1)))


def _text_size(strings: pa.ChunkedArray) -> int:
    """The bytes of text in ``strings``."""
    size = 0
    for chunk in strings.chunks:
        if len(chunk):
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)
            size += int(offsets[chunk.offset + len(chunk)] - offsets[chunk.offset])
    return size


def _row_by_row(records: pd.DataFrame, columns: list[str]) -> pd.Series:
    return pd.Series(
        [
            json.dumps(
                {c: _plain_value(v) for c, v in zip(columns, row, strict=True)},
                ensure_ascii=False,
            )
            for row in records.itertuples(index=False, name=None)
        ],
        index=records.index,
        dtype=object,
    )


# What json.dumps escapes in a string (ensure_ascii=False): the quote, the backslash and
# the control characters (bytes below 0x20); every other byte of UTF-8 text is written as
# it is.
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


def _json_cells(column: pd.Series) -> _Cells:
    """Each cell of ``column`` as ``json.dumps(value, ensure_ascii=False)`` writes it; a
    text column's present cells without their quotes."""
    if not arrow_strings.is_text(column):
        dumped = [json.dumps(_plain_value(v), ensure_ascii=False) for v in column]
        return _Cells(pa.chunked_array([pa.array(dumped, type=pa.large_string())]), _BARE)
    strings = arrow_strings.arrow(column)
    if not pa.types.is_large_string(strings.type):
        strings = strings.cast(pa.large_string())
    backslash = quote = control = False
    for chunk in strings.chunks:
        octets = _text_bytes(chunk)
        backslash = backslash or bool((octets == _BACKSLASH).any())
        quote = quote or bool((octets == _QUOTE).any())
        control = control or bool((octets < 0x20).any())
    escaped = strings
    if backslash:
        escaped = pc.replace_substring(escaped, "\\", "\\\\")
    if quote:
        escaped = pc.replace_substring(escaped, '"', '\\"')
    if control:
        escaped = _control_characters_escaped(strings, escaped)
    if not strings.null_count:
        return _Cells(_without_nulls(escaped), _QUOTED)
    present = np.concatenate([np.asarray(chunk.is_valid()) for chunk in strings.chunks])
    return _Cells(_without_nulls(escaped), present.astype(np.int8))


def _without_nulls(strings: pa.ChunkedArray) -> pa.ChunkedArray:
    """``strings`` with every null an empty string and no validity bitmap (Arrow's
    ``take`` is several times faster without one), sharing the buffers of ``strings``
    when its nulls are empty already, as Arrow's readers and kernels leave them."""
    chunks = []
    for chunk in strings.chunks:
        validity, offsets, data = chunk.buffers()[:3]
        if chunk.null_count:
            bounds = np.frombuffer(offsets, dtype=np.int64)[
                chunk.offset : chunk.offset + len(chunk) + 1
            ]
            missing = ~np.asarray(chunk.is_valid())
            if (bounds[1:] != bounds[:-1])[missing].any():
                chunk = pc.fill_null(chunk, "")
                validity, offsets, data = chunk.buffers()[:3]
        if validity is not None:
            chunk = pa.Array.from_buffers(
                pa.large_string(), len(chunk), [None, offsets, data], 0, chunk.offset
            )
        chunks.append(chunk)
    return pa.chunked_array(chunks, pa.large_string())


def _text_bytes(chunk: pa.Array) -> np.ndarray:
    """The UTF-8 bytes of the strings in ``chunk``, one after another (no copy)."""
    offsets, data = chunk.buffers()[1:3]
    if data is None or not len(chunk):
        return np.zeros(0, dtype=np.uint8)
    bounds = np.frombuffer(offsets, dtype=np.int64)[[chunk.offset, chunk.offset + len(chunk)]]
    return np.frombuffer(data, dtype=np.uint8)[bounds[0] : bounds[1]]


def _control_characters_escaped(
    strings: pa.ChunkedArray, escaped: pa.ChunkedArray
) -> pa.ChunkedArray:
    """Cells with a control character (\\n, \\t, \\x01...), which are rare, escaped by
    json itself."""
    control = np.asarray(pc.fill_null(pc.match_substring_regex(strings, r"[\x00-\x1f]"), False))
    if not control.any():
        return escaped
    odd = strings.filter(pa.array(control)).to_pylist()
    redone = pa.array([json.dumps(v, ensure_ascii=False)[1:-1] for v in odd], pa.large_string())
    return pa.chunked_array(
        [pc.replace_with_mask(escaped.combine_chunks(), pa.array(control), redone)]
    )
