"""Escalation verdicts that hold up: the same whatever wider period is selected (on the
sample and on the Central African Republic's real-format files), untouched by a mistyped
year, "not covered" outside the data, and a test that allows bursty counts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analysis.escalation import escalation
from analysis.joint import analyse
from analysis.rate_tests import EXACT, QUASI, dispersion, effect_words, window_test
from analysis.rates import compare_rates
from analysis.windows import coverage, isolated_dates
from schema.filters import IncidentFilter
from schema.mission import load_sample
from tests.real_data import CAR_ACLED, CAR_TRUTH, CAR_UCDP

VERDICT = ["flag", "before_ratio", "before_p", "after_ratio", "after_p", "baseline_incidents"]


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _cut(incidents: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    day = incidents["date"].dt.normalize()
    return incidents[(day >= start) & (day <= end)]


def _verdict(incidents, milestones, milestone_id, start, end, **kw) -> pd.Series:
    """The verdict when only the selected period's incidents are given (the hardest case:
    the coverage, and so the tests around the milestone, come from the period alone)."""
    chosen = _cut(incidents, start, end)
    result = escalation(
        chosen, milestones, start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end), **kw
    )
    table = result.table.set_index("milestone_id")
    p = {  # the raw p-values are not in the table's columns: recompute from its counts
        side: window_test(
            table.loc[milestone_id, f"{side}_incidents"],
            table.loc[milestone_id, f"{side}_days"],
            table.loc[milestone_id, "baseline_incidents"],
            table.loc[milestone_id, "baseline_days"],
            table.loc[milestone_id, "dispersion"],
        ).p
        for side in ("before", "after")
    }
    row = table.loc[milestone_id].copy()
    row["before_p"], row["after_p"] = p["before"], p["after"]
    return row[VERDICT]


def test_the_surge_verdict_is_the_same_for_three_periods(sample):
    # NM-06 (22 July 2024): windows 23 May to 19 September 2024, baseline from 24 May 2023
    # (the same days a year earlier). Three periods that hold them, one reaching the end.
    periods = [
        ("2023-05-24", "2024-09-19"),
        ("2023-01-01", "2024-12-31"),
        ("2023-03-01", "2025-12-31"),
    ]
    verdicts = [
        _verdict(sample.incidents, sample.national_milestones, "NM-06", *p) for p in periods
    ]
    for other in verdicts[1:]:
        pd.testing.assert_series_equal(verdicts[0], other)
    assert verdicts[0]["flag"] == "escalation before"


def test_the_joint_analysis_gives_the_same_row_for_three_periods(sample):
    # Through the page's own path: the filter's dates narrow the selection, the escalation
    # baseline still sees the data before it, so the whole row (adjusted p too) is equal.
    rows = [
        analyse(
            sample, IncidentFilter(start=dt.date.fromisoformat(a), end=dt.date.fromisoformat(b))
        )
        .escalation.table.set_index("milestone_id")
        .loc["NM-06"]
        for a, b in [
            ("2024-06-01", "2024-08-31"),
            ("2024-01-01", "2024-12-31"),
            ("2023-01-01", "2025-12-31"),
        ]
    ]
    for other in rows[1:]:
        pd.testing.assert_series_equal(rows[0], other)
    assert rows[0]["flag"] == "escalation before"


def test_a_mistyped_year_changes_nothing(sample):
    plain = escalation(sample.incidents, sample.national_milestones).table
    typo = sample.incidents.iloc[[-1]].copy()
    typo["date"] = typo["date"] - pd.Timestamp("2025-12-31") + pd.Timestamp("2026-11-30")
    typo.index = ["typo"]
    wrong = pd.concat([sample.incidents, typo])
    assert isolated_dates(wrong["date"]).sum() == 1
    assert max(hi for _, hi in coverage(wrong)) == dt.date(2025, 12, 31)
    result = escalation(wrong, sample.national_milestones).table
    pd.testing.assert_frame_equal(plain, result)
    assert set(result.loc[result["flag"] != "", "milestone_id"]) == {"NM-06", "NM-07"}


def test_a_milestone_outside_the_coverage_is_not_covered_not_quiet(sample):
    later = pd.DataFrame(
        {
            "milestone_id": ["L-1"],
            "date": pd.to_datetime(["2026-06-01"]),
            "kind": ["signature"],
            "title": ["after the data end"],
        }
    )
    result = escalation(sample.incidents, later)
    row = result.table.iloc[0]
    assert row["before_days"] == 0 and row["after_days"] == 0
    assert "not covered" in row["note"] and row["flag"] == ""
    assert np.isnan(row["before_ratio"]) and row["before_effect"] == ""
    assert any("not covered, not quiet" in limit for limit in result.limits)
    assert "not covered, not quiet" in result.caption


def _car_incidents() -> pd.DataFrame:
    """The CAR real-format files as the counts need them: date, source, date precision.
    ACLED-format rows that report a UCDP event are left out (each event counted once, as
    ``ingest/linking`` does on import; which rows those are is in truth.csv), as are
    ACLED's out-of-scope event types. The import path itself is tested in
    tests/real_data/test_car_mission.py."""
    ucdp = pd.read_csv(CAR_UCDP, usecols=["id", "date_start", "date_prec"])
    acled = pd.read_csv(
        CAR_ACLED, usecols=["event_id_cnty", "event_date", "time_precision", "event_type"]
    )
    linked = set(pd.read_csv(CAR_TRUTH)["event_id_cnty"])
    acled = acled[~acled["event_id_cnty"].isin(linked)]
    acled = acled[~acled["event_type"].isin(("Protests", "Riots", "Strategic developments"))]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "date": pd.to_datetime(ucdp["date_start"]).dt.normalize(),
                    "source": "UCDP GED",
                    # UCDP date_prec 4 is the month, 5 the year (analysis/precision.py)
                    "date_precision": ucdp["date_prec"].map({4: "month", 5: "year"}).fillna("day"),
                }
            ),
            pd.DataFrame(
                {
                    "date": pd.to_datetime(acled["event_date"]),
                    "source": "ACLED",
                    "date_precision": acled["time_precision"].map({3: "month"}).fillna("day"),
                }
            ),
        ],
        ignore_index=True,
    )


APPR = pd.DataFrame(
    {
        "milestone_id": ["APPR"],
        "date": pd.to_datetime(["2019-02-06"]),  # the APPR-RCA signed in Bangui
        "kind": ["signature"],
        "title": ["Political Agreement for Peace and Reconciliation"],
    }
)


def test_car_verdict_for_the_appr_is_the_same_for_three_periods():
    incidents = _car_incidents()
    # Windows 8 December 2018 to 6 April 2019; baseline from 9 October 2018, and the same
    # days a year earlier where the data (from 1 January 2018) cover them. The old
    # whole-period baseline gave opposite answers over 2019 and over 2018-22.
    periods = [
        ("1991-01-01", "2022-12-31"),
        ("2018-01-01", "2019-12-31"),
        ("2017-06-01", "2019-04-30"),
    ]
    verdicts = [_verdict(incidents, APPR, "APPR", *p) for p in periods]
    for other in verdicts[1:]:
        pd.testing.assert_series_equal(verdicts[0], other)
    assert verdicts[0]["flag"] == ""  # quieter after the signature, not an escalation
    result = escalation(incidents, APPR)
    row = result.table.iloc[0]
    # 1 January to 6 April 2018: the part of the year-earlier days the data cover
    assert row["baseline_days"] == 60 + 96
    assert row["before_effect"].startswith("about ") and "95 % interval" in row["before_effect"]
    months = int((incidents["date_precision"] != "day").sum())
    assert result.notes == (
        f"{months} events known only to the month or the year were not placed in day windows",
    )


def test_dispersion_of_steady_and_bursty_days():
    rng = np.random.default_rng(21)
    steady = rng.poisson(4, 364)
    assert dispersion(steady) == pytest.approx(1, abs=0.5)
    bursty = rng.negative_binomial(1, 1 / 5, 364)  # mean 4, variance 20 a day
    assert dispersion(bursty) > 3
    assert np.isnan(dispersion(steady[:21]))  # three weeks: too few to say


def test_bursty_baselines_widen_the_interval_and_small_counts_stay_exact():
    exact = compare_rates(400, 180, 180, 60)
    steady = window_test(180, 60, 400, 180, 1.0)
    bursty = window_test(180, 60, 400, 180, 4.0)
    assert steady.method == bursty.method == QUASI
    assert steady.p == pytest.approx(exact.p, rel=0.5)  # the two tests agree without bursts
    assert bursty.p > 100 * steady.p and bursty.p > 1e-4
    assert bursty.low < steady.low < steady.high < bursty.high
    small = window_test(6, 60, 9, 180, 4.0)
    assert small.method == EXACT
    assert small.p == compare_rates(9, 180, 6, 60).p


def test_effect_in_words():
    assert effect_words(3.04, 2.01, 4.2) == "about 3.0x the usual rate, 95 % interval 2.0-4.2x"
    assert effect_words(0.4, 0.2, 0.8).startswith("about 0.4x the usual rate (quieter)")
    assert "(quieter)" not in effect_words(0.96, 0.8, 1.1)
    assert effect_words(float("inf"), 2.5, float("inf")).startswith("incidents where the baseline")
    assert effect_words(float("nan"), float("nan"), float("nan")) == ""


def test_few_incidents_use_the_exact_test_and_the_table_says_so(sample):
    sparse = sample.incidents.iloc[::50]  # about 100 incidents over three years
    result = escalation(sparse, sample.national_milestones)
    tested = result.table[result.table["before_effect"] != ""]
    assert len(tested) and (tested["before_test"] == EXACT).all()
    assert (result.table["flag"] == "").all()
    assert any("fewer than 10 incidents" in limit for limit in result.limits)
    assert "no flag does not mean no change" in result.caption
