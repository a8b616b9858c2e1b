"""What every ingest step hands to the next: the uploaded file, the limits, the table read.

These are the contracts between the readers (``ingest.readers``), the column-mapping
profiles (``ingest.profiles``), the row checks (``ingest.checks``) and the store
(``store``), and what ``access`` passes on: so they live on the ground floor, which all
of them may import. Nothing here reads a file: an upload is bytes, never a path a user
typed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from languages import N_, _

MAX_UPLOAD_MB_ENV = "POCMAP_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 100
READ_SECONDS_ENV = "POCMAP_READ_SECONDS"
DEFAULT_READ_SECONDS = 25.0
READ_MEMORY_MB_ENV = "POCMAP_READ_MEMORY_MB"
DEFAULT_READ_MEMORY_MB = 3072
MB = 1024 * 1024


class IngestError(ValueError):
    """A whole file is refused. The message names the file, what is wrong and what would
    be accepted, in words a field office can act on."""


@dataclass(frozen=True)
class Upload:
    """An uploaded file: the name its sender gave it (for messages only) and its bytes."""

    name: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        """``.csv``, ``.xlsx``, ``.zip``, ... lower case; ``""`` when there is none."""
        return os.path.splitext(self.name)[1].lower()


@dataclass(frozen=True)
class Limits:
    """How much a single upload may hold and cost to read; every limit of the readers.

    Each is documented, with its reason, in ``docs/upload-limits.md``; anything over a
    limit is refused with a message naming the file, what was found and the limit.

    Attributes
    ----------
    max_bytes : the upload itself (``POCMAP_MAX_UPLOAD_MB``).
    max_uncompressed_bytes : all members of a zip (XLSX, KMZ, zipped shapefile) expanded.
    max_member_bytes : one member of a zip expanded.
    max_compression_ratio : expanded over compressed size, per member and per file.
    max_zip_members : files in a zip.
    max_vertices : coordinate pairs in a spatial file.
    max_records : records (rows, features, placemarks).
    max_columns : columns of a table: header cells, and cells in any one row (CSV, XLSX).
    max_line_bytes : one line of a CSV, in bytes.
    max_sheet_cells : XLSX rows times columns of the sheet read.
    max_csv_cells : cells of a CSV read by Python's ``csv`` module (rows of different
        lengths, line breaks inside cells); Arrow's fast path stores cells compactly.
    read_seconds : wall-clock time a reader that runs in a worker process may take
        (``POCMAP_READ_SECONDS``); the worker is killed past it.
    read_memory_bytes : address space of that worker process (``POCMAP_READ_MEMORY_MB``).
    """

    max_bytes: int = DEFAULT_MAX_UPLOAD_MB * MB
    max_uncompressed_bytes: int = 512 * MB
    max_member_bytes: int = 256 * MB
    max_compression_ratio: float = 200.0
    max_zip_members: int = 1000
    max_vertices: int = 5_000_000
    max_records: int = 2_000_000
    max_columns: int = 4096
    max_line_bytes: int = 1 * MB
    max_sheet_cells: int = 2_000_000
    max_csv_cells: int = 30_000_000
    read_seconds: float = DEFAULT_READ_SECONDS
    read_memory_bytes: int = DEFAULT_READ_MEMORY_MB * MB

    @classmethod
    def from_env(cls) -> Limits:
        """The default limits, with the settings an administrator may change from the
        environment: ``POCMAP_MAX_UPLOAD_MB``, ``POCMAP_READ_SECONDS`` and
        ``POCMAP_READ_MEMORY_MB``."""
        changes: dict[str, Any] = {}
        upload_mb = _env_number(MAX_UPLOAD_MB_ENV, N_("a number of megabytes"))
        if upload_mb is not None:
            changes["max_bytes"] = int(upload_mb * MB)
        seconds = _env_number(READ_SECONDS_ENV, N_("a number of seconds"))
        if seconds is not None:
            changes["read_seconds"] = seconds
        memory_mb = _env_number(READ_MEMORY_MB_ENV, N_("a number of megabytes"))
        if memory_mb is not None:
            changes["read_memory_bytes"] = int(memory_mb * MB)
        return cls(**changes)


def _env_number(name: str, expected: str) -> float | None:
    """The positive number in environment variable ``name``; None when unset or empty.
    ``expected`` is English, marked with ``N_``: said in the current language."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(
            _(
                "{name} was {raw} but is expected to be {expected}",
                name=name,
                raw=repr(raw),
                expected=_(expected),
            )
        ) from None
    if not value > 0:
        raise ValueError(
            _(
                "{name} was {raw} but is expected to be {expected} above 0",
                name=name,
                raw=repr(raw),
                expected=_(expected),
            )
        )
    return value


@dataclass
class RawTable:
    """The records a reader found in one file (or one sheet or layer of it), as read.

    Attributes
    ----------
    source : the file name (and ``sheet``/``layer``) for messages.
    format : ``csv``, ``xlsx``, ``geojson``, ``shapefile``, ``geopackage`` or ``kml``.
    records : one row per record; the index is the row number the sender sees
        (spreadsheets and CSV: the sheet's row number, header row included, so the
        first record under a header on line 1 is row 2; spatial files: the feature
        number from 1). Columns are named as in the file. Values are as read: from CSV
        every column is pandas' ``str`` dtype (Arrow strings; an empty cell is missing,
        ``NaN``); ``str`` or ``None`` from KML and text fields; from XLSX the cell's
        cached value (``str``, ``int``, ``float``, ``bool``, ``datetime``, ``None``),
        never a formula.
        Spatial formats add a ``geometry`` column of shapely geometries in EPSG:4326
        (``None`` for a feature without geometry); tables have none.
    sheet, layer : the sheet (XLSX) or layer (GeoPackage, KML folder) read.
    hxl_tags : ``{column: "#tag+attr"}`` when the row under the header is an HXL
        hashtag row; that row is not a record.
    decimal_comma : numbers in this file are written ``4,35`` (a ``;`` or tab CSV).
    notes : what the reader decided, for the person importing (``"encoding: cp1252"``,
        ``"delimiter: ;"``, ``"header on row 3"``, ``"reprojected from EPSG:32633"``).
    """

    source: str
    format: str
    records: pd.DataFrame
    sheet: str | None = None
    layer: str | None = None
    hxl_tags: dict[str, str] | None = None
    decimal_comma: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def has_geometry(self) -> bool:
        return "geometry" in self.records.columns
