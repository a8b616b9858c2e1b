"""Escalation around national milestones: is violence higher before or after them?

For each milestone of the national process, the incidents in a window before it (default
60 days, ending the day before) and after it (starting on the day) are counted and their
rate per 30 days compared with the baseline: every other day of the data period. The
comparison is the exact conditional binomial test (:mod:`analysis.rates`), corrected for
the number of tests (Benjamini-Hochberg). Windows are cut to the data period. Only rises
are flagged; a quieter window shows in its ratio and p-value. Events known only to the
month or year (``date_precision``) are not placed in windows of days: they are left out
and counted in the notes (:func:`analysis.precision.in_day_windows`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.precision import in_day_windows
from analysis.rates import compare_rates, fdr_adjust

ALPHA = 0.05
WARNING = (
    "The report behind this tool (Russo and Mamiya, IPI 2022) warns that armed groups ratchet "
    "up violence ahead of negotiations to strengthen their hand, and that agreements can "
    "trigger violence by those left out of them. A flag is a question for the joint analysis "
    "cell, not an answer: check what else happened in the window."
)
COLUMNS = [
    "milestone_id",
    "date",
    "kind",
    "title",
    "before_incidents",
    "before_days",
    "before_rate_30d",
    "after_incidents",
    "after_days",
    "after_rate_30d",
    "baseline_incidents",
    "baseline_days",
    "baseline_rate_30d",
    "before_ratio",
    "before_p_adjusted",
    "after_ratio",
    "after_p_adjusted",
    "flag",
    "note",
]


@dataclass(frozen=True)
class Escalation:
    """One row per milestone, with its flag; ``warning`` words the report's caution;
    ``notes`` what was left out (events known only to the month), also in the caption."""

    table: pd.DataFrame
    caption: str
    warning: str = WARNING
    notes: tuple[str, ...] = ()


def escalation(
    incidents: pd.DataFrame,
    milestones: pd.DataFrame,
    *,
    window_days: int = 60,
    start: dt.date | None = None,
    end: dt.date | None = None,
    alpha: float = ALPHA,
) -> Escalation:
    """Rates before and after each milestone against the baseline (module docstring)."""
    if window_days < 1:
        raise ValueError(f"window of {window_days!r} days: give at least 1 day")
    placeable, left_out = in_day_windows(incidents)
    dates = pd.to_datetime(incidents["date"]).dt.normalize()[placeable]
    start = start or (dates.min().date() if len(dates) else None)
    end = end or (dates.max().date() if len(dates) else None)
    if start is not None and end is not None:
        dates = dates[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]
    rows, p_values = [], []
    for _, milestone in milestones.sort_values("date").iterrows():
        row, tests = _one(milestone, dates, start, end, window_days)
        rows.append(row)
        p_values.extend(tests)
    adjusted: np.ndarray | list[float] = fdr_adjust(p_values) if p_values else []
    table = pd.DataFrame(rows, columns=[*COLUMNS, "before_p", "after_p"])
    if len(table):
        table["before_p_adjusted"] = adjusted[0::2]
        table["after_p_adjusted"] = adjusted[1::2]
        table["flag"] = [_flag(r, alpha) for _, r in table.iterrows()]
    caption = (
        f"Incidents per 30 days in the {window_days} days before each milestone (to the day "
        f"before) and the {window_days} days from it, against every other day from {start} to "
        f"{end}; exact conditional binomial rate-ratio test, Benjamini-Hochberg across all "
        f"windows, flagged at {alpha:g}."
    )
    notes = (left_out,) if left_out else ()
    if left_out:
        caption += f" {left_out}."
    return Escalation(table[COLUMNS], caption, notes=notes)


def _one(milestone: pd.Series, dates: pd.Series, start, end, window_days: int):
    day = pd.Timestamp(milestone["date"]).normalize()
    window = pd.Timedelta(days=window_days)
    row = {c: milestone.get(c) for c in ("milestone_id", "kind", "title")}
    row["date"] = day.date()
    if start is None:
        row["note"] = "no incidents in the selection"
        return row, [float("nan")] * 2
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    before = (max(day - window, first), min(day - pd.Timedelta(days=1), last))
    after = (max(day, first), min(day + window - pd.Timedelta(days=1), last))
    counts, days = {}, {}
    for name, (lo, hi) in (("before", before), ("after", after)):
        days[name] = max(0, (hi - lo).days + 1)
        counts[name] = int(((dates >= lo) & (dates <= hi)).sum()) if days[name] else 0
    covered = (dates >= day - window) & (dates < day + window)
    total_days = (last - first).days + 1
    overlap = max(
        0, (min(day + window, last + pd.Timedelta(days=1)) - max(day - window, first)).days
    )
    base_days = total_days - overlap
    base_count = int((~covered).sum())
    before_test = compare_rates(base_count, base_days, counts["before"], days["before"])
    after_test = compare_rates(base_count, base_days, counts["after"], days["after"])
    notes = [f"{n} window outside the data" for n in ("before", "after") if not days[n]]
    notes += [
        f"{n} window cut to {days[n]} days by the data period"
        for n in ("before", "after")
        if 0 < days[n] < window_days
    ]
    row.update(
        before_incidents=counts["before"],
        before_days=days["before"],
        before_rate_30d=before_test.second_rate,
        after_incidents=counts["after"],
        after_days=days["after"],
        after_rate_30d=after_test.second_rate,
        baseline_incidents=base_count,
        baseline_days=base_days,
        baseline_rate_30d=before_test.first_rate,
        before_ratio=before_test.ratio,
        after_ratio=after_test.ratio,
        before_p=before_test.p,
        after_p=after_test.p,
        note="; ".join(notes),
    )
    return row, [before_test.p, after_test.p]


def _flag(row: pd.Series, alpha: float) -> str:
    flags = []
    for side in ("before", "after"):
        p, ratio = row[f"{side}_p_adjusted"], row[f"{side}_ratio"]
        if p == p and p < alpha:
            if ratio > 1:
                flags.append(f"escalation {side}")
    return "; ".join(flags)
