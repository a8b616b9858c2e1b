"""Move a whole store to another backend: ``pocmap migrate --to postgresql://...``.

Everything is copied as it is, not replayed: batches keep their numbers, times,
status (a withdrawn batch stays withdrawn, with who, when and why) and review; their
rows (withdrawn batches' too) keep their row numbers and the records as read; the
files as sent, the reports, the saved mappings, the edit history, the rows withdrawn
one by one and the audit log (same numbers, same actors and times) come along. The
source is read in one read transaction and the target written in one write transaction,
so the copy is one consistent state, and the target holds all of it or nothing. The
counts are checked before the target commits; the copy then ends with one ``migrate``
audit entry.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from languages import N_, _, format_number
from schema.catalogue import LAYER_SPECS
from store import audit_chain, frames, schema, sql
from store.base import (
    ACCEPTED,
    AUDIT_COLUMNS,
    EDIT_COLUMNS,
    WITHDRAWN,
    Batch,
    StoreError,
    actor_of,
)
from store.coding_tables import (
    CODE_COLUMNS,
    IDENTITIES,
    ITEM_COLUMNS,
    RESOLUTION_COLUMNS,
    SAMPLE_COLUMNS,
)
from store.links import LINK_COLUMNS
from store.pg_schema import SCHEMA
from store.row_withdrawals import WITHDRAWAL_COLUMNS
from store.schema import quote
from store.sql_store import SqlStore

_BATCH_COLUMNS = [f.name for f in dataclasses.fields(Batch)]
_JSON_COLUMNS = ("mapping", "notes")
_MAPPING_COLUMNS = ("name", "layer", "office", "mapping", "saved_at", "saved_by")
_REPORT_COLUMNS = ("batch_id", *schema.REPORT_COLUMNS)
_CODING_COPIES = (
    ("coding_samples", SAMPLE_COLUMNS, "sample_id"),
    ("coding_sample_items", ITEM_COLUMNS, "sample_id, position"),
    ("blind_codes", CODE_COLUMNS, "code_id"),
    ("coding_resolutions", RESOLUTION_COLUMNS, "resolution_id"),
)
"""Double coding (migration 5): each table as stored, in the order their keys need."""
_SEQUENCES = (
    ("batches", "batch_id"),
    ("audit_log", "seq"),
    ("edits", "edit_id"),
    ("event_links", "link_id"),
    ("row_withdrawals", "withdrawal_id"),
    *IDENTITIES,
)
"""The numbers copied as they are; PostgreSQL's identities must continue after them."""


class MigrationError(StoreError):
    """The migration was refused or its copy did not check out (the target is unchanged)."""


@dataclass(frozen=True)
class MigrationReport:
    """What was copied: counts checked equal in the source and the target."""

    source: str
    target: str
    batches: int
    withdrawn: int
    under_review: int
    rows: dict[str, int]
    """Rows per layer (every layer, withdrawn batches' rows included)."""
    rows_per_batch: dict[int, int]
    files: int
    file_bytes: int
    report_lines: int
    mappings: int
    edits: int
    links: int
    """Links between reports of one event, with analysts' decisions."""
    audit_entries: int
    """Entries copied (the target has one more: the ``migrate`` entry)."""
    row_withdrawals: int = 0
    """Rows withdrawn one by one (in force or restored), with who, when and why."""
    coding: dict[str, int] = dataclasses.field(default_factory=dict)
    """Double coding: rows per table (samples, their items, blind codes, resolutions)."""

    def summary(self) -> str:
        """A few lines for a person: what moved where."""
        width = max(len(name) for name in self.rows)
        counted = [
            (
                _("batches"),
                _(
                    "{batches} ({withdrawn} withdrawn, {under_review} under review)",
                    batches=self.batches,
                    withdrawn=self.withdrawn,
                    under_review=self.under_review,
                ),
            ),
            (_("files as sent"), f"{self.files} ({_size(self.file_bytes)})"),
            (_("report lines"), str(self.report_lines)),
            (_("mappings"), str(self.mappings)),
            (_("edits"), str(self.edits)),
            (_("event links"), str(self.links)),
            (_("rows withdrawn"), str(self.row_withdrawals)),
            (
                _("double coding"),
                _(
                    "{samples} samples, {codes} blind codes, {resolved} resolved",
                    samples=self.coding.get("coding_samples", 0),
                    codes=self.coding.get("blind_codes", 0),
                    resolved=self.coding.get("coding_resolutions", 0),
                ),
            ),
            (
                _("audit entries"),
                _("{entries} (+1: this migration)", entries=self.audit_entries),
            ),
        ]
        # Labels padded to one column in every language (13 wide, as English has always been).
        pad = max(13, *(len(label) for label, _value in counted))
        lines = [
            _("copied {source} -> {target}", source=self.source, target=self.target),
            f"  {counted[0][0].ljust(pad)}  {counted[0][1]}",
            _("  rows per layer (withdrawn batches' rows included):"),
            *(f"    {name.ljust(width)}  {count}" for name, count in self.rows.items()),
            *(f"  {label.ljust(pad)}  {value}" for label, value in counted[1:]),
        ]
        return "\n".join(lines)


def migrate(source: SqlStore, target: SqlStore, *, by: Any) -> MigrationReport:
    """Copy every batch, row, file, report, mapping, edit and audit entry of ``source``
    into ``target``, which must be empty (a new GeoPackage file or PostGIS database).

    ``by`` is who the ``migrate`` audit entry on the target records.

    Raises
    ------
    MigrationError
        when the source is empty, the target is the source or is not empty, the two are
        at different schema versions, or the counts differ after the copy (nothing is
        then committed).
    """
    actor = actor_of(by)
    if source.location == target.location:
        raise MigrationError(
            _("the source and the target are the same store ({location})", location=source.location)
        )
    if source.schema_version() != target.schema_version():
        raise MigrationError(
            _(
                "{source} is at schema version {source_version} but {target} at "
                "{target_version}; upgrade pocmap where both open",
                source=source.location,
                source_version=source.schema_version(),
                target=target.location,
                target_version=target.schema_version(),
            )
        )
    with source._reading() as conn:
        if not _held(conn):
            raise MigrationError(
                _(
                    "the source store {location} is empty: there is nothing to migrate",
                    location=source.location,
                )
            )
    _refuse_non_empty(target, target.location)  # before reading anything: fail fast
    with source._reading() as src, target._writing() as dst:
        _refuse_non_empty(dst, target.location)  # again, under the target's write lock
        batches = [
            sql.to_batch(row) for row in src.execute(f"{sql.SELECT_BATCH} ORDER BY batch_id")
        ]
        _insert(dst, "batches", _BATCH_COLUMNS, [_batch_values(b) for b in batches])
        files = src.execute("SELECT batch_id, data FROM batch_files ORDER BY batch_id").fetchall()
        _insert(dst, "batch_files", ("batch_id", "data"), [(b, bytes(d)) for b, d in files])
        report_lines = _copy(src, dst, "batch_reports", _REPORT_COLUMNS, "fid")
        for layer in LAYER_SPECS:
            for batch_id, rows in _layer_runs(source, src, layer):
                names, records = frames.to_records(
                    rows, schema.spec(layer), batch_id, encode=target._encode_geometries
                )
                sql.insert_rows(dst, layer, batch_id, names, records, target.geometry_mark)
        mappings = _copy(src, dst, "column_mappings", _MAPPING_COLUMNS, "fid")
        edits = _copy(src, dst, "edits", EDIT_COLUMNS, "edit_id")
        links = _copy(src, dst, "event_links", LINK_COLUMNS, "link_id")
        withdrawals = _copy(src, dst, "row_withdrawals", WITHDRAWAL_COLUMNS, "withdrawal_id")
        coding = {
            table: _copy(src, dst, table, cols, order) for table, cols, order in _CODING_COPIES
        }
        # Entries keep their numbers and hashes: the chain holds in the target as it did in
        # the source, and the migrate entry below is chained after the last one copied.
        audit_entries = _copy(
            src, dst, "audit_log", (*AUDIT_COLUMNS, *audit_chain.CHAIN_COLUMNS), "seq"
        )

        expected, copied = _counts(src), _counts(dst)
        if copied != expected:
            raise MigrationError(
                _(
                    "the copy into {target} does not match {source} ({difference}); nothing "
                    "was written",
                    target=target.location,
                    source=source.location,
                    difference=_difference(expected, copied),
                )
            )
        if not sql.is_sqlite(dst):
            _continue_numbering(dst)
        report = MigrationReport(
            source=source.location,
            target=target.location,
            batches=len(batches),
            withdrawn=sum(b.status == WITHDRAWN for b in batches),
            under_review=sum(b.review != ACCEPTED for b in batches),
            rows={layer: sum(expected["rows"][layer].values()) for layer in LAYER_SPECS},
            rows_per_batch=_rows_per_batch(expected, batches),
            files=len(files),
            file_bytes=sum(len(d) for _, d in files),
            report_lines=report_lines,
            mappings=mappings,
            edits=edits,
            links=links,
            audit_entries=audit_entries,
            row_withdrawals=withdrawals,
            coding=coding,
        )
        at = sql.utc_now()
        target._touched(dst, (*LAYER_SPECS, "batches"), at)
        sql.audit(
            dst,
            "migrate",
            actor,
            f"store {target.location}",
            {
                "from": source.location,
                "batches": report.batches,
                "rows": report.rows,
                "files": report.files,
                "audit_entries": report.audit_entries,
                "edits": report.edits,
                "links": report.links,
                "mappings": report.mappings,
                "row_withdrawals": report.row_withdrawals,
                "coding": report.coding,
            },
            at=at,
        )
    return report


# --- reading and writing --------------------------------------------------------------
def _refuse_non_empty(store_or_conn: Any, location: str) -> None:
    """Raise :class:`MigrationError` naming what the target already holds."""
    if isinstance(store_or_conn, SqlStore):
        with store_or_conn._reading() as conn:
            held = _held(conn)
    else:
        held = _held(store_or_conn)
    if held:
        what = ", ".join(f"{_(name)}: {n}" for name, n in held.items())
        raise MigrationError(
            _(
                "the target store {location} is not empty ({held}); pocmap migrate copies "
                "into an empty store only: create a new database (or give a new file name) "
                "and migrate into that",
                location=location,
                held=what,
            )
        )


def _held(conn: Any) -> dict[str, int]:
    tables = {
        N_("batches"): "batches",
        N_("saved mappings"): "column_mappings",
        N_("edits"): "edits",
        N_("event links"): "event_links",
        N_("rows withdrawn"): "row_withdrawals",
        N_("double-coding samples"): "coding_samples",
        N_("audit entries"): "audit_log",
    }
    held = {}
    for name, table in tables.items():
        (n,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        if n:
            held[name] = int(n)
    return held


def _batch_values(batch: Batch) -> tuple[Any, ...]:
    values = dataclasses.asdict(batch)
    for name in _JSON_COLUMNS:
        values[name] = json.dumps(values[name], ensure_ascii=False)
    return tuple(values[name] for name in _BATCH_COLUMNS)


def _insert(conn: Any, table: str, columns: tuple[str, ...] | list[str], rows: list[Any]) -> None:
    if not rows:
        return
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _copy(src: Any, dst: Any, table: str, columns: tuple[str, ...], order: str) -> int:
    """Copy ``columns`` of every row of ``table`` as stored, in ``order``; return how many."""
    names = ", ".join(quote(c) for c in columns)
    rows = src.execute(f"SELECT {names} FROM {table} ORDER BY {order}").fetchall()
    _insert(dst, table, columns, rows)
    return len(rows)


def _layer_runs(source: SqlStore, conn: Any, layer: str) -> Iterator[tuple[int, pd.DataFrame]]:
    """A layer's rows (every batch's), in stored order, as runs of one batch each: typed
    frames indexed by row number with their ``source_record``, as ``commit_batch`` takes."""
    layer_spec = schema.spec(layer)
    selected = [source._select(f.name, f.kind) for f in layer_spec.fields]
    selected += [source._select(c, "count") for c in frames.EXTRA_COLUMNS]
    if layer_spec.geometry_types:
        selected.append(source._select(schema.GEOMETRY_COLUMN, None))
    stored = conn.execute(
        f"SELECT t.{frames.SOURCE_RECORD}, {', '.join(selected)} "
        f"FROM {quote(layer)} AS t ORDER BY t.fid"
    ).fetchall()
    if not stored:
        return
    rows = frames.to_frame(layer_spec, [r[1:] for r in stored], decode=source._decode_geometries)
    rows[frames.SOURCE_RECORD] = pd.Series([r[0] for r in stored], dtype=object)
    rows = rows.set_index("source_row")
    numbers = rows["batch_id"].to_numpy(dtype=np.int64)
    starts = [0, *(np.flatnonzero(numbers[1:] != numbers[:-1]) + 1).tolist(), len(rows)]
    for start, end in itertools.pairwise(starts):
        yield int(numbers[start]), rows.iloc[start:end]


def _counts(conn: Any) -> dict[str, Any]:
    """What both sides must hold the same of: rows per layer and batch, and table sizes."""
    rows = {}
    for layer in LAYER_SPECS:
        found = conn.execute(
            f"SELECT batch_id, count(*) FROM {quote(layer)} GROUP BY batch_id"
        ).fetchall()
        rows[layer] = {int(b): int(n) for b, n in found}
    tables = (
        "batches", "batch_files", "batch_reports", "column_mappings", "edits", "event_links",
        "audit_log", "row_withdrawals", *(table for table, _columns, _order in _CODING_COPIES),
    )  # fmt: skip
    sizes = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}
    return {"rows": rows, "tables": sizes}


def _difference(expected: dict[str, Any], copied: dict[str, Any]) -> str:
    found = [
        _(
            "{table}: {n} in the source, {copied} copied",
            table=table,
            n=n,
            copied=copied["tables"][table],
        )
        for table, n in expected["tables"].items()
        if copied["tables"][table] != n
    ]
    for layer, per_batch in expected["rows"].items():
        for batch_id in sorted(set(per_batch) | set(copied["rows"][layer])):
            want, got = per_batch.get(batch_id, 0), copied["rows"][layer].get(batch_id, 0)
            if want != got:
                found.append(
                    _(
                        "{layer} of batch {batch}: {want} rows, {got} copied",
                        layer=layer,
                        batch=batch_id,
                        want=want,
                        got=got,
                    )
                )
    shown = "; ".join(found[:5])
    return (
        _("{shown} and {more} more", shown=shown, more=len(found) - 5) if len(found) > 5 else shown
    )


def _rows_per_batch(counts: dict[str, Any], batches: list[Batch]) -> dict[int, int]:
    per_batch = {b.batch_id: 0 for b in batches}
    for layer_rows in counts["rows"].values():
        for batch_id, n in layer_rows.items():
            per_batch[batch_id] += n
    return per_batch


def _continue_numbering(conn: Any) -> None:
    """Move PostgreSQL's identities past the numbers copied, so new ones are new."""
    for table, column in _SEQUENCES:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{SCHEMA}.{table}', '{column}'), "
            f"(SELECT coalesce(max({column}), 0) + 1 FROM {SCHEMA}.{table}), false)"
        )


def _size(n: float) -> str:
    for unit in ("bytes", N_("KB"), N_("MB"), N_("GB")):
        if n < 1024 or unit == "GB":
            if unit == "bytes":
                return _("{n} bytes", n=format_number(n))
            return f"{format_number(n, digits=1)} {_(unit)}"
        n /= 1024
    raise AssertionError("unreachable")
