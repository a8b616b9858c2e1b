"""Motivation profiles: what drives each place, how sure the coding is, which levers."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.drivers import COLUMNS, LEVERS, motivation_profile, profile_by_admin
from schema.incidents import MOTIVATIONS
from schema.mission import load_sample
from tests.analysis.planted import PLANTED
from tests.tiny_mission import tiny_mission


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _group(incidents, ids) -> pd.Series:
    return pd.Series(
        ["planted" if i in ids else None for i in incidents["incident_id"]], index=incidents.index
    )


def test_zamoro_is_driven_by_state_forces(sample):
    table = profile_by_admin(sample.incidents).set_index("group")
    assert table.loc["Zamoro", "top_perpetrator"] == "state_forces"
    assert table.loc["Zamoro", "perpetrator_state_forces"] == pytest.approx(0.61, abs=0.02)
    assert table.loc["Bessiri", "dominant_motivation"] == "revenge"
    assert table["incidents"].sum() == len(sample.incidents)


def test_the_checkpoints_are_extraction_with_the_revenue_lever(sample):
    ids = set(PLANTED["extraction_checkpoints"]["incident_ids"])
    row = motivation_profile(sample.incidents, _group(sample.incidents, ids)).iloc[0]
    assert row["incidents"] == len(ids)
    assert row["dominant_motivation"] == "extraction" and row["dominant_share"] == 1.0
    assert row["levers"] == LEVERS["extraction"]


def test_the_protection_gap_is_predation_and_punitive_violence(sample):
    ids = set(PLANTED["protection_gap"]["incident_ids"])
    row = motivation_profile(sample.incidents, _group(sample.incidents, ids)).iloc[0]
    assert row["dominant_motivation"] in {"predation", "punitive"}
    assert row["share_predation"] + row["share_punitive"] > 0.6
    # The second motivation is big enough to get its lever too.
    assert LEVERS["predation"] in row["levers"] and LEVERS["punitive"] in row["levers"]
    assert row["top_perpetrator"] == "non_state_armed_group"


def test_hand_checked_numbers_on_the_tiny_mission():
    incidents = tiny_mission().incidents
    table = profile_by_admin(incidents).set_index("group")
    west = table.loc["West "]  # T-1, T-2 revenge; T-3 predation; T-8 unknown
    assert west["incidents"] == 4
    assert west["share_revenge"] == 0.5 and west["share_unknown"] == 0.25
    assert west["dominant_motivation"] == "revenge"
    assert west["dominant_share"] == pytest.approx(2 / 3)
    assert west["victims_women"] == 1 and west["victims_displaced"] == 2
    assert west["fatalities"] == 2


def test_all_unknown_as_after_an_acled_import(sample):
    unknown = sample.incidents.assign(motivation="unknown", motivation_confidence=None)
    table = profile_by_admin(unknown)
    assert (table["dominant_motivation"] == "unknown").all()
    assert (table["coding_certainty"] == "not yet assessed").all()
    assert (table["levers"] == LEVERS["unknown"]).all()
    assert (table["share_unknown"] == 1).all()


def test_empty_input_and_bad_level(sample):
    table = profile_by_admin(sample.incidents.iloc[:0])
    assert len(table) == 0 and list(table.columns) == COLUMNS
    with pytest.raises(ValueError, match="level 'admin3'"):
        profile_by_admin(sample.incidents, "admin3")


def test_levers_are_suggestions_never_orders():
    assert set(LEVERS) == set(MOTIVATIONS)
    for text in LEVERS.values():
        assert text.startswith("Consider ")
