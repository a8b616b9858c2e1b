"""Versions of a row: a corrected file sent again updates the rows it changes (issue 23).

A batch that *updates* (``batches.updated > 0``) holds new rows and new versions of rows
its office stored before, under the same ids. Nothing is overwritten: once the update is
in analysis (active and accepted), a stored row is *superseded* by the newest row with
the same id in an updating batch in analysis, and every layer read leaves it out
(:func:`current_clause`). Withdrawing the update brings the older version back, restoring
it supersedes it again.

Each time an update comes into analysis or leaves it, :func:`shift` records, per changed
column, the value before and after in the ``edits`` history (reason: which batch and
file), and keeps an analyst's coding: a motivation coded by an analyst (or a suggestion
an analyst accepted: ``motivation_origin`` set) is carried to the version that becomes
current, never replaced by the office's value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import shapely

from languages import _
from schema.ids import id_keys
from store import frames, schema, sql
from store.base import Actor, Batch, DuplicateIds
from store.schema import quote

CODED_ORIGINS = ("analyst", "suggestion")
"""``motivation_origin`` values that mean an analyst chose the motivation."""
CODING = ("motivation", "motivation_confidence", "motivation_origin")
"""What an analyst's coding is: carried from version to version as a whole."""
GEOMETRY = "geometry"
"""The name a row's place has in a difference (the store's column is ``geom``)."""


def compared(layer: str) -> list[str]:
    """The columns an office sends and a re-sent file may change: the schema's fields
    but the id and those pocmap derives (places from the map, links), then the geometry."""
    spec = schema.spec(layer)
    key = schema.id_column(layer)
    names = [f.name for f in spec.fields if not f.derived and f.name != key]
    return [*names, GEOMETRY] if spec.geometry_types else names


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def same(a: Any, b: Any) -> bool:
    """Whether two values of one column are the same as stored (missing equals missing,
    numbers within a billionth, places exactly to about a tenth of a millimetre)."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(a, shapely.Geometry) or isinstance(b, shapely.Geometry):
        return bool(shapely.equals_exact(a, b, tolerance=1e-9))
    if isinstance(a, (bool, np.bool_)) or isinstance(b, (bool, np.bool_)):
        return bool(a) == bool(b)
    if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return shown(a) == shown(b)


def shown(value: Any) -> str | None:
    """A value as text (the edit history keeps text): dates ``YYYY-MM-DD``, places as
    WKT to seven decimals, whole numbers without ``.0``."""
    if _missing(value):
        return None
    if isinstance(value, shapely.Geometry):
        return str(shapely.to_wkt(value, rounding_precision=7))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    return str(value)


def coded(origin: Any) -> bool:
    """Whether ``motivation_origin`` says an analyst chose the motivation."""
    return not _missing(origin) and str(origin) in CODED_ORIGINS


# --- reading: which rows are current ------------------------------------------------------
def superseding(conn: Any, layer: str) -> bool:
    """Whether any updating batch of ``layer`` is in analysis (else no row is superseded,
    and reads need no extra clause)."""
    found = conn.execute(
        "SELECT 1 FROM batches WHERE layer = ? AND status = 'active' AND review = 'accepted' "
        "AND updated > 0 LIMIT 1",
        (layer,),
    ).fetchone()
    return found is not None


def current_clause(layer: str, alias: str = "t") -> str:
    """SQL true for a row (``alias``) no newer version supersedes: no row with the same
    id in a later updating batch in analysis."""
    key = quote(schema.id_column(layer) or "")
    return (
        f"NOT EXISTS (SELECT 1 FROM {quote(layer)} AS nv JOIN batches AS nvb "
        f"ON nvb.batch_id = nv.batch_id WHERE nv.{key} = {alias}.{key} "
        f"AND nv.batch_id > {alias}.batch_id AND nvb.status = 'active' "
        "AND nvb.review = 'accepted' AND nvb.updated > 0)"
    )


def current_where(conn: Any, layer: str, alias: str = "t") -> str | None:
    """:func:`current_clause` when some row of ``layer`` may be superseded, else ``None``."""
    if schema.id_column(layer) is None or not superseding(conn, layer):
        return None
    return current_clause(layer, alias)


# --- ids: an office's own ids may come again, in an update --------------------------------
def holders(conn: Any, layer: str, column: str, ids: Iterable[str]) -> dict[str, list[int]]:
    """Every active batch holding each of ``ids`` (compared by :func:`schema.ids.id_key`)."""
    wanted = [str(i) for i in ids]
    if not wanted:
        return {}
    stored = conn.execute(
        f"SELECT t.{quote(column)}, t.batch_id FROM {quote(layer)} AS t "
        "JOIN batches AS b ON b.batch_id = t.batch_id "
        f"WHERE b.status = 'active' AND t.{quote(column)} IS NOT NULL"
    ).fetchall()
    if not stored:
        return {}
    held: dict[str, list[int]] = {}
    for key, (_value, batch) in zip(id_keys([str(v) for v, _b in stored]), stored, strict=True):
        held.setdefault(key, []).append(int(batch))
    found: dict[str, list[int]] = {}
    for value, key in zip(wanted, id_keys(wanted), strict=True):
        if key in held:
            found[value] = sorted(set(held[key]))
    return found


def _same_office(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def refuse_taken(
    conn: Any,
    batch: Any,
    column: str | None,
    ids: list[str],
    supersedes: Iterable[str] = (),
    *,
    restoring: Batch | None = None,
) -> None:
    """Raise :class:`~store.base.DuplicateIds` for the ids of ``batch`` already in active
    batches, but those a batch of the same office holds when one of the two updates
    (``supersedes``, the ids of a new batch's changed rows; or a batch being restored
    that updates, or is updated by, the holder)."""
    if not column or not ids:
        return
    allowed = set(id_keys([str(i) for i in supersedes])) if supersedes else set()
    if restoring is None and not allowed:
        sql.refuse_stored_ids(conn, batch.layer, column, ids)
        return
    found = holders(conn, batch.layer, column, ids)
    own = restoring.batch_id if restoring is not None else None
    known: dict[int, Batch] = {}
    clashes: dict[str, int] = {}
    for value, numbers in found.items():
        for number in numbers:
            if number == own:
                continue
            holder = known.setdefault(number, sql.get_batch(conn, number))
            fine = _same_office(holder.office, batch.office) and (
                (restoring is None and id_keys([value])[0] in allowed)
                or (restoring is not None and (restoring.updated > 0 or holder.updated > 0))
            )
            if not fine:
                clashes[value] = number
    if clashes:
        holding = [known[n] for n in sorted(set(clashes.values()))]
        raise DuplicateIds(
            batch.layer, column, clashes, holding, restoring=own if restoring else None
        )


# --- history: an update coming into analysis or leaving it --------------------------------
def _rows(store: Any, conn: Any, layer: str, where: str, params: list[Any]) -> pd.DataFrame:
    """Rows of ``layer`` (typed as :meth:`SqlStore.layer` types them) with their ``fid``."""
    spec = schema.spec(layer)
    selected = [store._select(f.name, f.kind) for f in spec.fields]
    selected += [store._select(c, "count") for c in frames.EXTRA_COLUMNS]
    if spec.geometry_types:
        selected.append(store._select(schema.GEOMETRY_COLUMN, None))
    records = conn.execute(
        f"SELECT t.fid, {', '.join(selected)} FROM {quote(layer)} AS t "
        f"JOIN batches AS b ON b.batch_id = t.batch_id WHERE {where} ORDER BY t.fid",
        params,
    ).fetchall()
    frame = frames.to_frame(spec, [r[1:] for r in records], decode=store._decode_geometries)
    frame["fid"] = [int(r[0]) for r in records]
    return frame


def _pairs(store: Any, conn: Any, batch: Batch) -> list[tuple[pd.Series, pd.Series]]:
    """``(other, mine)`` per row of ``batch`` that replaces (or gives way to) a version in
    analysis: ``other`` the newest other version in analysis, when ``batch``'s row is newer."""
    layer, key = batch.layer, schema.id_column(batch.layer)
    if key is None:
        return []
    mine = _rows(store, conn, layer, "t.batch_id = ?", [batch.batch_id])
    if not len(mine):
        return []
    others = _rows(
        store,
        conn,
        layer,
        f"t.{quote(key)} IN (SELECT m.{quote(key)} FROM {quote(layer)} AS m "
        "WHERE m.batch_id = ?) AND t.batch_id <> ? AND b.status = 'active' "
        "AND b.review = 'accepted'",
        [batch.batch_id, batch.batch_id],
    )
    if not len(others):
        return []
    newest = others.sort_values("batch_id", kind="stable").drop_duplicates(key, keep="last")
    by_id = {str(row[key]): row for _i, row in newest.iterrows()}
    pairs = []
    for _i, row in mine.iterrows():
        other = by_id.get(str(row[key]))
        if other is not None and int(other["batch_id"]) < batch.batch_id:
            pairs.append((other, row))
    return pairs


def shift(store: Any, conn: Any, batch: Batch, *, entering: bool, actor: Actor, at: str) -> int:
    """Record an updating ``batch`` coming into analysis (``entering``) or leaving it: per
    row whose current version changes, carry an analyst's coding to the version that
    becomes current, then write each column that differs to the ``edits`` history (one
    audit entry for the batch). Returns how many rows changed version."""
    if not batch.updated:
        return 0
    layer, key = batch.layer, schema.id_column(batch.layer)
    if key is None:
        return 0
    columns = compared(layer)
    if entering:
        reason = _(
            "updated by batch {batch} ({file})", batch=batch.batch_id, file=batch.source_name
        )
    else:
        reason = _(
            "batch {batch} ({file}) left analysis: the earlier version is back",
            batch=batch.batch_id,
            file=batch.source_name,
        )
    lines: list[tuple[Any, ...]] = []
    changed_rows = 0
    for other, mine in _pairs(store, conn, batch):
        before, after = (other, mine) if entering else (mine, other)
        if layer == "incidents" and coded(before["motivation_origin"]):
            carried = {c: before[c] for c in CODING if not same(before[c], after[c])}
            if carried:
                sets = ", ".join(f"{quote(c)} = ?" for c in carried)
                conn.execute(
                    f"UPDATE {quote(layer)} SET {sets} WHERE fid = ?",
                    (*(None if _missing(v) else v for v in carried.values()), int(after["fid"])),
                )
                after = after.copy()
                for column, value in carried.items():
                    after[column] = value
        differs = [c for c in columns if not same(before[c], after[c])]
        if not differs:
            continue
        changed_rows += 1
        lines += [
            (layer, str(after[key]), int(after["batch_id"]), column, shown(before[column]),
             shown(after[column]), actor.name, at, reason)
            for column in differs
        ]  # fmt: skip
    if lines:
        conn.executemany(
            'INSERT INTO edits (layer, row_key, batch_id, "column", before, after, '
            "edited_by, edited_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            lines,
        )
    sql.audit(
        conn,
        "update" if entering else "update_withdrawn",
        actor,
        f"batch {batch.batch_id}",
        {"layer": layer, "rows_changed": changed_rows, "cells": len(lines), "reason": reason},
        at=at,
    )
    return changed_rows
