"""Which days the data cover, and windows of days cut to them.

The analysis period is the reporting coverage: for each source, from the first to the last
day it reports (or the range a caller knows, e.g. a batch's own), not the min-max of all
dates. A date more than :data:`ISOLATED_DAYS` from every other date of its source (a
mistyped year) does not stretch that source's coverage: no window of days out there is
"covered" because of it. Imports warn about such dates (:func:`schema.dates.isolated_dates`
is the rule they share).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from schema.dates import ISOLATED_DAYS, isolated_dates

__all__ = ["ISOLATED_DAYS", "Span", "coverage", "covered_days", "isolated_dates", "merge"]


Span = tuple[dt.date, dt.date]
"""A (first, last) day, both included."""


def coverage(incidents: pd.DataFrame, dates: pd.Series | None = None) -> list[Span]:
    """The days each source covers, first to last date, leaving out isolated dates
    (module docstring); by ``source`` when the column is there, else all together."""
    dates = pd.to_datetime(incidents["date"] if dates is None else dates).dt.normalize()
    if not len(dates):
        return []
    groups = (
        incidents["source"].astype(object).fillna("").to_numpy()
        if "source" in incidents
        else np.zeros(len(dates), dtype=int)
    )
    spans = []
    for group in pd.unique(groups):
        mine = dates[groups == group].dropna()
        mine = mine[~isolated_dates(mine)]
        if len(mine):
            spans.append((mine.min().date(), mine.max().date()))
    return merge(spans)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Spans joined where they overlap or touch, in order."""
    merged: list[list[dt.date]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def covered_days(lo: dt.date, hi: dt.date, spans: list[Span]) -> np.ndarray:
    """Per day from ``lo`` to ``hi`` (inclusive), whether the spans cover it."""
    n = max(0, (hi - lo).days + 1)
    mask = np.zeros(n, dtype=bool)
    for a, b in spans:
        first, last = max(a, lo), min(b, hi)
        if first <= last:
            mask[(first - lo).days : (last - lo).days + 1] = True
    return mask
