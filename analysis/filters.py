"""The map's selection: which incidents (and political work) a set of filters keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from languages import _
from schema.fields import split_codes
from schema.filters import ORIGIN_WHEN_EMPTY, IncidentFilter
from schema.incidents import MOTIVATIONS
from schema.places import keys_of, name_key


@dataclass(frozen=True)
class SelectionSummary:
    """The counts shown beside the map."""

    incidents: int
    total_incidents: int
    fatalities: int
    by_motivation: dict[str, int]


def _isin(series: pd.Series, wanted: frozenset[str]) -> pd.Series:
    return series.isin(list(wanted)).fillna(False).astype(bool)


def _same_place(series: pd.Series, wanted: frozenset[str]) -> pd.Series:
    """Rows whose name is one of ``wanted`` however spelt (case, accents, "province"...):
    ``--admin1 ouaka`` keeps "Ouaka". Keys are computed once per distinct name."""
    keys = keys_of(wanted)
    codes, names = pd.factorize(series, use_na_sentinel=True)
    matching = np.array([name_key(n) in keys for n in names] + [False], dtype=bool)
    return pd.Series(matching[codes], index=series.index)


def _any_victim_group(series: pd.Series, wanted: frozenset[str]) -> pd.Series:
    return series.map(lambda v: bool(wanted.intersection(split_codes(v)))).astype(bool)


def motivation_origins(incidents: pd.DataFrame) -> pd.Series:
    """How each incident's motivation was coded, an empty origin read as ``source`` (as
    sent: :data:`schema.filters.ORIGIN_WHEN_EMPTY`); every row ``source`` when the frame
    has no ``motivation_origin`` column (data from before the field)."""
    if "motivation_origin" not in incidents:
        return pd.Series(ORIGIN_WHEN_EMPTY, index=incidents.index, dtype="str")
    origin = incidents["motivation_origin"].astype("str").str.strip()
    return origin.where(origin.fillna("").ne(""), ORIGIN_WHEN_EMPTY)


def filter_incidents(incidents: gpd.GeoDataFrame, selection: IncidentFilter) -> gpd.GeoDataFrame:
    """The incidents that pass every filter in ``selection`` (dates inclusive).

    An incident with no ``motivation_confidence`` passes only when ``selection`` asks for
    no confidence; an empty ``motivation_origin`` is ``source`` (see
    :class:`schema.filters.IncidentFilter`)."""
    keep = pd.Series(True, index=incidents.index)
    if selection.start is not None:
        keep &= incidents["date"] >= pd.Timestamp(selection.start)
    if selection.end is not None:
        keep &= incidents["date"] < pd.Timestamp(selection.end) + pd.Timedelta(days=1)
    for column, wanted in (
        ("motivation", selection.motivations),
        ("perpetrator_type", selection.perpetrator_types),
        ("incident_type", selection.incident_types),
    ):
        if wanted:
            keep &= _isin(incidents[column], wanted)
    for column, wanted in (
        ("field_office", selection.field_offices),
        ("admin1", selection.admin1),
        ("admin2", selection.admin2),
    ):
        if wanted:
            keep &= _same_place(incidents[column], wanted)
    if selection.victim_groups:
        keep &= _any_victim_group(incidents["victim_groups"], selection.victim_groups)
    if selection.confidences:
        confidence = incidents.get("motivation_confidence")
        keep &= (
            _isin(confidence, selection.confidences)
            if confidence is not None
            else pd.Series(False, index=incidents.index)
        )
    if selection.motivation_origins:
        keep &= _isin(motivation_origins(incidents), selection.motivation_origins)
    return incidents[keep.to_numpy()]


def filter_by_office(frame: gpd.GeoDataFrame, offices: Iterable[str]) -> gpd.GeoDataFrame:
    """Rows of a political layer run by one of ``offices`` (all rows when none given)."""
    offices = list(offices)
    if not offices:
        return frame
    return frame[_isin(frame["field_office"], frozenset(offices)).to_numpy()]


def months(start: dt.date, end: dt.date) -> list[pd.Period]:
    """Every calendar month from ``start``'s to ``end``'s, for the month slider."""
    if end < start:
        raise ValueError(_("`end` ({end}) is before `start` ({start})", end=end, start=start))
    return list(pd.period_range(pd.Period(start, "M"), pd.Period(end, "M"), freq="M"))


def month_bounds(month: pd.Period) -> tuple[dt.date, dt.date]:
    """First and last day of ``month``."""
    return month.start_time.date(), month.end_time.date()


def summarise(selected: gpd.GeoDataFrame, total: int) -> SelectionSummary:
    """Counts of ``selected`` for the panel beside the map (every motivation listed)."""
    counts = selected["motivation"].value_counts()
    return SelectionSummary(
        incidents=len(selected),
        total_incidents=total,
        fatalities=int(selected["fatalities"].fillna(0).sum()),
        by_motivation={m: int(counts.get(m, 0)) for m in MOTIVATIONS},
    )
