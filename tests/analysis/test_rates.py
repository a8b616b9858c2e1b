"""The exact rate-ratio test and the false-discovery-rate adjustment."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from analysis.rates import compare_rates, fdr_adjust, rate


def test_rates_are_per_30_days():
    assert rate(12, 30) == 12
    assert rate(177, 434) == pytest.approx(12.235, abs=1e-3)
    assert math.isnan(rate(3, 0))


def test_the_test_is_the_conditional_binomial():
    result = compare_rates(177, 434, 33, 332)
    expected = stats.binomtest(33, 210, 332 / 766).pvalue
    assert result.p == pytest.approx(expected, rel=1e-12)
    assert result.ratio == pytest.approx((33 / 332) / (177 / 434))
    assert result.low < result.ratio < result.high
    assert result.high < 1  # a clear fall


def test_equal_rates_are_not_significant():
    result = compare_rates(30, 100, 30, 100)
    assert result.ratio == 1 and result.p == pytest.approx(1.0)
    assert result.low < 1 < result.high


def test_zero_counts_and_days():
    nothing = compare_rates(0, 100, 0, 50)
    assert nothing.p == 1.0 and math.isnan(nothing.ratio)
    rising = compare_rates(0, 100, 8, 100)
    assert rising.ratio == math.inf and rising.p < 0.01 and rising.high == math.inf
    falling = compare_rates(8, 100, 0, 100)
    assert falling.ratio == 0 and falling.low == 0
    no_days = compare_rates(5, 0, 3, 10)
    assert math.isnan(no_days.p) and math.isnan(no_days.first_rate)


def test_fdr_adjust_matches_a_worked_example():
    # Benjamini and Hochberg's procedure by hand: p * m / rank, then the running minimum
    # from the largest p down.
    p = [0.01, 0.04, 0.03, 0.005, np.nan]
    adjusted = fdr_adjust(p)
    np.testing.assert_allclose(adjusted[:4], [0.02, 0.04, 0.04, 0.02])
    assert np.isnan(adjusted[4])
    assert len(fdr_adjust([])) == 0
    assert np.isnan(fdr_adjust([np.nan])).all()
