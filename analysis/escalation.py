"""Escalation around national milestones: is violence higher before or after them?

For each milestone of the national process, the incidents in a window before it (default
60 days, ending the day before) and after it (starting on the day) are counted and compared
with a *local* baseline (:mod:`analysis.rate_tests`): the same number of days just before
the first window, and the days of both windows a year earlier, where the data cover them.
The verdict for a milestone therefore depends only on the data around it, never on the
wider period selected (a selected period only chooses which milestones are shown).

The test allows for overdispersion: quasi-Poisson on the log rate ratio, with a dispersion
measured on the baseline's weekly counts; the exact conditional binomial test is kept when
the window or the baseline holds fewer than :data:`analysis.rate_tests.SMALL` incidents.
Adjusted p-values are Benjamini-Hochberg across every milestone x window tested on the data
given (before the selected period picks the rows shown, so that they do not change with it).

The days tested are the reporting coverage (:func:`analysis.windows.coverage`: per source,
first to last day reported), not the min-max of dates: a window outside it is "not
covered", not quiet. Only rises are flagged; a quieter window says so in its effect. Events
known only to the month or year (``date_precision``) are not placed in windows of days:
they are left out and counted in the notes (:func:`analysis.precision.in_day_windows`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.precision import in_day_windows
from analysis.rate_tests import SMALL, dispersion, effect_words, window_test
from analysis.rates import fdr_adjust
from analysis.windows import Span, coverage, covered_days
from analysis.words import g, joined
from languages import N_, _, ngettext

ALPHA = 0.05
YEAR = 365
WARNING = N_(
    "The report behind this tool (Russo and Mamiya, IPI 2022) warns that armed groups ratchet "
    "up violence ahead of negotiations to strengthen their hand, and that agreements can "
    "trigger violence by those left out of them. A flag is a question for the joint analysis "
    "cell, not an answer: check what else happened in the window."
)
SIDES = ("before", "after")
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
    "baseline",
    "dispersion",
    "before_ratio",
    "before_low",
    "before_high",
    "before_effect",
    "before_test",
    "before_p_adjusted",
    "after_ratio",
    "after_low",
    "after_high",
    "after_effect",
    "after_test",
    "after_p_adjusted",
    "flag",
    "note",
]


@dataclass(frozen=True)
class Escalation:
    """One row per milestone, with its flag; ``warning`` words the report's caution;
    ``notes`` what was left out (events known only to the month); ``limits`` what the table
    cannot say (windows not covered, few incidents). Both are also in the caption."""

    table: pd.DataFrame
    caption: str
    warning: str = ""
    notes: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.warning:  # the report's caution, in the language of the run
            object.__setattr__(self, "warning", _(WARNING))


def escalation(
    incidents: pd.DataFrame,
    milestones: pd.DataFrame,
    *,
    window_days: int = 60,
    start: dt.date | None = None,
    end: dt.date | None = None,
    alpha: float = ALPHA,
    covers: list[Span] | None = None,
) -> Escalation:
    """Rates before and after each milestone against a local baseline (module docstring).

    Parameters
    ----------
    incidents
        The incidents to count (for a verdict that does not depend on the period, give
        them unfiltered by date: the baseline may lie before the selected period).
    milestones
        ``milestone_id``, ``date``, ``kind``, ``title``.
    window_days
        Length of each window.
    start, end
        The selected period: only milestones with a window touching it are shown. Their
        tests and adjustment do not change with it.
    alpha
        Flag level for the adjusted p-values.
    covers
        The days the data cover, as (first, last) spans (e.g. the batches' own ranges);
        by default each source's first to last date (:func:`analysis.windows.coverage`).
    """
    if window_days < 1:
        raise ValueError(_("window of {days!r} days: give at least 1 day", days=window_days))
    placeable, left_out = in_day_windows(incidents)
    dates = pd.to_datetime(incidents["date"]).dt.normalize()[placeable]
    spans = covers if covers is not None else coverage(incidents[placeable], dates)
    counter = _DailyCounts(dates, spans)
    ordered = milestones.sort_values("date")
    rows, p_values = [], []
    for _row, milestone in ordered.iterrows():
        row, tests = _one(milestone, counter, window_days)
        rows.append(row)
        p_values.extend(tests)
    adjusted: np.ndarray | list[float] = fdr_adjust(p_values) if p_values else []
    table = pd.DataFrame(rows, columns=[*COLUMNS, "before_p", "after_p"])
    if len(table):
        table["before_p_adjusted"] = adjusted[0::2]
        table["after_p_adjusted"] = adjusted[1::2]
        table["flag"] = [_flag(r, alpha) for _row, r in table.iterrows()]
        table = table[_shown(table, window_days, start, end)].reset_index(drop=True)
    notes = (left_out,) if left_out else ()
    limits = tuple(_cannot_say(table))
    caption = _(
        "Incidents per 30 days in the {days} days before each milestone (to the day before) "
        "and the {days} days from it, against a local baseline: the {days} days before the "
        "first window and the same days a year earlier, where the data cover them (each "
        "source's first to last reported day). Quasi-Poisson test with the baseline's weekly "
        "dispersion (the exact conditional binomial test below {small} incidents), "
        "Benjamini-Hochberg across every milestone and window tested, flagged at {alpha}; "
        "the verdicts do not change with the period selected.",
        days=window_days,
        small=SMALL,
        alpha=g(alpha),
    )
    if notes or limits:
        caption += " " + " ".join(f"{n}." for n in (*notes, *limits))
    return Escalation(table[COLUMNS], caption, notes=notes, limits=limits)


class _DailyCounts:
    """Incidents per day over the coverage, and which days are covered."""

    def __init__(self, dates: pd.Series, spans: list[Span]) -> None:
        self.spans = spans
        if not spans:
            self.first = None
            return
        self.first = spans[0][0]
        last = spans[-1][1]
        n = (last - self.first).days + 1
        offsets = ((dates - pd.Timestamp(self.first)).dt.days).to_numpy()
        offsets = offsets[(offsets >= 0) & (offsets < n)]
        self.daily = np.bincount(offsets.astype(np.int64), minlength=n)
        self.covered = covered_days(self.first, last, spans)

    def days(self, lo: dt.date, hi: dt.date) -> np.ndarray:
        """Offsets of the covered days from ``lo`` to ``hi`` (inclusive)."""
        if self.first is None or hi < lo:
            return np.zeros(0, dtype=np.int64)
        a, b = (lo - self.first).days, (hi - self.first).days
        a, b = max(a, 0), min(b, len(self.daily) - 1)
        if a > b:
            return np.zeros(0, dtype=np.int64)
        span = np.arange(a, b + 1)
        return span[self.covered[span]]


def _one(milestone: pd.Series, counter: _DailyCounts, w: int):
    day = pd.Timestamp(milestone["date"]).normalize().date()
    step = dt.timedelta
    row = {c: milestone.get(c) for c in ("milestone_id", "kind", "title")}
    row["date"] = day
    nothing = [math.nan, math.nan]
    if counter.first is None:
        row.update(note=_("no incidents in the selection"), flag="")
        return row, nothing
    windows = {
        "before": counter.days(day - step(days=w), day - step(days=1)),
        "after": counter.days(day, day + step(days=w - 1)),
    }
    inside = np.concatenate(list(windows.values()))
    pre = counter.days(day - step(days=2 * w), day - step(days=w + 1))
    earlier = counter.days(day - step(days=w + YEAR), day + step(days=w - 1 - YEAR))
    base = np.setdiff1d(np.union1d(pre, earlier), inside)  # sorted: days in order
    phi = dispersion(counter.daily[base])
    base_count = int(counter.daily[base].sum())
    notes, tests = [], []
    for side in SIDES:
        n_days = len(windows[side])
        count = int(counter.daily[windows[side]].sum())
        row[f"{side}_incidents"], row[f"{side}_days"] = count, n_days
        if not n_days:
            notes.append(_(_OUTSIDE[side]))
        elif n_days < w:
            notes.append(_(_CUT[side], days=n_days))
        if not n_days or len(base) < max(1, w // 2):
            row.update({f"{side}_rate_30d": count / n_days * 30 if n_days else math.nan})
            row.update({f"{side}_{k}": math.nan for k in ("ratio", "low", "high", "p")})
            row[f"{side}_effect"] = row[f"{side}_test"] = ""
            tests.append(math.nan)
            continue
        result = window_test(count, n_days, base_count, len(base), phi)
        row.update(
            {
                f"{side}_rate_30d": result.rate_30d,
                f"{side}_ratio": result.ratio,
                f"{side}_low": result.low,
                f"{side}_high": result.high,
                f"{side}_p": result.p,
                f"{side}_effect": effect_words(result.ratio, result.low, result.high),
                f"{side}_test": _(result.method),
            }
        )
        tests.append(result.p)
    if len(base) < max(1, w // 2):
        notes.append(
            _(
                "no local baseline: the data cover {days} of the days before and a year "
                "earlier (not covered, not tested)",
                days=len(base),
            )
        )
    row.update(
        baseline_incidents=base_count,
        baseline_days=len(base),
        baseline_rate_30d=base_count / len(base) * 30 if len(base) else math.nan,
        baseline=_baseline_words(len(pre), len(np.setdiff1d(earlier, pre)), w),
        dispersion=1.0 if phi != phi else phi,
        note=joined(notes),
    )
    return row, tests


_OUTSIDE = {
    "before": N_("before window outside the data's coverage: not covered"),
    "after": N_("after window outside the data's coverage: not covered"),
}
_CUT = {
    "before": N_("before window cut to {days} days by the data's coverage"),
    "after": N_("after window cut to {days} days by the data's coverage"),
}


def _baseline_words(pre: int, earlier: int, w: int) -> str:
    if pre and earlier:
        return _(
            "{pre} of the {w} days before the first window and {earlier} days of the same "
            "season a year earlier",
            pre=pre,
            w=w,
            earlier=earlier,
        )
    if pre:
        return _("{pre} of the {w} days before the first window", pre=pre, w=w)
    if earlier:
        return _("{earlier} days of the same season a year earlier", earlier=earlier)
    return _("none covered")


def _shown(table: pd.DataFrame, w: int, start, end) -> np.ndarray:
    """Milestones with a window touching the selected period."""
    days = pd.to_datetime(table["date"])
    keep = np.ones(len(table), dtype=bool)
    if start is not None:
        keep &= (days + pd.Timedelta(days=w - 1) >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        keep &= (days - pd.Timedelta(days=w) <= pd.Timestamp(end)).to_numpy()
    return keep


_ESCALATION = {"before": N_("escalation before"), "after": N_("escalation after")}


def _flag(row: pd.Series, alpha: float) -> str:
    flags = []
    for side in SIDES:
        p, ratio = row[f"{side}_p_adjusted"], row[f"{side}_ratio"]
        if p == p and p < alpha and ratio > 1:
            flags.append(_(_ESCALATION[side]))
    return joined(flags)


def _cannot_say(table: pd.DataFrame) -> list[str]:
    """What the table cannot say: windows not covered, verdicts resting on few incidents."""
    if not len(table):
        return []
    said = []
    untested = int(table[[f"{s}_p" for s in SIDES]].isna().to_numpy().sum())
    if untested:
        said.append(
            ngettext(
                "{n} window could not be tested (outside the data's coverage or without a "
                "local baseline): not covered, not quiet",
                "{n} windows could not be tested (outside the data's coverage or without a "
                "local baseline): not covered, not quiet",
                untested,
            )
        )
    few = 0
    for side in SIDES:
        tested = table[f"{side}_p"].notna()
        small = (table[f"{side}_incidents"] < SMALL) | (table["baseline_incidents"] < SMALL)
        few += int((tested & small).sum())
    if few:
        said.append(
            ngettext(
                "{n} window rest on fewer than {small} incidents: only a large change could "
                "be seen there, and no flag does not mean no change",
                "{n} windows rest on fewer than {small} incidents: only a large change could "
                "be seen there, and no flag does not mean no change",
                few,
                small=SMALL,
            )
        )
    return said
