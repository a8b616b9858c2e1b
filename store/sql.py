"""The SQL behind both stores, one function per statement or two.

Every function takes an open connection and runs inside the caller's transaction,
so a check (``active_upload``, ``refuse_stored_ids``) and the writes it guards
see the same state. Statements use ``?`` marks: a ``sqlite3`` connection takes them
as they are, and :class:`store.postgis.PgConnection` turns them into psycopg's.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

import pandas as pd

from schema.ids import id_keys
from store import audit_chain, frames, schema
from store.base import (
    ACCEPTED,
    ACTIVE,
    AUDIT_COLUMNS,
    Actor,
    Batch,
    DuplicateIds,
    NewBatch,
    UnknownBatch,
)
from store.pg_schema import LOCK_KEY
from store.schema import quote, utc_now

_BATCH_FIELDS = (
    "layer office uploader source_name source_sha256 source_format profile mapping rows_read "
    "accepted accepted_with_warning rejected notes review out_of_scope updated unchanged"
).split()
_STATUS_FIELDS = ["status_changed_at", "status_changed_by", "status_reason"]
_REVIEW_FIELDS = ["reviewed_at", "reviewed_by"]
_BATCH_COLUMNS = [
    "batch_id",
    *_BATCH_FIELDS,
    "imported_at",
    "status",
    *_STATUS_FIELDS,
    *_REVIEW_FIELDS,
]
SELECT_BATCH = f"SELECT {', '.join(_BATCH_COLUMNS)} FROM batches"


def is_sqlite(conn: Any) -> bool:
    """Whether ``conn`` is the GeoPackage's (else PostgreSQL's)."""
    return isinstance(conn, sqlite3.Connection)


def to_batch(row: tuple[Any, ...]) -> Batch:
    """A ``SELECT_BATCH`` row as a :class:`Batch`."""
    values = dict(zip(_BATCH_COLUMNS, row, strict=True))
    values["mapping"] = json.loads(values["mapping"])
    values["notes"] = json.loads(values["notes"])
    return Batch(**values)


def get_batch(conn: sqlite3.Connection, batch_id: int) -> Batch:
    """One batch, or :class:`UnknownBatch`."""
    row = conn.execute(f"{SELECT_BATCH} WHERE batch_id = ?", (int(batch_id),)).fetchone()
    if row is None:
        raise UnknownBatch(batch_id)
    return to_batch(row)


def active_upload(conn: sqlite3.Connection, layer: str, sha256: str) -> Batch | None:
    """The active batch of ``layer`` that imported the file with this hash, if any."""
    row = conn.execute(
        f"{SELECT_BATCH} WHERE layer = ? AND source_sha256 = ? AND status = 'active'",
        (layer, sha256),
    ).fetchone()
    return to_batch(row) if row else None


def stored_ids(
    conn: sqlite3.Connection, layer: str, column: str, ids: Iterable[str]
) -> dict[str, int]:
    """Which ``ids`` are in active batches of ``layer``: ``{id as given: batch_id}``.

    Ids are compared by :func:`schema.ids.id_key` (NFC, trimmed, case folded), in Python:
    SQL's ``lower()`` is not Unicode case folding and SQLite has no NFC. So every id of the
    layer's active batches is read once (nothing else when there are none).
    """
    stored = conn.execute(
        f"SELECT t.{quote(column)}, t.batch_id FROM {quote(layer)} AS t "
        "JOIN batches AS b ON b.batch_id = t.batch_id "
        f"WHERE b.status = 'active' AND t.{quote(column)} IS NOT NULL ORDER BY t.batch_id"
    ).fetchall()
    if not stored:
        return {}
    held = pd.Series(
        [int(batch) for _, batch in stored], index=id_keys([str(value) for value, _ in stored])
    )
    held = held[~held.index.duplicated()]  # the oldest batch, for a key stored twice before
    wanted = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype="str")
    wanted = wanted.astype("str").reset_index(drop=True)
    keys = id_keys(wanted)
    hit = keys.isin(held.index).to_numpy()
    return dict(zip(wanted[hit].tolist(), held.loc[keys[hit]].tolist(), strict=True))


def refuse_stored_ids(
    conn: sqlite3.Connection,
    layer: str,
    column: str | None,
    ids: list[str],
    restoring: int | None = None,
) -> None:
    """Raise :class:`DuplicateIds` when any of ``ids`` is in an active batch."""
    if not column or not ids:
        return
    clashes = stored_ids(conn, layer, column, ids)
    if clashes:
        holders = [get_batch(conn, b) for b in sorted(set(clashes.values()))]
        raise DuplicateIds(layer, column, clashes, holders, restoring=restoring)


def batch_ids_of(conn: sqlite3.Connection, layer: str, column: str, batch_id: int) -> list[str]:
    """The ids a batch holds."""
    rows = conn.execute(
        f"SELECT {quote(column)} FROM {quote(layer)} WHERE batch_id = ?", (batch_id,)
    )
    return [str(value) for (value,) in rows if value is not None]


def insert_batch(
    conn: sqlite3.Connection, batch: NewBatch, imported_at: str, batch_id: int | None = None
) -> int:
    """Add the batch's row (active) and return its number (``batch_id``, when a migration
    keeps the numbers). A batch committed as accepted is reviewed by its uploader, now."""
    values = [getattr(batch, name) for name in _BATCH_FIELDS]
    values[_BATCH_FIELDS.index("mapping")] = json.dumps(batch.mapping, ensure_ascii=False)
    values[_BATCH_FIELDS.index("notes")] = json.dumps(list(batch.notes), ensure_ascii=False)
    accepted = batch.review == ACCEPTED
    reviewed = (imported_at, batch.uploader) if accepted else (None, None)
    names = [*_BATCH_FIELDS, "imported_at", "status", *_REVIEW_FIELDS]
    row = [*values, imported_at, ACTIVE, *reviewed]
    if batch_id is not None:
        names, row = ["batch_id", *names], [int(batch_id), *row]
    (number,) = conn.execute(
        f"INSERT INTO batches ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        "RETURNING batch_id",
        row,
    ).fetchone()
    return int(number)


def insert_rows(
    conn: sqlite3.Connection,
    layer: str,
    batch_id: int,
    names: list[str],
    records: list[tuple[Any, ...]],
    geometry_mark: str = "?",
) -> None:
    """Add a batch's rows (``records`` from :func:`frames.to_records`, numbered later).

    ``geometry_mark`` is the geometry's placeholder (PostGIS: ``ST_GeomFromWKB(?, 4326)``).
    """
    position = names.index("batch_id")
    numbered = ((*r[:position], batch_id, *r[position + 1 :]) for r in records)
    columns = ", ".join(quote(n) for n in names)
    marks = ", ".join(geometry_mark if n == schema.GEOMETRY_COLUMN else "?" for n in names)
    conn.executemany(f"INSERT INTO {quote(layer)} ({columns}) VALUES ({marks})", numbered)


def insert_report(conn: sqlite3.Connection, batch_id: int, report: pd.DataFrame) -> None:
    """Add the report lines; values become text (a report is read, not computed on)."""
    columns = [
        report[c].tolist() if c in report else [None] * len(report) for c in schema.REPORT_COLUMNS
    ]
    lines = (
        (batch_id, *(None if frames.is_missing(v) else str(v) for v in line))
        for line in zip(*columns, strict=True)
    )
    names = ", ".join(quote(c) for c in schema.REPORT_COLUMNS)
    marks = ", ".join("?" * len(schema.REPORT_COLUMNS))
    conn.executemany(f"INSERT INTO batch_reports (batch_id, {names}) VALUES (?, {marks})", lines)


def set_status(
    conn: sqlite3.Connection, batch_id: int, status: str, by: str, reason: str | None
) -> Batch:
    """Mark a batch active or withdrawn, recording who, when and why."""
    conn.execute(
        "UPDATE batches SET status = ?, status_changed_at = ?, status_changed_by = ?, "
        "status_reason = ? WHERE batch_id = ?",
        (status, utc_now(), by, reason, batch_id),
    )
    return get_batch(conn, batch_id)


def set_accepted(conn: sqlite3.Connection, batch_id: int, by: str) -> Batch:
    """Take a batch out of review, recording who accepted it and when."""
    conn.execute(
        "UPDATE batches SET review = ?, reviewed_at = ?, reviewed_by = ? WHERE batch_id = ?",
        (ACCEPTED, utc_now(), by, batch_id),
    )
    return get_batch(conn, batch_id)


def audit(
    conn: sqlite3.Connection,
    action: str,
    actor: Actor,
    target: str = "",
    details: dict[str, Any] | None = None,
    at: str | None = None,
) -> None:
    """Append one entry to the audit log (inside the caller's write transaction), chained
    to the last one: ``seq`` is the next number and ``prev_hash`` the last entry's hash.

    The caller's transaction holds the store's write lock (SQLite's ``BEGIN IMMEDIATE``,
    PostGIS's advisory lock, taken again here in case a caller forgot), so no other writer
    can append between reading the last entry and adding this one; were one to, the
    unique ``seq`` and ``prev_hash`` would refuse the second entry rather than fork.
    """
    if not is_sqlite(conn):
        conn.execute("SELECT pg_advisory_xact_lock(?)", (LOCK_KEY,))
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    entry = {
        "seq": int(last[0]) + 1 if last else 1,
        "at": at or utc_now(),
        "actor": actor.name,
        "role": actor.role,
        "office": actor.office,
        "action": action,
        "target": target,
        "details": json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
        "prev_hash": (last[1] or audit_chain.GENESIS) if last else audit_chain.GENESIS,
    }
    entry["hash"] = audit_chain.entry_hash(entry)
    names = [*AUDIT_COLUMNS, *audit_chain.CHAIN_COLUMNS]
    conn.execute(
        f"INSERT INTO audit_log ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [entry[n] for n in names],
    )


def audit_rows(conn: sqlite3.Connection) -> pd.DataFrame:
    """The whole audit log, oldest first."""
    rows = conn.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log ORDER BY seq").fetchall()
    log = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS), dtype=object)
    log["seq"] = log["seq"].astype("int64")
    return log


def audit_chain_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every audit entry with its ``prev_hash`` and ``hash``, oldest first, as stored."""
    names = [*AUDIT_COLUMNS, *audit_chain.CHAIN_COLUMNS]
    rows = conn.execute(f"SELECT {', '.join(names)} FROM audit_log ORDER BY seq").fetchall()
    return [dict(zip(names, row, strict=True)) for row in rows]


def check_new_batch(batch: NewBatch, rows: pd.DataFrame, id_column: str | None) -> None:
    """Refuse a batch whose accounting does not add up, before any lock is taken."""
    counted = batch.accepted + batch.accepted_with_warning + batch.rejected + batch.out_of_scope
    counted += batch.unchanged
    if counted != batch.rows_read:
        raise ValueError(
            f"batch of {batch.source_name}: {batch.rows_read} rows read but {counted} accounted "
            "for (accepted + accepted with a warning + out of scope + rejected + unchanged); "
            "every row must be counted"
        )
    if batch.updated > batch.accepted + batch.accepted_with_warning or batch.unchanged < 0:
        raise ValueError(
            f"batch of {batch.source_name}: {batch.updated} rows updated but "
            f"{batch.accepted + batch.accepted_with_warning} accepted; updated rows are "
            "among the accepted ones"
        )
    if batch.out_of_scope < 0:
        raise ValueError(f"batch of {batch.source_name}: {batch.out_of_scope} rows out of scope")
    if len(rows) != batch.accepted + batch.accepted_with_warning:
        raise ValueError(
            f"batch of {batch.source_name}: {len(rows)} rows given but "
            f"{batch.accepted + batch.accepted_with_warning} accepted"
        )
    if id_column is not None:
        if id_column not in rows:
            raise ValueError(f"`id_column` was {id_column!r} but `rows` has no such column")
        given = rows[id_column].dropna()
        repeated = given[id_keys(given).duplicated().to_numpy()].unique()  # as id_key compares
        if len(repeated):
            raise ValueError(
                f"{id_column} repeats within the batch: {sorted(map(str, repeated))[:10]}"
            )
