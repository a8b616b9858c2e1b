"""Perpetrator friction: where and when state forces are a large share of perpetrators.

Where the host state's own forces harm civilians, the mission's accountability work meets
the host state's consent to its presence. Forces fighting beside the state (bilateral
forces, private military companies: ``allied_forces``) are counted with it, as "state and
allied forces", each also shown on its own; the UN mission's own incidents are counted
apart. For each area (and period), the share of incidents by state and allied forces is
tested against their share everywhere else in the selection with a one-sided exact
binomial test, Benjamini-Hochberg corrected across rows; a row is flagged when the share
is significantly higher, at least ``min_share``, over at least ``min_incidents`` incidents.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy import stats

from analysis.rates import fdr_adjust

STATE = "state_forces"
ALLIED = "allied_forces"
UN_MISSION = "un_mission"
STATE_AND_ALLIED = (STATE, ALLIED)
"""The perpetrator types whose share is tested: the state's forces and those beside it."""
COLUMNS = [
    "area",
    "period",
    "incidents",
    "state_and_allied_incidents",
    "state_forces_incidents",
    "allied_forces_incidents",
    "un_mission_incidents",
    "share",
    "share_elsewhere",
    "p",
    "p_adjusted",
    "flag",
    "state_and_allied_by_motivation",
    "state_forces_by_motivation",
]
"""``share`` is state and allied forces' share of the area's incidents (every perpetrator,
the UN mission's included, in the denominator)."""


@dataclass(frozen=True)
class Friction:
    """One row per area (and period), flagged rows first."""

    table: pd.DataFrame
    caption: str


def state_forces_friction(
    incidents: pd.DataFrame,
    *,
    by: str = "admin1",
    period: str | None = "Q",
    min_share: float = 0.33,
    min_incidents: int = 10,
    alpha: float = 0.05,
) -> Friction:
    """State and allied forces' share of perpetrators per ``by`` area and ``period``
    (None: the whole selection)."""
    if by not in incidents:
        raise ValueError(f"no column {by!r} to group incidents by")
    perpetrator = incidents["perpetrator_type"]
    state = perpetrator.isin(STATE_AND_ALLIED).to_numpy(dtype=bool)
    area = incidents[by].fillna("(no area given)").astype(str).to_numpy()
    when = (
        pd.to_datetime(incidents["date"]).dt.to_period(period).astype(str).to_numpy()
        if period
        else ["whole selection"] * len(incidents)
    )
    frame = pd.DataFrame({"area": area, "period": when, "state": state})
    frame["perpetrator"] = perpetrator.to_numpy(dtype=object)
    frame["motivation"] = incidents["motivation"].fillna("unknown").to_numpy()
    total, total_state = len(frame), int(state.sum())
    rows = []
    for (name, slot), group in frame.groupby(["area", "period"], sort=True):
        n, k = len(group), int(group["state"].sum())
        rest_n, rest_k = total - n, total_state - k
        elsewhere = rest_k / rest_n if rest_n else float("nan")
        if rest_n and 0 < elsewhere < 1:
            p = stats.binomtest(k, n, elsewhere, alternative="greater").pvalue
        elif rest_n:  # state forces everywhere else in none or all incidents: no test
            p = 0.0 if (elsewhere == 0 and k > 0) else 1.0
        else:
            p = float("nan")  # one area only: nothing to compare with
        kinds = group["perpetrator"]
        rows.append(
            {
                "area": name,
                "period": slot,
                "incidents": n,
                "state_and_allied_incidents": k,
                "state_forces_incidents": int((kinds == STATE).sum()),
                "allied_forces_incidents": int((kinds == ALLIED).sum()),
                "un_mission_incidents": int((kinds == UN_MISSION).sum()),
                "share": k / n,
                "share_elsewhere": elsewhere,
                "p": p,
                "state_and_allied_by_motivation": _mix(group.loc[group["state"], "motivation"]),
                "state_forces_by_motivation": _mix(group.loc[kinds == STATE, "motivation"]),
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    if len(table):
        table["p_adjusted"] = fdr_adjust(table["p"].to_numpy(dtype=float))
        table["flag"] = (
            (table["p_adjusted"] < alpha)
            & (table["share"] >= min_share)
            & (table["incidents"] >= min_incidents)
        )
        table = table.sort_values(["flag", "share"], ascending=[False, False], kind="stable")
        table = table.reset_index(drop=True)
    slices = {"M": "month", "Q": "quarter", "Y": "year"}.get(period or "", period)
    caption = (
        f"Share of incidents by state and allied forces (foreign or private forces "
        f"fighting beside the state; each also shown apart, the UN mission's own "
        f"incidents counted apart) per {by}"
        + (f" and {slices}" if period else "")
        + ", against their share in the rest of the selection (one-sided exact binomial "
        f"test, Benjamini-Hochberg); flagged when significant at {alpha:g}, at least "
        f"{min_share:.0%} of perpetrators and {min_incidents} incidents."
    )
    if len(table) == 1:
        caption += " Only one area and period: nothing to compare it with."
    return Friction(table, caption)


def _mix(motivations: pd.Series) -> str:
    """``"collateral 5, revenge 2"``: the motivations, most frequent first."""
    return ", ".join(f"{m} {c}" for m, c in motivations.value_counts().items())
