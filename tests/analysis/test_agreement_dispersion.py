"""Agreement watch's window test allows for bursty counts and corrects for many windows
(issue 21): the dispersion of the windows' weekly counts widens the interval, and the
p-values are adjusted by Benjamini-Hochberg across every comparison of the run."""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from shapely.geometry import Point

from analysis.agreement_watch import QUASI_WINDOWS, agreement_watch
from analysis.rate_tests import EXACT
from schema.mission import load_sample
from tests.analysis.test_agreement_rules import _agreement, _incidents, _rows

SIGNED = dt.date(2021, 1, 1)
BEFORE = SIGNED - dt.timedelta(days=180)  # first day of the window before signature
START, END = dt.date(2020, 1, 1), dt.date(2021, 12, 31)


@pytest.fixture(scope="module")
def template():
    """One real incident row, so that every column the analysis reads is there."""
    return load_sample().incidents.iloc[:1]


def _spread(first: dt.date, n: int, days: int = 180) -> list[dt.date]:
    """``n`` incidents evenly over ``days`` days: weekly counts steadier than Poisson."""
    return [first + dt.timedelta(days=int(i * days / n)) for i in range(n)]


def _bursts(first: dt.date, offsets: list[int], size: int) -> list[dt.date]:
    """``size`` incidents on each of the days ``offsets`` from ``first``: bursty."""
    return [first + dt.timedelta(days=o) for o in offsets for _ in range(size)]


def _weekly_phi(dates: list[dt.date], first: dt.date) -> tuple[float, int]:
    """Independently: variance over mean of the 25 weekly counts of a 180-day window (at
    least 1), and its degrees of freedom."""
    weeks = np.zeros(180 // 7)
    for d in dates:
        week = (d - first).days // 7
        if 0 <= week < len(weeks):
            weeks[week] += 1
    return max(1.0, weeks.var(ddof=1) / weeks.mean()), len(weeks) - 1


def _watch(template, before: list[dt.date], after: list[dt.date], agreements=None):
    incidents = _incidents(template, _rows(before + after))
    return agreement_watch(
        incidents,
        agreements if agreements is not None else _agreement(SIGNED),
        start=START,
        end=END,
    )


def test_bursty_counts_widen_the_interval_and_turn_the_flag_off(template):
    steady = _watch(template, _spread(BEFORE, 40), _spread(SIGNED, 15)).summary.iloc[0]
    before = _bursts(BEFORE, [0, 49, 98, 147], 10)  # 40 incidents on 4 days
    after = _bursts(SIGNED, [0, 60, 120], 5)  # 15 on 3 days
    bursty = _watch(template, before, after).summary.iloc[0]
    for row in (steady, bursty):
        assert (row["window_before"], row["window_after"]) == (40, 15)
        assert row["rate_ratio"] == pytest.approx(15 / 40)
        assert row["test"] == QUASI_WINDOWS
    # Steady counts: no overdispersion, and the fall is significant.
    assert steady["dispersion"] == 1.0
    assert steady["verdict"] == "fell after signature"
    # Bursty counts: the two windows' pooled weekly dispersion, computed here by hand.
    (phi_b, df_b), (phi_a, df_a) = _weekly_phi(before, BEFORE), _weekly_phi(after, SIGNED)
    phi = (phi_b * df_b + phi_a * df_a) / (df_b + df_a)
    assert phi > 5
    assert bursty["dispersion"] == pytest.approx(phi)
    se = math.sqrt(phi * (1 / 15 + 1 / 40))
    half = stats.norm.ppf(0.975) * se
    assert bursty["ratio_low"] == pytest.approx(15 / 40 * math.exp(-half))
    assert bursty["ratio_high"] == pytest.approx(15 / 40 * math.exp(half))
    assert bursty["p"] == pytest.approx(2 * stats.norm.sf(abs(math.log(15 / 40)) / se))
    # Wider than the steady interval, and the flag is off.
    assert bursty["ratio_low"] < steady["ratio_low"] and bursty["ratio_high"] > 1
    assert bursty["verdict"] == "no significant change after signature"
    assert "quasi-Poisson with the dispersion" in _watch(template, before, after).caption


def test_the_exact_test_is_kept_for_small_counts(template):
    row = _watch(template, _spread(BEFORE, 9), _spread(SIGNED, 30)).summary.iloc[0]
    assert (row["window_before"], row["window_after"]) == (9, 30)
    assert row["test"] == EXACT
    assert row["p"] == pytest.approx(stats.binomtest(30, 39, 0.5).pvalue)


def test_adjusted_p_values_are_benjamini_hochberg_across_all_comparisons(template):
    far = Point(22.0, 7.0)
    two = _agreement(SIGNED)
    other = _agreement("2020-09-01", "2021-06-01", "violated")
    other["agreement_id"], other["geometry"] = "T-2", far
    agreements = gpd.GeoDataFrame(
        pd.concat([two, other], ignore_index=True), geometry="geometry", crs="EPSG:4326"
    )
    rows = (
        _rows(_spread(BEFORE, 10))
        + _rows(_bursts(SIGNED, [30, 60], 1))  # 10 against 2: raw p about 0.04
        + _rows(_spread(dt.date(2020, 3, 1), 20), place=far)
        + _rows(_spread(dt.date(2021, 6, 1), 12, days=200), place=far)
    )
    watch = agreement_watch(_incidents(template, rows), agreements, start=START, end=END)
    summary = watch.summary
    families = ("p", "after_end_p", "recent_p")
    raw = np.concatenate([summary[f].to_numpy(dtype=float) for f in families])
    tested = np.isfinite(raw)
    assert tested.sum() >= 4  # signature, end and recent windows of two agreements
    expected = np.full(len(raw), np.nan)
    expected[tested] = stats.false_discovery_control(raw[tested], method="bh")
    got = np.concatenate([summary[f"{f}_adjusted"].to_numpy(dtype=float) for f in families])
    np.testing.assert_allclose(got[tested], expected[tested])
    assert np.isnan(got[~tested]).all()
    # The verdicts use the adjusted p-values: significant alone, not among all the windows.
    first = summary.iloc[0]
    assert first["p"] < 0.05 <= first["p_adjusted"]
    assert first["verdict"] == "no significant change after signature"
    assert "Benjamini-Hochberg across all the comparisons" in watch.caption
    assert "verdicts on the adjusted p-values" in watch.caption
