"""The GeoPackage's tables: the standard's own, one per layer, and the batches' tables.

Creating them is one ``BEGIN IMMEDIATE`` transaction with ``IF NOT EXISTS`` and
``INSERT OR IGNORE`` throughout, so two processes opening a new file at once both
end with the same, complete schema: the second waits for the first, then finds
nothing left to do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from languages import _
from schema.catalogue import LAYER_SPECS, id_field
from schema.fields import LayerSpec
from store import audit_chain
from store.base import StoreError
from store.coding_tables import TABLES as CODING_TABLES
from store.coding_tables import double_coding_ddl

BUSY_TIMEOUT_S = 30.0
GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10300  # GeoPackage 1.3.0
WGS84_SRS_ID = 4326
GEOMETRY_COLUMN = "geom"
STORE_TABLES = (
    "batches", "batch_files", "batch_reports", "column_mappings",
    "schema_migrations", "edits", "audit_log", "event_links",
    "row_withdrawals", *CODING_TABLES,
)  # fmt: skip
ROW_WITHDRAWALS = "row_withdrawals"
REPORT_COLUMNS = ("row", "column", "value", "problem", "expected", "outcome")

# GeoPackage column types: DATE and BOOLEAN make GDAL and QGIS show dates and
# check boxes; SQLite still stores the ISO text and the 0/1 integers as given.
_SQL_TYPE = {
    "text": "TEXT",
    "code": "TEXT",
    "codes": "TEXT",
    "date": "DATE",
    "count": "INTEGER",
    "number": "REAL",
    "flag": "BOOLEAN",
}

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)

# The three tables every GeoPackage has, as the standard (annex C) writes them.
_GPKG_CORE = """
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
"""

_SRS_ROWS = (
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
    ("WGS 84 geodetic", WGS84_SRS_ID, "EPSG", 4326, _WGS84_WKT, "longitude/latitude"),
)

_STORE_DDL = """
CREATE TABLE IF NOT EXISTS batches (
  batch_id INTEGER PRIMARY KEY, layer TEXT NOT NULL, office TEXT NOT NULL,
  uploader TEXT NOT NULL, imported_at DATETIME NOT NULL, source_name TEXT NOT NULL,
  source_sha256 TEXT NOT NULL, source_format TEXT NOT NULL, profile TEXT NOT NULL,
  mapping TEXT NOT NULL, rows_read INTEGER NOT NULL, accepted INTEGER NOT NULL,
  accepted_with_warning INTEGER NOT NULL, rejected INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
  status_changed_at DATETIME, status_changed_by TEXT, status_reason TEXT,
  notes TEXT NOT NULL);
-- The database itself refuses a second active batch of the same file, whatever the code does.
CREATE UNIQUE INDEX IF NOT EXISTS batches_one_active_file
  ON batches (layer, source_sha256) WHERE status = 'active';
CREATE TABLE IF NOT EXISTS batch_files (
  batch_id INTEGER PRIMARY KEY REFERENCES batches (batch_id), data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS batch_reports (
  fid INTEGER PRIMARY KEY, batch_id INTEGER NOT NULL REFERENCES batches (batch_id),
  "row" TEXT, "column" TEXT, value TEXT, problem TEXT, expected TEXT, outcome TEXT);
CREATE INDEX IF NOT EXISTS batch_reports_batch ON batch_reports (batch_id);
CREATE TABLE IF NOT EXISTS column_mappings (
  fid INTEGER PRIMARY KEY, name TEXT NOT NULL, layer TEXT NOT NULL, office TEXT NOT NULL,
  mapping TEXT NOT NULL, saved_at DATETIME NOT NULL, saved_by TEXT NOT NULL,
  UNIQUE (layer, name));
"""


BATCH_COLUMNS_ADDED: tuple[tuple[str, str], ...] = (
    # Issue 20: rows the source reports but the layer does not hold (an ACLED protest sent
    # as incidents): rows_read = accepted + accepted_with_warning + out_of_scope + rejected.
    # Batches imported before it had none.
    ("out_of_scope", "INTEGER NOT NULL DEFAULT 0"),
    # Issue 23: a corrected file sent again (store/versions.py): rows that are new versions
    # of stored ones (among the accepted), and rows the same as stored (counted, not stored).
    ("updated", "INTEGER NOT NULL DEFAULT 0"),
    ("unchanged", "INTEGER NOT NULL DEFAULT 0"),
)
"""Columns of ``batches`` added after migration 3, as the layers' new fields are: a file or
database that lacks one gets it, empty or at its default, whenever it is opened by a role
that may change the schema (both backends), so no migration number is spent on them."""


def _add_batch_columns(conn: sqlite3.Connection) -> None:
    present = {row[1] for row in conn.execute("PRAGMA table_info(batches)")}
    for name, sql_type in BATCH_COLUMNS_ADDED:
        if name not in present:
            conn.execute(f"ALTER TABLE batches ADD COLUMN {quote(name)} {sql_type}")


_MIGRATIONS_DDL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at DATETIME NOT NULL)
"""

# Version 2 (issue #7): uploads wait for review, analysts' edits keep their history, and
# an append-only audit log. SQLite's triggers refuse to change or delete what is logged.
_V2_STATEMENTS = (
    # Batches imported before reviews existed were in analysis: they stay accepted.
    "ALTER TABLE batches ADD COLUMN review TEXT NOT NULL DEFAULT 'accepted' "
    "CHECK (review IN ('under_review', 'accepted'))",
    "ALTER TABLE batches ADD COLUMN reviewed_at DATETIME",
    "ALTER TABLE batches ADD COLUMN reviewed_by TEXT",
    "CREATE TABLE edits (edit_id INTEGER PRIMARY KEY, layer TEXT NOT NULL, "
    "row_key TEXT NOT NULL, batch_id INTEGER NOT NULL REFERENCES batches (batch_id), "
    '"column" TEXT NOT NULL, before TEXT, after TEXT, edited_by TEXT NOT NULL, '
    "edited_at DATETIME NOT NULL, reason TEXT NOT NULL)",
    "CREATE INDEX edits_row ON edits (layer, row_key)",
    "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at DATETIME NOT NULL, "
    "actor TEXT NOT NULL, role TEXT, office TEXT, action TEXT NOT NULL, target TEXT, "
    "details TEXT NOT NULL)",
    *(
        f"CREATE TRIGGER {table}_{verb.lower()}_refused BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: entries are never changed "
        "or deleted'); END"
        for table in ("audit_log", "edits")
        for verb in ("UPDATE", "DELETE")
    ),
)

MIGRATIONS = {
    1: "batches, their files, reports and mappings; one table per layer",
    2: "review of uploads, edit history, append-only audit log",
    3: "audit log hash chain (existing entries chained when migrated)",
    4: "links between reports of the same event from different sources",
    5: "double coding: samples drawn and each coder's blind code",
    6: "single rows withdrawn from a batch, kept and restorable",
}
LATEST_VERSION = max(MIGRATIONS)


def utc_now() -> str:
    """Now, as GeoPackage writes a DATETIME: ``2026-11-20T09:14:03.120Z``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def quote(name: str) -> str:
    """An SQL identifier, quoted (schema fields are called ``date``, ``kind``, ...)."""
    return '"' + name.replace('"', '""') + '"'


def spec(layer: str) -> LayerSpec:
    """The schema a layer's table follows."""
    return LAYER_SPECS[layer]


def id_column(layer: str) -> str | None:
    """The layer's id column (its first unique field), or ``None`` (basemap)."""
    field = id_field(LAYER_SPECS[layer])
    return field.name if field else None


def geometry_type_name(layer_spec: LayerSpec) -> str:
    """``POINT`` for point-only layers, else ``GEOMETRY`` (mixed types in one table)."""
    types = layer_spec.geometry_types
    return "POINT" if types == ("Point",) else "GEOMETRY"


def _layer_columns(layer_spec: LayerSpec) -> list[tuple[str, str]]:
    columns = [(f.name, _SQL_TYPE[f.kind]) for f in layer_spec.fields]
    columns += [
        ("batch_id", "INTEGER NOT NULL REFERENCES batches (batch_id)"),
        ("source_row", "INTEGER"),
        ("source_record", "TEXT"),
    ]
    if layer_spec.geometry_types:
        columns.append((GEOMETRY_COLUMN, geometry_type_name(layer_spec)))
    return columns


def _create_layer(conn: sqlite3.Connection, layer: str) -> None:
    layer_spec = spec(layer)
    columns = ", ".join(f"{quote(n)} {t}" for n, t in _layer_columns(layer_spec))
    conn.execute(f"CREATE TABLE IF NOT EXISTS {quote(layer)} (fid INTEGER PRIMARY KEY, {columns})")
    # A schema field added after the file was made becomes a new, empty column.
    present = {row[1] for row in conn.execute(f"PRAGMA table_info({quote(layer)})")}
    for name, sql_type in _layer_columns(layer_spec):
        if name not in present:
            conn.execute(f"ALTER TABLE {quote(layer)} ADD COLUMN {quote(name)} {sql_type}")
    conn.execute(
        f"CREATE INDEX IF NOT EXISTS {quote(layer + '_batch')} ON {quote(layer)} (batch_id)"
    )
    key = id_column(layer)
    if key:
        conn.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(layer + '_id')} ON {quote(layer)} ({quote(key)})"
        )
    spatial = bool(layer_spec.geometry_types)
    _register(
        conn, layer, "features" if spatial else "attributes", WGS84_SRS_ID if spatial else None
    )
    if spatial:
        conn.execute(
            "INSERT OR IGNORE INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)",
            (layer, GEOMETRY_COLUMN, geometry_type_name(layer_spec), WGS84_SRS_ID),
        )


def _register(conn: sqlite3.Connection, table: str, data_type: str, srs_id: int | None) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES (?, ?, ?, ?)",
        (table, data_type, table, srs_id),
    )


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit ``BEGIN IMMEDIATE``).

    ``synchronous=FULL``: in WAL mode, NORMAL survives a crashed process but may lose
    the last commits on a power cut; a field office's laptop or a mission server on
    a generator does lose power, an import is rare, and its fsync costs milliseconds.
    """
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as err:
        conn.close()
        raise StoreError(
            _("{path} is not a pocmap store (a GeoPackage file): {error}", path=path, error=err)
        ) from None
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error.

    IMMEDIATE takes the write lock at the start, so the checks made inside the
    transaction still hold when it commits (a DEFERRED one could be overtaken).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _use_wal(conn: sqlite3.Connection) -> None:
    # WAL lets readers (the map) read while an office writes. Switching needs an
    # exclusive lock and SQLite may refuse it at once rather than wait, so retry.
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def initialise(conn: sqlite3.Connection, path: Path) -> None:
    """Create whatever the file lacks (everything for a new file), race-free.

    Raises
    ------
    StoreError
        when the file is some other SQLite database or GeoPackage.
    """
    _use_wal(conn)
    with transaction(conn):
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        tables = {t for t in tables if not t.startswith("sqlite_")}
        if tables and "batches" not in tables:
            raise StoreError(
                _(
                    "{path} already holds other data (tables {tables}) and is not "
                    "a pocmap store; set POCMAP_DB to a new file name",
                    path=path,
                    tables=sorted(tables)[:5],
                )
            )
        conn.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
        _run_script(conn, _GPKG_CORE)
        conn.executemany(
            "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", _SRS_ROWS
        )
        _run_script(conn, _STORE_DDL)
        migrate(conn, had_batches="batches" in tables)
        _add_batch_columns(conn)
        for table in STORE_TABLES:
            _register(conn, table, "attributes", None)
        for layer in LAYER_SPECS:
            _create_layer(conn, layer)


def migrate(conn: sqlite3.Connection, *, had_batches: bool, upto: int = LATEST_VERSION) -> None:
    """Apply the migrations the file lacks, in order, inside the caller's transaction.

    A file made before migrations were recorded (it has ``batches`` but no
    ``schema_migrations``) is at version 1.
    """
    known = conn.execute(
        "SELECT name FROM sqlite_master WHERE name = 'schema_migrations'"
    ).fetchone()
    _run_script(conn, _MIGRATIONS_DDL)
    applied = {v for (v,) in conn.execute("SELECT version FROM schema_migrations")}
    if not known:
        # Version 1 is the DDL above (new file) or what an older file already holds.
        conn.execute(
            "INSERT INTO schema_migrations VALUES (1, ?, ?)",
            (MIGRATIONS[1], "before migrations were recorded" if had_batches else utc_now()),
        )
        applied.add(1)
    for version in sorted(MIGRATIONS):
        if version in applied or version > upto:
            continue
        for statement in _STEPS[version]:
            statement(conn) if callable(statement) else conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)",
            (version, MIGRATIONS[version], utc_now()),
        )


def chain_existing_entries(conn: Any) -> None:
    """Give every entry already in the audit log its ``prev_hash`` and ``hash``, oldest
    first (migration 3, both backends; the caller lifts the refusal to update first)."""
    names = ", ".join(audit_chain.CONTENT_COLUMNS)
    rows = conn.execute(f"SELECT {names} FROM audit_log ORDER BY seq").fetchall()
    columns = audit_chain.CONTENT_COLUMNS
    entries = audit_chain.chained(dict(zip(columns, r, strict=True)) for r in rows)
    conn.executemany(
        "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
        [(e["prev_hash"], e["hash"], e["seq"]) for e in entries],
    )


_REFUSE_AUDIT_UPDATE = (
    "CREATE TRIGGER audit_log_update_refused BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries are never changed "
    "or deleted'); END"
)

# Version 3 (issue #18): the audit log becomes a hash chain (store/audit_chain.py). The
# entries already logged are chained in log order, the one time an UPDATE is let through.
_V3_STATEMENTS: tuple[str | Callable[[Any], None], ...] = (
    "ALTER TABLE audit_log ADD COLUMN prev_hash TEXT",
    "ALTER TABLE audit_log ADD COLUMN hash TEXT",
    "DROP TRIGGER audit_log_update_refused",
    chain_existing_entries,
    _REFUSE_AUDIT_UPDATE,
    # Two entries chained to the same one would be a fork: the database refuses it.
    "CREATE UNIQUE INDEX audit_log_chain ON audit_log (prev_hash)",
    "CREATE TRIGGER audit_log_unchained_refused BEFORE INSERT ON audit_log "
    "WHEN NEW.prev_hash IS NULL OR NEW.hash IS NULL "
    "BEGIN SELECT RAISE(ABORT, 'audit_log entries carry prev_hash and hash (the chain); "
    "write them through pocmap'); END",
)


def event_links_ddl(id_type: str) -> tuple[str, ...]:
    """Version 4 (issue #20), both backends: links between reports of one event
    (``store/links.py``), for a backend whose identity column is ``id_type``."""
    return (
        f"CREATE TABLE event_links (link_id {id_type}, a TEXT NOT NULL, b TEXT NOT NULL, "
        "score REAL NOT NULL, certain INTEGER NOT NULL, reason TEXT NOT NULL, "
        "status TEXT NOT NULL CHECK (status IN ('linked', 'queued', 'confirmed', 'split')), "
        "found_at TEXT NOT NULL, decided_by TEXT, decided_at TEXT, decision_reason TEXT, "
        "UNIQUE (a, b))",
        "CREATE INDEX event_links_b ON event_links (b)",
    )


def row_withdrawals_ddl(id_type: str, *, sqlite: bool) -> tuple[str, ...]:
    """Version 6 (issue 23, ``store/row_withdrawals.py``), both backends: the table of rows
    withdrawn one by one (``id_type``: the backend's identity column), one withdrawal in
    force per row, and a refusal to delete its lines (a withdrawal is part of the record;
    a restoration fills ``restored_by``/``restored_at``)."""
    table = ROW_WITHDRAWALS
    refuse = (
        f"CREATE TRIGGER {table}_delete_refused BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is kept: withdrawals are restored, never "
        "deleted'); END"
        if sqlite
        else f"CREATE TRIGGER {table}_kept BEFORE DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION append_only()"
    )
    return (
        f"CREATE TABLE {table} (withdrawal_id {id_type}, layer TEXT NOT NULL, "
        "row_key TEXT NOT NULL, batch_id BIGINT NOT NULL REFERENCES batches (batch_id), "
        "reason TEXT NOT NULL, withdrawn_by TEXT NOT NULL, withdrawn_at TEXT NOT NULL, "
        "restored_by TEXT, restored_at TEXT)",
        f"CREATE UNIQUE INDEX {table}_in_force ON {table} (layer, batch_id, row_key) "
        "WHERE restored_at IS NULL",
        refuse,
    )


_STEPS: dict[int, tuple[str | Callable[[Any], None], ...]] = {
    1: (),
    2: _V2_STATEMENTS,
    3: _V3_STATEMENTS,
    4: event_links_ddl("INTEGER PRIMARY KEY"),
    # Version 5 (issue #23): double coding (store/double_coding.py), append-only tables.
    5: double_coding_ddl(
        "INTEGER PRIMARY KEY",
        tuple(
            f"CREATE TRIGGER {{table}}_{verb.lower()}_refused BEFORE {verb} ON {{table}} "
            "BEGIN SELECT RAISE(ABORT, '{table} is append-only: entries are never changed "
            "or deleted'); END"
            for verb in ("UPDATE", "DELETE")
        ),
    ),
    6: row_withdrawals_ddl("INTEGER PRIMARY KEY", sqlite=True),
}


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the open transaction first; run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)
