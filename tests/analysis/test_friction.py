"""State-forces friction: Zamoro is flagged, and only the planted operation besides it."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from analysis.friction import COLUMNS, state_forces_friction
from schema.mission import load_sample


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_over_the_whole_period_only_zamoro_is_flagged(sample):
    table = state_forces_friction(sample.incidents, period=None).table
    flagged = table[table["flag"]]
    assert flagged["area"].tolist() == ["Zamoro"]
    assert flagged["share"].iloc[0] == pytest.approx(0.61, abs=0.02)
    # README: every other admin1 is 6 % to 20 %.
    others = table[table["area"] != "Zamoro"]
    assert others["share"].between(0.05, 0.21).all()


def test_by_quarter_zamoro_and_the_operation_in_tassanga(sample):
    table = state_forces_friction(sample.incidents, period="Q").table
    flagged = table[table["flag"]]
    # Zamoro's state forces stand out all along; Tassanga only in the quarters of Operation
    # Harmattan Shield (2 September to 20 November 2024), a planted military operation whose
    # collateral harm is largely by state forces.
    others = flagged[flagged["area"] != "Zamoro"]
    assert set(others["area"]) == {"Tassanga"}
    assert set(others["period"]) == {"2024Q3", "2024Q4"}
    assert flagged["area"].eq("Zamoro").sum() >= 10
    assert all("collateral" in mix.split(",")[0] for mix in others["state_forces_by_motivation"])


def test_the_table_and_caption(sample):
    friction = state_forces_friction(sample.incidents, by="admin2", period="Y")
    assert list(friction.table.columns) == COLUMNS
    assert "admin2 and year" in friction.caption
    assert friction.table["flag"].iloc[0] or not friction.table["flag"].any()


def test_edge_cases(sample):
    assert len(state_forces_friction(sample.incidents.iloc[:0]).table) == 0
    none = sample.incidents[sample.incidents["perpetrator_type"] != "state_forces"]
    assert not state_forces_friction(none).table["flag"].any()
    one_area = sample.incidents[sample.incidents["admin1"] == "Zamoro"]
    alone = state_forces_friction(one_area, period=None)
    assert len(alone.table) == 1 and not alone.table["flag"].any()
    assert "nothing to compare it with" in alone.caption
    missing = sample.incidents.assign(admin1=None)
    table = state_forces_friction(missing, period=None).table
    assert table["area"].tolist() == ["(no area given)"]
    with pytest.raises(ValueError, match="no column 'district'"):
        state_forces_friction(sample.incidents, by="district")


def test_allied_forces_count_beside_state_forces_and_the_un_mission_apart():
    """A hand-made selection with known answers: in Ouaka, 2 incidents by state forces and
    6 by forces allied to the state (Wagner, Rwandan forces) of 12; the UN mission's 2 are
    counted apart; elsewhere 1 by state forces in 20."""
    rows = (
        [("Ouaka", "state_forces", "punitive")] * 2
        + [("Ouaka", "allied_forces", "punitive")] * 5
        + [("Ouaka", "allied_forces", "collateral")]
        + [("Ouaka", "un_mission", "collateral")] * 2
        + [("Ouaka", "non_state_armed_group", "predation")] * 2
        + [("Nana-Mambere", "state_forces", "extraction")]
        + [("Nana-Mambere", "non_state_armed_group", "predation")] * 19
    )
    incidents = pd.DataFrame(rows, columns=["admin1", "perpetrator_type", "motivation"])
    incidents["date"] = pd.Timestamp("2022-03-01")
    table = state_forces_friction(incidents, period=None, min_incidents=10).table.set_index("area")
    ouaka = table.loc["Ouaka"]
    assert ouaka["incidents"] == 12
    assert ouaka["state_and_allied_incidents"] == 8
    assert ouaka["state_forces_incidents"] == 2
    assert ouaka["allied_forces_incidents"] == 6
    assert ouaka["un_mission_incidents"] == 2
    assert ouaka["share"] == pytest.approx(8 / 12)
    assert ouaka["share_elsewhere"] == pytest.approx(1 / 20)
    assert ouaka["state_and_allied_by_motivation"] == "punitive 7, collateral 1"
    assert ouaka["state_forces_by_motivation"] == "punitive 2"
    # 8 of 12 against 1 in 20 elsewhere: P(X >= 8 | n=12, p=0.05), tiny, so flagged; state
    # forces alone (2 of 12) would be no more than a third of perpetrators.
    assert ouaka["p"] == pytest.approx(stats.binomtest(8, 12, 0.05, alternative="greater").pvalue)
    assert ouaka["flag"]
    assert not table.loc["Nana-Mambere", "flag"]
    assert table.loc["Nana-Mambere", "share"] == pytest.approx(1 / 20)
    assert table.loc["Nana-Mambere", "un_mission_incidents"] == 0
