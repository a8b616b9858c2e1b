"""Columns pocmap sets itself on stored rows: places from the map, links between reports.

:meth:`store.sql_store.SqlStore.set_derived` checks the columns with :func:`check_columns`
and writes them with :func:`update`: ``UPDATE ... FROM (VALUES ...)``, a few thousand rows
a statement, sets the stored rows with those ids (every batch) whose values differ, so the
count is of rows really changed. No temporary table: the application's database role may
not create one (docs/deployment.md revokes it).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from schema.fields import Field
from store import schema
from store.base import StoreError
from store.frames import plain_values
from store.schema import quote

PLACE_COLUMNS = ("admin1", "admin2", "field_office")
"""Columns read from files that pocmap also derives (from the loaded boundaries and areas
of responsibility), besides the fields marked ``derived=True``."""

_CHUNK = 2000
"""Rows per statement: (1 + columns) marks each, under SQLite's and PostgreSQL's limits."""
_TYPES = {"count": "INTEGER", "number": "REAL", "flag": "BOOLEAN", "date": "DATE"}


def settable(layer: str) -> list[str]:
    """The columns :func:`update` may set on ``layer``."""
    fields = schema.spec(layer).fields
    names = [f.name for f in fields if f.derived]
    return names + [f.name for f in fields if f.name in PLACE_COLUMNS and f.name not in names]


def check_columns(layer: str, values: pd.DataFrame) -> tuple[str, list[Field]]:
    """The layer's id column and the fields of ``values``' columns.

    Raises
    ------
    StoreError
        when the layer has no id column, or a column is not derived (names the column
        and lists what may be set).
    """
    key = schema.id_column(layer)
    if key is None:
        raise StoreError(f"layer {layer} has no id column; derived values are set by id")
    fields = {f.name: f for f in schema.spec(layer).fields}
    allowed = settable(layer)
    refused = [str(c) for c in values.columns if c not in allowed]
    if refused:
        raise StoreError(
            f"{layer}: {', '.join(refused)} cannot be set as derived values; only "
            f"{', '.join(allowed)} can (the other columns are as their sender sent them)"
        )
    if not len(values.columns):
        raise StoreError(f"{layer}: no column given; set one or more of {', '.join(allowed)}")
    if values.index.hasnans or values.index.has_duplicates:
        raise StoreError(f"{layer}: the values' index must be {key}, each id once and none missing")
    return key, [fields[c] for c in values.columns]


def update(conn: Any, layer: str, key: str, fields: list[Field], values: pd.DataFrame) -> int:
    """Set ``fields`` of the stored rows of ``layer`` whose ``key`` is in ``values``'
    index; return how many rows changed (rows already holding those values are left)."""
    ids = [str(i) for i in values.index]
    encoded = [plain_values(values[f.name], f) for f in fields]
    rows = list(zip(ids, *encoded, strict=True))
    # VALUES columns are column1 (the id), column2, ...: named so by SQLite and PostgreSQL.
    new = {
        f.name: f"CAST(v.column{n} AS {_TYPES.get(f.kind, 'TEXT')})"
        for n, f in enumerate(fields, start=2)
    }
    sets = ", ".join(f"{quote(name)} = {value}" for name, value in new.items())
    differs = " OR ".join(
        f"t.{quote(name)} IS DISTINCT FROM {value}" for name, value in new.items()
    )
    marks = "(" + ", ".join("?" * (len(fields) + 1)) + ")"
    changed = 0
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        cursor = conn.execute(
            f"UPDATE {quote(layer)} AS t SET {sets} "
            f"FROM (VALUES {', '.join([marks] * len(chunk))}) AS v "
            f"WHERE t.{quote(key)} = v.column1 AND ({differs})",
            [value for row in chunk for value in row],
        )
        changed += int(cursor.rowcount)
    return changed


_PG_TYPES = {"count": "bigint", "number": "double precision", "flag": "boolean", "date": "date"}


def update_arrays(
    conn: Any, layer: str, key: str, fields: list[Field], values: pd.DataFrame
) -> int:
    """:func:`update` for PostgreSQL: one statement, each column sent as one array
    (``unnest``), so a hundred thousand rows are not a hundred thousand parameters."""
    columns = [[str(i) for i in values.index]]
    columns += [plain_values(values[f.name], f) for f in fields]
    arrays = ", ".join(["?::text[]"] + [f"?::{_PG_TYPES.get(f.kind, 'text')}[]" for f in fields])
    names = ", ".join(["k"] + [f"c{n}" for n in range(len(fields))])
    sets = ", ".join(f"{quote(f.name)} = v.c{n}" for n, f in enumerate(fields))
    differs = " OR ".join(
        f"t.{quote(f.name)} IS DISTINCT FROM v.c{n}" for n, f in enumerate(fields)
    )
    cursor = conn.execute(
        f"UPDATE {quote(layer)} AS t SET {sets} FROM unnest({arrays}) AS v({names}) "
        f"WHERE t.{quote(key)} = v.k AND ({differs})",
        columns,
    )
    return int(cursor.rowcount)
