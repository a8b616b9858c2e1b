"""A mission's data: every layer, validated, loaded from a folder of files.

The folder layout is the one ``sample_data/`` uses; issue #3's store will load the
same :class:`MissionData` from uploaded batches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd

from languages import N_, _
from schema import (
    admin_boundaries,
    basemap,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from schema.fields import WGS84, LayerValidationError, Problem

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_LABEL = N_("Carana: synthetic sample data, not a real country")
"""English, marked: shown with ``_(data.label)`` (a folder's name passes through as it is)."""

FILES = {
    "incidents": "incidents.csv",
    "national_milestones": "national_milestones.csv",
    "local_processes": "local_processes.geojson",
    "local_agreements": "local_agreements.geojson",
    "mission_presence": "mission_presence.geojson",
    "admin_boundaries": "admin_boundaries.geojson",
    "basemap": "basemap.geojson",
}

_FIRST_DATA_LINE = 2  # line 1 of a CSV is its header


@dataclass(frozen=True)
class MissionData:
    """Every layer of the joint map, each validated against its schema."""

    incidents: gpd.GeoDataFrame
    national_milestones: pd.DataFrame
    local_processes: gpd.GeoDataFrame
    local_agreements: gpd.GeoDataFrame
    mission_presence: gpd.GeoDataFrame
    admin_boundaries: gpd.GeoDataFrame
    basemap: gpd.GeoDataFrame
    label: str = ""
    not_counted: int = 0
    """Reports left out because another source's report of the same event is counted."""


def _read_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    frame.index = pd.RangeIndex(_FIRST_DATA_LINE, _FIRST_DATA_LINE + len(frame), name="line")
    return frame


def incidents_from_csv(path: Path) -> gpd.GeoDataFrame:
    """Read an incidents CSV with ``longitude``/``latitude`` columns (WGS84) and validate it.

    Problems name the row as a spreadsheet numbers it (the header is row 1).
    """
    frame = _read_csv(path)
    problems = []
    coords = {}
    for column in ("longitude", "latitude"):
        if column not in frame:
            problems.append(
                Problem("all", column, None, _("column is missing"), _("decimal degrees"))
            )
            continue
        coords[column] = pd.to_numeric(frame[column], errors="coerce")
        for line in frame.index[frame[column].isna()]:
            problems.append(Problem(line, column, None, _("is missing"), _("decimal degrees")))
        for line in frame.index[coords[column].isna() & frame[column].notna()]:
            problems.append(
                Problem(
                    line,
                    column,
                    frame.at[line, column],
                    _("is not a number"),
                    _("decimal degrees, such as -3.2415"),
                )
            )
    if problems:
        raise LayerValidationError("incidents", problems, str(path))
    points = gpd.points_from_xy(coords["longitude"], coords["latitude"], crs=WGS84)
    gdf = gpd.GeoDataFrame(frame.drop(columns=["longitude", "latitude"]), geometry=points)
    return incidents.validate(gdf, source=str(path)).reset_index(drop=True)


def _read_layer(path: Path, validate) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path, engine="pyogrio")
    return validate(gdf, source=str(path))


def load_folder(folder: Path, label: str = "") -> MissionData:
    """Load and validate every layer from ``folder`` (file names in :data:`FILES`).

    Raises
    ------
    FileNotFoundError
        naming the missing file.
    LayerValidationError
        naming the file, rows, columns and values that do not fit.
    """
    folder = Path(folder)
    missing = [name for name in FILES.values() if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            _(
                "{folder} lacks {missing} (expected {expected})",
                folder=folder,
                missing=", ".join(missing),
                expected=FILES,
            )
        )
    milestones = political_processes.validate_milestones(
        _read_csv(folder / FILES["national_milestones"]),
        source=str(folder / FILES["national_milestones"]),
    ).reset_index(drop=True)
    return MissionData(
        incidents=incidents_from_csv(folder / FILES["incidents"]),
        national_milestones=milestones,
        local_processes=_read_layer(
            folder / FILES["local_processes"], political_processes.validate_local_processes
        ),
        local_agreements=_read_layer(folder / FILES["local_agreements"], local_agreements.validate),
        mission_presence=_read_layer(folder / FILES["mission_presence"], mission_presence.validate),
        admin_boundaries=_read_layer(folder / FILES["admin_boundaries"], admin_boundaries.validate),
        basemap=_read_layer(folder / FILES["basemap"], basemap.validate),
        label=label,
    )


def load_sample() -> MissionData:
    """The synthetic Carana sample in ``sample_data/``."""
    return load_folder(SAMPLE_DIR, SAMPLE_LABEL)


_Frame = TypeVar("_Frame", bound=pd.DataFrame)


def plain(frame: _Frame) -> _Frame:
    """Nullable pandas dtypes as plain values GDAL and CSV writers accept."""
    out = frame.copy()
    for column in out.columns:
        if column == getattr(out, "_geometry_column_name", None):
            continue
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.dt.strftime("%Y-%m-%d").astype(object)
        elif isinstance(series.dtype, pd.BooleanDtype):
            out[column] = series.astype(bool) if series.notna().all() else series.astype(object)
        elif isinstance(series.dtype, pd.StringDtype):
            out[column] = series.astype(object).where(series.notna(), None)
        elif isinstance(series.dtype, pd.Int64Dtype | pd.Float64Dtype):
            out[column] = series.astype(object).where(series.notna(), None)
    return out


def save_folder(data: MissionData, folder: Path) -> None:
    """Write every layer of ``data`` to ``folder`` in the layout :func:`load_folder` reads."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    table = plain(pd.DataFrame(data.incidents.drop(columns=data.incidents.geometry.name)))
    table.insert(len(table.columns), "longitude", data.incidents.geometry.x.round(6))
    table.insert(len(table.columns), "latitude", data.incidents.geometry.y.round(6))
    table.to_csv(folder / FILES["incidents"], index=False, encoding="utf-8")
    plain(data.national_milestones).to_csv(folder / FILES["national_milestones"], index=False)
    for name in (
        "local_processes",
        "local_agreements",
        "mission_presence",
        "admin_boundaries",
        "basemap",
    ):
        path = folder / FILES[name]
        path.unlink(missing_ok=True)
        plain(getattr(data, name)).to_file(path, driver="GeoJSON", engine="pyogrio")


LAYER_NAMES = tuple(FILES)
"""Every layer of :class:`MissionData`, in the order a mission's data is best loaded."""


def from_layers(layer: Callable[[str], pd.DataFrame], label: str = "") -> MissionData:
    """A :class:`MissionData` from any source of layers (the store's ``layer`` method).

    Each frame is validated again, so whatever the source, the map gets clean layers.
    An event reported by several sources is there once (:func:`incidents.counted_once`).
    """
    checks = {
        "incidents": incidents.validate,
        "national_milestones": political_processes.validate_milestones,
        "local_processes": political_processes.validate_local_processes,
        "local_agreements": local_agreements.validate,
        "mission_presence": mission_presence.validate,
        "admin_boundaries": admin_boundaries.validate,
        "basemap": basemap.validate,
    }
    frames = {name: check(layer(name), source=name) for name, check in checks.items()}
    # Maps, analysis, briefings and exports count each event once.
    reports = len(frames["incidents"])
    frames["incidents"] = incidents.counted_once(frames["incidents"]).reset_index(drop=True)
    return MissionData(**frames, label=label, not_counted=reports - len(frames["incidents"]))
