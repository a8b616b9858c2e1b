"""Whole columns read at once, with the same answers as reading them cell by cell.

A CSV's columns are pandas' ``str`` dtype (Arrow strings; an empty cell is missing).
Codes, dates and counts hold few distinct values, so each distinct value is read once by
the per-cell readers (``ingest.values``) and the answer spread back to its rows; free
text needs no reading beyond "is it blank". Columns of any other dtype (XLSX cells of
mixed types, where ``1``, ``1.0`` and ``True`` would look alike to a hash) keep the
cell-by-cell way.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.values import is_missing
from schema import arrow_strings

_SPACES_ONLY = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in arrow_strings.PYTHON_SPACES) + "]*$"


def blank_strings(strings: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Per value: missing, or only spaces (as ``str.strip`` sees them)."""
    chunks = strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]
    return np.concatenate([_blank_in(chunk) for chunk in chunks] or [np.zeros(0, bool)])


# The first byte of a string of spaces: an ASCII space or the lead byte of one in UTF-8.
_SPACE_LEADS = np.zeros(256, dtype=bool)
_SPACE_LEADS[list({c.encode()[0] for c in arrow_strings.PYTHON_SPACES})] = True


def _blank_in(chunk: pa.Array) -> np.ndarray:
    """:func:`blank_strings` of one chunk; only strings that start like a space (few) go
    through the regular expression."""
    offsets, data = chunk.buffers()[1:3]
    if len(chunk) == 0:
        return np.zeros(0, dtype=bool)
    starts = np.frombuffer(offsets, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
    empty = starts[1:] == starts[:-1]
    maybe = empty.copy()
    if data is not None and not empty.all():
        octets = np.frombuffer(data, dtype=np.uint8)
        present = np.flatnonzero(~empty)
        maybe[present] = _SPACE_LEADS[octets[starts[:-1][present]]]
    blank = empty if chunk.null_count == 0 else empty | ~np.asarray(chunk.is_valid())
    candidates = np.flatnonzero(maybe & ~empty)
    if len(candidates):
        matched = pc.match_substring_regex(chunk.take(pa.array(candidates)), _SPACES_ONLY)
        blank[candidates] = np.asarray(pc.fill_null(matched, True), dtype=bool)
    return blank


def missing(column: pd.Series) -> np.ndarray:
    """``values.is_missing`` for every cell of ``column`` (read-only)."""
    if arrow_strings.is_text(column):
        return _REMEMBERED.answer(
            "missing", column, lambda c: blank_strings(arrow_strings.arrow(c))
        )
    return np.fromiter((is_missing(v) for v in column), dtype=bool, count=len(column))


def all_different(column: pd.Series) -> bool:
    """Whether no two cells of ``column`` are equal (two empty cells count as equal)."""
    if arrow_strings.is_text(column):
        strings = arrow_strings.arrow(column)
        if len(strings) < 2 or strings.null_count > 1:
            return len(strings) < 2
        # Sorted, equal values are neighbours (sorting needs less memory than a hash table).
        ordered = strings.take(pc.sort_indices(strings))
        neighbours = pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))
        return not pc.any(neighbours).as_py()
    return bool(column.is_unique)


def distinct(column: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """``(codes, values)``: each row's position in ``values`` (its distinct values in
    order of appearance), ``-1`` for a missing cell. Only for :func:`is_text` columns;
    ``codes`` is read-only."""

    def factorized(strings: pd.Series) -> tuple[np.ndarray, list[Any]]:
        codes, uniques = pd.factorize(strings)
        # Kept while the checks run, one per coded column: 4 bytes a row, not 8 (a
        # million rows, seven columns: 28 MB less at the import's peak).
        small = np.int32 if len(uniques) < np.iinfo(np.int32).max else np.intp
        return np.asarray(codes, dtype=small), list(uniques)

    codes, values = _REMEMBERED.answer("distinct", column, factorized)
    return codes, list(values)


def known_distinct(column: pd.Series) -> tuple[np.ndarray, list[Any]] | None:
    """:func:`distinct` of ``column`` if it was worked out already (and is kept), else
    ``None``: for a check that is cheaper done afresh than a whole distinct pass."""
    if not arrow_strings.is_text(column):
        return None
    return _REMEMBERED.kept("distinct", column)


class _Remembered:
    """Answers about a text column's cells, kept while :func:`remembered` is open.

    A column passes through the profile (codes looked up) and then the checks, each
    asking which values it holds and which cells are blank: with a million rows each
    answer costs tens of milliseconds. Arrow arrays never change and pandas keeps the
    same one through copies, so the answer is keyed by the array itself (held weakly).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self._answers: dict[tuple[str, int], tuple[weakref.ref, Any]] = {}

    @contextlib.contextmanager
    def open(self) -> Iterator[None]:
        with self._lock:
            self._open += 1
        try:
            yield
        finally:
            with self._lock:
                self._open -= 1
                if not self._open:
                    self._answers.clear()

    def answer(self, question: str, column: pd.Series, work: Callable[[pd.Series], Any]) -> Any:
        if not self._open:
            return _read_only(work(column))
        found = self.kept(question, column)
        if found is not None:
            return found
        strings = column.array.__arrow_array__()
        key = (question, id(strings))
        answer = _read_only(work(column))
        self._answers[key] = (weakref.ref(strings, functools.partial(self._forget, key)), answer)
        return answer

    def kept(self, question: str, column: pd.Series) -> Any:
        """The answer already found (never ``None`` itself), or ``None``."""
        strings = column.array.__arrow_array__()
        kept = self._answers.get((question, id(strings)))
        return kept[1] if kept is not None and kept[0]() is strings else None

    def _forget(self, key: tuple[str, int], _gone: weakref.ref) -> None:
        kept = self._answers.get(key)
        if kept is not None and kept[0] is _gone:
            self._answers.pop(key, None)


def _read_only(answer: Any) -> Any:
    for part in answer if isinstance(answer, tuple) else (answer,):
        if isinstance(part, np.ndarray):
            part.flags.writeable = False
    return answer


_REMEMBERED = _Remembered()


def remembered() -> contextlib.AbstractContextManager[None]:
    """While open, what :func:`missing` and :func:`distinct` find about a column is kept
    for the next time they are asked about the same cells (one upload's preview)."""
    return _REMEMBERED.open()


def spread(
    answers: Sequence[Any], codes: np.ndarray, when_missing: Any, index: pd.Index
) -> pd.Series:
    """The answer for each row: ``answers[code]``, or ``when_missing`` where code is -1.

    Text answers (``str`` or ``None``) give a ``str`` column, anything else ``object``.
    """
    table = [*answers, when_missing]
    positions = np.where(codes < 0, len(table) - 1, codes)
    if all(a is None or isinstance(a, str) for a in table):
        return pd.Series(pd.array(table, dtype="str").take(positions), index=index)
    values = np.empty(len(table), dtype=object)
    values[:] = table
    return pd.Series(values[positions], index=index, dtype=object)


def map_cells(column: pd.Series, read: Callable[[Any], Any]) -> pd.Series:
    """``column.map(read)``, calling ``read`` once per distinct value of a text column
    (``read(None)`` for its empty cells)."""
    if not arrow_strings.is_text(column):
        return column.map(read)
    codes, values = distinct(column)
    answers = [read(v) for v in values]
    when_missing = read(None)
    if unchanged(answers, values) and (when_missing is None or not (codes < 0).any()):
        return column
    return spread(answers, codes, when_missing, column.index)


def unchanged(answers: Sequence[Any], values: Sequence[Any]) -> bool:
    """Whether every distinct value read as itself (the column can be kept as it is)."""
    return all(type(a) is str and a == v for a, v in zip(answers, values, strict=True))


# Numbers as values.parse_number reads most of them: ASCII digits, a point or a lone
# decimal comma, no spaces (other forms go through parse_number itself).
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]{1,20}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})$"
_DECIMAL_COMMA_NUMBER = r"^[+-]?[0-9]{1,20},[0-9]{1,20}$"


def plain_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(numbers, read)``: the cells of a text column written as plain decimals (``4.35``,
    ``-4,35``), parsed in C exactly as ``float`` parses them; ``read`` is False (and the
    number NaN) for every other cell, to be read by ``values.parse_number``."""
    numbers = np.full(len(column), np.nan)
    read = np.zeros(len(column), dtype=bool)
    if not arrow_strings.is_text(column):
        return numbers, read
    cells = arrow_strings.arrow(column)
    for pattern, comma in ((_PLAIN_NUMBER, False), (_DECIMAL_COMMA_NUMBER, True)):
        # Only the cells not read yet are tried against the next form (most are plain).
        todo = np.flatnonzero(~read)
        if not len(todo):
            break
        strings = cells if len(todo) == len(read) else cells.take(pa.array(todo))
        matched = np.asarray(pc.fill_null(pc.match_substring_regex(strings, pattern), False))
        if not matched.any():
            continue
        chosen = strings if matched.all() else strings.filter(pa.array(matched))
        if comma:
            chosen = pc.replace_substring(chosen, ",", ".")
        numbers[todo[matched]] = pc.cast(chosen, pa.float64()).to_numpy()
        read[todo[matched]] = True
    return numbers, read
