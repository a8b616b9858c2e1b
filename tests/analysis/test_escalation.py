"""Escalation around milestones: the planted surge is flagged, the other rounds are not."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.escalation import WARNING, escalation
from schema.mission import load_sample


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def table(sample):
    return escalation(sample.incidents, sample.national_milestones).table.set_index("milestone_id")


def test_the_surge_before_the_third_round_is_flagged(table):
    row = table.loc["NM-06"]
    assert row["before_incidents"] == 423  # README: 423 in the 60 days before 22 July 2024
    # Against its local baseline (the 60 days before the window and the same days of 2023)
    # the planted doubling shows as 1.8x; the old whole-period baseline, which held the
    # busier months of the collateral operation, gave 1.6x.
    assert row["before_ratio"] == pytest.approx(1.8, abs=0.15)
    assert row["before_p_adjusted"] < 1e-6
    assert "escalation before" in row["flag"]
    assert row["before_effect"].startswith("about 1.8x the usual rate, 95 % interval 1.")
    assert row["before_low"] > 1.4 and row["before_high"] < 2.3
    assert row["before_test"].startswith("quasi-Poisson")
    assert row["dispersion"] >= 1


def test_the_first_two_rounds_are_not_flagged(table):
    for milestone in ("NM-03", "NM-04"):
        assert table.loc[milestone, "flag"] == ""
        assert table.loc[milestone, "before_incidents"] in (246, 248)


def test_flags_only_where_a_planted_pattern_falls_in_the_window(table):
    flagged = table[table["flag"] != ""]
    # NM-06: the planted surge. NM-07 (5 December 2024): its 60 days before (6 October to
    # 4 December) hold most of Operation Harmattan Shield (2 September to 20 November 2024,
    # 170 collateral incidents), so that window is busier too: a planted pattern, not noise.
    assert set(flagged.index) == {"NM-06", "NM-07"}
    assert flagged.loc["NM-07", "flag"] == "escalation before"


def test_windows_are_cut_at_the_edges_of_the_data(table, sample):
    first = table.loc["NM-01"]  # 14 February 2023, 44 days after the data starts
    assert first["before_days"] == 44
    assert "cut to 44 days" in first["note"]
    edge = pd.DataFrame(
        {
            "milestone_id": ["E-1", "E-2", "E-3"],
            "date": pd.to_datetime(["2023-01-01", "2025-12-31", "2027-01-01"]),
            "kind": ["signature"] * 3,
            "title": ["at the start", "at the end", "outside"],
        }
    )
    result = escalation(sample.incidents, edge).table.set_index("milestone_id")
    assert result.loc["E-1", "before_days"] == 0
    assert "before window outside the data" in result.loc["E-1", "note"]
    assert result.loc["E-2", "after_days"] == 1
    assert result.loc["E-3", "before_days"] == 0 and result.loc["E-3", "after_days"] == 0
    assert result.loc["E-3", "flag"] == ""


def test_no_incidents_and_one_incident(sample):
    empty = escalation(sample.incidents.iloc[:0], sample.national_milestones).table
    assert len(empty) == 10 and (empty["flag"] == "").all()
    assert (empty["note"] == "no incidents in the selection").all()
    one = escalation(sample.incidents.iloc[:1], sample.national_milestones).table
    assert (one["flag"] == "").all()


def test_the_baseline_is_local_not_the_period(sample):
    # Replaces the old test that the selected period bounded the baseline (every other day
    # of the period): the baseline is now the 60 days before the first window and the
    # same days a year earlier, so a given period only picks the milestones shown.
    whole = escalation(sample.incidents, sample.national_milestones).table
    year = escalation(
        sample.incidents,
        sample.national_milestones,
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
    ).table.set_index("milestone_id")
    # NM-03's after window ends on 7 December 2023; NM-08 (1 March 2025) has its before
    # window from 31 December 2024: it touches the year.
    assert list(year.index) == [f"NM-0{i}" for i in range(4, 9)]
    row = year.loc["NM-06"]
    day = sample.incidents["date"].dt.normalize()
    pre = (day >= "2024-03-24") & (day <= "2024-05-22")
    earlier = (day >= "2023-05-24") & (day <= "2023-09-20")
    assert row["baseline_incidents"] == int((pre | earlier).sum())
    assert row["baseline_days"] == 60 + 120
    assert "60 of the 60 days before" in row["baseline"] and "a year earlier" in row["baseline"]
    assert whole.set_index("milestone_id").loc["NM-06"].equals(row)


def test_the_caption_and_the_warning(sample):
    result = escalation(sample.incidents, sample.national_milestones, window_days=30)
    assert "30 days" in result.caption
    assert "ratchet up violence ahead of negotiations" in WARNING
    assert "trigger violence" in result.warning
    with pytest.raises(ValueError, match="at least 1 day"):
        escalation(sample.incidents, sample.national_milestones, window_days=0)
