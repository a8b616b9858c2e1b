"""When a date stands alone: the rule shared by imports (a warning) and analysis (a date
that does not stretch the reporting coverage).

A date more than :data:`ISOLATED_DAYS` days from every other date of its file or source is
isolated: half a year with nothing reported on either side. (A year would miss the mistyped
year that matters most: 30 November 2025 typed 2026 lies 334 days after the last true
date.) Future dates are refused on import already (``ingest.values.date_range_problem``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ISOLATED_DAYS = 180
"""A date further than this (in days) from all its file's or source's other dates."""


def nearest_other(dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per date, the days to the nearest *other* date given, and that date as
    ``datetime64[D]`` (NaN / NaT for a missing date or when there is no other date; a
    repeated date is 0 days away). One sort: cheap on a million rows."""
    days = pd.to_datetime(pd.Series(dates), errors="coerce")
    raw = days.to_numpy().astype("datetime64[D]")
    known = ~np.isnat(raw)
    gaps = np.full(len(raw), np.nan)
    nearest = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[D]")
    ordinal = raw[known].astype(np.int64)
    if len(ordinal) < 2:
        return gaps, nearest
    # Dates are days over a span of decades: counting per day (no sort) finds each day's
    # neighbouring days with dates; a day with two dates or more is 0 days from another.
    low = ordinal.min()
    offsets = ordinal - low
    per_day = np.bincount(offsets)
    days_with = np.flatnonzero(per_day)
    step = np.diff(days_with).astype(float)
    prev = np.concatenate([[np.inf], step])
    after = np.concatenate([step, [np.inf]])
    gap = np.where(per_day[days_with] > 1, 0.0, np.minimum(prev, after))
    neighbour = np.where(
        per_day[days_with] > 1,
        days_with,
        np.where(prev <= after, np.roll(days_with, 1), np.roll(days_with, -1)),
    )
    slot = np.zeros(len(per_day), dtype=np.int64)
    slot[days_with] = np.arange(len(days_with))
    at = slot[offsets]
    gaps[known] = gap[at]
    nearest[known] = (neighbour[at] + low).astype("datetime64[D]")
    return gaps, nearest


def isolated_dates(dates: pd.Series, gap_days: int = ISOLATED_DAYS) -> np.ndarray:
    """Per date, whether it lies more than ``gap_days`` days from every other date given
    (missing dates are not isolated; nor is a single date)."""
    gaps, _ = nearest_other(dates)
    return np.nan_to_num(gaps, nan=0.0) > gap_days
