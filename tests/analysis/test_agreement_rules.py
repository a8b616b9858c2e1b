"""Agreement watch on hand-made frames with known answers (issue 21): who, end dates,
symmetric windows, at risk as a recent rise, and effects in words."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from scipy import stats
from shapely.geometry import Point

from analysis.agreement_watch import agreement_watch
from analysis.effect_words import DASH, TIMES, ratio_words
from analysis.parties import by_parties, party_keys
from schema.mission import load_sample

HERE = Point(20.0, 5.0)
FAR = Point(22.0, 7.0)  # some 300 km away: in no agreement's area


@pytest.fixture(scope="module")
def template():
    """One real incident row, so that every column the analysis reads is there."""
    return load_sample().incidents.iloc[:1]


def _incidents(template, rows) -> gpd.GeoDataFrame:
    """``rows``: (date, place, perpetrator_name, perpetrator_type)."""
    frame = pd.concat([template] * len(rows), ignore_index=True)
    frame["incident_id"] = [f"T-{i:04d}" for i in range(len(rows))]
    frame["date"] = pd.to_datetime([r[0] for r in rows])
    frame["perpetrator_name"] = [r[2] for r in rows]
    frame["perpetrator_type"] = [r[3] for r in rows]
    frame["date_precision"] = "day"
    frame["location_precision"] = "exact"
    return gpd.GeoDataFrame(frame, geometry=[r[1] for r in rows], crs="EPSG:4326")


def _agreement(signed, ended=None, status="signed", parties="", **more) -> gpd.GeoDataFrame:
    row = {
        "agreement_id": "T-1",
        "name": "Test agreement",
        "agreement_type": "local_ceasefire",
        "status": status,
        "field_office": "FO",
        "date_signed": pd.Timestamp(signed) if signed else pd.NaT,
        "date_ended": pd.Timestamp(ended) if ended else pd.NaT,
        "parties": parties,
        "geometry": HERE,
        **more,
    }
    return gpd.GeoDataFrame([row], geometry="geometry", crs="EPSG:4326")


def _days(first: str, n: int, step: int = 1) -> list[dt.date]:
    start = dt.date.fromisoformat(first)
    return [start + dt.timedelta(days=i * step) for i in range(n)]


def _rows(dates, place=HERE, name="Someone", kind="criminal"):
    return [(d, place, name, kind) for d in dates]


# Who: the agreement's parties against others ------------------------------------------


def test_party_names_match_across_case_accents_and_longer_names():
    keys = party_keys("Wourou herders; MBESSA Farmers, local authorities")
    assert keys == ("wourou herders", "mbessa farmers", "local authorities")
    frame = pd.DataFrame(
        {
            "perpetrator_name": [
                "Wouroú Herders",  # accents and case
                "Mbessa farmers' militia",  # the party's name inside a longer one
                "Abourou herders",  # a different community
                None,
                "Wourou-herders",  # punctuation
                "Herders",  # a word of a party's name is not the party
            ],
            "perpetrator_type": ["community_militia"] * 3 + ["unidentified"] + ["x", "x"],
        }
    )
    assert by_parties(frame, keys).tolist() == [True, True, False, False, True, False]
    assert not by_parties(frame, ()).any()
    # Abbreviations in brackets stand for the name, both ways.
    ucf = pd.DataFrame({"perpetrator_name": ["UCF", "Union des combattants du fleuve (UCF)"]})
    assert by_parties(ucf, party_keys("Union des combattants du fleuve (UCF)")).all()
    assert by_parties(ucf, party_keys("UCF")).all()
    # A party written as a perpetrator type matches that type.
    typed = pd.DataFrame(
        {"perpetrator_name": [None, None], "perpetrator_type": ["state_forces", "criminal"]}
    )
    assert by_parties(typed, party_keys("State forces; village chiefs")).tolist() == [True, False]


def test_incidents_in_force_are_split_into_parties_others_and_not_attributed(template):
    rows = (
        _rows(_days("2021-02-01", 3), name="Wouroú Herders", kind="community_militia")
        + _rows(_days("2021-03-01", 2), name="MBESSA farmers militia", kind="community_militia")
        + _rows(_days("2021-04-01", 4), name="Presidential Guard", kind="state_forces")
        + _rows(_days("2021-05-01", 1), name=None, kind="unidentified")
        + _rows(_days("2021-05-01", 5), place=FAR, name="Wourou herders")  # outside the area
        + _rows(_days("2020-06-01", 2), name="Wourou herders")  # before signature
    )
    agreement = _agreement("2021-01-01", parties="Wourou herders; Mbessa farmers")
    watch = agreement_watch(
        _incidents(template, rows), agreement, start=dt.date(2020, 1, 1), end=dt.date(2021, 12, 31)
    )
    row = watch.summary.iloc[0]
    assert row["in_force_incidents"] == 10
    assert (row["in_force_by_parties"], row["in_force_by_others"]) == (5, 4)
    assert row["in_force_not_attributed"] == 1
    assert row["window_after_by_parties"] == 5
    listed = watch.violations["perpetrator_is"].value_counts().to_dict()
    assert listed == {"a party": 5, "another": 4, "not attributed": 1}
    assert "parties" in watch.caption and "accents" in watch.caption


# End dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["lapsed", "violated"])
def test_ended_with_no_end_date_is_in_force_to_the_end_and_warned(template, status):
    rows = _rows(_days("2020-01-05", 40, step=18))  # one every 18 days over two years
    watch = agreement_watch(
        _incidents(template, rows),
        _agreement("2020-07-01", status=status),
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    row = watch.summary.iloc[0]
    assert row["in_force_days"] == (dt.date(2021, 12, 31) - dt.date(2020, 7, 1)).days + 1
    assert f"recorded as {status} with no date_ended" in row["warning"]
    assert "counted as in force until the end of the data (2021-12-31)" in row["warning"]
    assert row["after_end_verdict"] == "" and pd.isna(row["after_end_ratio"])
    assert not row["at_risk"] and row["recent_effect"].startswith("not tested")
    assert "with no end date" in watch.caption


def test_an_end_date_clears_the_warning_and_a_date_without_status_is_said(template):
    rows = _rows(_days("2020-01-05", 40, step=18))
    incidents = _incidents(template, rows)
    dated = agreement_watch(incidents, _agreement("2020-07-01", "2021-03-01", "lapsed"))
    assert dated.summary["warning"].iloc[0] == ""
    assert dated.summary["after_end_verdict"].iloc[0] != ""
    violated = agreement_watch(
        incidents, _agreement("2020-07-01", status="violated", date_violated="2021-03-01")
    ).summary.iloc[0]
    assert violated["warning"] == "" and violated["date_ended"] == dt.date(2021, 3, 1)
    odd = agreement_watch(incidents, _agreement("2020-07-01", "2021-03-01", "implemented"))
    assert "status is implemented" in odd.summary["warning"].iloc[0]


# Symmetric windows -------------------------------------------------------------------


def test_windows_are_the_same_length_either_side_and_ignore_the_rest(template):
    rows = (
        _rows(_days("2020-07-10", 10, step=15))  # 10 in the 180 days before 2021-01-01
        + _rows(_days("2021-02-01", 2, step=30))  # 2 in the 180 days from it
        + _rows(_days("2020-01-02", 30, step=5))  # a busy spring, outside the window
    )
    incidents = _incidents(template, rows)
    agreement = _agreement("2021-01-01")
    narrow = agreement_watch(
        incidents, agreement, start=dt.date(2020, 1, 1), end=dt.date(2021, 12, 31)
    )
    row = narrow.summary.iloc[0]
    assert (row["window_days"], row["window_before"], row["window_after"]) == (180, 10, 2)
    # Equal windows: the ratio is the ratio of counts; the interval is the exact one.
    assert row["rate_ratio"] == pytest.approx(0.2)
    ci = stats.binomtest(2, 12, 0.5).proportion_ci(0.95, method="exact")
    assert row["ratio_low"] == pytest.approx(ci.low / (1 - ci.low))
    assert row["ratio_high"] == pytest.approx(ci.high / (1 - ci.high))
    assert row["effect"] == ratio_words(0.2, row["ratio_low"], row["ratio_high"], "x").replace(
        f"{TIMES} x", f"{TIMES} the rate before signature"
    )
    # The whole stretch before counts the busy spring too; the verdict does not.
    assert row["before_incidents"] == 40
    wider = agreement_watch(
        incidents, agreement, start=dt.date(2015, 1, 1), end=dt.date(2024, 12, 31)
    ).summary.iloc[0]
    for column in ("window_days", "window_before", "window_after", "rate_ratio", "p", "verdict"):
        assert wider[column] == row[column], column
    assert wider["before_days"] > row["before_days"]


def test_windows_shrink_alike_when_the_data_is_shorter(template):
    rows = _rows(_days("2020-01-05", 40, step=18))
    watch = agreement_watch(
        _incidents(template, rows),
        _agreement("2020-03-01", "2021-09-01", "violated"),
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    row = watch.summary.iloc[0]
    assert row["window_days"] == 60  # 1 Jan to 29 Feb 2020 before signature
    assert row["end_window_days"] == (dt.date(2021, 12, 31) - dt.date(2021, 9, 1)).days + 1
    assert "signature windows shortened to 60 days" in row["caution"]
    assert "end windows shortened to 122 days" in row["caution"]


# At risk: a recent rise --------------------------------------------------------------


def _risk_rows():
    end = dt.date(2021, 12, 31)
    last = [end - dt.timedelta(days=3 * i) for i in range(30)]  # 30 in the last 90 days
    previous = [end - dt.timedelta(days=95 + 20 * i) for i in range(4)]  # 4 in the 90 before
    return _rows(last + previous)


def test_a_recent_rise_is_at_risk_and_a_steady_area_is_not(template):
    end = dt.date(2021, 12, 31)
    incidents = _incidents(template, _risk_rows())
    rising = agreement_watch(
        incidents, _agreement("2020-01-01"), start=dt.date(2019, 1, 1), end=end
    ).summary.iloc[0]
    assert (rising["previous_incidents"], rising["recent_incidents"]) == (4, 30)
    assert rising["at_risk"] and rising["recent_p_adjusted"] < 0.05
    assert rising["recent_effect"].startswith(
        f"about 7.5{TIMES} the previous 90 days, 95 % interval"
    )
    steady = _incidents(template, _rows(_days("2021-07-05", 36, step=5)))
    calm = agreement_watch(steady, _agreement("2020-01-01"), start=dt.date(2019, 1, 1), end=end)
    assert not calm.summary["at_risk"].iloc[0]


def test_violated_years_ago_is_not_at_risk_even_with_a_rise(template):
    incidents = _incidents(template, _risk_rows())
    watch = agreement_watch(
        incidents,
        _agreement("2019-03-01", "2019-09-01", "violated"),
        start=dt.date(2019, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    row = watch.summary.iloc[0]
    assert not row["at_risk"]
    assert row["recent_effect"].startswith("not tested: not in force")
    assert "not a violation recorded long ago" in watch.caption


def test_signed_within_the_last_windows_is_not_tested(template):
    watch = agreement_watch(
        _incidents(template, _risk_rows()),
        _agreement("2021-08-01"),
        start=dt.date(2019, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    assert not watch.summary["at_risk"].iloc[0]


# Saying how sure ---------------------------------------------------------------------


def test_ratio_words():
    assert (
        ratio_words(3.1, 2.2, 4.3)
        == f"about 3.1{TIMES} the rate before, 95 % interval 2.2{DASH}4.3{TIMES}"
    )
    assert (
        ratio_words(3.04, 2.0, 4.0)
        == f"about 3{TIMES} the rate before, 95 % interval 2{DASH}4{TIMES}"
    )
    assert ratio_words(0.25, 0.148, 0.41, "b").startswith(
        f"about 0.25{TIMES} b, 95 % interval 0.15{DASH}"
    )
    assert "no finite multiple" in ratio_words(float("inf"), 1.2, float("inf"))
    assert ratio_words(float("nan"), float("nan"), float("nan")) == "no comparison possible"


def test_few_incidents_are_said_in_the_row_and_the_caption(template):
    rows = _rows(["2020-10-01", "2021-02-01", "2021-03-01"])
    watch = agreement_watch(
        _incidents(template, rows),
        _agreement("2021-01-01"),
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    row = watch.summary.iloc[0]
    assert "few incidents (3 around signature)" in row["caution"]
    assert row["verdict"] == "no significant change after signature"
    assert "What this table cannot say: 1 of 1 agreements" in watch.caption


def test_windows_must_be_days():
    sample = load_sample()
    with pytest.raises(ValueError, match="window_days 0"):
        agreement_watch(sample.incidents, sample.local_agreements, window_days=0)
