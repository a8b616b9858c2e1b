"""Agreement watch on the sample's planted corridor, the other agreements and edge cases."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis.agreement_watch import VIOLATION_COLUMNS, agreement_watch
from schema.mission import load_sample


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def revenge(sample):
    return sample.incidents[sample.incidents["motivation"] == "revenge"]


def test_revenge_along_the_corridor_falls_after_signature_and_resumes(sample, revenge):
    watch = agreement_watch(revenge, sample.local_agreements)
    corridor = watch.summary.set_index("agreement_id").loc["LA-01"]
    # README: 177 before, 33 in force, 132 after the violation, within 5 km.
    assert (corridor["before_incidents"], corridor["in_force_incidents"]) == (177, 33)
    assert corridor["after_end_incidents"] == 132
    assert corridor["before_rate_30d"] == pytest.approx(12, abs=1)
    assert corridor["in_force_rate_30d"] == pytest.approx(3, abs=0.5)
    assert corridor["after_end_rate_30d"] == pytest.approx(12, abs=1)
    assert corridor["verdict"] == "fell after signature"
    assert corridor["after_end_verdict"] == "resumed after it ended"
    assert corridor["p_adjusted"] < 1e-6 and corridor["ratio_high"] < 0.5
    assert corridor["area"] == "line, 5 km either side"
    # The verdicts rest on 180 days either side of signature and of the violation.
    assert corridor["window_days"] == 180 and corridor["end_window_days"] == 180
    assert corridor["window_before"] > 3 * corridor["window_after"]
    assert corridor["end_window_after"] > 2 * corridor["end_window_before"]
    assert corridor["effect"].startswith("about 0.2")
    assert "the rate before signature, 95 % interval" in corridor["effect"]
    assert corridor["after_end_effect"].startswith("about ")
    assert "the rate before it ended, 95 % interval" in corridor["after_end_effect"]
    assert corridor["warning"] == "" and corridor["caution"] == ""
    # Violated in February 2025, it is not "at risk" at the end of 2025: it ended.
    assert not corridor["at_risk"]


@pytest.mark.parametrize("motivation", ["revenge", None])
def test_no_other_agreement_changes_significantly(sample, motivation):
    chosen = sample.incidents
    if motivation:
        chosen = chosen[chosen["motivation"] == motivation]
    summary = agreement_watch(chosen, sample.local_agreements).summary.set_index("agreement_id")
    others = summary.drop(index="LA-01")
    assert not others["verdict"].isin(["fell after signature", "rose after signature"]).any()
    assert not others["after_end_verdict"].isin(["resumed after it ended"]).any()
    # Nothing was planted as a recent rise: no agreement is at risk.
    assert not summary["at_risk"].any()


def test_possible_violations_are_the_incidents_in_force(sample, revenge):
    watch = agreement_watch(revenge, sample.local_agreements)
    listed = watch.violations[watch.violations["agreement_id"] == "LA-01"]
    assert len(listed) == 33
    assert list(watch.violations.columns) == VIOLATION_COLUMNS
    assert "narrative" not in watch.violations.columns
    assert listed["date"].min() >= dt.date(2024, 3, 15)
    assert listed["date"].max() < dt.date(2025, 2, 10)
    assert set(listed["motivation"]) == {"revenge"}


def test_unsigned_agreements_are_listed_without_a_test(sample):
    summary = agreement_watch(sample.incidents, sample.local_agreements).summary
    unsigned = summary[summary["date_signed"].isna()]
    assert set(unsigned["agreement_id"]) == {"LA-07", "LA-10"}
    assert (unsigned["verdict"] == "not signed yet").all()
    assert unsigned["p"].isna().all()


def _agreement(geometry, signed, ended=None, agreement_id="X-1"):
    return gpd.GeoDataFrame(
        {
            "agreement_id": [agreement_id],
            "name": ["Test agreement"],
            "agreement_type": ["weapon_free_zone"],
            "status": ["signed"],
            "field_office": ["FO"],
            "date_signed": [pd.Timestamp(signed) if signed else pd.NaT],
            "date_ended": [pd.Timestamp(ended) if ended else pd.NaT],
            "geometry": [geometry],
        },
        crs="EPSG:4326",
    )


def test_an_agreement_with_no_incidents(sample):
    far = _agreement(Point(10.0, 10.0), "2024-01-01")
    row = agreement_watch(sample.incidents, far).summary.iloc[0]
    assert row["verdict"] == "no incidents in its area"
    assert row["before_incidents"] == 0 and row["in_force_incidents"] == 0
    assert row["p"] == 1.0


def test_signed_before_or_after_the_data(sample):
    corridor = sample.local_agreements[sample.local_agreements["agreement_id"] == "LA-01"]
    geometry = corridor.geometry.iloc[0]
    early = agreement_watch(sample.incidents, _agreement(geometry, "2020-01-01")).summary
    assert early["verdict"].iloc[0] == "signed before the data starts: no before period"
    assert early["before_days"].iloc[0] == 0
    late = agreement_watch(sample.incidents, _agreement(geometry, "2030-01-01")).summary
    assert late["verdict"].iloc[0] == "signed after the data ends"
    assert late["in_force_days"].iloc[0] == 0


def test_point_radius_and_polygon_areas(sample):
    centre = Point(2.73899, -3.8311)  # the capital
    small = agreement_watch(sample.incidents, _agreement(centre, "2024-01-01"), point_radius_km=2)
    large = agreement_watch(sample.incidents, _agreement(centre, "2024-01-01"), point_radius_km=10)
    count = lambda w: w.summary[["before_incidents", "in_force_incidents"]].sum(axis=1).iloc[0]  # noqa: E731
    assert 0 < count(small) < count(large)
    polygon = gpd.GeoSeries([centre], crs="EPSG:4326").to_crs(32731).buffer(10_000).to_crs(4326)
    as_polygon = agreement_watch(sample.incidents, _agreement(polygon.iloc[0], "2024-01-01"))
    assert as_polygon.summary["area"].iloc[0] == "polygon"
    assert abs(count(as_polygon) - count(large)) <= 0.02 * count(large)


def test_no_incidents_at_all(sample):
    watch = agreement_watch(sample.incidents.iloc[:0], sample.local_agreements)
    assert len(watch.summary) == len(sample.local_agreements)
    assert len(watch.violations) == 0


def test_the_data_period_can_be_given(sample, revenge):
    corridor = sample.local_agreements[sample.local_agreements["agreement_id"] == "LA-01"]
    watch = agreement_watch(revenge, corridor, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    row = watch.summary.iloc[0]
    assert row["before_days"] == (dt.date(2024, 3, 15) - dt.date(2024, 1, 1)).days
    assert row["in_force_days"] == (dt.date(2024, 12, 31) - dt.date(2024, 3, 15)).days + 1
    whole = agreement_watch(revenge, corridor).summary.iloc[0]
    assert 0 < row["before_incidents"] < whole["before_incidents"]
    assert row["after_end_days"] == 0 or pd.isna(row["after_end_days"])
