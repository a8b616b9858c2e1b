"""Agreement watch: did violence in a local agreement's area fall after it was signed?

Each agreement's area is its polygon, its line buffered, or its point with a radius. The
incidents in it are counted before signature, while the agreement is in force (from
signature to the day before it was violated or lapsed, or to the end of the data), and
after it ended; rates are per 30 days over the days of each stretch inside the data period,
compared with the exact conditional binomial test (:mod:`analysis.rates`) and corrected for
the number of agreements tested (Benjamini-Hochberg). Incidents in the area while the
agreement is in force are listed as *possible* violations: an analyst decides. Events
known only to the month or year (``date_precision``) are not placed in these stretches of
days, and points known only to the country are in no agreement's area: both are left out
and counted in the notes (:mod:`analysis.precision`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from analysis.metric import mission_crs, to_metric
from analysis.precision import in_day_windows, left_off_words, placed
from analysis.rates import compare_rates, fdr_adjust

ALPHA = 0.05

SUMMARY_COLUMNS = [
    "agreement_id",
    "name",
    "agreement_type",
    "status",
    "field_office",
    "date_signed",
    "date_ended",
    "area",
    "before_incidents",
    "before_days",
    "before_rate_30d",
    "in_force_incidents",
    "in_force_days",
    "in_force_rate_30d",
    "rate_ratio",
    "ratio_low",
    "ratio_high",
    "p",
    "p_adjusted",
    "verdict",
    "after_end_incidents",
    "after_end_days",
    "after_end_rate_30d",
    "after_end_ratio",
    "after_end_p_adjusted",
    "after_end_verdict",
    "in_force_by_motivation",
    "in_force_by_perpetrator",
]
VIOLATION_COLUMNS = [
    "agreement_id",
    "incident_id",
    "date",
    "motivation",
    "perpetrator_type",
    "incident_type",
    "fatalities",
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


def _mix(values: pd.Series) -> str:
    counts = values.fillna("not given").value_counts()
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def agreement_watch(
    incidents: gpd.GeoDataFrame,
    agreements: gpd.GeoDataFrame,
    *,
    line_buffer_km: float = 5.0,
    point_radius_km: float = 5.0,
    start: dt.date | None = None,
    end: dt.date | None = None,
    alpha: float = ALPHA,
) -> AgreementWatch:
    """Rates before and after signature for each agreement (see the module's docstring).

    ``start``/``end`` bound the data period (default: the incidents' first and last day).
    """
    by_day, left_out = in_day_windows(incidents)
    is_place, not_placed = placed(incidents)
    notes = tuple(
        n
        for n in (
            left_out,
            left_off_words(int((~is_place & by_day).sum()), "in any agreement's area"),
        )
        if n
    )
    if not_placed or left_out:
        incidents = incidents[by_day & is_place]
    dates = pd.to_datetime(incidents["date"]).dt.date
    if start is None:
        start = dates.min() if len(dates) else None
    if end is None:
        end = dates.max() if len(dates) else None
    if start is not None:
        within = ((dates >= start) & (dates <= end)).to_numpy()
        incidents, dates = incidents[within], dates[within]
    crs = mission_crs(agreements, incidents)
    areas = agreement_areas(
        agreements, crs, line_buffer_km=line_buffer_km, point_radius_km=point_radius_km
    )
    points = to_metric(incidents.geometry, crs)
    rows, violations = [], []
    kinds = agreements.geom_type.fillna("").to_numpy()
    for (_, agreement), area, kind in zip(agreements.iterrows(), areas, kinds, strict=True):
        inside = points.within(area).to_numpy()
        row, listed = _one(agreement, incidents[inside], dates[inside], start, end)
        row["area"] = _area_words(kind, line_buffer_km, point_radius_km)
        rows.append(row)
        violations.append(listed)
    summary = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS, "after_end_p"])
    if len(summary):
        summary["p_adjusted"] = fdr_adjust(summary["p"].to_numpy(dtype=float))
        summary["after_end_p_adjusted"] = fdr_adjust(summary["after_end_p"].to_numpy(dtype=float))
        summary["verdict"] = [
            _verdict(r, alpha) if not r["verdict"] else r["verdict"] for _, r in summary.iterrows()
        ]
        summary["after_end_verdict"] = [_after_verdict(r, alpha) for _, r in summary.iterrows()]
    summary = summary[SUMMARY_COLUMNS]
    listed = [v for v in violations if len(v)]
    table = (
        pd.concat(listed, ignore_index=True) if listed else pd.DataFrame(columns=VIOLATION_COLUMNS)
    )
    caption = (
        f"Incidents inside each agreement's area (polygon; line buffered by {line_buffer_km:g} "
        f"km; point with a {point_radius_km:g} km radius) per 30 days before signature, while "
        "in force, and after it was violated or lapsed, within the data period "
        f"({start} to {end}); exact conditional binomial rate-ratio test, Benjamini-Hochberg "
        f"across agreements, significant at {alpha:g}. Incidents in the area while in force "
        "are possible violations, for an analyst to judge."
    )
    caption += "".join(f" {note}." for note in notes)
    return AgreementWatch(summary, table, caption, notes)


def _one(agreement, inside: gpd.GeoDataFrame, dates: pd.Series, start, end):
    signed = _date(agreement.get("date_signed"))
    ended = _date(agreement.get("date_ended"))
    row = {c: agreement.get(c) for c in SUMMARY_COLUMNS[:6]}
    row.update(
        date_signed=signed,
        date_ended=ended,
        verdict="",
        after_end_p=float("nan"),
    )
    empty = pd.DataFrame(columns=VIOLATION_COLUMNS)
    if start is None:
        row["verdict"] = "no incidents in the data"
        return row, empty
    if signed is None:
        row["verdict"] = "not signed yet"
        return row, empty
    last_in_force = min(end, ended - dt.timedelta(days=1)) if ended else end
    first_in_force = max(start, signed)
    before = (dates < signed).to_numpy()
    in_force = ((dates >= signed) & ((dates < ended) if ended else True)).to_numpy()
    test = compare_rates(
        before.sum(),
        _days(start, min(end, signed - dt.timedelta(days=1))),
        in_force.sum(),
        _days(first_in_force, last_in_force),
    )
    row.update(
        before_incidents=test.first_count,
        before_days=test.first_days,
        before_rate_30d=test.first_rate,
        in_force_incidents=test.second_count,
        in_force_days=test.second_days,
        in_force_rate_30d=test.second_rate,
        rate_ratio=test.ratio,
        ratio_low=test.low,
        ratio_high=test.high,
        p=test.p,
        in_force_by_motivation=_mix(inside.loc[in_force, "motivation"]),
        in_force_by_perpetrator=_mix(inside.loc[in_force, "perpetrator_type"]),
    )
    if signed > end:
        row["verdict"] = "signed after the data ends"
    elif signed <= start:
        row["verdict"] = "signed before the data starts: no before period"
    elif len(inside) == 0:
        row["verdict"] = "no incidents in its area"
    if ended is not None:
        after = (dates >= ended).to_numpy()
        later = compare_rates(
            test.second_count,
            test.second_days,
            int(after.sum()),
            _days(max(start, ended), end),
        )
        row.update(
            after_end_incidents=later.second_count,
            after_end_days=later.second_days,
            after_end_rate_30d=later.second_rate,
            after_end_ratio=later.ratio,
            after_end_p=later.p,
        )
    listed = inside.loc[in_force, VIOLATION_COLUMNS[1:]].copy()
    listed.insert(0, "agreement_id", agreement.get("agreement_id"))
    listed["date"] = pd.to_datetime(listed["date"]).dt.date
    return row, listed.sort_values(["date", "incident_id"])


def _area_words(kind: str, line_buffer_km: float, point_radius_km: float) -> str:
    if "LineString" in kind:
        return f"line, {line_buffer_km:g} km either side"
    if "Point" in kind:
        return f"point, {point_radius_km:g} km around"
    return "polygon"


def _date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _verdict(row: pd.Series, alpha: float) -> str:
    p = row["p_adjusted"]
    if not p == p:  # NaN: a stretch without days
        return "no comparison possible"
    if p >= alpha:
        return "no significant change after signature"
    return "fell after signature" if row["rate_ratio"] < 1 else "rose after signature"


def _after_verdict(row: pd.Series, alpha: float) -> str:
    if row["date_ended"] is None or pd.isna(row["date_ended"]):
        return ""
    p = row["after_end_p_adjusted"]
    if not p == p:
        return "no comparison possible"
    if p >= alpha:
        return "no significant change after it ended"
    return "resumed after it ended" if row["after_end_ratio"] > 1 else "fell after it ended"
