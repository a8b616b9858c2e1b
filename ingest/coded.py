"""Text columns as integer codes into a small table of distinct values.

A million incidents hold a few hundred distinct place names: comparing, combining and
writing them as codes keeps :mod:`ingest.places` at numpy speed, with no Python loop
over rows and no round trip of a million strings through Python objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class Coded:
    """``table[codes]`` per row; code ``-1`` is missing."""

    codes: np.ndarray
    table: np.ndarray
    source: pd.Series | None = None
    """The text column coded: :meth:`series` gives it back as is when no value changed."""
    source_codes: np.ndarray | None = None
    source_table: np.ndarray | None = None

    @classmethod
    def of(cls, values: pd.Series) -> Coded:
        """Code ``values`` (a text Series, missing values allowed)."""
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        codes = np.asarray(codes, dtype=np.int64)
        table = np.asarray(distinct, dtype=object)
        # The codes are shared with the source's until a value is put (copied then).
        return cls(codes, table, values, codes, table)

    def copy(self) -> Coded:
        # Codes still the source's are copied on the first put; others now.
        codes = self.codes if self.codes is self.source_codes else self.codes.copy()
        return Coded(codes, self.table, self.source, self.source_codes, self.source_table)

    def _unchanged(self) -> bool:
        """Whether every row still holds its source's value (puts of the same names)."""
        if self.source is None or self.source_codes is None or self.source_table is None:
            return False
        where = {v: i for i, v in enumerate(self.source_table)}
        # Per entry of the table now, the source's code of the same text (-2: none has it).
        mapped = np.array([where.get(v, -2) for v in self.table] + [-1], dtype=np.int64)
        return bool(np.array_equal(mapped[self.codes], self.source_codes))

    @classmethod
    def missing(cls, size: int) -> Coded:
        return cls(np.full(size, -1, dtype=np.int64), np.array([], dtype=object))

    def present(self) -> np.ndarray:
        return self.codes >= 0

    def values(self, rows: np.ndarray) -> list[Any]:
        """The values of ``rows`` as Python objects (``None`` when missing): for a few."""
        return [self.table[c] if c >= 0 else None for c in self.codes[rows]]

    def put(self, rows: np.ndarray, codes: np.ndarray, table: np.ndarray) -> None:
        """Set ``rows`` to ``table[codes]`` (``-1``: missing), another table's values."""
        if not len(rows):
            return
        if self.codes is self.source_codes:
            self.codes = self.codes.copy()
        offset = len(self.table)
        self.table = np.concatenate([self.table, np.asarray(table, dtype=object)])
        self.codes[rows] = np.where(codes >= 0, codes + offset, -1)

    def put_text(self, rows: np.ndarray, texts: list[str]) -> None:
        """Set ``rows`` to ``texts``, one per row."""
        self.put(rows, np.arange(len(rows), dtype=np.int64), np.array(texts, dtype=object))

    def keys(self, key: Callable[[Any], Any], vocabulary: dict[Any, int]) -> np.ndarray:
        """Per row, the id in ``vocabulary`` (grown as needed) of ``key(value)``; ``-1``
        when the value or its key is missing. Two columns keyed with one vocabulary
        compare by their ids."""
        ids = np.full(len(self.table) + 1, -1, dtype=np.int64)
        for position, value in enumerate(self.table):
            found = key(value)
            if found is not None:
                ids[position] = vocabulary.setdefault(found, len(vocabulary))
        return ids[self.codes]  # code -1 takes the last entry, -1

    def series(self, index: pd.Index) -> pd.Series:
        """The column as text (missing where the code is ``-1``)."""
        if self.source is not None and self.source.dtype == "str" and self._unchanged():
            return pd.Series(self.source.array, index=index, copy=False)
        if not self.present().any():
            return pd.Series(index=index, dtype="str")
        table = pd.array(list(self.table), dtype="str")
        return pd.Series(table.take(self.codes, allow_fill=True), index=index)
