"""The PostGIS store: one database server that every app instance of a mission shares.

Same behaviour as the GeoPackage store (:class:`store.sql_store.SqlStore`), over
psycopg 3. Each call opens a short-lived connection; writes take one advisory lock
(``pg_advisory_xact_lock``) at the start of their transaction, so a check (same
file, same ids) and the write it guards cannot be overtaken by another instance;
reads are ``REPEATABLE READ`` snapshots and never wait for writers. Spatial
filters (``bbox``) run in SQL on a GiST index.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd
import psycopg
import pyproj
import shapely

from languages import _
from store import derived, pg_cells, pg_schema, versions
from store.base import StoreError
from store.schema import quote
from store.sql_store import SqlStore

if TYPE_CHECKING:
    from schema.filters import IncidentFilter

CONNECT_TIMEOUT_S = 10


@functools.lru_cache(maxsize=512)
def _psycopg_marks(query: str) -> str:
    return query.replace("%", "%%").replace("?", "%s")


class PgConnection:
    """A psycopg connection that takes the ``?`` marks :mod:`store.sql` writes."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.raw = conn

    def execute(self, query: str, params: Iterable[Any] | None = None) -> psycopg.Cursor:
        params = list(params) if params is not None else []
        if not params:
            return self.raw.execute(query)
        return self.raw.execute(_psycopg_marks(query), params)

    def executemany(self, query: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(_psycopg_marks(query), rows)


def redacted(url: str) -> str:
    """The URL without its password, to print and log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class PostGISStore(SqlStore):
    """The store in a PostgreSQL database with PostGIS, in its own ``pocmap`` schema.

    Parameters
    ----------
    url : ``postgresql://user[:password]@host[:port]/database`` (libpq's own
        environment variables and ``~/.pgpass`` apply as usual).

    Raises
    ------
    StoreError
        when the server cannot be reached or PostGIS cannot be enabled.
    """

    geometry_mark = "ST_GeomFromWKB(?, 4326)"

    def __init__(self, url: str) -> None:
        self.url = url
        self.location = redacted(url)
        with self._connect() as conn:
            pg_schema.initialise(PgConnection(conn), self.location)

    def __repr__(self) -> str:
        return f"PostGISStore({self.location!r})"

    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(
                self.url,
                connect_timeout=CONNECT_TIMEOUT_S,
                options=f"-c search_path={pg_schema.SCHEMA},public",
                application_name="pocmap",
            )
        except psycopg.OperationalError as err:
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise StoreError(
                _(
                    "cannot reach the PostGIS store {location}: {reason}; check POCMAP_DB "
                    "and that the server is running",
                    location=self.location,
                    reason=reason,
                )
            ) from None

    @contextmanager
    def _reading(self) -> Iterator[PgConnection]:
        conn = self._connect()
        try:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            yield PgConnection(conn)
        finally:
            conn.rollback()
            conn.close()

    @contextmanager
    def _writing(self) -> Iterator[PgConnection]:
        # ``with connection`` commits on success, rolls back on any error, and closes.
        with self._connect() as conn:
            wrapped = PgConnection(conn)
            wrapped.execute("SELECT pg_advisory_xact_lock(?)", (pg_schema.LOCK_KEY,))
            yield wrapped

    def grant_app(self, role: str) -> list[str]:
        """Give the application role ``role`` what running pocmap needs and no more
        (:func:`store.pg_schema.grant_app`); run as the owner role. Returns the statements."""
        with self._writing() as conn:
            return pg_schema.grant_app(conn, role)

    def _encode_geometries(self, geometries: np.ndarray) -> list[Any]:
        return list(shapely.to_wkb(geometries))

    def _decode_geometries(self, values: Iterable[Any]) -> np.ndarray:
        return shapely.from_wkb(np.array(list(values), dtype=object))

    def _select(self, column: str, kind: str | None) -> str:
        if kind is None:
            return f"ST_AsBinary(t.{quote(column)})"
        if kind == "date":
            return f"to_char(t.{quote(column)}, 'YYYY-MM-DD')"
        return f"t.{quote(column)}"

    def incident_extent(
        self, selection: IncidentFilter
    ) -> tuple[tuple[float, float, float, float] | None, int]:
        """The selected incidents' box (degrees; ``None`` when none) and how many there are,
        from batches in analysis, computed in SQL."""
        with self._reading() as conn:
            query, params = pg_cells.extent_query(
                pg_cells.as_stored(conn, selection), versions.current_where(conn, "incidents")
            )
            row = conn.execute(query, params).fetchone()
        if row is None:  # an aggregate answers one row, even over no incidents
            raise StoreError(f"{self.location}: the incidents' extent query returned no row")
        west, south, east, north, n = row
        return (None if west is None else (west, south, east, north)), int(n)

    def cell_totals(
        self, selection: IncidentFilter, *, crs: pyproj.CRS, shape: str, width_m: float
    ) -> pd.DataFrame:
        """``q, r, incidents, fatalities`` per cell of ``analysis.cells.Grid(shape, width_m,
        crs)`` for the selected incidents of batches in analysis, tallied by PostGIS."""
        with self._reading() as conn:
            query, params = pg_cells.totals_query(
                pg_cells.as_stored(conn, selection),
                proj=crs.to_wkt(),
                shape=shape,
                width_m=float(width_m),
                current=versions.current_where(conn, "incidents"),
            )
            rows = conn.execute(query, params).fetchall()
        totals = pd.DataFrame(rows, columns=["q", "r", "incidents", "fatalities"])
        return totals.astype({"q": "int64", "r": "int64", "incidents": "int64"}).astype(
            {"fatalities": "float64"}
        )

    def _update_derived(
        self, conn: Any, layer: str, key: str, fields: list[Any], values: pd.DataFrame
    ) -> int:
        return derived.update_arrays(conn, layer, key, fields, values)

    def _bbox_clause(self, bbox: tuple[float, float, float, float]) -> tuple[str, list[Any]]:
        return "t.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)", [float(v) for v in bbox]
