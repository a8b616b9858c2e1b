"""Reports of one event across sources: hand-made frames with known answers, properties that
hold for any frame, and the scale (a million reports of one source cost no cross-source work)."""

from __future__ import annotations

import re
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.linking import Tolerances, candidate_links, groups, source_family
from ingest.linking import candidates as candidates_module

BAMBARI = (20.6744, 5.7617)  # lon, lat
KM_LON = 1 / (111.32 * np.cos(np.radians(BAMBARI[1])))  # degrees of longitude per km there
PRIORITY = ("office", "UCDP GED", "ACLED")


def report(
    incident_id: str,
    family: str,
    date: str,
    km_east: float = 0.0,
    *,
    incident_type: str = "killing",
    perpetrator_type: str = "non_state_armed_group",
    perpetrator_name: str | None = None,
    fatalities: float | None = 1,
    date_precision: str | None = None,
    location_precision: str = "exact",
    km_north: float = 0.0,
) -> dict:
    return {
        "incident_id": incident_id,
        "family": family,
        "date": pd.Timestamp(date),
        "date_precision": date_precision,
        "location_precision": location_precision,
        "longitude": BAMBARI[0] + km_east * KM_LON,
        "latitude": BAMBARI[1] + km_north / 111.2,
        "incident_type": incident_type,
        "perpetrator_type": perpetrator_type,
        "perpetrator_name": perpetrator_name,
        "fatalities": fatalities,
    }


def frame(*reports: dict) -> pd.DataFrame:
    return pd.DataFrame(list(reports))


def link_of(links: pd.DataFrame, a: str, b: str) -> pd.Series:
    found = links[(links["a"] == min(a, b)) & (links["b"] == max(a, b))]
    assert len(found) == 1, f"no single link {a}-{b} in\n{links}"
    return found.iloc[0]


def pairs(links: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(links["a"], links["b"], strict=True))


# --- source families ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "office", "family"),
    [
        ("ACLED: Radio Ndeke Luka; Corbeaunews", "Bangui", "ACLED"),
        ("ACLED", "Bangui", "ACLED"),
        ("  acled:  RFI", "Bangui", "ACLED"),
        ("UCDP GED: Agence France Presse", "Bangui", "UCDP GED"),
        ("UCDP GED", "Bangui", "UCDP GED"),
        ("ACLEDx", "Bambari", "office: Bambari"),
        ("HRD patrol report", "Bambari", "office: Bambari"),
        ("", "Kaga-Bandoro", "office: Kaga-Bandoro"),
        (None, "Kaga-Bandoro", "office: Kaga-Bandoro"),
    ],
)
def test_source_family(source, office, family) -> None:
    assert source_family(source, office) == family


def test_tolerances_refuse_impossible_settings_and_say_what_is_expected() -> None:
    with pytest.raises(ValueError, match=r"`possible` was 0.9 and `certain` 0.8: expected"):
        Tolerances(possible=0.9, certain=0.8)
    with pytest.raises(ValueError, match=r"`days` was -1 and `km` 25.0: expected days >= 0"):
        Tolerances(days=-1)
    with pytest.raises(ValueError, match=r"lacks \['fatalities'\]"):
        Tolerances(weights={"time": 1, "place": 1, "type": 1, "actor": 1})


def test_missing_columns_are_named() -> None:
    events = frame(report("A-1", "ACLED", "2021-03-01")).drop(columns=["fatalities", "family"])
    with pytest.raises(ValueError, match=re.escape("lack the column(s) family, fatalities")):
        candidate_links(events)


# --- links with known answers ---------------------------------------------------------------


def test_one_event_reported_by_both_sources_is_linked_without_asking() -> None:
    events = frame(
        report(
            "A-1", "ACLED", "2021-03-01", 0, perpetrator_name="UPC: Union for Peace", fatalities=5
        ),
        report("U-1", "UCDP GED", "2021-03-02", 8, perpetrator_name="UPC", fatalities=6),
    )
    links = candidate_links(events)
    assert pairs(links) == {("A-1", "U-1")}
    link = link_of(links, "A-1", "U-1")
    assert link["certain"] and not link["duplicate"]
    assert link["score"] >= Tolerances().certain
    assert link["days"] == 1 and link["km"] == pytest.approx(8.0, abs=0.05)
    assert link["reason"] == (
        "1 day and 8.0 km apart; both killings by UPC: Union for Peace (UPC); 5 and 6 dead"
    )


def test_beyond_the_windows_nothing_is_proposed() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01"),
        report("U-1", "UCDP GED", "2021-03-07"),  # 6 days
        report("U-2", "UCDP GED", "2021-03-01", 26),  # 26 km
    )
    assert candidate_links(events).empty
    wider = replace(Tolerances(), days=6, km=30)
    assert len(candidate_links(events, wider)) == 1  # both in the windows; one-to-one
    assert pairs(candidate_links(events.iloc[:2], wider)) == {("A-1", "U-1")}
    assert pairs(candidate_links(events.iloc[[0, 2]], wider)) == {("A-1", "U-2")}


def test_two_actors_the_same_day_in_one_town_are_two_events_not_duplicates() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01", 0, perpetrator_name="UPC"),
        report("A-2", "ACLED", "2021-03-01", 0.3, perpetrator_name="Anti-Balaka"),
        report("A-3", "ACLED", "2021-03-01", 0.5, perpetrator_type="state_forces"),
    )
    assert candidate_links(events).empty


def test_the_same_actor_twice_the_same_day_and_place_is_a_possible_duplicate_never_certain() -> (
    None
):
    events = frame(
        report("A-1", "ACLED", "2021-03-01", 0, perpetrator_name="UPC", fatalities=3),
        report("A-2", "ACLED", "2021-03-01", 0.4, perpetrator_name=" upc ", fatalities=3),
        # No name: the same type is the same actor as far as anyone can tell.
        report("A-3", "ACLED", "2021-03-01", 0.8, fatalities=None),
        report("A-4", "ACLED", "2021-03-01", 3.0, perpetrator_name="UPC"),  # 3 km away
        report("A-5", "ACLED", "2021-03-01", 0.2, incident_type="abduction"),  # another type
    )
    links = candidate_links(events)
    assert pairs(links) == {("A-1", "A-2"), ("A-1", "A-3"), ("A-2", "A-3")}
    assert links["duplicate"].all() and not links["certain"].any()
    assert (
        "possibly one report twice in ACLED: same day, type and perpetrator"
        in (link_of(links, "A-1", "A-2")["reason"])
    )


def test_a_month_precision_event_is_linked_only_when_it_is_the_only_candidate() -> None:
    month = {"date_precision": "month", "fatalities": 4}
    alone = frame(
        report("U-1", "UCDP GED", "2021-03-01", **month),
        report("A-1", "ACLED", "2021-03-17", 2, fatalities=4),
    )
    link = link_of(candidate_links(alone), "A-1", "U-1")
    assert link["certain"]
    assert "UCDP GED's date known only to the month" in link["reason"]

    crowded = frame(
        report("U-1", "UCDP GED", "2021-03-01", **month),
        report("A-1", "ACLED", "2021-03-17", 2, fatalities=4),
        report("A-2", "ACLED", "2021-03-25", 4, fatalities=4),
    )
    links = candidate_links(crowded)
    assert len(links) == 1  # still one-to-one
    assert not links["certain"].iloc[0]
    assert "known only roughly, and another report fits it too" in links["reason"].iloc[0]
    # Outside its month (and the few days' window) it is no candidate at all.
    april = frame(
        report("U-1", "UCDP GED", "2021-03-01", **month),
        report("A-1", "ACLED", "2021-04-06", 2, fatalities=4),
    )
    assert candidate_links(april).empty


def test_one_to_one_only_the_best_of_two_reports_near_one_is_linked() -> None:
    events = frame(
        report("U-1", "UCDP GED", "2021-03-02", 0, perpetrator_name="3R", fatalities=7),
        report("A-1", "ACLED", "2021-03-02", 2, perpetrator_name="3R: Return", fatalities=7),
        report("A-2", "ACLED", "2021-03-04", 15, fatalities=1, perpetrator_type="unidentified"),
    )
    links = candidate_links(events)
    assert pairs(links) == {("A-1", "U-1")}
    assert link_of(links, "A-1", "U-1")["certain"]


def test_near_equal_rivals_leave_the_best_link_to_an_analyst() -> None:
    events = frame(
        report("U-1", "UCDP GED", "2021-03-02", 0, fatalities=2),
        report("A-1", "ACLED", "2021-03-02", 2, fatalities=2),
        report("A-2", "ACLED", "2021-03-03", 0.5, fatalities=2),  # a day later, nearer
    )
    links = candidate_links(events)
    assert len(links) == 1 and not links["certain"].iloc[0]
    assert "another report fits almost as well" in links["reason"].iloc[0]


def test_contradicting_perpetrators_go_to_an_analyst() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01", 0, perpetrator_type="state_forces", fatalities=3),
        report("U-1", "UCDP GED", "2021-03-01", 1, perpetrator_name="CPC", fatalities=3),
    )
    link = link_of(candidate_links(events), "A-1", "U-1")
    assert not link["certain"] and link["score"] >= Tolerances().possible
    assert (
        "perpetrators who contradict: state forces and non-state armed group (CPC)"
        in (link["reason"])
    )
    assert "not certain" in link["reason"] or "below" in link["reason"]


def test_allied_forces_agree_with_the_state_and_unidentified_with_anyone_weakly() -> None:
    wagner = frame(
        report("A-1", "ACLED", "2021-03-01", 0, perpetrator_type="allied_forces", fatalities=2),
        report("U-1", "UCDP GED", "2021-03-01", 1, perpetrator_type="state_forces", fatalities=2),
    )
    allied = link_of(candidate_links(wagner), "A-1", "U-1")
    unknown = frame(
        report("A-1", "ACLED", "2021-03-01", 0, perpetrator_type="unidentified", fatalities=2),
        report("U-1", "UCDP GED", "2021-03-01", 1, perpetrator_type="state_forces", fatalities=2),
    )
    unidentified = link_of(candidate_links(unknown), "A-1", "U-1")
    assert "contradict" not in allied["reason"] and "contradict" not in unidentified["reason"]
    assert allied["score"] > unidentified["score"] >= Tolerances().possible


def test_a_country_level_place_is_compared_anywhere_but_never_certain() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01", 0, perpetrator_name="LRA", fatalities=9),
        report(
            "U-1", "UCDP GED", "2021-03-01", 400, perpetrator_name="LRA", fatalities=9,
            location_precision="country",
        ),
    )  # fmt: skip
    link = link_of(candidate_links(events), "A-1", "U-1")
    assert not link["certain"]
    assert "placed only to the country" in link["reason"]


def test_an_admin1_point_stands_for_its_region() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01", 0, fatalities=2),
        report("U-1", "UCDP GED", "2021-03-01", 120, fatalities=2, location_precision="admin1"),
    )
    link = link_of(candidate_links(events), "A-1", "U-1")
    assert "UCDP GED's place known only to the admin1" in link["reason"]
    exact = frame(
        report("A-1", "ACLED", "2021-03-01", 0, fatalities=2),
        report("U-1", "UCDP GED", "2021-03-01", 120, fatalities=2),
    )
    assert candidate_links(exact).empty


def test_reports_without_a_date_or_a_point_are_left_out() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01"),
        report("U-1", "UCDP GED", "2021-03-01", 1),
    )
    events.loc[1, "latitude"] = np.nan
    assert candidate_links(events).empty
    events.loc[1, "latitude"] = BAMBARI[1]
    events.loc[0, "date"] = pd.NaT
    assert candidate_links(events).empty


def test_dates_as_python_dates_and_no_precision_columns_are_read() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01"), report("U-1", "UCDP GED", "2021-03-01", 1)
    ).drop(columns=["date_precision", "location_precision", "perpetrator_name"])
    events["date"] = [d.date() for d in events["date"]]
    assert pairs(candidate_links(events)) == {("A-1", "U-1")}


# --- groups ---------------------------------------------------------------------------------


def three_sources() -> pd.DataFrame:
    events = frame(
        report("A-1", "ACLED", "2021-03-01", 0, fatalities=5, location_precision="admin2"),
        report("U-1", "UCDP GED", "2021-03-02", 3, fatalities=6),
        report("M-1", "office: Bambari", "2021-03-01", 1, fatalities=4),
        report("A-2", "ACLED", "2021-06-01", 0, fatalities=2),
        report("U-2", "UCDP GED", "2021-06-01", 1, fatalities=3),
        report("U-3", "UCDP GED", "2021-09-01", 1, fatalities=3),  # alone
    )
    events["fatalities_low"] = [None, 4, None, None, 1, None]
    events["fatalities_high"] = [None, 9, None, None, 3, None]
    return events


def test_groups_across_three_sources_count_the_preferred_report_once() -> None:
    events = three_sources()
    links = candidate_links(events)
    assert pairs(links) == {("A-1", "M-1"), ("A-1", "U-1"), ("M-1", "U-1"), ("A-2", "U-2")}
    grouped = groups(events, links[["a", "b"]], PRIORITY)
    assert sorted(grouped.index) == ["A-1", "A-2", "M-1", "U-1", "U-2"]  # not U-3
    assert grouped.loc[["A-1", "U-1", "M-1"], "event_group"].tolist() == ["M-1"] * 3
    assert grouped.loc[["A-2", "U-2"], "event_group"].tolist() == ["U-2"] * 2
    assert grouped["counted"].to_dict() == {
        "A-1": False, "U-1": False, "M-1": True, "A-2": False, "U-2": True,
    }  # fmt: skip
    # The least and most of the group's figures, each report's own low/high included.
    assert grouped.loc["M-1", ["fatalities_low", "fatalities_high"]].tolist() == [4, 9]
    assert grouped.loc["A-2", ["fatalities_low", "fatalities_high"]].tolist() == [1, 3]


def test_the_priority_decides_whose_report_is_counted() -> None:
    events = three_sources()
    links = candidate_links(events)
    grouped = groups(events, links, ("ACLED", "UCDP GED", "office"))
    assert grouped.loc["M-1", "event_group"] == "A-1"
    assert grouped[grouped["counted"]].index.tolist() == ["A-1", "A-2"]
    # Unlisted families come last; ties in family: fewer unknowns, then the smaller id.
    grouped = groups(events, links, ("UCDP GED",))
    assert grouped[grouped["counted"]].index.tolist() == ["U-1", "U-2"]


def test_ties_within_a_family_prefer_the_more_precise_report_then_the_smaller_id() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01", 0, location_precision="admin2"),
        report("A-2", "ACLED", "2021-03-01", 0.1),
        report("A-3", "ACLED", "2021-03-01", 0.2),
    )
    links = pd.DataFrame({"a": ["A-1", "A-2"], "b": ["A-2", "A-3"]})
    grouped = groups(events, links, PRIORITY)
    assert grouped["event_group"].unique().tolist() == ["A-2"]


def test_a_group_never_holds_two_reports_of_one_family_unless_their_own_link_says_so() -> None:
    events = frame(
        report("A-1", "ACLED", "2021-03-01", 0),
        report("U-1", "UCDP GED", "2021-03-01", 1),
        report("M-1", "office: Bambari", "2021-03-02", 2),
        report("A-2", "ACLED", "2021-03-02", 3),
    )
    # A1-U1-M1-A2: two ACLED reports joined by other sources' links.
    links = pd.DataFrame(
        {"a": ["A-1", "M-1", "A-2"], "b": ["U-1", "U-1", "M-1"], "score": [0.9, 0.8, 0.95]}
    )
    grouped = groups(events, links, PRIORITY)
    by_group = grouped.groupby("event_group").groups
    assert sorted(sorted(v) for v in by_group.values()) == [["A-1", "U-1"], ["A-2", "M-1"]]
    # With a link between the two ACLED reports, one event of all four.
    linked = pd.concat([links, pd.DataFrame({"a": ["A-1"], "b": ["A-2"], "score": [0.5]})])
    grouped = groups(events, linked, PRIORITY)
    assert grouped["event_group"].unique().tolist() == ["M-1"] and len(grouped) == 4


def test_links_to_reports_no_longer_shown_are_left_out() -> None:
    events = three_sources()
    links = pd.DataFrame({"a": ["A-1", "A-9"], "b": ["U-1", "U-1"]})
    grouped = groups(events, links, PRIORITY)
    assert sorted(grouped.index) == ["A-1", "U-1"]
    assert groups(events, links.iloc[:0], PRIORITY).empty


# --- properties -----------------------------------------------------------------------------

FAMILIES = ("ACLED", "UCDP GED", "office: Bambari")
REPORT = st.tuples(
    st.sampled_from(FAMILIES),
    st.integers(0, 6),  # day
    st.floats(0, 40),  # km east
    st.sampled_from(["killing", "injury", "abduction"]),
    st.sampled_from(["state_forces", "non_state_armed_group", "unidentified", "allied_forces"]),
    st.sampled_from([None, "UPC", "3R", "FACA"]),
    st.sampled_from([None, 0, 1, 2, 5]),
    st.sampled_from([None, "day", "week", "month"]),
    st.sampled_from(["exact", "approximate", "admin2", "admin1", "country"]),
)


def _random_events(rows: list[tuple]) -> pd.DataFrame:
    return frame(
        *(
            report(
                f"R-{n:02d}", fam, f"2021-03-{1 + day:02d}", km, incident_type=kind,
                perpetrator_type=ptype, perpetrator_name=name, fatalities=dead,
                date_precision=dprec, location_precision=lprec,
            )
            for n, (fam, day, km, kind, ptype, name, dead, dprec, lprec) in enumerate(rows)
        )
    )  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(REPORT, min_size=1, max_size=30))
def test_links_and_groups_keep_their_promises(rows) -> None:
    events = _random_events(rows)
    tol = Tolerances()
    links = candidate_links(events, tol)
    family = dict(zip(events["incident_id"], events["family"], strict=True))
    assert (links["a"] < links["b"]).all()
    assert not links.duplicated(["a", "b"]).any()
    assert links["score"].between(0, 1).all()
    assert (links.loc[links["certain"], "score"] >= tol.certain).all()
    same = np.array([family[a] == family[b] for a, b in zip(links["a"], links["b"], strict=True)])
    assert (same == links["duplicate"].to_numpy()).all()
    assert not links.loc[links["duplicate"], "certain"].any()
    across = links[~links["duplicate"]]
    assert (across["score"] >= tol.possible).all()
    # One-to-one per pair of families: a report has at most one link to each other family.
    ends = pd.concat(
        [
            pd.DataFrame({"me": across["a"], "other": across["b"].map(family)}),
            pd.DataFrame({"me": across["b"], "other": across["a"].map(family)}),
        ]
    )
    assert not ends.duplicated().any()
    grouped = groups(events, links, PRIORITY)
    for _, members in grouped.groupby("event_group"):
        assert members["counted"].sum() == 1
        assert members.loc[members["counted"]].index[0] == members["event_group"].iloc[0]
        own = set(members.index)
        fams = [family[m] for m in own]
        for f in set(fams):
            of_f = [m for m in own if family[m] == f]
            if len(of_f) > 1:  # only when their own family's links join them
                inner = links[links["a"].isin(of_f) & links["b"].isin(of_f)]
                assert len(inner) >= len(of_f) - 1
    assert (grouped["fatalities_low"].fillna(0) <= grouped["fatalities_high"].fillna(0)).all()


def test_the_order_of_the_rows_changes_nothing() -> None:
    rng = np.random.default_rng(7)
    events = _synthetic(rng, {"ACLED": 400, "UCDP GED": 200, "office: Bambari": 100})
    links = candidate_links(events)
    shuffled = candidate_links(events.sample(frac=1, random_state=3).reset_index(drop=True))
    pd.testing.assert_frame_equal(links, shuffled)
    assert len(links) > 20


# --- scale ----------------------------------------------------------------------------------


def _synthetic(rng: np.random.Generator, sizes: dict[str, int]) -> pd.DataFrame:
    """Reports clustered around 300 towns of a country the size of CAR over two years."""
    towns = np.column_stack([rng.uniform(14.5, 27.5, 300), rng.uniform(2.2, 11, 300)])
    parts = []
    for family, n in sizes.items():
        at = rng.integers(0, len(towns), n)
        parts.append(
            pd.DataFrame(
                {
                    "incident_id": [f"{family[:4]}-{k}" for k in range(n)],
                    "family": family,
                    "date": pd.Timestamp("2021-01-01")
                    + pd.to_timedelta(rng.integers(0, 730, n), "D"),
                    "date_precision": rng.choice(["day", "day", "day", "week", "month"], n),
                    "location_precision": rng.choice(
                        ["exact", "approximate", "admin2", "admin1"], n, p=[0.5, 0.3, 0.15, 0.05]
                    ),
                    "longitude": towns[at, 0] + rng.normal(0, 0.05, n),
                    "latitude": towns[at, 1] + rng.normal(0, 0.05, n),
                    "incident_type": rng.choice(["killing", "injury", "abduction"], n),
                    "perpetrator_type": rng.choice(
                        ["state_forces", "non_state_armed_group", "unidentified"], n
                    ),
                    "perpetrator_name": rng.choice(["UPC", "3R", "FACA", "MPC", None], n),
                    "fatalities": rng.integers(0, 10, n),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def test_a_million_reports_of_one_source_do_no_cross_source_work(monkeypatch) -> None:
    calls = []
    real = candidates_module._in_windows
    monkeypatch.setattr(
        candidates_module, "_in_windows", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    events = _synthetic(np.random.default_rng(4), {"ACLED": 1_000_000})
    started = time.perf_counter()
    links = candidate_links(events)
    elapsed = time.perf_counter() - started
    assert calls == []  # no pair of sources: no window search at all
    assert links["duplicate"].all() and not links["certain"].any()
    assert elapsed < 60  # a generous ceiling on a shared machine, not a performance claim


def test_twenty_thousand_acled_and_ten_thousand_ucdp_reports() -> None:
    events = _synthetic(np.random.default_rng(5), {"ACLED": 20_000, "UCDP GED": 10_000})
    started = time.perf_counter()
    links = candidate_links(events)
    elapsed = time.perf_counter() - started
    across = links[~links["duplicate"]]
    assert len(across) > 1000 and across["certain"].any() and (~across["certain"]).any()
    assert elapsed < 60  # a generous ceiling, not a performance claim


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(FAMILIES), min_size=2, max_size=12),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.floats(0, 1)), max_size=30),
)
def test_groups_of_any_links_never_join_one_family_twice_without_its_own_link(fams, raw) -> None:
    events = frame(*(report(f"R-{n:02d}", f, "2021-03-01", n) for n, f in enumerate(fams)))
    n = len(fams)
    links = pd.DataFrame(
        [(f"R-{a % n:02d}", f"R-{b % n:02d}", s) for a, b, s in raw if a % n != b % n],
        columns=["a", "b", "score"],
    )
    grouped = groups(events, links, PRIORITY)
    family = dict(zip(events["incident_id"], events["family"], strict=True))
    own = links[[family[a] == family[b] for a, b in zip(links["a"], links["b"], strict=True)]]
    for _, members in grouped.groupby("event_group"):
        assert members["counted"].sum() == 1 and len(members) >= 2
        for f in {family[m] for m in members.index}:
            of_f = [m for m in members.index if family[m] == f]
            # Reports of one family in a group are joined by that family's own links.
            inner = own[own["a"].isin(of_f) & own["b"].isin(of_f)]
            reached, frontier = {of_f[0]}, [of_f[0]]
            while frontier:
                x = frontier.pop()
                for a, b in zip(inner["a"], inner["b"], strict=True):
                    for p, q in ((a, b), (b, a)):
                        if p == x and q not in reached:
                            reached.add(q)
                            frontier.append(q)
            assert set(of_f) <= reached
    # A link is left out only when the two groups it would join share a family.
    group_of = grouped["event_group"].to_dict()
    members: dict[str, set[str]] = {}
    for report_id, group in group_of.items():
        members.setdefault(group, set()).add(report_id)
    for a, b in zip(links["a"], links["b"], strict=True):
        side_a = members.get(group_of.get(a, a), {a})
        side_b = members.get(group_of.get(b, b), {b})
        if side_a is not side_b:
            assert {family[m] for m in side_a} & {family[m] for m in side_b}


def test_repeated_ids_are_refused_by_name() -> None:
    events = three_sources()
    events.loc[1, "incident_id"] = "A-1"
    with pytest.raises(ValueError, match=r"incident_id repeats in the events: \['A-1'\]"):
        groups(events, pd.DataFrame({"a": ["A-1"], "b": ["M-1"]}), PRIORITY)


def test_an_office_listed_by_name_comes_before_the_other_offices() -> None:
    events = frame(
        report("M-1", "office: Bambari", "2021-03-01", 0),
        report("K-1", "office: Kaga-Bandoro", "2021-03-01", 1),
        report("U-1", "UCDP GED", "2021-03-01", 2),
    )
    links = pd.DataFrame({"a": ["K-1", "M-1"], "b": ["U-1", "U-1"], "score": [0.9, 0.8]})
    # Two offices are two families: one group of three; between offices, the smaller id.
    grouped = groups(events, links, ("office", "UCDP GED"))
    assert grouped["event_group"].to_dict() == {"K-1": "K-1", "M-1": "K-1", "U-1": "K-1"}
    grouped = groups(events, links, ("office: Bambari", "office", "UCDP GED"))
    assert set(grouped["event_group"]) == {"M-1"}
    grouped = groups(events, links, ("UCDP GED", "office"))
    assert set(grouped["event_group"]) == {"U-1"}
