"""Each row as the sender wrote it, kept beside the row in the store (nothing is lost)."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from shapely.geometry.base import BaseGeometry

from ingest import columns as text_columns


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


def source_records(records: pd.DataFrame) -> pd.Series:
    """One JSON object per row: every column as read (geometry as WKT), in file order.

    The same text as ``json.dumps({column: value, ...}, ensure_ascii=False)`` row by row;
    text columns (a CSV's) are quoted and escaped by Arrow in C, other columns value by
    value.
    """
    columns = [str(c) for c in records.columns]
    if not len(records) or len(set(columns)) < len(columns):
        return _row_by_row(records, columns)
    parts: list[Any] = []
    glue = "{"
    for position, name in enumerate(columns):
        glue += f"{', ' if position else ''}{json.dumps(name, ensure_ascii=False)}: "
        values, bare = _json_values(records.iloc[:, position])
        # A bare string column gets its quotes from the text around it.
        parts += [_text(glue + ('"' if bare else "")), values]
        glue = '"' if bare else ""
    parts.append(_text(glue + "}"))
    joined = pc.binary_join_element_wise(*parts, _text(""))
    return pd.Series(pd.array(joined, dtype="str"), index=records.index)


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


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


def _json_values(column: pd.Series) -> tuple[pa.ChunkedArray, bool]:
    """Each cell of ``column`` as JSON, as ``json.dumps(value, ensure_ascii=False)``, and
    whether those are bare (a text column without empty cells: the quotes left out)."""
    if not text_columns.is_text(column):
        dumped = [json.dumps(_plain_value(v), ensure_ascii=False) for v in column]
        return pa.chunked_array([pa.array(dumped, type=pa.large_string())]), False
    strings = text_columns.arrow(column)
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
        return escaped, True
    quoted = pc.binary_join_element_wise(_text('"'), escaped, _text('"'), _text(""))
    return pc.fill_null(quoted, "null"), False


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
