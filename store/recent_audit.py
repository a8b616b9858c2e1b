"""The newest audit entries only, for checks that run on every sign-in attempt.

``Store.audit_log`` reads the whole log; a sign-in check needs the last day at most.
Entries are numbered in the order they are written (``seq``, the primary key), and their
``at`` follows that order up to the clocks of the app instances; so reading pages of the
highest ``seq`` backwards and stopping once a whole page is older than wanted reads only
the recent entries, through the primary key, on both backends, with no new index (no
schema migration).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from store.base import AUDIT_COLUMNS

if TYPE_CHECKING:
    from store.sql_store import SqlStore

PAGE = 500
_SEQ, _AT = AUDIT_COLUMNS.index("seq"), AUDIT_COLUMNS.index("at")
SKEW = timedelta(minutes=5)
"""How far apart the clocks of two instances writing the same log may be: entries up to
this much older than wanted are still read, so one slightly behind is not missed."""


def _stamp(moment: datetime) -> str:
    """``moment`` written as the store writes ``at`` (``2026-11-20T09:14:03.120Z``), so
    text comparison orders them."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def entries_since(
    store: SqlStore, since: datetime, actions: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The audit entries with one of ``actions`` written at or after ``since``, oldest first.

    Parameters
    ----------
    store : a :class:`store.sql_store.SqlStore` (GeoPackage or PostGIS).
    since : timezone-aware.
    actions : the ``action`` values wanted.

    Returns
    -------
    list of dict
        one per entry, keyed by :data:`store.base.AUDIT_COLUMNS` (``details`` as JSON text).
    """
    wanted, oldest = _stamp(since), _stamp(since - SKEW)
    names = ", ".join(AUDIT_COLUMNS)
    found: list[dict[str, Any]] = []
    with store._reading() as conn:  # one snapshot for every page
        below = None
        while True:
            where, params = ("WHERE seq < ? ", (below,)) if below is not None else ("", ())
            rows = conn.execute(
                f"SELECT {names} FROM audit_log {where}ORDER BY seq DESC LIMIT {PAGE}", params
            ).fetchall()
            for row in rows:
                entry = dict(zip(AUDIT_COLUMNS, row, strict=True))
                if entry["action"] in actions and str(entry["at"]) >= wanted:
                    found.append(entry)
            if len(rows) < PAGE or all(str(row[_AT]) < oldest for row in rows):
                break
            below = rows[-1][_SEQ]
    return found[::-1]
