"""A CSV's shape bounded before it is parsed: line length and cells per line, on the bytes.

A 10 MB CSV whose header holds a million cells took the ``csv`` module past 6 GB; one
50 MB line of 25 million cells ran past a minute. Both are refused here in a fraction of a
second, from the positions of the line breaks (numpy, as :mod:`.csv_arrow` counts them)
and a count of the delimiter in the few lines long enough to hold too many cells.

The import of an ordinary file pays one pass over its bytes: a line with more than
``max_columns`` cells holds at least ``max_columns - 1`` delimiters, so only lines that
long are counted.
"""

from __future__ import annotations

import csv

import numpy as np

from languages import _, format_number
from schema.upload import MB, IngestError, Limits

_LF, _CR = 10, 13
_STEP = 1 << 20
"""Bytes compared at a time: a scratch array that stays in cache, whatever the file's size."""


def _breaks(octets: np.ndarray, octet: int) -> np.ndarray:
    """Positions of ``octet`` in ``octets``, a megabyte at a time."""
    found = [
        np.flatnonzero(octets[at : at + _STEP] == octet) + at for at in range(0, len(octets), _STEP)
    ]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _size(n: int) -> str:
    if n >= MB:
        return _("{size} MB", size=format_number(n / MB, digits=1))
    return _("{size} bytes", size=format_number(n))


def _cells(line: bytes, delimiter: str) -> int:
    """Cells in one line, quotes followed (the delimiter count over-counts quoted ones)."""
    text = line.decode("utf-8", errors="replace")
    try:
        return len(next(csv.reader([text], delimiter=delimiter, strict=False), []))
    except csv.Error:
        return line.count(delimiter.encode()) + 1


def check_shape(data: bytes, start: int, delimiter: str, name: str, limits: Limits) -> int:
    """Refuse a CSV with a line over ``limits.max_line_bytes`` or a line with more than
    ``limits.max_columns`` cells (the header, or any row).

    Parameters
    ----------
    data : the file as UTF-8 bytes.
    start : where the text starts (after a byte-order mark).
    delimiter : the delimiter the reader will split on.
    name : the file's name, for the message.
    limits : ``max_line_bytes`` and ``max_columns``.

    Returns
    -------
    int
        The line feeds (``\n``) in ``data``, counted on the way: the CSV reader needs them.

    Raises
    ------
    IngestError
        naming the file, the line, what it holds and the limits.
    """
    octets = np.frombuffer(data, dtype=np.uint8)[start:]
    ends = _breaks(octets, _LF)
    line_feeds = len(ends)
    if not line_feeds and b"\r" in data:
        ends = _breaks(octets, _CR)  # an old Mac file: lines end with a lone CR
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [len(octets)]])
    lengths = stops - starts
    # A line holding more than max_columns cells is at least max_columns - 1 bytes long.
    suspects = np.flatnonzero(lengths >= max(limits.max_columns - 1, 1))
    if not len(suspects):
        return line_feeds
    separator = delimiter.encode()
    for index in suspects.tolist():
        begin, end = start + int(starts[index]), start + int(stops[index])
        length = end - begin
        too_long = length > limits.max_line_bytes
        cells = data.count(separator, begin, end) + 1
        if cells > limits.max_columns and not too_long:
            cells = _cells(data[begin:end], delimiter)
        if too_long or cells > limits.max_columns:
            raise _refusal(name, index + 1, length, cells, limits)
    return line_feeds


def _refusal(name: str, line: int, length: int, cells: int, limits: Limits) -> IngestError:
    values = {
        "file": name,
        "line": line,
        "size": _size(length),
        "size_limit": _size(limits.max_line_bytes),
        "cells": format_number(cells),
        "columns": format_number(limits.max_columns),
    }
    long, wide = length > limits.max_line_bytes, cells > limits.max_columns
    if long and wide:
        return IngestError(
            _(
                "{file}: line {line} is {size} long (the limit is {size_limit}) and holds "
                "{cells} cells (the limit is {columns} columns). A table is accepted with at "
                "most {columns} columns and lines under {size_limit}; check the delimiter, or "
                "split the columns into several files.",
                **values,
            )
        )
    if long:
        return IngestError(
            _(
                "{file}: line {line} is {size} long (the limit is {size_limit}). A table is "
                "accepted with at most {columns} columns and lines under {size_limit}; check "
                "the delimiter, or split the columns into several files.",
                **values,
            )
        )
    return IngestError(
        _(
            "{file}: line {line} holds {cells} cells (the limit is {columns} columns). A table "
            "is accepted with at most {columns} columns and lines under {size_limit}; check "
            "the delimiter, or split the columns into several files.",
            **values,
        )
    )
