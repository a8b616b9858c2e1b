"""Places from the map, kept true when the map changes.

The import places each incident as it comes in (:func:`ingest.pipeline.preview_import`);
:func:`replace_all` places every stored incident again when admin boundaries or areas of
responsibility come into analysis or leave it (a commit, an acceptance, a withdrawal, a
restoration: :mod:`ingest.pipeline`, :class:`access.session.Session`) and on
``pocmap places --refresh``. Only the rows whose places change are written, in one
transaction with one audit entry (:meth:`store.sql_store.SqlStore.set_derived`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ingest.places import DERIVED_COLUMNS, Areas, Placement, placements, prepare
from languages import _
from store.protocol import StoreLike
from store.sql_store import SqlStore

PLACE_LAYERS = ("admin_boundaries", "mission_presence")
"""The layers incidents are placed by."""


def in_analysis(store: StoreLike, layer: str) -> pd.DataFrame:
    """The rows of ``layer`` in analysis: active batches an analyst accepted (a store's
    layer also holds uploads still under review; boundaries waiting for review place
    nothing)."""
    frame = store.layer(layer)
    if not len(frame):
        return frame
    shown = [b.batch_id for b in store.batches(layer) if b.in_analysis]
    return frame[np.isin(frame["batch_id"].to_numpy(dtype="int64"), shown)]


def loaded_areas(store: StoreLike) -> Areas:
    """The boundaries and areas of responsibility in analysis, prepared for placing."""
    return prepare(in_analysis(store, "admin_boundaries"), in_analysis(store, "mission_presence"))


def _every_incident(store: StoreLike) -> pd.DataFrame:
    """Every stored incident: all batches for a store; for a session, what its caller
    sees (accepted batches and those under review it may look at)."""
    if isinstance(store, SqlStore):
        return store.layer("incidents", include_withdrawn=True)
    frames = [store.layer("incidents")]
    may = getattr(store, "may", None)
    office = getattr(getattr(store, "caller", None), "office", None)
    if may is not None and may("view_under_review", office):
        frames.append(store.layer("incidents", under_review=True))  # type: ignore[call-arg]
    frames = [f for f in frames if len(f)]
    if len(frames) < 2:
        return frames[0] if frames else store.layer("incidents")
    return pd.concat(frames, ignore_index=True)


def _plain(column: pd.Series) -> np.ndarray:
    values = column.astype(object)
    return values.where(values.notna(), None).to_numpy(dtype=object)


def _one_row_per_id(store: StoreLike, incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per id: a file re-processed leaves its withdrawn batch's rows under the same
    ids, a corrected file sent again its earlier versions (store/versions.py); the current
    row decides: in analysis first, then active, then the newest batch (the store writes
    every row of an id alike)."""
    ids = incidents["incident_id"].astype(object)
    if not ids.duplicated().any():
        return incidents
    batches = store.batches("incidents")
    numbers = incidents["batch_id"].to_numpy(dtype="int64")
    shown = np.isin(numbers, [b.batch_id for b in batches if b.in_analysis])
    active = np.isin(numbers, [b.batch_id for b in batches if b.status == "active"])
    order = np.lexsort((-numbers, ~active, ~shown))
    return incidents.iloc[order][~ids.iloc[order].duplicated().to_numpy()].sort_index()


def replace_all(store: StoreLike, *, by: Any, reason: str | None = None) -> Placement | None:
    """Place every stored incident again by the boundaries and areas in analysis; write
    the rows whose places changed. ``None`` when no incident is stored.

    Parameters
    ----------
    store : a store (every batch, withdrawn ones too) or a session (what its caller sees;
        writing needs an analyst).
    by : who the audit entry names.
    reason : why, for the audit entry (``batch 7 withdrawn``); default ``places
        refreshed``, in the current language.
    """
    reason = reason or _("places refreshed")
    incidents = _one_row_per_id(store, _every_incident(store))
    if not len(incidents):
        return None
    placement = placements(incidents, loaded_areas(store))
    values = placement.values.copy()
    # A row whose names the map leaves as they are keeps its reported columns as they are
    # (empty on rows stored before places were derived): nothing to write for it.
    unplaced = _plain(incidents["admin1_reported"]) == None  # noqa: E711 (elementwise)
    unplaced &= _plain(incidents["admin2_reported"]) == None  # noqa: E711
    for column in ("admin1", "admin2"):
        unplaced &= _plain(incidents[column]) == _plain(values[column])
    values.loc[unplaced, ["admin1_reported", "admin2_reported"]] = None
    changed = np.zeros(len(values), dtype=bool)
    for column in DERIVED_COLUMNS:
        changed |= _plain(incidents[column]) != _plain(values[column])
    if changed.any():
        rows = values[changed]
        rows.index = pd.Index(incidents["incident_id"].to_numpy()[changed], name="incident_id")
        store.set_derived("incidents", rows[list(DERIVED_COLUMNS)], by=by, reason=reason)
    return placement
