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


def nearest_other(dates: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Per date, the days to the nearest *other* date given, and that date (NaN / NaT for
    a missing date or when there is no other date; a repeated date is 0 days away)."""
    days = pd.to_datetime(pd.Series(dates), errors="coerce").dt.normalize()
    gaps = np.full(len(days), np.nan)
    nearest = pd.Series(pd.NaT, index=days.index, dtype="datetime64[ns]")
    known = days.notna().to_numpy()
    ordinal = days[known].to_numpy().astype("datetime64[D]").astype(np.int64)
    if len(ordinal) < 2:
        return gaps, nearest
    values = np.sort(ordinal)
    # The first position of each date in sorted order: its neighbours are at at-1 and,
    # past its own copies, at the next position (a copy of itself counts, 0 days away).
    at = np.searchsorted(values, ordinal, side="left")
    copies = np.searchsorted(values, ordinal, side="right") - at
    prev = np.where(at > 0, ordinal - values[np.maximum(at - 1, 0)], np.inf)
    after = np.where(
        copies > 1,
        0,
        np.where(
            at + 1 < len(values), values[np.minimum(at + 1, len(values) - 1)] - ordinal, np.inf
        ),
    )
    gap = np.minimum(prev, after)
    other = np.where(prev <= after, ordinal - prev, ordinal + after)
    gaps[known] = gap
    nearest[known] = pd.to_datetime(other.astype("datetime64[D]"))
    return gaps, nearest


def isolated_dates(dates: pd.Series, gap_days: int = ISOLATED_DAYS) -> np.ndarray:
    """Per date, whether it lies more than ``gap_days`` days from every other date given
    (missing dates are not isolated; nor is a single date)."""
    gaps, _ = nearest_other(dates)
    return np.nan_to_num(gaps, nan=0.0) > gap_days
