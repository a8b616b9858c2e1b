"""Loading the mission's data once per process (the only I/O edge of the pages)."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from layers.mission import FILES, SAMPLE_DIR, SAMPLE_LABEL, MissionData, load_folder

DATA_DIR_ENV = "POCMAP_DATA_DIR"
DATA_LABEL_ENV = "POCMAP_DATA_LABEL"


def data_folder() -> Path:
    """The folder the app reads: ``POCMAP_DATA_DIR``, or the synthetic sample."""
    return Path(os.environ.get(DATA_DIR_ENV) or SAMPLE_DIR).resolve()


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    stats = [(folder / name).stat() for name in FILES.values() if (folder / name).exists()]
    return tuple((name, s.st_mtime_ns, s.st_size) for name, s in zip(FILES, stats, strict=False))


@st.cache_resource(show_spinner="Loading the mission's layers…", max_entries=4)
def _load(folder: str, label: str, fingerprint: tuple) -> MissionData:
    return load_folder(Path(folder), label)


def mission_data() -> MissionData:
    """Every layer, validated; reloaded when a file in the folder changes."""
    folder = data_folder()
    label = os.environ.get(DATA_LABEL_ENV) or (
        SAMPLE_LABEL if folder == SAMPLE_DIR.resolve() else folder.name
    )
    # The files' sizes and times are part of the cache key, so a changed file reloads.
    return _load(str(folder), label, _fingerprint(folder))
