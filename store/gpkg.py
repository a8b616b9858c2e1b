"""The embedded store: one GeoPackage file, no server, safe for many processes.

Each call opens its own short-lived ``sqlite3`` connection, so one store object can
serve every thread of the app and every process can hold its own; SQLite's locks
(WAL mode: readers never wait for the writer) do the coordinating.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ingest.source import Upload
from store import frames, schema
from store import gpkg_sql as sql
from store.base import (
    ACTIVE,
    WITHDRAWN,
    Batch,
    DuplicateUpload,
    NewBatch,
    StoreError,
    check_layer,
)
from store.schema import quote, transaction


class GeoPackageStore:
    """The store in one GeoPackage file (QGIS and GDAL open it as they would any).

    Parameters
    ----------
    path : the file; it and its folder are created when missing.

    Raises
    ------
    StoreError
        when the file holds something other than a pocmap store.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn:
            schema.initialise(conn, self.path)

    def __repr__(self) -> str:
        return f"GeoPackageStore({self.location!r})"

    def _connect(self) -> sqlite3.Connection:
        return schema.connect(self.path)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        # One read transaction: every SELECT inside sees the same committed state.
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

    def commit_batch(
        self,
        batch: NewBatch,
        rows: pd.DataFrame,
        *,
        report: pd.DataFrame,
        original: bytes,
        id_column: str | None,
    ) -> Batch:
        """Write a batch, its rows, its report and the file as sent, in one transaction.

        Parameters
        ----------
        batch : who sent what, and the accounting.
        rows : the accepted rows, typed as the layer's ``validate`` returns them, indexed
            by their row number in the sender's file, optionally with a
            ``source_record`` column (the row as read, JSON).
        report : the row-level report (``row, column, value, problem, expected, outcome``).
        original : the file's bytes.
        id_column : the column whose values must not already be in an active batch.

        Raises
        ------
        DuplicateUpload
            when an active batch of the layer holds the same file (same SHA-256).
        DuplicateIds
            when some ids are already in active batches of the layer.
        ValueError
            when the batch does not add up or the rows do not fit the layer.
        """
        check_layer(batch.layer)
        sql.check_new_batch(batch, rows, id_column)
        # Encoding runs before the transaction, so the write lock is held only to write.
        names, records = frames.to_records(rows, schema.spec(batch.layer), batch_id=0)
        ids = sorted(str(i) for i in rows[id_column].dropna()) if id_column else []
        with self._writing() as conn:
            # Checked again under the write lock: another office may have committed the
            # same file or ids since this one's preview.
            existing = sql.active_upload(conn, batch.layer, batch.source_sha256)
            if existing is not None:
                raise DuplicateUpload(existing)
            sql.refuse_stored_ids(conn, batch.layer, id_column, ids)
            imported_at = sql.utc_now()
            batch_id = sql.insert_batch(conn, batch, imported_at)
            sql.insert_rows(conn, batch.layer, batch_id, names, records)
            sql.insert_report(conn, batch_id, report)
            conn.execute("INSERT INTO batch_files VALUES (?, ?)", (batch_id, bytes(original)))
            conn.execute(
                "UPDATE gpkg_contents SET last_change = ? WHERE table_name IN (?, 'batches')",
                (imported_at, batch.layer),
            )
            return sql.get_batch(conn, batch_id)

    def find_upload(self, layer: str, sha256: str) -> Batch | None:
        """The batch that imported this file: the active one, else the newest withdrawn."""
        check_layer(layer)
        with self._reading() as conn:
            row = conn.execute(
                f"{sql.SELECT_BATCH} WHERE layer = ? AND source_sha256 = ? "
                "ORDER BY status = 'active' DESC, batch_id DESC LIMIT 1",
                (layer, sha256),
            ).fetchone()
        return sql.to_batch(row) if row else None

    def existing_ids(self, layer: str, ids: Iterable[str]) -> dict[str, int]:
        """Which of ``ids`` are in active batches of ``layer``: ``{id: batch_id}``.

        Always empty for a layer without an id column (basemap).
        """
        check_layer(layer)
        column = schema.id_column(layer)
        wanted = [str(i) for i in ids]
        if column is None or not wanted:
            return {}
        with self._reading() as conn:
            return sql.stored_ids(conn, layer, column, wanted)

    def batches(self, layer: str | None = None) -> list[Batch]:
        """Every batch (of ``layer``, if given), newest first."""
        if layer is not None:
            check_layer(layer)
        where, params = ("WHERE layer = ?", (layer,)) if layer else ("", ())
        with self._reading() as conn:
            rows = conn.execute(f"{sql.SELECT_BATCH} {where} ORDER BY batch_id DESC", params)
            return [sql.to_batch(row) for row in rows]

    def batch(self, batch_id: int) -> Batch:
        """One batch. Raises :class:`~store.base.UnknownBatch` (a ``KeyError``)."""
        with self._reading() as conn:
            return sql.get_batch(conn, batch_id)

    def withdraw(self, batch_id: int, *, by: str, reason: str) -> Batch:
        """Hide a batch from :meth:`layer`; it stays in the file with who did it and why.

        Raises
        ------
        ValueError
            when ``reason`` is empty; :class:`~store.base.StoreError` when the batch is
            already withdrawn.
        """
        if not reason.strip():
            raise ValueError("`reason` is empty but a withdrawal must say why, for the record")
        with self._writing() as conn:
            batch = sql.get_batch(conn, batch_id)
            if batch.status == WITHDRAWN:
                raise StoreError(
                    f"batch {batch_id} was already withdrawn by {batch.status_changed_by} "
                    f"on {(batch.status_changed_at or '')[:10]} ({batch.status_reason})"
                )
            return sql.set_status(conn, batch.batch_id, WITHDRAWN, by, reason.strip())

    def restore(self, batch_id: int, *, by: str) -> Batch:
        """Bring a withdrawn batch back into :meth:`layer`.

        Raises
        ------
        DuplicateUpload
            when the same file was imported again meanwhile.
        DuplicateIds
            when some of its ids were imported again meanwhile.
        StoreError
            when the batch is not withdrawn.
        """
        with self._writing() as conn:
            batch = sql.get_batch(conn, batch_id)
            if batch.status == ACTIVE:
                raise StoreError(f"batch {batch_id} is not withdrawn; there is nothing to restore")
            again = sql.active_upload(conn, batch.layer, batch.source_sha256)
            if again is not None:
                raise DuplicateUpload(again, restoring=batch.batch_id)
            column = schema.id_column(batch.layer)
            if column:
                ids = sql.batch_ids_of(conn, batch.layer, column, batch.batch_id)
                sql.refuse_stored_ids(conn, batch.layer, column, ids, restoring=batch.batch_id)
            return sql.set_status(conn, batch.batch_id, ACTIVE, by, None)

    def original(self, batch_id: int) -> Upload:
        """The file as its sender sent it (its name and bytes)."""
        with self._reading() as conn:
            batch = sql.get_batch(conn, batch_id)
            (data,) = conn.execute(
                "SELECT data FROM batch_files WHERE batch_id = ?", (batch.batch_id,)
            ).fetchone()
        return Upload(batch.source_name, bytes(data))

    def report(self, batch_id: int) -> pd.DataFrame:
        """The batch's row-level report; ``row`` is the row number, or ``all``."""
        with self._reading() as conn:
            sql.get_batch(conn, batch_id)
            lines = conn.execute(
                f"SELECT {', '.join(quote(c) for c in schema.REPORT_COLUMNS)} "
                "FROM batch_reports WHERE batch_id = ? ORDER BY fid",
                (int(batch_id),),
            ).fetchall()
        report = pd.DataFrame(lines, columns=list(schema.REPORT_COLUMNS), dtype=object)
        # Stored as text (a row is a number or "all"); give numbers back as numbers.
        report["row"] = [int(r) if isinstance(r, str) and r.isdigit() else r for r in report["row"]]
        return report

    def layer(
        self, name: str, *, include_withdrawn: bool = False
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """The rows of active batches (of every batch with ``include_withdrawn``).

        Schema columns are typed as the layer's ``validate`` types them, geometries are
        in EPSG:4326 (``national_milestones``: a plain DataFrame), and ``batch_id`` and
        ``source_row`` say where each row came from. Rows are in import order.
        """
        check_layer(name)
        layer_spec = schema.spec(name)
        columns = [f.name for f in layer_spec.fields] + list(frames.EXTRA_COLUMNS)
        if layer_spec.geometry_types:
            columns.append(schema.GEOMETRY_COLUMN)
        status = "" if include_withdrawn else "WHERE b.status = 'active'"
        with self._reading() as conn:
            records = conn.execute(
                f"SELECT {', '.join('t.' + quote(c) for c in columns)} FROM {quote(name)} AS t "
                f"JOIN batches AS b ON b.batch_id = t.batch_id {status} ORDER BY t.fid"
            ).fetchall()
        return frames.to_frame(layer_spec, records)

    def save_mapping(
        self, name: str, layer: str, mapping: dict[str, str], *, office: str, by: str
    ) -> None:
        """Keep a column mapping (``{schema column: file column}``) under ``name``.

        Saving under a name the layer already has replaces that mapping.
        """
        check_layer(layer)
        if not name.strip():
            raise ValueError("`name` is empty but a saved mapping needs a name to find it by")
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO column_mappings (name, layer, office, mapping, saved_at, saved_by) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (layer, name) DO UPDATE SET "
                "office = excluded.office, mapping = excluded.mapping, "
                "saved_at = excluded.saved_at, saved_by = excluded.saved_by",
                (name.strip(), layer, office, json.dumps(mapping), sql.utc_now(), by),
            )

    def mappings(self, layer: str) -> dict[str, dict[str, str]]:
        """The mappings saved for ``layer``: ``{name: {schema column: file column}}``."""
        check_layer(layer)
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT name, mapping FROM column_mappings WHERE layer = ? ORDER BY name",
                (layer,),
            ).fetchall()
        return {name: json.loads(mapping) for name, mapping in rows}

    def is_empty(self) -> bool:
        """Whether no batch was ever committed (withdrawn ones count as committed)."""
        with self._reading() as conn:
            return conn.execute("SELECT 1 FROM batches LIMIT 1").fetchone() is None
