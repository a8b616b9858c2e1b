"""The map's selection on the tiny mission, whose incidents are (id: date, motivation, ...):

T-1 2024-01-05 revenge    community_militia     killing             2 dead  women              W
T-2 2024-01-20 revenge    community_militia     injury              0       -                  W
T-3 2024-02-11 predation  criminal              looting_destruction 0       children;displaced W
T-4 2024-03-02 extraction non_state_armed_group threat              0       -                  E
T-5 2024-03-15 collateral state_forces          killing             3 dead  elderly            E
T-6 2024-04-01 political  state_forces          abduction           0       -                  E
T-7 2024-04-20 punitive   non_state_armed_group sexual_violence     0       women              E
T-8 2024-05-30 unknown    unidentified          forced_displacement 0       displaced          W

W: admin1 "West ", field office "FO W"; E: admin1 "East ", field office "FO E"; every
admin2 is "Area " (the tiny mission appends an empty text to each name).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.filters import (
    SelectionSummary,
    filter_by_office,
    filter_incidents,
    month_bounds,
    months,
    summarise,
)
from schema.filters import IncidentFilter
from schema.incidents import MOTIVATIONS
from tests.tiny_mission import tiny_mission

ALL = [f"T-{i}" for i in range(1, 9)]


@pytest.fixture(scope="module")
def data():
    return tiny_mission()


def ids(data, **selection) -> list[str]:
    return filter_incidents(data.incidents, IncidentFilter(**selection))["incident_id"].tolist()


def test_no_filter_keeps_everything(data):
    assert ids(data) == ALL
    assert ids(data, motivations=frozenset(), victim_groups=frozenset()) == ALL


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"start": dt.date(2024, 1, 20), "end": dt.date(2024, 3, 2)}, ["T-2", "T-3", "T-4"]),
        ({"start": dt.date(2024, 1, 5), "end": dt.date(2024, 1, 5)}, ["T-1"]),
        ({"start": dt.date(2024, 4, 20)}, ["T-7", "T-8"]),
        ({"end": dt.date(2024, 1, 19)}, ["T-1"]),
        ({"start": dt.date(2024, 6, 1)}, []),
        ({"motivations": frozenset({"revenge"})}, ["T-1", "T-2"]),
        ({"motivations": frozenset({"political", "unknown"})}, ["T-6", "T-8"]),
        ({"perpetrator_types": frozenset({"state_forces"})}, ["T-5", "T-6"]),
        ({"incident_types": frozenset({"killing"})}, ["T-1", "T-5"]),
        ({"victim_groups": frozenset({"displaced"})}, ["T-3", "T-8"]),
        ({"victim_groups": frozenset({"children"})}, ["T-3"]),
        ({"victim_groups": frozenset({"women", "elderly"})}, ["T-1", "T-5", "T-7"]),
        ({"victim_groups": frozenset({"disabled"})}, []),
        ({"field_offices": frozenset({"FO E"})}, ["T-4", "T-5", "T-6", "T-7"]),
        ({"admin1": frozenset({"West "})}, ["T-1", "T-2", "T-3", "T-8"]),
        ({"admin2": frozenset({"Area "})}, ALL),
        ({"admin2": frozenset({"Nowhere"})}, []),
    ],
)
def test_each_filter_alone(data, selection, expected):
    assert ids(data, **selection) == expected


def test_end_date_includes_incidents_later_that_day(data):
    frame = data.incidents.copy()
    frame.loc[3, "date"] = pd.Timestamp("2024-03-02 17:45")
    kept = filter_incidents(frame, IncidentFilter(end=dt.date(2024, 3, 2)))
    assert kept["incident_id"].tolist() == ["T-1", "T-2", "T-3", "T-4"]


def test_filters_combine_with_and(data):
    assert ids(
        data,
        motivations=frozenset({"revenge", "collateral"}),
        incident_types=frozenset({"killing"}),
    ) == ["T-1", "T-5"]
    assert ids(
        data,
        start=dt.date(2024, 2, 1),
        motivations=frozenset({"revenge", "collateral"}),
        incident_types=frozenset({"killing"}),
    ) == ["T-5"]
    assert ids(
        data,
        victim_groups=frozenset({"women"}),
        field_offices=frozenset({"FO W"}),
    ) == ["T-1"]
    assert (
        ids(
            data,
            perpetrator_types=frozenset({"state_forces"}),
            admin1=frozenset({"West "}),
        )
        == []
    )


def test_filter_keeps_rows_and_columns(data):
    kept = filter_incidents(data.incidents, IncidentFilter(motivations=frozenset({"revenge"})))
    assert list(kept.index) == [0, 1]
    assert list(kept.columns) == list(data.incidents.columns)
    assert kept.crs == data.incidents.crs


def test_missing_values_never_match_a_filter(data):
    frame = data.incidents.copy()
    frame.loc[0, "admin1"] = None
    frame.loc[0, "field_office"] = None
    assert filter_incidents(frame, IncidentFilter(admin1=frozenset({"West "})))[
        "incident_id"
    ].tolist() == ["T-2", "T-3", "T-8"]
    assert filter_incidents(frame, IncidentFilter(field_offices=frozenset({"FO W"})))[
        "incident_id"
    ].tolist() == ["T-2", "T-3", "T-8"]


def test_filter_an_empty_frame(data):
    empty = data.incidents.iloc[0:0]
    selection = IncidentFilter(
        start=dt.date(2024, 1, 1),
        motivations=frozenset({"revenge"}),
        victim_groups=frozenset({"women"}),
    )
    assert len(filter_incidents(empty, selection)) == 0


def test_filter_by_office(data):
    assert filter_by_office(data.local_agreements, ["FO E"])["agreement_id"].tolist() == [
        "A2",
        "A3",
    ]
    assert filter_by_office(data.local_agreements, ["FO W"])["agreement_id"].tolist() == ["A1"]
    assert filter_by_office(data.local_agreements, [])["agreement_id"].tolist() == [
        "A1",
        "A2",
        "A3",
    ]
    assert filter_by_office(data.local_agreements, iter(["FO W", "FO E"]))[
        "agreement_id"
    ].tolist() == ["A1", "A2", "A3"]
    assert filter_by_office(data.local_processes, frozenset({"FO E"}))["process_id"].tolist() == []
    assert filter_by_office(data.local_processes, {"FO W"})["process_id"].tolist() == ["P1"]


def test_months():
    assert months(dt.date(2024, 1, 15), dt.date(2024, 3, 2)) == [
        pd.Period("2024-01", "M"),
        pd.Period("2024-02", "M"),
        pd.Period("2024-03", "M"),
    ]
    assert months(dt.date(2024, 3, 2), dt.date(2024, 3, 2)) == [pd.Period("2024-03", "M")]
    assert months(dt.date(2023, 12, 31), dt.date(2024, 1, 1)) == [
        pd.Period("2023-12", "M"),
        pd.Period("2024-01", "M"),
    ]
    assert len(months(dt.date(2020, 1, 1), dt.date(2024, 12, 31))) == 60


def test_months_end_before_start_raises():
    with pytest.raises(ValueError, match=r"`end` \(2024-01-14\) is before `start` \(2024-01-15\)"):
        months(dt.date(2024, 1, 15), dt.date(2024, 1, 14))


@pytest.mark.parametrize(
    ("month", "bounds"),
    [
        ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("2023-02", (dt.date(2023, 2, 1), dt.date(2023, 2, 28))),
        ("2024-04", (dt.date(2024, 4, 1), dt.date(2024, 4, 30))),
        ("2024-12", (dt.date(2024, 12, 1), dt.date(2024, 12, 31))),
    ],
)
def test_month_bounds(month, bounds):
    assert month_bounds(pd.Period(month, "M")) == bounds


def test_month_bounds_select_the_month(data):
    start, end = month_bounds(pd.Period("2024-03", "M"))
    assert ids(data, start=start, end=end) == ["T-4", "T-5"]


def test_summarise_everything(data):
    summary = summarise(data.incidents, total=8)
    assert summary == SelectionSummary(
        incidents=8,
        total_incidents=8,
        fatalities=5,
        by_motivation={
            "predation": 1,
            "extraction": 1,
            "revenge": 2,
            "collateral": 1,
            "political": 1,
            "punitive": 1,
            "unknown": 1,
        },
    )
    assert list(summary.by_motivation) == list(MOTIVATIONS)


def test_summarise_a_selection(data):
    selected = filter_incidents(data.incidents, IncidentFilter(motivations=frozenset({"revenge"})))
    summary = summarise(selected, total=len(data.incidents))
    assert (summary.incidents, summary.total_incidents, summary.fatalities) == (2, 8, 2)
    assert summary.by_motivation == {m: 2 if m == "revenge" else 0 for m in MOTIVATIONS}
    assert list(summary.by_motivation) == list(MOTIVATIONS)


def test_summarise_nothing(data):
    summary = summarise(data.incidents.iloc[0:0], total=8)
    assert (summary.incidents, summary.total_incidents, summary.fatalities) == (0, 8, 0)
    assert summary.by_motivation == dict.fromkeys(MOTIVATIONS, 0)
    assert isinstance(summary.fatalities, int)
