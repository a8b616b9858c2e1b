"""Perpetrator friction: where and when state forces are a large share of perpetrators.

Where the host state's own forces harm civilians, the mission's accountability work meets
the host state's consent to its presence. For each area (and period), the share of
incidents by state forces is tested against their share everywhere else in the selection
with a one-sided exact binomial test, Benjamini-Hochberg corrected across rows; a row is
flagged when the share is significantly higher, at least ``min_share``, over at least
``min_incidents`` incidents.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy import stats

from analysis.rates import fdr_adjust

STATE = "state_forces"
COLUMNS = [
    "area",
    "period",
    "incidents",
    "state_forces_incidents",
    "share",
    "share_elsewhere",
    "p",
    "p_adjusted",
    "flag",
    "state_forces_by_motivation",
]


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
    """State forces' share of perpetrators per ``by`` area and ``period`` (None: whole)."""
    if by not in incidents:
        raise ValueError(f"no column {by!r} to group incidents by")
    state = (incidents["perpetrator_type"] == STATE).to_numpy()
    area = incidents[by].fillna("(no area given)").astype(str).to_numpy()
    when = (
        pd.to_datetime(incidents["date"]).dt.to_period(period).astype(str).to_numpy()
        if period
        else ["whole selection"] * len(incidents)
    )
    frame = pd.DataFrame({"area": area, "period": when, "state": state})
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
        counts = group.loc[group["state"], "motivation"].value_counts()
        rows.append(
            {
                "area": name,
                "period": slot,
                "incidents": n,
                "state_forces_incidents": k,
                "share": k / n,
                "share_elsewhere": elsewhere,
                "p": p,
                "state_forces_by_motivation": ", ".join(f"{m} {c}" for m, c in counts.items()),
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
        f"Share of incidents by state forces per {by}"
        + (f" and {slices}" if period else "")
        + ", against their share in the rest of the selection (one-sided exact binomial "
        f"test, Benjamini-Hochberg); flagged when significant at {alpha:g}, at least "
        f"{min_share:.0%} of perpetrators and {min_incidents} incidents."
    )
    if len(table) == 1:
        caption += " Only one area and period: nothing to compare it with."
    return Friction(table, caption)
