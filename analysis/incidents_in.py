"""Which incidents stand behind a row of the joint analysis, and which sit under a map click.

Each function answers from the same results and parameters the table was made with, so the
incidents listed for a row are exactly the ones its counts count:

- :func:`in_hot_spot`: the incidents in a hot-spot cluster's cells (``protection_gaps`` and
  ``drivers_by_hot_spot`` count them; :func:`analysis.hotspots.cluster_of_incident`);
- :func:`in_agreement`: the incidents in an agreement's area within the data period, each
  with its stretch (before signature, in force, after the end) and the watch windows it
  falls in (the ``agreement_watch`` row's counts; :mod:`analysis.agreement_watch`);
- :func:`in_milestone_window`: the incidents in the windows before and from a national
  milestone (the ``escalation_around_milestones`` row; :mod:`analysis.escalation`);
- :func:`at_click`: the incidents at the point st_folium says was clicked on the joint map.

The ``*_incidents`` functions take a :class:`analysis.joint.JointAnalysis` and the data it
ran on and pass on its selection and options.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.agreement_watch import agreement_areas
from analysis.filters import filter_by_office, filter_incidents
from analysis.hotspots import HotSpots, cluster_of_incident
from analysis.joint import JointAnalysis
from analysis.metric import mission_crs, to_metric
from analysis.precision import in_day_windows, placed
from analysis.windows import coverage, covered_days
from schema.mission import MissionData

STRETCHES = ("before", "in_force", "after_end")
"""An incident's stretch in an agreement's area: before signature, in force, after the end."""

AGREEMENT_PARTS = {
    "before": "before_incidents",
    "in_force": "in_force_incidents",
    "after_end": "after_end_incidents",
    "signature_before": "window_before",
    "signature_after": "window_after",
    "end_before": "end_window_before",
    "end_after": "end_window_after",
    "recent_previous": "previous_incidents",
    "recent": "recent_incidents",
}
"""Each part of an agreement's incidents (a boolean column of :func:`in_agreement`) and the
``agreement_watch`` column that counts it."""

MILESTONE_SIDES = {"before": "before_incidents", "after": "after_incidents"}
"""Each window of a milestone (``side`` of :func:`in_milestone_window`) and its count."""

COORDINATE_DECIMALS = 5
"""The map's markers are placed at coordinates rounded to this many decimals
(:func:`layers.incidents.marker_rows`): a marker's click comes back so rounded."""


def in_hot_spot(spots: HotSpots, incidents: pd.DataFrame, cluster: int) -> pd.DataFrame:
    """The incidents of ``incidents`` (those ``spots`` was computed on) in hot-spot ``cluster``.

    Their number is the cluster's ``incidents`` in the protection gaps and the drivers.
    """
    of_incident = cluster_of_incident(spots).reindex(incidents.index)
    return incidents[(of_incident == cluster).to_numpy()]


def in_agreement(
    incidents: gpd.GeoDataFrame,
    agreements: gpd.GeoDataFrame,
    row: Mapping[str, Any],
    *,
    line_buffer_km: float = 5.0,
    point_radius_km: float = 5.0,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> gpd.GeoDataFrame:
    """The incidents in the area of the agreement of ``row`` (an ``agreement_watch`` row)
    within the data period, as :func:`analysis.agreement_watch.agreement_watch` counts them
    with the same ``incidents``, ``agreements`` and parameters.

    Returns
    -------
    The incidents, with ``stretch`` (:data:`STRETCHES`) and one boolean column per
    window of :data:`AGREEMENT_PARTS` (its lengths read from ``row``); each column's sum is
    the row's count.
    """
    by_day, _note = in_day_windows(incidents)
    is_place, _left_off = placed(incidents)
    incidents = incidents[by_day & is_place]
    dates = pd.to_datetime(incidents["date"]).dt.date
    spans = coverage(incidents) if len(incidents) else []
    start = start if start is not None else (spans[0][0] if spans else None)
    end = end if end is not None else (spans[-1][1] if spans else None)
    if start is not None and end is not None:
        within = ((dates >= start) & (dates <= end)).to_numpy()
        incidents, dates = incidents[within], dates[within]
    # The same metric CRS as the watch: centred on every agreement and these incidents.
    crs = mission_crs(agreements, incidents)
    areas = agreement_areas(
        agreements, crs, line_buffer_km=line_buffer_km, point_radius_km=point_radius_km
    )
    position = np.flatnonzero((agreements["agreement_id"] == row["agreement_id"]).to_numpy())
    if not len(position) or not len(incidents):
        return _with_parts(incidents.iloc[:0], pd.Series([], dtype=object), row, end)
    inside = to_metric(incidents.geometry, crs).within(areas.iloc[position[0]]).to_numpy()
    return _with_parts(incidents[inside], dates[inside], row, end)


def _with_parts(
    incidents: gpd.GeoDataFrame, dates: pd.Series, row: Mapping[str, Any], end: dt.date | None
) -> gpd.GeoDataFrame:
    listed = incidents.copy()
    signed, ended = _day(row.get("date_signed")), _day(row.get("date_ended"))
    stretch = np.full(len(listed), "in_force", dtype=object)
    if signed is not None:
        stretch[(dates < signed).to_numpy()] = "before"
    else:  # not signed: nothing is in force, before or after
        stretch[:] = ""
    if ended is not None:
        stretch[(dates >= ended).to_numpy()] = "after_end"
    listed["stretch"] = stretch
    listed["signature_before"] = _window(dates, signed, -_days(row.get("window_days")))
    listed["signature_after"] = _window(dates, signed, _days(row.get("window_days")))
    listed["end_before"] = _window(dates, ended, -_days(row.get("end_window_days")))
    listed["end_after"] = _window(dates, ended, _days(row.get("end_window_days")))
    recent = _days(row.get("recent_days")) if _tested(row.get("previous_incidents")) else 0
    if end is not None and recent:
        first = end - dt.timedelta(days=2 * recent - 1)
        listed["recent_previous"] = _window(dates, first, recent)
        listed["recent"] = _window(dates, first + dt.timedelta(days=recent), recent)
    else:
        listed["recent_previous"] = listed["recent"] = np.zeros(len(listed), dtype=bool)
    for stretch_name in STRETCHES:
        listed[stretch_name] = listed["stretch"].to_numpy() == stretch_name
    return listed


def _window(dates: pd.Series, day: dt.date | None, days: int) -> np.ndarray:
    """``days`` days from ``day`` (negative: the days before it, to the day before)."""
    if day is None or not days:
        return np.zeros(len(dates), dtype=bool)
    first = day + dt.timedelta(days=days) if days < 0 else day
    last = first + dt.timedelta(days=abs(days))
    return ((dates >= first) & (dates < last)).to_numpy(dtype=bool)


def _days(value: Any) -> int:
    return int(value) if _tested(value) else 0


def _tested(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def _day(value: Any) -> dt.date | None:
    return pd.Timestamp(value).date() if _tested(value) else None


def in_milestone_window(
    incidents: pd.DataFrame, milestone_day: dt.date | pd.Timestamp, *, window_days: int
) -> pd.DataFrame:
    """The incidents in the ``window_days`` before ``milestone_day`` (to the day before) and
    the ``window_days`` from it, on days the data cover, as
    :func:`analysis.escalation.escalation` counts them from the same ``incidents``.

    Returns
    -------
    The incidents with ``side`` (``before`` or ``after``: :data:`MILESTONE_SIDES`).
    """
    placeable, _note = in_day_windows(incidents)
    incidents = incidents[placeable]
    dates = pd.to_datetime(incidents["date"]).dt.normalize()
    spans = coverage(incidents, dates)
    day = pd.Timestamp(milestone_day).normalize()
    offsets = (dates - day).dt.days.to_numpy()
    before = (offsets >= -window_days) & (offsets <= -1)
    after = (offsets >= 0) & (offsets <= window_days - 1)
    if spans:  # only days the data cover count (a window out there is "not covered")
        first = spans[0][0]
        covered = covered_days(first, spans[-1][1], spans)
        position = (dates - pd.Timestamp(first)).dt.days.to_numpy()
        inside = (position >= 0) & (position < len(covered))
        on_covered = np.zeros(len(dates), dtype=bool)
        on_covered[inside] = covered[position[inside]]
        before, after = before & on_covered, after & on_covered
    listed = incidents[before | after].copy()
    listed["side"] = np.where(after[before | after], "after", "before")
    return listed


# --- from a joint analysis ----------------------------------------------------------------


def selected(data: MissionData, result: JointAnalysis) -> gpd.GeoDataFrame:
    """The incidents ``result`` analysed: ``data``'s incidents through its selection."""
    return filter_incidents(data.incidents, result.selection)


def hot_spot_incidents(data: MissionData, result: JointAnalysis, cluster: int) -> pd.DataFrame:
    """:func:`in_hot_spot` for ``result``'s hot spots."""
    return in_hot_spot(result.hot_spots, selected(data, result), cluster)


def agreement_incidents(
    data: MissionData, result: JointAnalysis, agreement_id: str
) -> gpd.GeoDataFrame:
    """:func:`in_agreement` for the row of ``agreement_id`` in ``result``'s agreement watch."""
    summary = result.agreements.summary
    rows = summary[summary["agreement_id"] == agreement_id]
    if not len(rows):
        raise KeyError(agreement_id)
    agreements = filter_by_office(data.local_agreements, result.selection.field_offices)
    options = result.options
    return in_agreement(
        selected(data, result),
        agreements,
        {str(k): v for k, v in rows.iloc[0].items()},
        line_buffer_km=options.line_buffer_km,
        point_radius_km=options.point_radius_km,
        start=result.start,
        end=result.end,
    )


def milestone_incidents(
    data: MissionData, result: JointAnalysis, milestone_id: str
) -> pd.DataFrame:
    """:func:`in_milestone_window` for the row of ``milestone_id`` in ``result``'s escalation
    table: the selection's incidents whatever their date (as the escalation is given)."""
    table = result.escalation.table
    rows = table[table["milestone_id"] == milestone_id]
    if not len(rows):
        raise KeyError(milestone_id)
    undated = dataclasses.replace(result.selection, start=None, end=None)
    return in_milestone_window(
        filter_incidents(data.incidents, undated),
        rows.iloc[0]["date"],
        window_days=result.options.window_days,
    )


# --- the joint map ------------------------------------------------------------------------


def clicked_point(returned: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """``(lat, lng)`` of the object last clicked, from what ``st_folium`` returns
    (``{"last_object_clicked": {"lat": ..., "lng": ...}}``); ``None`` before any click."""
    if not returned:
        return None
    point = returned.get("last_object_clicked")
    if not isinstance(point, Mapping):
        return None
    try:
        lat, lng = float(point["lat"]), float(point["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lng) if np.isfinite(lat) and np.isfinite(lng) else None


def at_click(
    returned: Mapping[str, Any] | None,
    incidents: gpd.GeoDataFrame,
    *,
    cells: gpd.GeoDataFrame | None = None,
    cell_of_incident: pd.Series | None = None,
) -> gpd.GeoDataFrame:
    """The incidents under the map's last click (``returned``: what ``st_folium`` gives).

    An incident marker comes back at its own place (rounded as the markers are: every
    incident there is listed, as one marker may hide others at the same spot). A click
    elsewhere, on a cell of the map's incident cells (``cells``, WGS84, with ``cell_id``),
    lists the incidents of ``incidents`` in that cell (``cell_of_incident``: each incident's
    ``cell_id``, on the incidents' index). Nothing clicked, or nothing there: no row.
    """
    point = clicked_point(returned)
    if point is None or not len(incidents):
        return incidents.iloc[:0]
    lat, lng = point
    places = incidents.geometry
    has_place = ~(places.isna() | places.is_empty).to_numpy()
    xs = np.full(len(incidents), np.nan)
    ys = np.full(len(incidents), np.nan)
    xs[has_place], ys[has_place] = places[has_place].x.to_numpy(), places[has_place].y.to_numpy()
    same = (np.round(xs, COORDINATE_DECIMALS) == round(lng, COORDINATE_DECIMALS)) & (
        np.round(ys, COORDINATE_DECIMALS) == round(lat, COORDINATE_DECIMALS)
    )
    if same.any() or cells is None or cell_of_incident is None or not len(cells):
        return incidents[same]
    from shapely.geometry import Point

    hit = cells[cells.geometry.covers(Point(lng, lat)).to_numpy()]
    if not len(hit):
        return incidents.iloc[:0]
    wanted = set(hit["cell_id"])
    return incidents[cell_of_incident.reindex(incidents.index).isin(wanted).to_numpy()]
