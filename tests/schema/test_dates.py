"""The isolated-date rule shared by imports and analysis: each date's nearest other date."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schema.dates import ISOLATED_DAYS, isolated_dates, nearest_other


def test_nearest_other_date_with_repeats_gaps_and_missing_dates() -> None:
    dates = pd.Series(
        pd.to_datetime(["2024-01-01", "2024-01-01", "2024-05-01", "2025-12-01", None, "2026-12-30"])
    )
    gaps, nearest = nearest_other(dates)
    np.testing.assert_array_equal(gaps[[0, 1, 2, 3, 5]], [0, 0, 121, 394, 394])
    assert np.isnan(gaps[4]) and np.isnat(nearest[4])
    assert str(nearest[2]) == "2024-01-01" and str(nearest[3]) == "2026-12-30"
    np.testing.assert_array_equal(isolated_dates(dates), [0, 0, 0, 1, 0, 1])


def test_a_single_date_or_none_is_not_isolated() -> None:
    assert not isolated_dates(pd.Series(pd.to_datetime(["2024-01-01"]))).any()
    assert len(isolated_dates(pd.Series([], dtype="datetime64[ns]"))) == 0
    edge = pd.Series(pd.to_datetime(["2024-01-01"])).repeat(2).reset_index(drop=True)
    edge[1] += pd.Timedelta(days=ISOLATED_DAYS)
    assert not isolated_dates(edge).any()  # exactly ISOLATED_DAYS apart: not isolated
    edge[1] += pd.Timedelta(days=1)
    assert isolated_dates(edge).all()
