"""Rates in a window against a local baseline, allowing for overdispersion.

Shared by escalation (and, later, agreement watch). A window of days is compared with a
*local* baseline: the same number of days just before it and the same days a year earlier,
where the data cover them, so that the verdict does not depend on the wider period
selected. Incident counts are burstier than Poisson (one attack brings reprisals), so the
baseline's own spread is measured: its days are cut into blocks of a week, and the
dispersion is the variance of the weekly counts over their mean (at least 1). With enough
incidents on both sides the rate ratio is tested on the log scale with that dispersion
(quasi-Poisson); with few, the exact conditional binomial test (:mod:`analysis.rates`) is
kept, as a normal approximation says little there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from analysis.rates import compare_rates, rate
from analysis.words import fixed
from languages import N_, _

BLOCK_DAYS = 7
"""The baseline's days are cut into blocks this long to measure its dispersion."""
MIN_BLOCKS = 4
"""Fewer blocks than this: the dispersion is not estimated (taken as 1, and said)."""
SMALL = 10
"""Below this many incidents in the window or the baseline the exact test is used."""
EXACT = N_("exact conditional (binomial)")
QUASI = N_("quasi-Poisson (dispersion from the baseline's weeks)")
"""The tests' names: :attr:`WindowTest.method` holds them in English (compared in the
code); a table shows ``_(method)``."""


@dataclass(frozen=True)
class WindowTest:
    """A window's count against its baseline's: rates per 30 days, ratio, 95 % interval,
    two-sided p, the dispersion used and which test gave them."""

    count: int
    days: int
    base_count: int
    base_days: int
    rate_30d: float
    base_rate_30d: float
    ratio: float
    low: float
    high: float
    p: float
    dispersion: float
    method: str


def dispersion(daily: np.ndarray, block: int = BLOCK_DAYS) -> float:
    """Variance over mean of the counts in consecutive blocks of ``block`` days of
    ``daily`` (a trailing part block is left out); at least 1; NaN when there are fewer
    than :data:`MIN_BLOCKS` blocks or no incident."""
    daily = np.asarray(daily, dtype=float)
    n = len(daily) // block
    if n < MIN_BLOCKS:
        return math.nan
    blocks = daily[: n * block].reshape(n, block).sum(axis=1)
    mean = blocks.mean()
    if mean <= 0:
        return math.nan
    return max(1.0, float(blocks.var(ddof=1) / mean))


def window_test(count: int, days: int, base_count: int, base_days: int, phi: float) -> WindowTest:
    """The window's rate against the baseline's (module docstring for the choice of test).

    ``phi`` is the baseline's dispersion (NaN: not estimated, taken as 1).
    """
    phi_used = 1.0 if not phi == phi else max(1.0, float(phi))
    if count >= SMALL and base_count >= SMALL and days > 0 and base_days > 0:
        log_ratio = math.log(rate(count, days) / rate(base_count, base_days))
        se = math.sqrt(phi_used * (1 / count + 1 / base_count))
        z = log_ratio / se
        p = float(2 * stats.norm.sf(abs(z)))
        half = stats.norm.ppf(0.975) * se
        return WindowTest(
            count,
            days,
            base_count,
            base_days,
            rate(count, days),
            rate(base_count, base_days),
            math.exp(log_ratio),
            math.exp(log_ratio - half),
            math.exp(log_ratio + half),
            p,
            phi_used,
            QUASI,
        )
    exact = compare_rates(base_count, base_days, count, days)
    return WindowTest(
        count,
        days,
        base_count,
        base_days,
        exact.second_rate,
        exact.first_rate,
        exact.ratio,
        exact.low,
        exact.high,
        exact.p,
        phi_used,
        EXACT,
    )


def effect_words(ratio: float, low: float, high: float) -> str:
    """The ratio and its interval as a reader says them, e.g. "about 3x the usual rate,
    95 % interval 2-4x" ("" when there is nothing to compare)."""
    if not ratio == ratio:
        return ""
    if math.isinf(ratio):
        return _(
            "incidents where the baseline had none (95 % interval from {low}x up)",
            low=_number(low),
        )
    # "quieter" only when the whole interval is below 1: a ratio of 0.96 is no change.
    values = {"ratio": _number(ratio), "low": _number(low), "high": _number(high)}
    if math.isinf(high):
        return _("about {ratio}x the usual rate, 95 % interval {low}-no upper bound", **values)
    if high < 1:
        return _("about {ratio}x the usual rate (quieter), 95 % interval {low}-{high}x", **values)
    return _("about {ratio}x the usual rate, 95 % interval {low}-{high}x", **values)


def _number(value: float) -> str:
    """The multiple's number: whole from 10, one decimal from 0.095, else two."""
    if value >= 10:
        return fixed(value, 0)
    if value >= 0.095:
        return fixed(value, 1)
    return fixed(value, 2)
