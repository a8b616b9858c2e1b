"""Possible repeats of an incident: same day, same type, same perpetrator, within 1 km of another.

Different actors the same day in one place are different incidents, not repeats: the
perpetrator is the same when both rows name it alike (case and spaces aside), else when
their perpetrator types agree. The pairs are found by :func:`ingest.linking.nearby.close_pairs`
(shared with the linking of one source's reports), without comparing every pair.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ingest import columns
from ingest.findings import CheckContext, Findings
from ingest.linking.nearby import (
    EARTH_RADIUS_M,
    close_pairs,
    factorized,
    haversine,
    name_key,
    same_actor,
)
from languages import _

__all__ = ["EARTH_RADIUS_M", "NEAR_DUPLICATE_METRES", "haversine", "near_duplicates"]

NEAR_DUPLICATE_METRES = 1000.0
ACTOR_KEYS = ("perpetrator_type", "perpetrator_name")
"""Columns that tell actors apart, used when the rows (and stored incidents) have them."""


def near_duplicates(
    typed: pd.DataFrame,
    geometry: gpd.GeoSeries | None,
    context: CheckContext,
    findings: Findings,
    *,
    xy: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """Same day, same type, same perpetrator, within 1 km: flagged for a person to judge,
    never dropped.

    Each flagged row names every other row of the file (in file order), then every
    stored incident (in store order), that is that close, with the distance. ``xy``:
    the points' coordinates when known already (else read from ``geometry``). The
    perpetrator (:data:`ACTOR_KEYS`, where ``typed`` has them) is the same when both rows
    name it alike, else when their types agree; rows (or stored incidents) without those
    columns are not told apart by actor.
    """
    if not {"date", "incident_type"} <= set(typed.columns):
        return
    if xy is None:
        if geometry is None:
            raise ValueError("near_duplicates needs the rows' `geometry` or their `xy`")
        # NaN for anything but a point (and for no shape at all).
        shapes = np.asarray(geometry.array)
        xy = shapely.get_x(shapes), shapely.get_y(shapes)
        del shapes
    x, y = xy
    days, day_values = pd.factorize(pd.to_datetime(typed["date"]).to_numpy())
    # The checks found the type column's distinct values already (unless they changed it).
    types, type_values = columns.known_distinct(typed["incident_type"]) or pd.factorize(
        typed["incident_type"]
    )
    usable = (days >= 0) & (types >= 0) & ~np.isnan(x) & ~np.isnan(y)
    if not usable.any():
        return
    rows = typed.index[usable]
    group = [days[usable], types[usable]]
    lon, lat = [x[usable]], [y[usable]]
    del x, y, days, types
    stored_labels: pa.Array | None = None
    stored = context.stored_incidents
    same_actor = _SameActor(typed, np.flatnonzero(usable), stored)
    if stored is not None and len(stored):
        # A stored incident of a day or type the file does not have is near none of its rows.
        group[0] = np.concatenate(
            [group[0], pd.Index(day_values).get_indexer(pd.to_datetime(stored["date"]))]
        )
        group[1] = np.concatenate(
            [group[1], pd.Index(type_values).get_indexer(stored["incident_type"])]
        )
        lon.append(stored.geometry.x.to_numpy(dtype=float))
        lat.append(stored.geometry.y.to_numpy(dtype=float))
        before, after = _around(_("stored incident {incident_id}"), "incident_id")
        stored_labels = pa.array(
            (before + stored["incident_id"].astype(str) + after).tolist(), _TEXT
        )
    me, other, metres = close_pairs(
        group[0],
        group[1],
        np.concatenate(lon),
        np.concatenate(lat),
        len(rows),
        metres=NEAR_DUPLICATE_METRES,
        actors=same_actor,
    )
    if not len(me):
        return
    starts = np.flatnonzero(np.diff(me, prepend=-1))
    findings.warn_rows(
        rows[me[starts]].tolist(),
        "date/incident_type/location",
        _problems(rows, stored_labels, other, metres, starts),
        _("check it is a different incident; both are kept"),
    )


class _SameActor:
    """Whether pairs of points (positions among the file's usable rows, then the stored
    incidents) have the same perpetrator: read only for the few rows of pairs close enough,
    not for every row."""

    def __init__(self, typed: pd.DataFrame, usable: np.ndarray, stored: pd.DataFrame | None):
        self.frames = [(typed, usable), (stored, None)] if stored is not None else [(typed, usable)]
        self.mine = len(usable)

    def __call__(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        rows = np.unique(np.concatenate([i, j]))
        mine = rows[rows < self.mine]
        parts = [self._read(*self.frames[0], mine)]
        if len(self.frames) > 1:
            parts.append(self._read(*self.frames[1], rows[rows >= self.mine] - self.mine))
        types = np.concatenate([p[0] for p in parts])
        names = np.concatenate([p[1] for p in parts])
        codes = (factorized(types)[0], factorized(names)[0])
        return same_actor(codes, np.searchsorted(rows, i), np.searchsorted(rows, j))

    @staticmethod
    def _read(
        frame: pd.DataFrame, usable: np.ndarray | None, at: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        positions = at if usable is None else usable[at]
        out = []
        for key in ACTOR_KEYS:
            if key in frame:
                values = frame[key].iloc[positions].to_numpy(dtype=object)
                values = values.copy()
                values[pd.isna(values)] = None
            else:
                values = np.full(len(positions), None, dtype=object)
            if key == "perpetrator_name":
                values = np.array([name_key(v) for v in values], dtype=object)
            out.append(values.astype(object))
        return out[0], out[1]


_TEXT = pa.large_string()


def _t(text: str) -> pa.Scalar:
    return pa.scalar(text, _TEXT)


def _around(message: str, name: str) -> tuple[str, str]:
    """A translated message's text before and after its one placeholder ``{name}``: the
    whole sentence is translated (the words may move around the value in another
    language), then filled in by Arrow for a million rows at once."""
    before, found, after = message.partition("{" + name + "}")
    if not found:  # a translation without the placeholder: the catalogue tests refuse it
        raise ValueError(f"{message!r} has no {{{name}}}")
    return before, after


def _problems(
    rows: pd.Index,
    stored_labels: pa.Array | None,
    other: np.ndarray,
    metres: np.ndarray,
    starts: np.ndarray,
) -> list[str]:
    """One problem per flagged row (each a run of pairs from ``starts``): every other row
    or stored incident close to it, with the distance, written in C."""
    in_file = other < len(rows)
    file_rows = rows[other[in_file]]
    numbers = (
        pa.array(file_rows.to_numpy()).cast(_TEXT)
        if pd.api.types.is_integer_dtype(file_rows.dtype)
        else pa.array([str(row) for row in file_rows], _TEXT)
    )
    before, after = _around(_("row {row} of this file"), "row")
    names = [pc.binary_join_element_wise(_t(before), numbers, _t(after), _t(""))]
    if stored_labels is not None:
        names.append(stored_labels.take(pa.array(other[~in_file] - len(rows))))
    # Back to the pairs' order: the file's rows where they were, the stored ones in between.
    placed = np.concatenate([np.flatnonzero(in_file), np.flatnonzero(~in_file)])
    named = pa.concat_arrays(names).take(pa.array(np.argsort(placed)))
    # f"{m:.0f}": the integer nearest to the value, halves to even, as numpy's rint.
    distance = pa.array(np.rint(metres).astype(np.int64)).cast(_TEXT)
    # "{place} ({metres} m)": the place first in every language pocmap speaks.
    first, rest = _around(_("{place} ({metres} m)"), "place")
    between, last = _around(rest, "metres")
    described = pc.binary_join_element_wise(
        _t(first), named, _t(between), distance, _t(last), _t("")
    )
    offsets = pa.array(np.append(starts, len(other)), pa.int64())
    listed = pc.binary_join(pa.LargeListArray.from_arrays(offsets, described), _t(", "))
    before, after = _around(
        _("may repeat {listed}: same day, type and perpetrator within 1 km"), "listed"
    )
    problems = pc.binary_join_element_wise(_t(before), listed, _t(after), _t(""))
    return problems.to_pylist()
