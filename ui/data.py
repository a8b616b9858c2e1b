"""Loading the mission's data once per change (the only I/O edge of the pages).

The app shows the store (``POCMAP_DB``; batches imported on the Upload page or with
``pocmap import``), or, when ``POCMAP_DATA_DIR`` is set, a folder of layer files as
``sample_data/`` lays them out (read-only, for review and tests).
"""

from __future__ import annotations

import itertools
import os
import threading
import weakref
from pathlib import Path
from typing import Any

import streamlit as st

from access.roles import Caller
from access.session import Session
from analysis.selection_index import CellIndex, IncidentIndex
from ingest.sample import is_sample_only
from languages import N_, _
from layers.selection_map import make_indexes
from schema.mission import FILES, SAMPLE_DIR, SAMPLE_LABEL, MissionData, from_layers, load_folder
from store import open_store

DATA_DIR_ENV = "POCMAP_DATA_DIR"
DATA_LABEL_ENV = "POCMAP_DATA_LABEL"
LOADING = N_("Loading the mission's layers…")
INDEXING = N_("Indexing the incidents…")
MISSION_STORE = N_("Mission store")


def data_folder() -> Path | None:
    """The folder the app reads instead of the store (``POCMAP_DATA_DIR``), if any."""
    folder = os.environ.get(DATA_DIR_ENV)
    return Path(folder).resolve() if folder else None


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    stats = [(folder / name).stat() for name in FILES.values() if (folder / name).exists()]
    return tuple((name, s.st_mtime_ns, s.st_size) for name, s in zip(FILES, stats, strict=False))


# The spinners are drawn around the calls (in the person's language), not by the cache,
# whose text would be fixed at import in the server's language.
@st.cache_resource(show_spinner=False, max_entries=4)
def _load_folder(folder: str, label: str, fingerprint: tuple) -> MissionData:
    return load_folder(Path(folder), label)


@st.cache_resource(max_entries=2)
def store() -> Any:
    """The store, opened once per process (``POCMAP_DB``)."""
    return open_store()


def session() -> Session:
    """The store as whoever uses this page sees it (signing them in first)."""
    from ui.auth import signed_in

    return signed_in(store())


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_store(
    location: str, label: str, fingerprint: tuple, role: str, office: str | None
) -> MissionData:
    # What a caller sees depends on their role and office only: one load per such view.
    view = Session(store(), Caller(f"{role} view", role, office))
    return from_layers(view.layer, label)


def store_batches() -> list[Any] | None:
    """The batches the caller may know of, to name a briefing's sources; None when showing
    a folder."""
    return None if data_folder() is not None else session().batches()


def _store_label(batches: list[Any]) -> str:
    if is_sample_only(batches):
        return SAMPLE_LABEL
    if any(b.layer == "admin_boundaries" and b.status == "active" for b in batches):
        return os.environ.get(DATA_LABEL_ENV) or _(MISSION_STORE)
    return _(MISSION_STORE)


def _withdrawals_stamp() -> tuple[int, int]:
    """Rows withdrawn one by one and restored so far: a change reloads the map."""
    withdrawals = store().row_withdrawals()
    return len(withdrawals), int(withdrawals["restored_at"].notna().sum())


def mission_data() -> MissionData | None:
    """Every layer, validated; ``None`` while the store has no admin boundaries to map."""
    folder = data_folder()
    if folder is not None:
        label = os.environ.get(DATA_LABEL_ENV) or (
            SAMPLE_LABEL if folder == SAMPLE_DIR.resolve() else folder.name
        )
        # The files' sizes and times are part of the cache key, so a changed file reloads.
        with st.spinner(_(LOADING)):
            return _load_folder(str(folder), label, _fingerprint(folder))
    caller = session().caller
    batches = store().batches()
    if not any(b.layer == "admin_boundaries" and b.in_analysis for b in batches):
        return None
    # Any import, review, withdrawal, restore or recoding changes this key, so the map
    # reloads then only.
    fingerprint = (
        tuple((b.batch_id, b.status, b.review) for b in batches),
        len(store().edits()),
        _withdrawals_stamp(),
    )
    with st.spinner(_(LOADING)):
        return _load_store(
            store().location, _store_label(batches), fingerprint, caller.role, caller.office
        )


@st.cache_resource(show_spinner=False, max_entries=4)
def _indexes(_data: MissionData, data_key: int) -> tuple[IncidentIndex, CellIndex]:
    return make_indexes(_data)


def indexes(data: MissionData) -> tuple[IncidentIndex, CellIndex]:
    """The incidents' filter and cell indexes, made once per loaded data."""
    with st.spinner(_(INDEXING)):
        return _indexes(data, data_key(data))


_KEYS: dict[int, tuple[weakref.ref, int]] = {}
_KEYS_LOCK = threading.Lock()
_NEXT_KEY = itertools.count(1)


def data_key(data: MissionData) -> int:
    """A number for this loaded data, never reused for another while either lives.

    ``id(data)`` alone is not enough: once the loaded data is evicted from its cache and
    freed, new data can be given the same id, and would get the old data's results.
    """
    with _KEYS_LOCK:
        held = _KEYS.get(id(data))
        if held is None or held[0]() is not data:
            held = (weakref.ref(data), next(_NEXT_KEY))
            _KEYS[id(data)] = held
            for stale in [k for k, (ref, _held) in _KEYS.items() if ref() is None]:
                del _KEYS[stale]
        return held[1]
