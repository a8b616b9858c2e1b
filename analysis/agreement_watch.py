"""Agreement watch: did violence in a local agreement's area fall after it was signed?

Each agreement's area is its polygon, its line buffered, or its point with a radius.

*Whole stretches* (descriptive): incidents in the area before signature, while in force
(signature to the day before ``date_ended``, or to the end of the data) and after it
ended, per 30 days over the days of each stretch inside the data period.

*Tests* use **symmetric windows** of the same length either side of a date, so that a
wider selected period does not change the verdict: ``window_days`` (default 180) before
signature against as many from signature, and as many before ``date_ended`` against as
many from it. A window is shortened, on both sides alike, when the data or the
agreement's time in force is shorter (the row says so). Rates are compared with the same
test as escalation (:func:`analysis.rate_tests.window_test`): quasi-Poisson on the log rate
ratio, allowing for bursty counts, with the exact conditional binomial test when either
window holds fewer than :data:`analysis.rate_tests.SMALL` incidents; the row names the test.
The dispersion is measured in the area's own weekly counts over the two windows compared,
each window about its own mean (:func:`_dispersion`), so that the change being tested does
not count as noise. Benjamini-Hochberg runs across every comparison of the run (agreements x
signature, end and recent windows) and the verdicts use the adjusted p-values.
Each test carries its effect in words (:func:`analysis.effect_words.ratio_words`).

*At risk* means a **recent rise**: an agreement in force over the last ``2 x recent_days``
of the data whose area's incidents in the last ``recent_days`` are significantly more
frequent than in the ``recent_days`` before (the same test, in the same
Benjamini-Hochberg family). An agreement violated or lapsed long ago is not "at risk": it ended.

*Who*: incidents are split into those by the agreement's parties, by others, and not
attributed (:mod:`analysis.parties` says how names are matched).

*End dates*: an agreement recorded as violated or lapsed with no ``date_ended`` (nor a
``date_violated``, used when present and ``date_ended`` is empty) is counted
as in force to the end of the data (its in-force rate may include days after it ended),
has no after-end comparison and no at-risk verdict, and carries a warning.

Incidents in the area while the agreement is in force are listed as *possible* violations:
an analyst decides. Events known only to the month or year (``date_precision``) are not
placed in windows of days, and points known only to the country are in no agreement's
area: both are left out and counted in the notes (:mod:`analysis.precision`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.effect_words import FEW_INCIDENTS, few_words, ratio_words
from analysis.metric import mission_crs, to_metric
from analysis.parties import MATCH_WORDS, attributed, by_parties, party_keys
from analysis.precision import IN_ANY_AGREEMENTS_AREA, in_day_windows, left_off_words, placed
from analysis.rate_tests import BLOCK_DAYS, QUASI, SMALL, WindowTest, dispersion, window_test
from analysis.rates import compare_rates, fdr_adjust
from analysis.windows import coverage
from analysis.words import code_label, count, g, joined
from languages import N_, _, format_date
from schema.incidents import MOTIVATION_LABELS, PERPETRATOR_LABELS

ALPHA = 0.05
WINDOW_DAYS = 180
"""Days either side of signature and of the end date that are compared."""
RECENT_DAYS = 90
"""The last this many days of the data against as many before: a rise means at risk."""
ENDED_STATUSES = ("violated", "lapsed")
QUASI_WINDOWS = N_("quasi-Poisson (dispersion from the two windows' weeks)")
"""The row's name for escalation's quasi-Poisson test, whose dispersion here comes from the
windows compared (escalation's from its baseline)."""

SUMMARY_COLUMNS = [
    "agreement_id",
    "name",
    "agreement_type",
    "status",
    "field_office",
    "date_signed",
    "date_ended",
    "area",
    "parties",
    "before_incidents",
    "before_days",
    "before_rate_30d",
    "in_force_incidents",
    "in_force_days",
    "in_force_rate_30d",
    "in_force_by_parties",
    "in_force_by_others",
    "in_force_not_attributed",
    "window_days",
    "window_before",
    "window_after",
    "window_after_by_parties",
    "rate_ratio",
    "ratio_low",
    "ratio_high",
    "p",
    "p_adjusted",
    "dispersion",
    "test",
    "verdict",
    "effect",
    "after_end_incidents",
    "after_end_days",
    "after_end_rate_30d",
    "end_window_days",
    "end_window_before",
    "end_window_after",
    "end_window_after_by_parties",
    "after_end_ratio",
    "after_end_low",
    "after_end_high",
    "after_end_p",
    "after_end_p_adjusted",
    "after_end_dispersion",
    "after_end_test",
    "after_end_verdict",
    "after_end_effect",
    "recent_days",
    "previous_incidents",
    "recent_incidents",
    "recent_by_parties",
    "recent_ratio",
    "recent_low",
    "recent_high",
    "recent_p",
    "recent_p_adjusted",
    "recent_dispersion",
    "recent_test",
    "at_risk",
    "recent_effect",
    "in_force_by_motivation",
    "in_force_by_perpetrator",
    "caution",
    "warning",
]
VIOLATION_COLUMNS = [
    "agreement_id",
    "incident_id",
    "date",
    "motivation",
    "perpetrator_type",
    "incident_type",
    "fatalities",
    "perpetrator_is",
]


@dataclass(frozen=True)
class AgreementWatch:
    """One row per agreement, and the incidents in force that may be violations."""

    summary: pd.DataFrame
    violations: pd.DataFrame
    caption: str
    notes: tuple[str, ...] = ()
    """What was left out (events known only to the month, points known only to the
    country), also said in the caption."""


def agreement_areas(
    agreements: gpd.GeoDataFrame, crs, *, line_buffer_km: float, point_radius_km: float
) -> gpd.GeoSeries:
    """Each agreement's area in ``crs`` (metres)."""
    shapes = to_metric(agreements.geometry, crs)
    kinds = shapes.geom_type.fillna("")
    areas = shapes.copy()
    lines = kinds.str.contains("LineString").to_numpy()
    points = kinds.str.contains("Point").to_numpy()
    areas[lines] = shapes[lines].buffer(line_buffer_km * 1000)
    areas[points] = shapes[points].buffer(point_radius_km * 1000)
    return areas


def _days(first: dt.date, last: dt.date) -> int:
    return max(0, (last - first).days + 1)


def _mix(values: pd.Series, labels: Mapping[str, str]) -> str:
    """``"revenge 3, predation 1"``: the codes (their labels where the language translates
    them), most frequent first."""
    counts = values.fillna(NOT_GIVEN).value_counts()
    return ", ".join(
        f"{_(NOT_GIVEN) if k == NOT_GIVEN else code_label(k, labels)} {v}"
        for k, v in counts.items()
    )


NOT_GIVEN = N_("not given")


def agreement_watch(
    incidents: gpd.GeoDataFrame,
    agreements: gpd.GeoDataFrame,
    *,
    line_buffer_km: float = 5.0,
    point_radius_km: float = 5.0,
    start: dt.date | None = None,
    end: dt.date | None = None,
    alpha: float = ALPHA,
    window_days: int = WINDOW_DAYS,
    recent_days: int = RECENT_DAYS,
) -> AgreementWatch:
    """Windows around signature and end, recent rises and who (see the module's docstring).

    ``start``/``end`` bound the data period (default: the incidents' first and last day).
    """
    if not (window_days >= 1 and recent_days >= 1):
        raise ValueError(
            _(
                "window_days {window_days!r} and recent_days {recent_days!r} must be whole "
                "numbers of days, 1 or more",
                window_days=window_days,
                recent_days=recent_days,
            )
        )
    by_day, left_out = in_day_windows(incidents)
    is_place, not_placed = placed(incidents)
    notes = tuple(
        n
        for n in (
            left_out,
            left_off_words(int((~is_place & by_day).sum()), IN_ANY_AGREEMENTS_AREA),
        )
        if n
    )
    if not_placed or left_out:
        incidents = incidents[by_day & is_place]
    dates = pd.to_datetime(incidents["date"]).dt.date
    # The reporting coverage, not the first and last date: a mistyped year far from every
    # other date of its source neither stretches nor empties the windows.
    spans = coverage(incidents) if len(incidents) else []
    if start is None:
        start = spans[0][0] if spans else None
    if end is None:
        end = spans[-1][1] if spans else None
    if start is not None:
        within = ((dates >= start) & (dates <= end)).to_numpy()
        incidents, dates = incidents[within], dates[within]
    crs = mission_crs(agreements, incidents)
    areas = agreement_areas(
        agreements, crs, line_buffer_km=line_buffer_km, point_radius_km=point_radius_km
    )
    points = to_metric(incidents.geometry, crs)
    named = attributed(incidents)
    rows, violations = [], []
    kinds = agreements.geom_type.fillna("").to_numpy()
    period = _Period(start, end, window_days, recent_days)
    for (_row, agreement), area, kind in zip(agreements.iterrows(), areas, kinds, strict=True):
        inside = points.within(area).to_numpy()
        who = _who(incidents[inside], named[inside], party_keys(agreement.get("parties")))
        row, listed = _one(agreement, incidents[inside], dates[inside], who, period)
        row["area"] = _area_words(kind, line_buffer_km, point_radius_km)
        rows.append(row)
        violations.append(listed)
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    if len(summary):
        _adjust(summary, alpha)
    listed = [v for v in violations if len(v)]
    table = (
        pd.concat(listed, ignore_index=True) if listed else pd.DataFrame(columns=VIOLATION_COLUMNS)
    )
    caption = _caption(summary, line_buffer_km, point_radius_km, period, alpha) + "".join(
        f" {note}." for note in notes
    )
    return AgreementWatch(summary, table, caption, notes)


@dataclass(frozen=True)
class _Period:
    start: dt.date | None
    end: dt.date | None
    window_days: int
    recent_days: int


def _who(inside: pd.DataFrame, named: np.ndarray, keys: tuple[str, ...]) -> np.ndarray:
    """``party``, ``other`` or ``not attributed`` (codes) for each incident in the area."""
    party = by_parties(inside, keys)
    return np.where(party, "party", np.where(named, "other", "not attributed"))


def _window(dates: pd.Series, first: dt.date, days: int) -> np.ndarray:
    return ((dates >= first) & (dates < first + dt.timedelta(days=days))).to_numpy()


def _daily(dates: pd.Series, first: dt.date, days: int) -> np.ndarray:
    """Incidents per day over ``days`` days from ``first``."""
    offsets = np.array([(d - first).days for d in dates[_window(dates, first, days)]], dtype=int)
    return np.bincount(offsets, minlength=days)[:days] if days > 0 else np.zeros(0, dtype=int)


def _dispersion(before: np.ndarray, after: np.ndarray) -> float:
    """The two windows' weekly dispersions (:func:`analysis.rate_tests.dispersion`), pooled
    with their weeks' degrees of freedom as weights (a Pearson estimate): each window about
    its own mean, as a change between them is what is tested, not noise. NaN when neither
    window can give one (then the test takes 1)."""
    values, weights = [], []
    for daily in (before, after):
        phi = dispersion(daily)
        if phi == phi:
            values.append(phi)
            weights.append(len(daily) // BLOCK_DAYS - 1)
    return float(np.average(values, weights=weights)) if values else float("nan")


def _compare(dates: pd.Series, before_first: dt.date, after_first: dt.date, days: int):
    """The window from ``after_first`` against the one from ``before_first`` (as many days)."""
    before, after = _daily(dates, before_first, days), _daily(dates, after_first, days)
    phi = _dispersion(before, after)
    return window_test(int(after.sum()), days, int(before.sum()), days, phi)


def _one(agreement, inside, dates: pd.Series, who: np.ndarray, period: _Period):
    start, end = period.start, period.end
    signed = _date(agreement.get("date_signed"))
    # The layer's date_ended is "when it was violated or lapsed"; a date_violated column
    # (as some missions keep) stands in when date_ended is empty.
    ended = _date(agreement.get("date_ended")) or _date(agreement.get("date_violated"))
    status = agreement.get("status")
    row = {c: agreement.get(c) for c in SUMMARY_COLUMNS[:9]}
    row.update(
        date_signed=signed,
        date_ended=ended,
        verdict="",
        after_end_verdict="",
        after_end_p=float("nan"),
        recent_p=float("nan"),
        at_risk=False,
        caution="",
        warning=_end_warning(status, ended, end),
    )
    empty = pd.DataFrame(columns=VIOLATION_COLUMNS)
    if start is None:
        row["verdict"] = _("no incidents in the data")
        return row, empty
    if signed is None:
        row["verdict"] = _("not signed yet")
        return row, empty
    assert end is not None  # the data's last day, known once its first is
    last_in_force = min(end, ended - dt.timedelta(days=1)) if ended else end
    first_in_force = max(start, signed)
    before = (dates < signed).to_numpy()
    in_force = ((dates >= signed) & ((dates < ended) if ended else True)).to_numpy()
    whole_before = _days(start, min(end, signed - dt.timedelta(days=1)))
    whole_in_force = _days(first_in_force, last_in_force)
    whole = compare_rates(before.sum(), whole_before, in_force.sum(), whole_in_force)
    row.update(
        before_incidents=whole.first_count,
        before_days=whole.first_days,
        before_rate_30d=whole.first_rate,
        in_force_incidents=whole.second_count,
        in_force_days=whole.second_days,
        in_force_rate_30d=whole.second_rate,
        in_force_by_parties=int((who[in_force] == "party").sum()),
        in_force_by_others=int((who[in_force] == "other").sum()),
        in_force_not_attributed=int((who[in_force] == "not attributed").sum()),
        in_force_by_motivation=_mix(inside.loc[in_force, "motivation"], MOTIVATION_LABELS),
        in_force_by_perpetrator=_mix(inside.loc[in_force, "perpetrator_type"], PERPETRATOR_LABELS),
    )
    cautions = []
    # Around signature: as many days before as after, within the data and the time in force.
    days = min(period.window_days, whole_before, whole_in_force)
    test = _compare(dates, signed - dt.timedelta(days=days), signed, days)
    after_sig = _window(dates, signed, days)
    row.update(
        window_days=days,
        window_before=test.base_count,
        window_after=test.count,
        window_after_by_parties=int((who[after_sig] == "party").sum()),
        rate_ratio=test.ratio,
        ratio_low=test.low,
        ratio_high=test.high,
        p=test.p,
        **_how(test, days, ""),
        effect=ratio_words(test.ratio, test.low, test.high, N_("the rate before signature"))
        if days
        else "",
    )
    if 0 < days < period.window_days:
        cautions.append(
            _("signature windows shortened to {days} days (data or agreement ends)", days=days)
        )
    if days and test.base_count + test.count < FEW_INCIDENTS:
        cautions.append(few_words(test.base_count + test.count, N_("around signature")))
    if signed > end:
        row["verdict"] = _("signed after the data ends")
    elif signed <= start:
        row["verdict"] = _("signed before the data starts: no before period")
    elif len(inside) == 0:
        row["verdict"] = _("no incidents in its area")
    if ended is not None:
        after = (dates >= ended).to_numpy()
        after_days = _days(max(start, ended), end)
        row.update(
            after_end_incidents=int(after.sum()),
            after_end_days=after_days,
            after_end_rate_30d=after.sum() / after_days * 30 if after_days else float("nan"),
        )
        days = min(period.window_days, whole_in_force, after_days)
        later = _compare(dates, ended - dt.timedelta(days=days), ended, days)
        row.update(
            end_window_days=days,
            end_window_before=later.base_count,
            end_window_after=later.count,
            end_window_after_by_parties=int((who[_window(dates, ended, days)] == "party").sum()),
            after_end_ratio=later.ratio,
            after_end_low=later.low,
            after_end_high=later.high,
            after_end_p=later.p,
            **_how(later, days, "after_end_"),
            after_end_effect=ratio_words(
                later.ratio, later.low, later.high, N_("the rate before it ended")
            )
            if days
            else "",
        )
        if 0 < days < period.window_days:
            cautions.append(
                _("end windows shortened to {days} days (data or agreement ends)", days=days)
            )
        if days and later.base_count + later.count < FEW_INCIDENTS:
            cautions.append(few_words(later.base_count + later.count, N_("around its end")))
    _recent(row, dates, who, signed, ended, status, period)
    row["caution"] = joined(cautions)
    listed = inside.loc[in_force, VIOLATION_COLUMNS[1:-1]].copy()
    listed.insert(0, "agreement_id", agreement.get("agreement_id"))
    listed["date"] = pd.to_datetime(listed["date"]).dt.date
    listed["perpetrator_is"] = np.where(
        who[in_force] == "party",
        _("a party"),
        np.where(who[in_force] == "other", _("another"), _("not attributed")),
    )
    return row, listed.sort_values(["date", "incident_id"])


def _recent(row: dict, dates, who, signed, ended, status, period: _Period) -> None:
    """The last ``recent_days`` of the data against as many before, for an agreement in
    force over both (the at-risk test)."""
    days, end = period.recent_days, period.end
    if end is None or period.start is None:
        row["recent_effect"] = _("not tested: no incidents in the data")
        return
    first = end - dt.timedelta(days=2 * days - 1)
    row["recent_days"] = days
    in_force = (
        signed <= first
        and first >= period.start
        and (ended is None or ended > end)
        and not (ended is None and status in ENDED_STATUSES)
    )
    if not in_force:
        row["recent_effect"] = _("not tested: not in force over the last two windows of the data")
        return
    recent = _window(dates, first + dt.timedelta(days=days), days)
    test = _compare(dates, first, first + dt.timedelta(days=days), days)
    row.update(
        previous_incidents=test.base_count,
        recent_incidents=test.count,
        recent_by_parties=int((who[recent] == "party").sum()),
        recent_ratio=test.ratio,
        recent_low=test.low,
        recent_high=test.high,
        recent_p=test.p,
        **_how(test, days, "recent_"),
        recent_effect=ratio_words(
            test.ratio, test.low, test.high, _("the previous {days} days", days=days)
        ),
    )


def _how(test: WindowTest, days: int, prefix: str) -> dict:
    """The dispersion used and the test's name (none for a window without days)."""
    if not days:
        return {f"{prefix}dispersion": float("nan"), f"{prefix}test": ""}
    name = QUASI_WINDOWS if test.method == QUASI else test.method
    return {f"{prefix}dispersion": test.dispersion, f"{prefix}test": _(name)}


def _end_warning(status, ended: dt.date | None, end: dt.date | None) -> str:
    if status in ENDED_STATUSES and ended is None:
        # The status code as the file holds it (the person fixes the file): a data value.
        if end:
            return _(
                "recorded as {status} with no date_ended: counted as in force until the end "
                "of the data ({end}), with no after-end comparison and no at-risk test; give "
                "date_ended to fix",
                status=status,
                end=end,
            )
        return _(
            "recorded as {status} with no date_ended: counted as in force until the end of "
            "the data, with no after-end comparison and no at-risk test; give date_ended to fix",
            status=status,
        )
    if status not in ENDED_STATUSES and ended is not None and status is not None:
        return _(
            "date_ended {ended} given but status is {status}: treated as ended on that day",
            ended=ended,
            status=status,
        )
    return ""


def _adjust(summary: pd.DataFrame, alpha: float) -> None:
    """Benjamini-Hochberg across every comparison of the run (agreements x signature, end
    and recent windows), then the verdicts (in place)."""
    families = ("p", "after_end_p", "recent_p")
    p = np.concatenate([summary[f].to_numpy(dtype=float) for f in families])
    adjusted = fdr_adjust(p).reshape(len(families), len(summary))
    for family, values in zip(families, adjusted, strict=True):
        summary[f"{family}_adjusted"] = values
    summary["verdict"] = [
        _verdict(r, alpha) if not r["verdict"] else r["verdict"] for _row, r in summary.iterrows()
    ]
    summary["after_end_verdict"] = [_after_verdict(r, alpha) for _row, r in summary.iterrows()]
    rose = summary["recent_ratio"].astype(float).to_numpy() > 1
    summary["at_risk"] = (summary["recent_p_adjusted"].to_numpy(dtype=float) < alpha) & rose


def _caption(
    summary: pd.DataFrame, line_km: float, point_km: float, period: _Period, alpha: float
) -> str:
    window, recent = period.window_days, period.recent_days
    text = _(
        "Incidents inside each agreement's area (polygon; line buffered by {line_km} km; "
        "point with a {point_km} km radius) within the data period ({start} to {end}). "
        "Verdicts compare {window} days before signature with {window} days from it, and "
        "{window} days before the end date (violation or lapse) with {window} days from it "
        "(shorter when the data or the agreement is, the same length both sides). Rate "
        "ratios are tested as escalation's are: quasi-Poisson with the dispersion of the "
        "area's weekly counts in the two windows (bursty counts widen the interval), the "
        "exact conditional binomial test below {small} incidents in a window (each row names "
        "its test); Benjamini-Hochberg across all the comparisons of this table (agreements "
        "x signature, end and recent windows), verdicts on the adjusted p-values, significant "
        "at {alpha}; each effect is a rate ratio with its 95 % interval. At risk means a "
        "recent rise: in force, with significantly more incidents in the last {recent} days "
        "of the data than in the {recent} days before (not a violation recorded long ago). "
        "Incidents are split into those by the agreement's parties ({match}), by others and "
        "not attributed. Incidents in the area while in force are possible violations, for "
        "an analyst to judge.",
        line_km=g(line_km),
        point_km=g(point_km),
        start=_day(period.start),
        end=_day(period.end),
        window=window,
        small=SMALL,
        alpha=g(alpha),
        recent=recent,
        match=_(MATCH_WORDS),
    )
    if len(summary):
        # Counted from the figures, not from the cautions' words (they are in the
        # reader's language): a pair of windows with days and fewer than FEW_INCIDENTS.
        few = int(
            (
                _few(summary, "window_days", "window_before", "window_after")
                | _few(summary, "end_window_days", "end_window_before", "end_window_after")
            ).sum()
        )
        if few:
            text += _(
                " What this table cannot say: {few} of {agreements} agreements have fewer "
                "than {minimum} incidents in a pair of windows, too few to tell a change from "
                "chance (see caution).",
                few=few,
                agreements=len(summary),
                minimum=FEW_INCIDENTS,
            )
        undated = int((summary["status"].isin(ENDED_STATUSES) & summary["date_ended"].isna()).sum())
        if undated:
            text += _(
                " {undated} recorded as violated or lapsed with no end date: counted as in "
                "force to the end of the data, not tested after it ended (see warning).",
                undated=undated,
            )
        unknown = summary["in_force_not_attributed"].fillna(0).sum()
        total = summary["in_force_incidents"].fillna(0).sum()
        if total and unknown / total > 0.5:
            text += _(
                " Most incidents in force ({unknown} of {total}) have no perpetrator named: "
                "who broke an agreement mostly cannot be said.",
                unknown=count(int(unknown)),
                total=count(int(total)),
            )
    return text


def _few(summary: pd.DataFrame, days: str, before: str, after: str) -> pd.Series:
    """Rows whose pair of windows has days and fewer than FEW_INCIDENTS incidents."""
    tested = pd.to_numeric(summary[days], errors="coerce").fillna(0) > 0
    total = pd.to_numeric(summary[before], errors="coerce").fillna(0) + pd.to_numeric(
        summary[after], errors="coerce"
    ).fillna(0)
    return tested & (total < FEW_INCIDENTS)


def _day(day: dt.date | None) -> str:
    """A day of the caption as the language writes it ("None" when the data have none,
    as the caption has always said)."""
    return format_date(day) if day is not None else str(day)


def _area_words(kind: str, line_buffer_km: float, point_radius_km: float) -> str:
    if "LineString" in kind:
        return _("line, {km} km either side", km=g(line_buffer_km))
    if "Point" in kind:
        return _("point, {km} km around", km=g(point_radius_km))
    return _("polygon")


def _date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _verdict(row: pd.Series, alpha: float) -> str:
    p = row["p_adjusted"]
    if not p == p:  # NaN: a window without days
        return _("no comparison possible")
    if p >= alpha:
        return _("no significant change after signature")
    return _("fell after signature") if row["rate_ratio"] < 1 else _("rose after signature")


def _after_verdict(row: pd.Series, alpha: float) -> str:
    if row["date_ended"] is None or pd.isna(row["date_ended"]):
        return ""
    p = row["after_end_p_adjusted"]
    if not p == p:
        return _("no comparison possible")
    if p >= alpha:
        return _("no significant change after it ended")
    return _("resumed after it ended") if row["after_end_ratio"] > 1 else _("fell after it ended")
