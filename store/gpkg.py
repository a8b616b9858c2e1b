"""The embedded store: one GeoPackage file, no server, safe for many processes.

Each call opens its own short-lived ``sqlite3`` connection, so one store object can
serve every thread of the app and every process can hold its own; SQLite's locks
(WAL mode: readers never wait for the writer) do the coordinating. What the store
does is :class:`store.sql_store.SqlStore`'s, shared with PostGIS.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from store import gpkg_binary, private, schema
from store.schema import transaction
from store.sql_store import SqlStore


class GeoPackageStore(SqlStore):
    """The store in one GeoPackage file (QGIS and GDAL open it as they would any).

    Parameters
    ----------
    path : the file; it and its folder are created when missing, readable by this
        account only (:mod:`store.private`), and an older pocmap file is migrated to the
        current schema.

    Raises
    ------
    StoreError
        when the file holds something other than a pocmap store.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        # Owner only, whatever the umask: the store holds narratives, names and files.
        private.make_folder(self.path.parent)
        private.make_file(self.path)
        with closing(self._connect()) as conn:
            schema.initialise(conn, self.path)
        private.tighten_store(self.path)

    def __repr__(self) -> str:
        return f"GeoPackageStore({self.location!r})"

    def _connect(self) -> sqlite3.Connection:
        return schema.connect(self.path)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as conn, transaction(conn):
            yield conn

    def _encode_geometries(self, geometries: np.ndarray) -> list[Any]:
        return gpkg_binary.encode(geometries)

    def _decode_geometries(self, values: Iterable[Any]) -> np.ndarray:
        return gpkg_binary.decode(list(values))

    def _touched(self, conn: Any, tables: tuple[str, ...], at: str) -> None:
        marks = ", ".join("?" * len(tables))
        conn.execute(
            f"UPDATE gpkg_contents SET last_change = ? WHERE table_name IN ({marks})",
            (at, *tables),
        )
