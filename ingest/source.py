"""What every ingest step hands to the next: the uploaded file, the limits, the table read.

These are the contracts between the readers (``ingest.readers``), the column-mapping
profiles (``ingest.profiles``), the row checks (``ingest.checks``) and the store
(``store``). Nothing here reads a file: an upload is bytes, never a path a user typed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

MAX_UPLOAD_MB_ENV = "POCMAP_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 100


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
    """How much a single upload may hold; anything over is refused before it is parsed."""

    max_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_zip_members: int = 1000
    max_vertices: int = 5_000_000
    max_records: int = 2_000_000

    @classmethod
    def from_env(cls) -> Limits:
        """The default limits, with the upload size from ``POCMAP_MAX_UPLOAD_MB``."""
        raw = os.environ.get(MAX_UPLOAD_MB_ENV, "").strip()
        if not raw:
            return cls()
        try:
            megabytes = float(raw)
        except ValueError:
            raise ValueError(
                f"{MAX_UPLOAD_MB_ENV} was {raw!r} but is expected to be a number of megabytes"
            ) from None
        return cls(max_bytes=int(megabytes * 1024 * 1024))


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
