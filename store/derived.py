"""Columns pocmap sets itself on stored rows: places from the map, links between reports.

:meth:`store.sql_store.SqlStore.set_derived` checks the columns with :func:`check_columns`
and writes them with :func:`update`: the values go into a temporary table, then one
``UPDATE ... FROM`` sets the stored rows with those ids (every batch) whose values differ,
so a hundred thousand rows are one statement, and the count is of rows really changed.
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

_TEMP = "pocmap_derived_values"
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
    names = [f.name for f in fields]
    columns = ", ".join(f"{quote(f.name)} {_TYPES.get(f.kind, 'TEXT')}" for f in fields)
    conn.execute(f"DROP TABLE IF EXISTS {_TEMP}")
    conn.execute(f"CREATE TEMPORARY TABLE {_TEMP} (k TEXT PRIMARY KEY, {columns})")
    ids = [str(i) for i in values.index]
    encoded = [plain_values(values[f.name], f) for f in fields]
    marks = ", ".join("?" * (len(fields) + 1))
    conn.executemany(f"INSERT INTO {_TEMP} VALUES ({marks})", list(zip(ids, *encoded, strict=True)))
    sets = ", ".join(f"{quote(n)} = v.{quote(n)}" for n in names)
    differs = " OR ".join(f"t.{quote(n)} IS DISTINCT FROM v.{quote(n)}" for n in names)
    table = quote(layer)
    # One statement for both (SQLite >= 3.33, PostgreSQL): SET names bare columns.
    cursor = conn.execute(
        f"UPDATE {table} AS t SET {sets} FROM {_TEMP} AS v "
        f"WHERE t.{quote(key)} = v.k AND ({differs})"
    )
    changed = int(cursor.rowcount)
    conn.execute(f"DROP TABLE {_TEMP}")
    return changed
