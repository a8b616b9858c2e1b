"""Incident rates and the exact test of whether two rates differ.

Two counts over two stretches of time are compared with the conditional binomial test:
if the rate did not change, the second count is binomial given the total, with the second
stretch's share of the time as its probability. The test is exact at any count, which
matters for a quiet agreement area with a handful of incidents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

PER_DAYS = 30
"""Rates are given per this many days."""


@dataclass(frozen=True)
class RateComparison:
    """``second`` against ``first``: counts, days, rates per 30 days, ratio, p, interval."""

    first_count: int
    first_days: float
    second_count: int
    second_days: float
    first_rate: float
    second_rate: float
    ratio: float
    """second rate / first rate; inf when the first is 0 and the second is not; NaN when
    both are 0 or a stretch has no days."""
    p: float
    """Two-sided exact p-value (1.0 when nothing happened in either stretch)."""
    low: float
    high: float
    """95 % exact confidence interval of the ratio."""


def rate(count: float, days: float) -> float:
    """Incidents per :data:`PER_DAYS` days (NaN for no days)."""
    return count / days * PER_DAYS if days > 0 else math.nan


def compare_rates(
    first_count: int, first_days: float, second_count: int, second_days: float
) -> RateComparison:
    """The exact conditional test of the rate in the second stretch against the first."""
    first_count, second_count = int(first_count), int(second_count)
    rates = rate(first_count, first_days), rate(second_count, second_days)
    if not (first_days > 0 and second_days > 0):
        return RateComparison(
            first_count, first_days, second_count, second_days, *rates, *(math.nan,) * 4
        )
    total = first_count + second_count
    if total == 0:
        return RateComparison(
            first_count, first_days, 0, second_days, *rates, math.nan, 1.0, 0.0, math.inf
        )
    share = second_days / (first_days + second_days)
    test = stats.binomtest(second_count, total, share)
    interval = test.proportion_ci(confidence_level=0.95, method="exact")
    odds = first_days / second_days  # a proportion pi of the total -> ratio pi/(1-pi) * odds
    low = _ratio_of(interval.low, odds)
    high = _ratio_of(interval.high, odds)
    ratio = math.inf if rates[0] == 0 else rates[1] / rates[0]
    return RateComparison(
        first_count, first_days, second_count, second_days, *rates, ratio, test.pvalue, low, high
    )


def _ratio_of(proportion: float, odds: float) -> float:
    if proportion >= 1:
        return math.inf
    return proportion / (1 - proportion) * odds


def fdr_adjust(p: np.ndarray | list[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values; NaN stays NaN and is not counted."""
    p = np.asarray(p, dtype=float)
    adjusted = np.full(len(p), np.nan)
    tested = np.flatnonzero(np.isfinite(p))
    if not len(tested):
        return adjusted
    values = p[tested]
    order = np.argsort(values)
    m = len(values)
    scaled = values[order] * m / np.arange(1, m + 1)
    scaled = np.minimum.accumulate(scaled[::-1])[::-1]
    result = np.empty(m)
    result[order] = np.minimum(scaled, 1.0)
    adjusted[tested] = result
    return adjusted
