"""Say how sure: shares with their 95 % interval in words, cautions and what captions cannot say.

Hand-made selections with known answers: the intervals equal scipy's Wilson interval and
Wilson's closed formula, the "coding mostly unknown" note appears exactly when more than half
of the incidents are not yet assessed, and the caution exactly under 10 incidents.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

from analysis.drivers import drivers_caption, motivation_profile, profile_by_admin
from analysis.friction import state_forces_friction
from analysis.joint import analyse
from analysis.share_words import percent, share_interval, share_words
from schema.mission import load_sample

DASH = "\u2013"
TIMES = "\u00d7"


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson's score interval from its closed formula, independently of scipy."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(8, 12), (0, 5), (5, 5), (42, 100), (1, 3), (300, 700)])
def test_the_interval_is_wilsons(k, n):
    low, high = share_interval(k, n)
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert (low, high) == (pytest.approx(ci.low, abs=1e-12), pytest.approx(ci.high, abs=1e-12))
    w_low, w_high = _wilson(k, n)
    assert low == pytest.approx(max(0.0, w_low), abs=1e-9)
    assert high == pytest.approx(min(1.0, w_high), abs=1e-9)
    assert 0 <= low <= k / n <= high <= 1


def test_share_words_by_hand():
    # 8 of 12: 66.7 %, Wilson 39.1 %-86.2 %.
    assert share_words(8, 12) == f"67 % (95 % interval 39{DASH}86 %)"
    assert share_words(0, 5) == f"0 % (95 % interval 0{DASH}43 %)"
    assert share_words(0, 0) == "no incidents"
    assert math.isnan(share_interval(0, 0)[0])
    assert percent(0.004) == "0.4 %" and percent(0.997) == "99.7 %" and percent(1.0) == "100 %"


def _friction_selection() -> pd.DataFrame:
    """Ouaka: 8 of 12 incidents by state and allied forces; Nana-Mambere: 4 of 20; Lobaye: 1
    of 6, with 4 of its 6 by unidentified perpetrators."""
    rows = (
        [("Ouaka", "state_forces")] * 3
        + [("Ouaka", "allied_forces")] * 5
        + [("Ouaka", "non_state_armed_group")] * 4
        + [("Nana-Mambere", "state_forces")] * 4
        + [("Nana-Mambere", "non_state_armed_group")] * 16
        + [("Lobaye", "state_forces")]
        + [("Lobaye", "unidentified")] * 4
        + [("Lobaye", "criminal")]
    )
    incidents = pd.DataFrame(rows, columns=["admin1", "perpetrator_type"])
    incidents["motivation"] = "unknown"
    incidents["date"] = pd.Timestamp("2022-03-01")
    return incidents


def test_friction_rows_say_their_share_interval_and_multiple():
    friction = state_forces_friction(_friction_selection(), period=None)
    table = friction.table.set_index("area")
    ouaka = table.loc["Ouaka"]
    ci = stats.binomtest(8, 12).proportion_ci(method="wilson")
    assert ouaka["share_low"] == pytest.approx(ci.low) and ouaka["share_high"] == pytest.approx(
        ci.high
    )
    # Elsewhere: 5 of 26 (Nana-Mambere 4 of 20, Lobaye 1 of 6); 8/12 over 5/26 = 3.47.
    assert ouaka["share_elsewhere"] == pytest.approx(5 / 26)
    assert ouaka["effect"] == (
        f"state and allied forces 67 % of perpetrators here (95 % interval 39{DASH}86 %), "
        f"about 3.5{TIMES} their share elsewhere (19 %)"
    )
    assert ouaka["caution"] == ""
    nana = table.loc["Nana-Mambere"]
    # 4 of 20 against 9 of 18: 0.4 times, said as such, never as "quieter" or a verdict.
    assert nana["effect"].endswith(f"about 0.4{TIMES} their share elsewhere (50 %)")
    assert nana["caution"] == ""
    lobaye = table.loc["Lobaye"]
    assert lobaye["incidents"] == 6 and lobaye["unidentified_incidents"] == 4
    assert lobaye["caution"].startswith("few incidents (6): the interval is wide")
    assert "perpetrators mostly unidentified: 4 of 6 incidents (67 %)" in lobaye["caution"]
    assert "What it cannot say: a share is not a rate" in friction.caption
    assert "1 of 3 rows rest on fewer than 10 incidents" in friction.caption
    # 4 unidentified of 38: not "mostly" for the selection.
    assert "mostly unidentified" not in friction.caption


def test_friction_caution_exactly_under_ten_and_the_captions_unidentified_note():
    rows = [("A", "state_forces")] * 9 + [("B", "unidentified")] * 10 + [("B", "criminal")] * 2
    incidents = pd.DataFrame(rows, columns=["admin1", "perpetrator_type"])
    incidents["motivation"] = "unknown"
    incidents["date"] = pd.Timestamp("2022-03-01")
    friction = state_forces_friction(incidents, period=None)
    table = friction.table.set_index("area")
    assert table.loc["A", "caution"].startswith("few incidents (9)")
    assert table.loc["A", "effect"].endswith("; none elsewhere")
    assert "few incidents" not in table.loc["B", "caution"]
    assert "mostly unidentified: 10 of 12" in table.loc["B", "caution"]
    assert "mostly unidentified" not in friction.caption  # 10 of 21: not more than half
    more = pd.concat([incidents, incidents.iloc[9:19]], ignore_index=True)  # 20 of 31
    caption = state_forces_friction(more, period=None).caption
    assert f"perpetrators mostly unidentified: 20 of 31 incidents ({percent(20 / 31)})" in caption
    assert "lower bounds" in caption
    alone = state_forces_friction(incidents[incidents["admin1"] == "A"], period=None)
    assert alone.table["effect"].iloc[0].endswith("nothing elsewhere to compare with")


def _drivers_selection(assessed: int, unknown: int) -> pd.DataFrame:
    """One place: ``assessed`` incidents, 60 % of them predation (rounded down) and the rest
    revenge, and ``unknown`` not yet assessed."""
    predation = assessed * 6 // 10
    motivations = (
        ["predation"] * predation + ["revenge"] * (assessed - predation) + ["unknown"] * unknown
    )
    return pd.DataFrame(
        {
            "motivation": motivations,
            "motivation_confidence": ["probable"] * assessed + [None] * unknown,
            "fatalities": 1.0,
            "perpetrator_type": "non_state_armed_group",
            "victim_groups": "",
            "admin1": "Ouaka",
        }
    )


def test_drivers_dominant_share_with_its_interval_by_hand():
    row = profile_by_admin(_drivers_selection(20, 5)).iloc[0]
    ci = stats.binomtest(12, 20).proportion_ci(method="wilson")
    assert row["assessed"] == 20 and row["dominant_share"] == pytest.approx(0.6)
    assert (row["dominant_low"], row["dominant_high"]) == (
        pytest.approx(ci.low),
        pytest.approx(ci.high),
    )
    assert row["effect"] == f"predation 60 % of the assessed incidents (95 % interval 39{DASH}78 %)"
    assert row["caution"] == ""


@pytest.mark.parametrize(
    ("assessed", "unknown", "mostly"),
    [(10, 10, False), (10, 11, True), (2, 18, True), (20, 0, False), (0, 12, True)],
)
def test_coding_mostly_unknown_exactly_when_more_than_half_are_unknown(assessed, unknown, mostly):
    table = profile_by_admin(_drivers_selection(assessed, unknown))
    note = f"coding mostly unknown: {percent(unknown / (assessed + unknown))} not yet assessed"
    assert (note in table["caution"].iloc[0]) is mostly
    caption = drivers_caption(table, "admin1 area")
    assert (note in caption) is mostly
    assert "What it cannot say:" in caption
    if assessed == 0:
        assert table["effect"].iloc[0].startswith("no incident assessed yet")
        assert math.isnan(table["dominant_low"].iloc[0])
    if assessed == 2:  # 20 incidents, 2 assessed: the share's interval rests on 2
        assert "only 2 incidents assessed" in table["caution"].iloc[0]


@pytest.mark.parametrize(("n", "few"), [(9, True), (10, False)])
def test_drivers_caution_exactly_under_ten(n, few):
    table = profile_by_admin(_drivers_selection(n, 0))
    assert table["caution"].iloc[0].startswith(f"few incidents ({n})") is few
    caption = drivers_caption(table, "admin1 area")
    assert ("1 of 1 rows rest on fewer than 10 incidents" in caption) is few


def test_the_caption_names_rows_mostly_unknown_when_the_whole_is_not():
    two = pd.concat(
        [_drivers_selection(30, 0), _drivers_selection(3, 9).assign(admin1="Lobaye")],
        ignore_index=True,
    )
    table = motivation_profile(two, two["admin1"])
    caption = drivers_caption(table, "admin1 area")
    assert "coding mostly unknown in 1 of 2 rows (see caution)" in caption
    assert "not yet assessed (" not in caption
    assert drivers_caption(table.iloc[:0], "hot spot").endswith(
        "No hot spot to profile in this selection."
    )


def test_the_joint_tables_carry_the_words_and_their_captions():
    result = analyse(load_sample())
    tables = result.tables()
    for name in ("drivers_by_hot_spot", "drivers_by_admin1", "state_forces_friction"):
        table, caption = tables[name]
        assert {"effect", "caution"} <= set(table.columns), name
        assert table["effect"].str.contains("95 % interval").all(), name
        assert "What it cannot say:" in caption, name
    friction = tables["state_forces_friction"][0]
    zamoro = friction[friction["flag"] & (friction["area"] == "Zamoro")]
    assert zamoro["effect"].str.contains(f"{TIMES} their share elsewhere").all()
