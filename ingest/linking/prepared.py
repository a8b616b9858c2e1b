"""Reports as arrays the search and the scores read: dates as intervals, places in km."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ingest.linking.nearby import EARTH_RADIUS_M, factorized, name_codes
from ingest.linking.tolerances import DATE_ORDER, LOCATION_ORDER

REQUIRED = (
    "incident_id",
    "family",
    "date",
    "longitude",
    "latitude",
    "incident_type",
    "perpetrator_type",
    "fatalities",
)
_HALF_WEEK = 3.0  # a date known to the week: the source's day, give or take three days


@dataclass
class Reports:
    """One entry per usable report (a date, and a point unless only the country is known)."""

    id_column: pd.Series  # the events' incident_id, read through ``ids``
    rows: np.ndarray  # each report's position in the events
    family: np.ndarray  # codes into ``families``
    families: np.ndarray
    day: np.ndarray  # the date given, in days since 1970
    start: np.ndarray  # the interval the date stands for, in days
    end: np.ndarray
    date_level: np.ndarray  # index into DATE_ORDER
    place_level: np.ndarray  # index into LOCATION_ORDER
    lon: np.ndarray
    lat: np.ndarray
    type_code: np.ndarray  # codes into type_values (-1: not given)
    type_values: np.ndarray
    perpetrator_code: np.ndarray  # codes into perpetrator_values (-1: not given)
    perpetrator_values: np.ndarray
    name_code: np.ndarray  # perpetrator_name as written: codes into name_values
    name_values: np.ndarray
    actors: tuple[np.ndarray, np.ndarray]  # codes, see nearby.same_actor
    fatalities: np.ndarray  # float, NaN: not given

    def __len__(self) -> int:
        return len(self.rows)

    def ids(self, at: np.ndarray) -> np.ndarray:
        """The incident ids of reports ``at``, as text."""
        return self.id_column.iloc[self.rows[at]].astype(str).to_numpy(dtype=object)

    def xyz(self, at: np.ndarray) -> np.ndarray:
        """Reports ``at`` as points on a sphere of the earth's radius, in km: ``(len(at), 3)``."""
        lon, lat = np.radians(self.lon[at]), np.radians(self.lat[at])
        radius_km = EARTH_RADIUS_M / 1000
        return radius_km * np.column_stack(
            [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
        )

    def types(self, at: np.ndarray) -> np.ndarray:
        """The incident types of reports ``at``, as objects (None: not given)."""
        return _values(self.type_code[at], self.type_values)

    def perpetrators(self, at: np.ndarray) -> np.ndarray:
        return _values(self.perpetrator_code[at], self.perpetrator_values)

    def names(self, at: np.ndarray) -> np.ndarray:
        return _values(self.name_code[at], self.name_values)


def _values(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.concatenate([values.astype(object), np.array([None], dtype=object)])[codes]


def prepare(events: pd.DataFrame) -> Reports:
    """The usable reports of ``events`` (see :func:`ingest.linking.candidate_links`).

    Columns are factorised or converted whole (no per-row Python), and the ids are read only
    for the reports a link names.
    """
    missing = [c for c in REQUIRED if c not in events]
    if missing:
        raise ValueError(
            f"the events lack the column(s) {', '.join(missing)}: expected {', '.join(REQUIRED)}"
        )
    n = len(events)
    dates = pd.to_datetime(events["date"], errors="coerce").to_numpy(dtype="datetime64[ns]")
    place_level = _levels(events.get("location_precision"), LOCATION_ORDER, n, default=1)
    date_level = _levels(events.get("date_precision"), DATE_ORDER, n, default=0)
    lon = pd.to_numeric(events["longitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lat = pd.to_numeric(events["latitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    country = place_level == LOCATION_ORDER.index("country")
    # A report placed only to the country is compared with every place: no point is needed.
    lon, lat = np.where(country, 0.0, lon), np.where(country, 0.0, lat)
    keep = np.flatnonzero(~np.isnat(dates) & np.isfinite(lon) & np.isfinite(lat))
    day = dates[keep].astype("datetime64[D]")
    start, end = _interval(day, date_level[keep])
    family, families = factorized(events["family"])
    families = np.array([str(v) for v in families], dtype=object)
    type_code, type_values = factorized(events["incident_type"])
    perpetrator_code, perpetrator_values = factorized(events["perpetrator_type"])
    names = events.get("perpetrator_name", pd.Series(None, index=events.index, dtype=object))
    name_code, name_values = factorized(names)
    name_code, perpetrator_code = name_code[keep], perpetrator_code[keep]
    fatalities = pd.to_numeric(events["fatalities"], errors="coerce")
    return Reports(
        id_column=events["incident_id"],
        rows=keep,
        family=family[keep],
        families=families,
        day=day.astype(np.int64).astype(float),
        start=start,
        end=end,
        date_level=date_level[keep],
        place_level=place_level[keep],
        lon=lon[keep],
        lat=lat[keep],
        type_code=type_code[keep],
        type_values=type_values,
        perpetrator_code=perpetrator_code,
        perpetrator_values=perpetrator_values,
        name_code=name_code,
        name_values=name_values,
        actors=(perpetrator_code, name_codes(name_code, name_values)),
        fatalities=fatalities.to_numpy(dtype=float, na_value=np.nan)[keep],
    )


def _levels(
    column: pd.Series | None, order: tuple[str, ...], n: int, *, default: int
) -> np.ndarray:
    """Each value's index in ``order``; ``default`` for none or anything else."""
    if column is None:
        return np.full(n, default, dtype=np.int64)
    # Looked up once per distinct value, not once per row.
    codes, values = factorized(column)
    found = pd.Index(order).get_indexer(pd.Index([str(v) for v in values], dtype=object))
    levels = np.append(np.where(found < 0, default, found), default)  # -1: not given
    return levels[codes].astype(np.int64)


def _interval(day: np.ndarray, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and last day (since 1970) a date known to its ``level`` stands for."""
    d = day.astype(np.int64).astype(float)
    start, end = d.copy(), d.copy()
    week = level == DATE_ORDER.index("week")
    start[week], end[week] = d[week] - _HALF_WEEK, d[week] + _HALF_WEEK
    for name, unit in (("month", "datetime64[M]"), ("year", "datetime64[Y]")):
        at = np.flatnonzero(level == DATE_ORDER.index(name))
        if len(at):
            period = day[at].astype(unit)
            start[at] = period.astype("datetime64[D]").astype(np.int64)
            end[at] = (period + 1).astype("datetime64[D]").astype(np.int64) - 1
    return start, end
