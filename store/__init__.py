"""Where imported batches live: an embedded GeoPackage by default, or PostGIS.

``open_store()`` picks the backend from ``POCMAP_DB``: a ``postgresql://`` URL
or a file path (default ``./data/pocmap.gpkg``). Everything else talks to the
:class:`~store.base.Store` interface.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from store.base import (
    ACTIVE,
    WITHDRAWN,
    Batch,
    DuplicateIds,
    DuplicateUpload,
    NewBatch,
    Store,
    StoreError,
    UnknownBatch,
)

if TYPE_CHECKING:
    from store.sql_store import SqlStore

DB_ENV = "POCMAP_DB"
DEFAULT_LOCATION = Path("data") / "pocmap.gpkg"
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")

__all__ = [
    "ACTIVE",
    "DB_ENV",
    "DEFAULT_LOCATION",
    "WITHDRAWN",
    "Batch",
    "DuplicateIds",
    "DuplicateUpload",
    "NewBatch",
    "Store",
    "StoreError",
    "UnknownBatch",
    "open_store",
]


def open_store(location: str | os.PathLike[str] | None = None) -> SqlStore:
    """Open (creating it if needed) the store at ``location``.

    Parameters
    ----------
    location : a file path for the embedded GeoPackage store, or a ``postgresql://``
        URL. Defaults to ``POCMAP_DB``, else ``./data/pocmap.gpkg`` (its folder is
        created).

    Raises
    ------
    StoreError
        when the file exists but is not a pocmap store, or the PostGIS server cannot
        be reached.
    """
    if location is None:
        location = os.environ.get(DB_ENV, "").strip() or DEFAULT_LOCATION
    text = os.fspath(location)
    if text.lower().startswith(_POSTGRES_SCHEMES):
        from store.postgis import PostGISStore

        return PostGISStore(text)
    # Imported here so that asking for PostGIS never needs the GeoPackage code.
    from store.gpkg import GeoPackageStore

    return GeoPackageStore(text)
