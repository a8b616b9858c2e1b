"""Hot-spot counting in SQL: the selected incidents tallied per grid cell by PostGIS.

The same cells as :meth:`analysis.cells.Grid.keys` (squares: ``floor``; hexagons: the
cube rounding of pointy-top axial coordinates), in the same metric CRS (``ST_Transform``
to its PROJ string), so a regional store sends a few thousand cell totals instead of a
million points. The selection is :class:`analysis.filters.IncidentFilter`, with the same
meaning as :func:`analysis.filters.filter_incidents`; only batches in analysis (active,
accepted) count.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from schema.filters import ORIGIN_WHEN_EMPTY, IncidentFilter
from schema.places import keys_of, name_key
from store.row_withdrawals import not_withdrawn
from store.schema import quote

_IN_ANALYSIS = "b.status = 'active' AND b.review = 'accepted'"


_NAMES = (("field_offices", "field_office"), ("admin1", "admin1"), ("admin2", "admin2"))


def as_stored(conn: Any, selection: IncidentFilter) -> IncidentFilter:
    """``selection`` with its office and admin names replaced by the stored spellings of
    the same places (``ouaka`` finds "Ouaka": :func:`schema.places.name_key`), so the
    SQL compares exactly, as :mod:`analysis.filters` compares by key."""
    changes: dict[str, Any] = {}
    for attribute, column in _NAMES:
        wanted = getattr(selection, attribute)
        if not wanted:
            continue
        keys = keys_of(wanted)
        stored = conn.execute(
            f"SELECT DISTINCT {quote(column)} FROM incidents WHERE {quote(column)} IS NOT NULL"
        ).fetchall()
        # A name matching nothing stays, so the selection stays empty rather than all.
        changes[attribute] = frozenset(
            [name for (name,) in stored if name_key(name) in keys] + sorted(wanted)
        )
    return dataclasses.replace(selection, **changes) if changes else selection


def where(selection: IncidentFilter, current: str | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``t`` incidents joined to ``b`` batches) and its values;
    ``current``: :func:`store.versions.current_where`'s clause, leaving out the rows a
    newer version supersedes (a corrected file sent again), when some may be."""
    # Each event once: a report another source's report of the same event stands for
    # is not counted (ingest/relink.py).
    clauses: list[str] = [_IN_ANALYSIS, "t.counted IS NOT FALSE", *([current] if current else [])]
    # Rows an analyst withdrew one by one are out of analysis too (store/row_withdrawals.py).
    clauses.append(not_withdrawn("incidents"))
    params: list[Any] = []
    if selection.start is not None:
        clauses.append('t."date" >= ?::date')
        params.append(selection.start.isoformat())
    if selection.end is not None:
        clauses.append('t."date" <= ?::date')
        params.append(selection.end.isoformat())
    for column, wanted in (
        ("motivation", selection.motivations),
        ("perpetrator_type", selection.perpetrator_types),
        ("incident_type", selection.incident_types),
        ("field_office", selection.field_offices),
        ("admin1", selection.admin1),
        ("admin2", selection.admin2),
    ):
        if wanted:
            clauses.append(f"t.{quote(column)} = ANY(?::text[])")
            params.append(sorted(wanted))
    if selection.victim_groups:
        clauses.append(
            "EXISTS (SELECT 1 FROM unnest(string_to_array(t.victim_groups, ';')) AS v "
            "WHERE btrim(v) = ANY(?::text[]))"
        )
        params.append(sorted(selection.victim_groups))
    # As analysis.filters: no confidence recorded passes only when none is asked for
    # (NULL = ANY(...) is not true); an empty origin is "source" (as sent).
    if selection.confidences:
        clauses.append("t.motivation_confidence = ANY(?::text[])")
        params.append(sorted(selection.confidences))
    if selection.motivation_origins:
        clauses.append("COALESCE(NULLIF(btrim(t.motivation_origin), ''), ?) = ANY(?::text[])")
        params += [ORIGIN_WHEN_EMPTY, sorted(selection.motivation_origins)]
    return " AND ".join(clauses), params


_CHUNK = 50_000  # points per ST_Transform call
_FROM = "FROM incidents AS t JOIN batches AS b ON b.batch_id = t.batch_id"


def extent_query(selection: IncidentFilter, current: str | None = None) -> tuple[str, list[Any]]:
    """West, south, east, north (degrees) and the number of the selected incidents."""
    clause, params = where(selection, current)
    return (
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), n FROM "
        f"(SELECT ST_Extent(t.geom)::geometry AS e, count(*) AS n {_FROM} WHERE {clause}) AS s",
        params,
    )


def totals_query(
    selection: IncidentFilter,
    *,
    proj: str,
    shape: str,
    width_m: float,
    current: str | None = None,
) -> tuple[str, list[Any]]:
    """``q, r, incidents, fatalities`` per cell of the selected incidents, leaving off those
    known only to the country, as ``analysis.cells.count_in_cells`` does (no place)."""
    clause, params = where(selection, current)
    clause += " AND t.location_precision IS DISTINCT FROM 'country'"
    # One ST_Transform per chunk of points, not per point: PostGIS builds a PROJ transform
    # for every call given a projection as text (about 20 ms each). The fatalities ride
    # along as each point's M value, which the projection leaves alone.
    points = (
        "SELECT ST_X(g) AS x, ST_Y(g) AS y, ST_M(g) AS f FROM ("
        "SELECT (ST_Dump(m)).geom AS g FROM ("
        "SELECT ST_Transform(ST_Collect(p), ?::text) AS m FROM ("
        "SELECT ST_SetSRID(ST_MakePointM(ST_X(t.geom), ST_Y(t.geom), "
        "COALESCE(t.fatalities, 0)::double precision), 4326) AS p, "
        f"(row_number() OVER ()) / {_CHUNK} AS chunk {_FROM} WHERE {clause}) AS s "
        "GROUP BY chunk) AS c) AS d"
    )
    if shape == "square":
        keys = "floor(x / ?)::bigint AS q, floor(y / ?)::bigint AS r, f FROM points"
        key_params = [width_m, width_m]
    else:
        size = width_m / math.sqrt(3)
        # Fractional cube coordinates, rounded; the component that moved most is rebuilt
        # from the other two (numpy's np.round and PostgreSQL's round both go half to even
        # on doubles; a point exactly on an edge is measure zero).
        keys = (
            "CASE WHEN fq THEN -rr - rs ELSE rq END::bigint AS q, "
            "CASE WHEN NOT fq AND dr > ds THEN -rq - rs ELSE rr END::bigint AS r, f FROM ("
            "SELECT rq, rr, rs, abs(rr - rf) AS dr, abs(rs - sf) AS ds, "
            "abs(rq - qf) > abs(rr - rf) AND abs(rq - qf) > abs(rs - sf) AS fq, f FROM ("
            "SELECT qf, rf, -qf - rf AS sf, round(qf) AS rq, round(rf) AS rr, "
            "round(-qf - rf) AS rs, f FROM ("
            "SELECT (sqrt(3.0) / 3 * x - y / 3) / ? AS qf, (2.0 / 3 * y) / ? AS rf, f "
            "FROM points) AS a) AS b) AS c"
        )
        key_params = [size, size]
    query = (
        f"WITH points AS ({points}), keyed AS (SELECT {keys}) "
        "SELECT q, r, count(*) AS incidents, sum(f)::double precision AS fatalities "
        "FROM keyed GROUP BY q, r ORDER BY r, q"
    )
    return query, [proj, *params, *key_params]
