"""State-forces friction: Zamoro is flagged, and only the planted operation besides it."""

from __future__ import annotations

import pytest

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
