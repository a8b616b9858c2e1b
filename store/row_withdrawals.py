"""Single rows withdrawn from a batch: kept, left out of analysis, restorable, audited.

A batch is accepted or withdrawn whole (:mod:`store.sql_store`); one wrong row (a
position in the sea, an event another office already sent) need not take its batch
down with it. An analyst withdraws that row with a reason: the row stays in its batch
as sent, a line in ``row_withdrawals`` (migration 6) says who withdrew it, when and why,
and every read of the layer for maps, analysis, briefings and exports
(:meth:`store.sql_store.SqlStore.layer`, the PostGIS cell totals in
:mod:`store.pg_cells`) leaves it out until someone restores it. A restoration fills the
line's ``restored_by``/``restored_at``; a row withdrawn again gets a new line, so the
table is the row's whole history. A withdrawn row keeps its id: it is still the batch's
row, and restoring it must not meet the same id imported meanwhile.

The batch's accounting stays true: ``rows_read = accepted + accepted_with_warning +
out_of_scope + rejected`` as imported, and of the rows stored (``accepted +
accepted_with_warning``) :func:`accounting` says how many were withdrawn after import.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

import pandas as pd

from languages import _, ngettext
from store import schema, sql
from store.base import ACCEPTED, WITHDRAWN, Batch, StoreError, actor_of
from store.schema import ROW_WITHDRAWALS, quote

TABLE = ROW_WITHDRAWALS
WITHDRAWAL_COLUMNS = (
    "withdrawal_id", "layer", "row_key", "batch_id", "reason", "withdrawn_by", "withdrawn_at",
    "restored_by", "restored_at",
)  # fmt: skip
WITHDRAWN_COLUMNS = ("withdrawn", "withdrawn_reason", "withdrawn_by", "withdrawn_at")
"""What :meth:`RowWithdrawals.batch_rows` adds to each row of a batch."""


def not_withdrawn(layer: str, alias: str = "t") -> str:
    """An SQL condition true for the rows of ``alias`` (a ``layer`` table, joined to its
    batch) that no withdrawal in force leaves out. Always true for a layer without ids."""
    key = schema.id_column(layer)
    if key is None:
        return "1 = 1"
    name = layer.replace("'", "''")
    return (
        f"NOT EXISTS (SELECT 1 FROM {TABLE} AS w WHERE w.layer = '{name}' "
        f"AND w.batch_id = {alias}.batch_id AND w.row_key = {alias}.{quote(key)} "
        "AND w.restored_at IS NULL)"
    )


def any_in_force(conn: Any, layer: str) -> bool:
    """Whether some row of ``layer`` is withdrawn now (else reads need no condition)."""
    found = conn.execute(
        f"SELECT 1 FROM {TABLE} WHERE layer = ? AND restored_at IS NULL LIMIT 1", (layer,)
    ).fetchone()
    return found is not None


def accounting(batch: Batch, withdrawn_rows: int) -> dict[str, int]:
    """A batch's accounting, rows withdrawn after import included.

    ``rows_read = accepted + accepted_with_warning + out_of_scope + rejected`` (as
    imported) and ``stored = accepted + accepted_with_warning = in_analysis +
    withdrawn_after_import`` (``in_analysis``: the rows maps and analysis show once the
    batch is accepted and active).
    """
    stored = batch.accepted + batch.accepted_with_warning
    if not 0 <= withdrawn_rows <= stored:
        raise ValueError(
            f"batch {batch.batch_id}: {withdrawn_rows} rows withdrawn of {stored} stored"
        )
    return {
        "rows_read": batch.rows_read,
        "accepted": batch.accepted,
        "accepted_with_warning": batch.accepted_with_warning,
        "out_of_scope": batch.out_of_scope,
        "rejected": batch.rejected,
        "stored": stored,
        "withdrawn_after_import": withdrawn_rows,
        "in_analysis": stored - withdrawn_rows,
    }


def _keys(row_keys: Iterable[str]) -> list[str]:
    keys = list(dict.fromkeys(str(k) for k in row_keys))
    if not keys:
        raise ValueError(_("no row was chosen; choose the rows by their ids"))
    return keys


class RowWithdrawals:
    """Withdraw and restore single rows of a batch; read a batch's rows and their state.

    Mixed into :class:`store.sql_store.SqlStore`, whose connections it uses.
    """

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _touched(self, conn: Any, tables: tuple[str, ...], at: str) -> None:
        raise NotImplementedError

    def layer(
        self,
        name: str,
        *,
        include_withdrawn: bool = False,
        bbox: tuple[float, float, float, float] | None = None,
        batch_id: int | None = None,
    ) -> Any:
        raise NotImplementedError

    # --- writes -----------------------------------------------------------------------
    def withdraw_rows(
        self, batch_id: int, row_keys: Iterable[str], *, by: Any, reason: str
    ) -> list[str]:
        """Leave rows of a batch (by their ids) out of maps and analysis, with a reason;
        one ``withdraw_row`` audit entry per row. Returns the ids withdrawn.

        Raises
        ------
        ValueError
            when the reason is empty or no row is given.
        StoreError
            when the batch is withdrawn, its layer has no ids, an id is not one of the
            batch's rows, or a row is already withdrawn.
        """
        actor = actor_of(by)
        if not reason.strip():
            raise ValueError(_("`reason` is empty but a withdrawal must say why, for the record"))
        keys = _keys(row_keys)
        with self._writing() as conn:
            batch = sql.get_batch(conn, batch_id)
            self._withdraw_in(conn, batch, keys, actor, reason.strip())
        return keys

    def restore_rows(self, batch_id: int, row_keys: Iterable[str], *, by: Any) -> list[str]:
        """Bring withdrawn rows of a batch back; one ``restore_row`` audit entry per row.

        A withdrawn row kept its id (no other batch could take it meanwhile), so a
        restoration never meets it again.

        Raises
        ------
        StoreError
            when a row is not withdrawn now.
        """
        actor = actor_of(by)
        keys = _keys(row_keys)
        with self._writing() as conn:
            batch = sql.get_batch(conn, batch_id)
            open_ = self._in_force(conn, batch)
            missing = [k for k in keys if k not in open_]
            if missing:
                raise StoreError(
                    ngettext(
                        "batch {batch}: {ids} is not withdrawn; there is nothing to restore",
                        "batch {batch}: {ids} are not withdrawn; there is nothing to restore",
                        len(missing),
                        batch=batch.batch_id,
                        ids=", ".join(missing[:10]),
                    )
                )
            at = schema.utc_now()
            conn.executemany(
                f"UPDATE {TABLE} SET restored_by = ?, restored_at = ? WHERE layer = ? "
                "AND batch_id = ? AND row_key = ? AND restored_at IS NULL",
                [(actor.name, at, batch.layer, batch.batch_id, k) for k in keys],
            )
            for key in keys:
                sql.audit(
                    conn, "restore_row", actor, f"{batch.layer} {key}",
                    {"batch": batch.batch_id}, at=at,
                )  # fmt: skip
            self._touched(conn, (batch.layer, TABLE), at)
        return keys

    def accept_rows(
        self, batch_id: int, keep: Iterable[str], *, by: Any, reason: str
    ) -> tuple[Batch, list[str]]:
        """Accept a batch under review with only the rows ``keep`` (their ids): the others
        are withdrawn with ``reason``, and the batch accepted, in one transaction. Returns
        the batch and the ids withdrawn.

        Raises
        ------
        ValueError, StoreError
            as :meth:`withdraw_rows` and :meth:`store.sql_store.SqlStore.accept`; also when
            an id in ``keep`` is not one of the batch's rows.
        """
        actor = actor_of(by)
        kept = {str(k) for k in keep}
        with self._writing() as conn:
            batch = sql.get_batch(conn, batch_id)
            self._refuse_review(batch)
            ids = set(self._row_ids(conn, batch))
            unknown = sorted(kept - ids)
            if unknown:
                raise StoreError(_not_rows(batch, unknown))
            open_ = self._in_force(conn, batch)
            others = [k for k in self._row_ids(conn, batch) if k not in kept and k not in open_]
            if others:
                if not reason.strip():
                    raise ValueError(
                        _(
                            "`reason` is empty but the rows left out are withdrawn and a "
                            "withdrawal must say why, for the record"
                        )
                    )
                self._withdraw_in(conn, batch, others, actor, reason.strip())
            accepted = sql.set_accepted(conn, batch.batch_id, actor.name)
            sql.audit(
                conn, "review", actor, f"batch {batch.batch_id}",
                {"review": ACCEPTED, "rows_accepted": len(ids) - len(open_) - len(others),
                 "rows_withdrawn": len(others)},
            )  # fmt: skip
        return accepted, others

    # --- reads ------------------------------------------------------------------------
    def row_withdrawals(
        self, batch_id: int | None = None, *, in_force: bool = False
    ) -> pd.DataFrame:
        """The withdrawals (:data:`WITHDRAWAL_COLUMNS`), oldest first: of one batch, and
        only those in force (not restored) if asked."""
        where, params = [], []
        if batch_id is not None:
            where.append("batch_id = ?")
            params.append(int(batch_id))
        if in_force:
            where.append("restored_at IS NULL")
        condition = f"WHERE {' AND '.join(where)}" if where else ""
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {', '.join(WITHDRAWAL_COLUMNS)} FROM {TABLE} {condition} "
                "ORDER BY withdrawal_id",
                params,
            ).fetchall()
        frame = pd.DataFrame(rows, columns=list(WITHDRAWAL_COLUMNS), dtype=object)
        frame["batch_id"] = frame["batch_id"].astype("int64")
        return frame

    def batch_rows(self, batch_id: int) -> Any:
        """Every row of one batch, withdrawn ones included, in import order, each with
        :data:`WITHDRAWN_COLUMNS` (``withdrawn`` True and who, when and why, else empty)."""
        batch = self.batch(batch_id)  # type: ignore[attr-defined]
        frame = self.layer(batch.layer, include_withdrawn=True, batch_id=batch.batch_id)
        key = schema.id_column(batch.layer)
        open_ = self.row_withdrawals(batch.batch_id, in_force=True).set_index("row_key")
        ids = frame[key].astype(str) if key else pd.Series([""] * len(frame), dtype=str)
        found = ids.isin(open_.index)
        frame["withdrawn"] = found.to_numpy()
        sources = ("reason", "withdrawn_by", "withdrawn_at")
        for column, source in zip(WITHDRAWN_COLUMNS[1:], sources, strict=True):
            values = ids.map(open_[source]).to_numpy(dtype=object, copy=True)
            values[~found.to_numpy()] = None
            frame[column] = pd.Series(values, index=frame.index, dtype=object)
        return frame

    # --- inside a transaction ---------------------------------------------------------
    def _withdraw_in(
        self, conn: Any, batch: Batch, keys: list[str], actor: Any, reason: str
    ) -> None:
        if batch.status == WITHDRAWN:
            raise StoreError(
                _(
                    "batch {batch} is withdrawn whole; restore it before withdrawing single rows",
                    batch=batch.batch_id,
                )
            )
        ids = set(self._row_ids(conn, batch))
        unknown = [k for k in keys if k not in ids]
        if unknown:
            raise StoreError(_not_rows(batch, unknown))
        already = [k for k in keys if k in self._in_force(conn, batch)]
        if already:
            raise StoreError(
                ngettext(
                    "batch {batch}: {ids} is already withdrawn; restore it first to change why",
                    "batch {batch}: {ids} are already withdrawn; restore them first to change why",
                    len(already),
                    batch=batch.batch_id,
                    ids=", ".join(already[:10]),
                )
            )
        at = schema.utc_now()
        conn.executemany(
            f"INSERT INTO {TABLE} (layer, row_key, batch_id, reason, withdrawn_by, "
            "withdrawn_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(batch.layer, k, batch.batch_id, reason, actor.name, at) for k in keys],
        )
        for key in keys:
            sql.audit(
                conn, "withdraw_row", actor, f"{batch.layer} {key}",
                {"batch": batch.batch_id, "reason": reason}, at=at,
            )  # fmt: skip
        self._touched(conn, (batch.layer, TABLE), at)

    @staticmethod
    def _refuse_review(batch: Batch) -> None:
        if batch.status == WITHDRAWN:
            raise StoreError(
                _(
                    "batch {batch} is withdrawn; restore it before accepting it",
                    batch=batch.batch_id,
                )
            )
        if batch.review == ACCEPTED:
            raise StoreError(
                _(
                    "batch {batch} was already accepted by {who} on {day}",
                    batch=batch.batch_id,
                    who=batch.reviewed_by,
                    day=(batch.reviewed_at or "")[:10],
                )
            )

    @staticmethod
    def _row_ids(conn: Any, batch: Batch) -> list[str]:
        key = schema.id_column(batch.layer)
        if key is None:
            raise StoreError(
                _(
                    "layer {layer} has no id column; its rows cannot be withdrawn one by one, "
                    "only its batch whole",
                    layer=batch.layer,
                )
            )
        return sql.batch_ids_of(conn, batch.layer, key, batch.batch_id)

    @staticmethod
    def _in_force(conn: Any, batch: Batch) -> set[str]:
        rows = conn.execute(
            f"SELECT row_key FROM {TABLE} WHERE layer = ? AND batch_id = ? AND restored_at IS NULL",
            (batch.layer, batch.batch_id),
        ).fetchall()
        return {str(k) for (k,) in rows}


def _not_rows(batch: Batch, unknown: list[str]) -> str:
    return ngettext(
        "{ids} is not a row of batch {batch} ({layer}); choose among the batch's ids",
        "{ids} are not rows of batch {batch} ({layer}); choose among the batch's ids",
        len(unknown),
        ids=", ".join(unknown[:10]),
        batch=batch.batch_id,
        layer=batch.layer,
    )
