"""Which days the data cover, and windows of days cut to them.

The analysis period is the reporting coverage: for each source, from the first to the last
day it reports (or the range a caller knows, e.g. a batch's own), not the min-max of all
dates. A date more than :data:`ISOLATED_DAYS` from every other date of its source (a
mistyped year) does not stretch that source's coverage: it is listed instead, and imports
warn about such dates (:func:`isolated_dates`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

ISOLATED_DAYS = 180
"""A date further than this from all its batch's or source's other dates is isolated: half
a year with nothing reported on either side. (A year would miss the mistyped year that
matters most: 30 November 2025 typed 2026 lies 334 days after the last true date.)"""

Span = tuple[dt.date, dt.date]


def isolated_dates(dates: pd.Series, gap_days: int = ISOLATED_DAYS) -> np.ndarray:
    """Per date, whether it lies more than ``gap_days`` days from every other date given
    (missing dates are not isolated; a single date is not either)."""
    days = pd.to_datetime(dates, errors="coerce").dt.normalize()
    known = days.notna().to_numpy()
    result = np.zeros(len(days), dtype=bool)
    values = np.sort(days[known].to_numpy().astype("datetime64[D]").astype(np.int64))
    if len(values) < 2:
        return result
    ordinal = days[known].to_numpy().astype("datetime64[D]").astype(np.int64)
    at = np.searchsorted(values, ordinal)
    # The nearest other date: the neighbour before or after in sorted order (a repeated
    # date has a neighbour 0 days away).
    prev_gap = np.where(at > 0, ordinal - values[np.maximum(at - 1, 0)], np.inf)
    nxt = np.minimum(at + 1, len(values) - 1)
    next_gap = np.where(at + 1 < len(values), values[nxt] - ordinal, np.inf)
    result[known] = np.minimum(prev_gap, next_gap) > gap_days
    return result


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
