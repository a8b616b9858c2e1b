"""What both stores do the same way: every :class:`~store.base.Store` method, once.

A backend gives connections (:meth:`SqlStore._reading`, :meth:`SqlStore._writing`)
and says how geometries and dates travel; the statements are :mod:`store.sql`'s.
Every write also appends its audit entry in the same transaction, so an action and
its record are committed together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from languages import _
from schema.upload import Upload
from store import audit_chain, derived, frames, schema, sql, versions
from store.base import (
    ACCEPTED,
    ACTIVE,
    EDIT_COLUMNS,
    EDITABLE,
    UNDER_REVIEW,
    WITHDRAWN,
    Batch,
    DuplicateUpload,
    NewBatch,
    StoreError,
    actor_of,
    check_layer,
)
from store.double_coding import DoubleCodingRecords
from store.links import LinkRecords
from store.row_withdrawals import RowWithdrawals, any_in_force, not_withdrawn
from store.schema import quote


class SqlStore(LinkRecords, RowWithdrawals, DoubleCodingRecords):
    """The store's behaviour over an SQL connection; subclasses give the connections."""

    location: str
    geometry_mark = "?"
    """The placeholder of a geometry value in an INSERT."""

    # --- what a backend provides -------------------------------------------------------
    def _reading(self) -> AbstractContextManager[Any]:
        """One read transaction: every SELECT inside sees the same committed state."""
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        """One write transaction, holding the store's write lock from its start."""
        raise NotImplementedError

    def _encode_geometries(self, geometries: np.ndarray) -> list[Any]:
        raise NotImplementedError

    def _decode_geometries(self, values: Iterable[Any]) -> np.ndarray:
        raise NotImplementedError

    def _select(self, column: str, kind: str | None) -> str:
        """How a layer column is read (``kind`` is the field's, ``None`` for the geometry)."""
        return f"t.{quote(column)}"

    def _update_derived(
        self, conn: Any, layer: str, key: str, fields: list[Any], values: pd.DataFrame
    ) -> int:
        """Write derived values (:func:`store.derived.update`); PostGIS sends arrays."""
        return derived.update(conn, layer, key, fields, values)

    def _touched(self, conn: Any, tables: tuple[str, ...], at: str) -> None:
        """Note that ``tables`` changed (a GeoPackage keeps ``last_change``)."""

    # --- batches ----------------------------------------------------------------------
    def commit_batch(
        self,
        batch: NewBatch,
        rows: pd.DataFrame,
        *,
        report: pd.DataFrame,
        original: bytes,
        id_column: str | None,
        by: Any = None,
        batch_id: int | None = None,
        supersedes: Iterable[str] = (),
    ) -> Batch:
        """Write a batch, its rows, its report and the file as sent, in one transaction.

        Parameters
        ----------
        batch : who sent what, and the accounting; ``batch.review`` says whether it
            waits for an analyst (``under_review``) or goes straight into analysis.
        rows : the accepted rows, typed as the layer's ``validate`` returns them, indexed
            by their row number in the sender's file, optionally with a
            ``source_record`` column (the row as read, JSON).
        report : the row-level report (``row, column, value, problem, expected, outcome``).
        original : the file's bytes.
        id_column : the column whose values must not already be in an active batch.
        by : who the audit log records (default: the batch's uploader).
        batch_id : keep this number (``pocmap migrate`` only).
        supersedes : the ids of the rows that are new versions of rows the same office
            stored (``batch.updated`` of them, :mod:`store.versions`): those ids may be in
            that office's active batches; any other stored id is refused.

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
        if batch.review not in (ACCEPTED, UNDER_REVIEW):
            raise ValueError(f"review was {batch.review!r}; expected accepted or under_review")
        sql.check_new_batch(batch, rows, id_column)
        actor = actor_of(by if by is not None else batch.uploader)
        # Encoding runs before the transaction, so the write lock is held only to write.
        names, records = frames.to_records(
            rows, schema.spec(batch.layer), batch_id=0, encode=self._encode_geometries
        )
        ids = sorted(str(i) for i in rows[id_column].dropna()) if id_column else []
        with self._writing() as conn:
            # Checked again under the write lock: another office may have committed the
            # same file or ids since this one's preview.
            existing = sql.active_upload(conn, batch.layer, batch.source_sha256)
            if existing is not None:
                raise DuplicateUpload(existing)
            versions.refuse_taken(conn, batch, id_column, ids, list(supersedes))
            imported_at = schema.utc_now()
            number = sql.insert_batch(conn, batch, imported_at, batch_id)
            sql.insert_rows(conn, batch.layer, number, names, records, self.geometry_mark)
            sql.insert_report(conn, number, report)
            conn.execute("INSERT INTO batch_files VALUES (?, ?)", (number, bytes(original)))
            self._touched(conn, (batch.layer, "batches"), imported_at)
            sql.audit(
                conn,
                "upload",
                actor,
                f"batch {number}",
                {
                    "layer": batch.layer,
                    "office": batch.office,
                    "rows_read": batch.rows_read,
                    "rows_stored": len(rows),
                    "review": batch.review,
                    "sha256": batch.source_sha256,
                },
                at=imported_at,
            )
            done = sql.get_batch(conn, number)
            if done.in_analysis:
                versions.shift(self, conn, done, entering=True, actor=actor, at=imported_at)
            return done

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
        """Which of ``ids`` are in active batches of ``layer``: ``{id: batch_id}``, ids
        compared by :func:`schema.ids.id_key` (case, surrounding spaces, Unicode form).

        Always empty for a layer without an id column (basemap).
        """
        check_layer(layer)
        column = schema.id_column(layer)
        if column is None:
            return {}
        with self._reading() as conn:
            # ``ids`` as given (a million of a file's, often): read only if any is stored.
            return sql.stored_ids(conn, layer, column, ids)

    def batches(self, layer: str | None = None) -> list[Batch]:
        """Every batch (of ``layer``, if given), newest first."""
        if layer is not None:
            check_layer(layer)
        where, params = ("WHERE layer = ?", (layer,)) if layer else ("", ())
        with self._reading() as conn:
            rows = conn.execute(f"{sql.SELECT_BATCH} {where} ORDER BY batch_id DESC", params)
            return [sql.to_batch(row) for row in rows.fetchall()]

    def batch(self, batch_id: int) -> Batch:
        """One batch. Raises :class:`~store.base.UnknownBatch` (a ``KeyError``)."""
        with self._reading() as conn:
            return sql.get_batch(conn, batch_id)

    def accept(self, batch_id: int, *, by: Any) -> Batch:
        """Take an active batch out of review into maps and analysis.

        Raises
        ------
        StoreError
            when the batch is withdrawn or was already accepted.
        """
        actor = actor_of(by)
        with self._writing() as conn:
            batch = sql.get_batch(conn, batch_id)
            if batch.status == WITHDRAWN:
                raise StoreError(
                    _("batch {batch} is withdrawn; restore it before accepting it", batch=batch_id)
                )
            if batch.review == ACCEPTED:
                raise StoreError(
                    _(
                        "batch {batch} was already accepted by {who} on {day}",
                        batch=batch_id,
                        who=batch.reviewed_by,
                        day=(batch.reviewed_at or "")[:10],
                    )
                )
            accepted = sql.set_accepted(conn, batch.batch_id, actor.name)
            sql.audit(conn, "review", actor, f"batch {batch_id}", {"review": ACCEPTED})
            versions.shift(self, conn, accepted, entering=True, actor=actor, at=schema.utc_now())
            return accepted

    def withdraw(self, batch_id: int, *, by: Any, reason: str) -> Batch:
        """Hide a batch from :meth:`layer`; it stays in the store with who did it and why.

        Raises
        ------
        ValueError
            when ``reason`` is empty; :class:`~store.base.StoreError` when the batch is
            already withdrawn.
        """
        actor = actor_of(by)
        if not reason.strip():
            raise ValueError(_("`reason` is empty but a withdrawal must say why, for the record"))
        with self._writing() as conn:
            batch = sql.get_batch(conn, batch_id)
            if batch.status == WITHDRAWN:
                raise StoreError(
                    _(
                        "batch {batch} was already withdrawn by {who} on {day} ({reason})",
                        batch=batch_id,
                        who=batch.status_changed_by,
                        day=(batch.status_changed_at or "")[:10],
                        reason=batch.status_reason,
                    )
                )
            if batch.in_analysis:
                # Before it leaves: the versions it superseded are current again.
                versions.shift(self, conn, batch, entering=False, actor=actor, at=schema.utc_now())
            done = sql.set_status(conn, batch.batch_id, WITHDRAWN, actor.name, reason.strip())
            sql.audit(conn, "withdraw", actor, f"batch {batch_id}", {"reason": reason.strip()})
            return done

    def restore(self, batch_id: int, *, by: Any) -> Batch:
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
        actor = actor_of(by)
        with self._writing() as conn:
            batch = sql.get_batch(conn, batch_id)
            if batch.status == ACTIVE:
                raise StoreError(
                    _(
                        "batch {batch} is not withdrawn; there is nothing to restore",
                        batch=batch_id,
                    )
                )
            again = sql.active_upload(conn, batch.layer, batch.source_sha256)
            if again is not None:
                raise DuplicateUpload(again, restoring=batch.batch_id)
            column = schema.id_column(batch.layer)
            if column:
                ids = sql.batch_ids_of(conn, batch.layer, column, batch.batch_id)
                versions.refuse_taken(conn, batch, column, ids, restoring=batch)
            done = sql.set_status(conn, batch.batch_id, ACTIVE, actor.name, None)
            sql.audit(conn, "restore", actor, f"batch {batch_id}")
            if done.in_analysis:
                versions.shift(self, conn, done, entering=True, actor=actor, at=schema.utc_now())
            return done

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

    # --- layers -----------------------------------------------------------------------
    def layer(
        self,
        name: str,
        *,
        include_withdrawn: bool = False,
        bbox: tuple[float, float, float, float] | None = None,
        batch_id: int | None = None,
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """The rows of active batches (of every batch with ``include_withdrawn``).

        Rows withdrawn one by one (:mod:`store.row_withdrawals`) are left out too, unless
        ``include_withdrawn``; ``batch_id`` keeps one batch's rows.

        Schema columns are typed as the layer's ``validate`` types them, geometries are
        in EPSG:4326 (``national_milestones``: a plain DataFrame), and ``batch_id`` and
        ``source_row`` say where each row came from. Rows are in import order. Active
        batches still under review are included: :class:`access.session.Session`
        decides who sees them. ``bbox`` (min lon, min lat, max lon, max lat) keeps the
        rows whose geometry meets that box.
        """
        check_layer(name)
        layer_spec = schema.spec(name)
        selected = [self._select(f.name, f.kind) for f in layer_spec.fields]
        selected += [self._select(c, "count") for c in frames.EXTRA_COLUMNS]
        spatial = bool(layer_spec.geometry_types)
        if spatial:
            selected.append(self._select(schema.GEOMETRY_COLUMN, None))
        where = [] if include_withdrawn else ["b.status = 'active'"]
        params: list[Any] = []
        if bbox is not None and spatial:
            clause, params = self._bbox_clause(bbox)
            where.append(clause)
        if batch_id is not None:
            where.append("t.batch_id = ?")
            params = [*params, int(batch_id)]
        with self._reading() as conn:
            if not include_withdrawn and any_in_force(conn, name):
                where.append(not_withdrawn(name))
            # A row a newer version supersedes (a corrected file sent again) is left out.
            current = None if include_withdrawn else versions.current_where(conn, name)
            if current:
                where.append(current)
            condition = f"WHERE {' AND '.join(where)}" if where else ""
            records = conn.execute(
                f"SELECT {', '.join(selected)} FROM {quote(name)} AS t "
                f"JOIN batches AS b ON b.batch_id = t.batch_id {condition} ORDER BY t.fid",
                params,
            ).fetchall()
        frame = frames.to_frame(layer_spec, records, decode=self._decode_geometries)
        if bbox is not None and spatial and isinstance(frame, gpd.GeoDataFrame) and len(frame):
            frame = frame[frame.intersects(_box(bbox))].reset_index(drop=True)
        return frame

    def _bbox_clause(self, bbox: tuple[float, float, float, float]) -> tuple[str, list[Any]]:
        """A WHERE clause narrowing to ``bbox`` in SQL (exact test follows in shapely)."""
        return "1 = 1", []

    def save_mapping(
        self, name: str, layer: str, mapping: dict[str, str], *, office: str, by: Any
    ) -> None:
        """Keep a column mapping (``{schema column: file column}``) under ``name``.

        Saving under a name the layer already has replaces that mapping.
        """
        check_layer(layer)
        actor = actor_of(by)
        if not name.strip():
            raise ValueError(_("`name` is empty but a saved mapping needs a name to find it by"))
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO column_mappings (name, layer, office, mapping, saved_at, saved_by) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (layer, name) DO UPDATE SET "
                "office = excluded.office, mapping = excluded.mapping, "
                "saved_at = excluded.saved_at, saved_by = excluded.saved_by",
                (name.strip(), layer, office, json.dumps(mapping), schema.utc_now(), actor.name),
            )
            sql.audit(conn, "save_mapping", actor, f"mapping {name.strip()}", {"layer": layer})

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

    # --- edits and the audit log ------------------------------------------------------
    def edit(
        self, layer: str, row_key: str, changes: Mapping[str, Any], *, by: Any, reason: str
    ) -> None:
        """Change :data:`~store.base.EDITABLE` columns of the row with id ``row_key`` (in
        an active batch), recording who, when, before and after for each column.

        Raises
        ------
        ValueError
            when a column may not be edited, a value is not one of the column's codes,
            the reason is empty, or nothing would change.
        KeyError
            when no active row has that id.
        """
        self.edit_many(layer, [(row_key, changes, reason)], by=by)

    def edit_many(
        self,
        layer: str,
        edits: Iterable[tuple[str, Mapping[str, Any], str]],
        *,
        by: Any,
    ) -> int:
        """:meth:`edit` for many rows, ``(row_key, changes, reason)`` each, in one
        transaction: all are made or none (a re-coding of thousands of rows, such as
        ``pocmap actors --apply``, in seconds). Each keeps its own history and audit entry.
        Returns how many rows were changed."""
        check_layer(layer)
        actor = actor_of(by)
        allowed = EDITABLE.get(layer, ())
        fields = {f.name: f for f in schema.spec(layer).fields}
        edits = list(edits)
        for _row, changes, reason in edits:
            for column, value in changes.items():
                if column not in allowed:
                    raise ValueError(
                        _(
                            "{layer}.{column} cannot be edited; an analyst may edit {allowed}",
                            layer=layer,
                            column=column,
                            allowed=", ".join(allowed),
                        )
                    )
                codes = fields[column].codes
                if (
                    codes
                    and value not in codes
                    and not (value is None and not fields[column].required)
                ):
                    raise ValueError(
                        _(
                            "{column} {value} is not one of {codes}",
                            column=column,
                            value=repr(value),
                            codes=list(codes),
                        )
                    )
            if not reason.strip():
                raise ValueError(_("`reason` is empty but an edit must say why, for the record"))
        key = schema.id_column(layer)
        if key is None:
            raise ValueError(
                _("layer {layer} has no id column; its rows cannot be edited", layer=layer)
            )
        if not edits:
            return 0
        with self._writing() as conn:
            at = schema.utc_now()
            for row_key, changes, reason in edits:
                self._edit_row(conn, layer, key, str(row_key), changes, reason.strip(), actor, at)
            self._touched(conn, (layer,), at)
        return len(edits)

    def _edit_row(
        self,
        conn: Any,
        layer: str,
        key: str,
        row_key: str,
        changes: Mapping[str, Any],
        reason: str,
        actor: Any,
        at: str,
    ) -> None:
        """One row's edit inside the caller's transaction: the row, its history, the audit."""
        columns = list(changes)
        current = versions.current_where(conn, layer)
        row = conn.execute(
            f"SELECT t.fid, t.batch_id, {', '.join('t.' + quote(c) for c in columns)} "
            f"FROM {quote(layer)} AS t JOIN batches AS b ON b.batch_id = t.batch_id "
            f"WHERE b.status = 'active' AND t.{quote(key)} = ? "
            # The current version: not one a newer update supersedes, not one waiting.
            f"{'AND ' + current if current else ''} "
            "ORDER BY b.review = 'accepted' DESC, t.batch_id DESC LIMIT 1",
            (row_key,),
        ).fetchone()
        if row is None:
            raise KeyError(
                _(
                    "no {layer} row in an active batch has {key} {value}",
                    layer=layer,
                    key=key,
                    value=repr(row_key),
                )
            )
        fid, batch_id, *before = row
        changed = {c: (b, changes[c]) for c, b in zip(columns, before, strict=True)}
        changed = {c: ba for c, ba in changed.items() if ba[0] != ba[1]}
        if not changed:
            raise ValueError(
                _(
                    "{key} {value}: nothing to change, the values are the same",
                    key=key,
                    value=row_key,
                )
            )
        sets = ", ".join(f"{quote(c)} = ?" for c in changed)
        conn.execute(
            f"UPDATE {quote(layer)} SET {sets} WHERE fid = ?",
            (*(after for _, after in changed.values()), fid),
        )
        conn.executemany(
            'INSERT INTO edits (layer, row_key, batch_id, "column", before, after, '
            "edited_by, edited_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (layer, row_key, batch_id, c, b, a, actor.name, at, reason)
                for c, (b, a) in changed.items()
            ],
        )
        sql.audit(
            conn,
            "edit",
            actor,
            f"{layer} {row_key}",
            {c: {"before": b, "after": a} for c, (b, a) in changed.items()} | {"reason": reason},
            at=at,
        )

    def set_derived(self, layer: str, values: pd.DataFrame, *, by: Any, reason: str) -> int:
        """Set columns pocmap derives itself (places from the map, links between reports)
        on the stored rows whose ids are ``values``' index, in every batch, at once.

        Parameters
        ----------
        layer : the layer (one with an id column).
        values : indexed by the layer's id; columns among the fields marked
            ``derived=True`` and ``admin1``, ``admin2``, ``field_office``.
        by : who the audit log records (a system action on behalf of an import or a
            review: the person who made it).
        reason : why, for the record (``re-placed after batch 12 was withdrawn``).

        Returns
        -------
        int
            how many stored rows changed (rows already holding the values are left).
            One audit entry (``derive``) records the layer, columns, the rows given and
            changed, and the reason.

        Raises
        ------
        StoreError
            when a column may not be set this way, the index is not a set of ids, or the
            reason is empty.
        """
        check_layer(layer)
        actor = actor_of(by)
        key, fields = derived.check_columns(layer, values)
        if not reason.strip():
            raise StoreError(_("`reason` is empty but derived values must say why, for the record"))
        if not len(values):
            return 0
        with self._writing() as conn:
            changed = self._update_derived(conn, layer, key, fields, values)
            at = schema.utc_now()
            if changed:
                self._touched(conn, (layer,), at)
            sql.audit(
                conn,
                "derive",
                actor,
                layer,
                {
                    "layer": layer,
                    "columns": [f.name for f in fields],
                    "rows_given": len(values),
                    "rows_changed": changed,
                    "reason": reason.strip(),
                },
                at=at,
            )
            return changed

    def edits(self, layer: str | None = None, row_key: str | None = None) -> pd.DataFrame:
        """The edit history, oldest first (:data:`~store.base.EDIT_COLUMNS`)."""
        where, params = [], []
        if layer is not None:
            where.append("layer = ?")
            params.append(layer)
        if row_key is not None:
            where.append("row_key = ?")
            params.append(str(row_key))
        condition = f"WHERE {' AND '.join(where)}" if where else ""
        names = ", ".join(quote(c) for c in EDIT_COLUMNS)
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {names} FROM edits {condition} ORDER BY edit_id", params
            ).fetchall()
        return pd.DataFrame(rows, columns=list(EDIT_COLUMNS), dtype=object)

    def record(
        self, action: str, *, by: Any, target: str = "", details: Mapping[str, Any] | None = None
    ) -> None:
        """Append an audit entry for an action that writes nothing else (a sign-in, an
        export, a briefing, a change of users)."""
        actor = actor_of(by)
        with self._writing() as conn:
            sql.audit(conn, action, actor, target, dict(details or {}))

    def audit_log(self) -> pd.DataFrame:
        """Every audit entry, oldest first: ``seq, at, actor, role, office, action, target,
        details`` (``details`` is JSON text)."""
        with self._reading() as conn:
            return sql.audit_rows(conn)

    def verify_audit(self, anchor: audit_chain.Anchor | None = None) -> audit_chain.ChainCheck:
        """Check the audit log's hash chain (and that ``anchor``, a head noted earlier, is
        still in it); :func:`store.audit_chain.verify` says what it checks."""
        with self._reading() as conn:
            entries = sql.audit_chain_rows(conn)
        return audit_chain.verify(entries, anchor)

    def schema_version(self) -> int:
        """The newest schema migration applied to this store."""
        with self._reading() as conn:
            (version,) = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(version)


def _box(bbox: tuple[float, float, float, float]) -> Any:
    import shapely

    return shapely.box(*bbox)
