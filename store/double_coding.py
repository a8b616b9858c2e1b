"""Double coding: random samples of incidents, each coded blind by two analysts.

Migration 5 (both backends). A *sample* is a reproducible draw (its seed, method and the
filter it was drawn from are kept) of incidents; each analyst codes each item's motivation
without seeing another's code (:mod:`access.session` keeps them blind); the first two codes
of an item by two different analysts are its *pair*, and an item with a pair takes no more
codes. A pair that disagrees is *resolved* once: the motivation decided is written to the
incident (with its history) in the same transaction as the resolution. Every table is
append-only, like ``edits``: a blind code once given is never changed (a mistake is what the
resolution is for), and the database refuses an UPDATE or DELETE.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import pandas as pd

from languages import _
from schema.incidents import CONFIDENCES, MOTIVATIONS
from store import sql
from store.base import StoreError, actor_of
from store.coding_tables import (
    CODE_COLUMNS,
    CODERS_PER_ITEM,
    ITEM_COLUMNS,
    RESOLUTION_COLUMNS,
    SAMPLE_COLUMNS,
)

_CODING = ("motivation", "motivation_origin", "motivation_confidence")


class DoubleCodingRecords:
    """The store's samples, blind codes and resolutions. Mixed into
    :class:`store.sql_store.SqlStore`, whose connections and edits it uses."""

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _edit_row(self, conn: Any, *args: Any) -> None:
        raise NotImplementedError

    def add_coding_sample(
        self,
        name: str,
        incident_ids: Sequence[str],
        *,
        seed: int,
        method: str,
        filter_description: str,
        by: Any,
    ) -> int:
        """Keep a sample drawn (its items in the order drawn); return its number.

        Raises
        ------
        StoreError
            when the name is empty, there are no ids, or an id repeats.
        """
        actor = actor_of(by)
        ids = [str(i) for i in incident_ids]
        if not name.strip():
            raise StoreError(_("the sample's name is empty; give it a name to find it by"))
        if not ids:
            raise StoreError(_("the sample {name} has no incidents to code", name=name.strip()))
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise StoreError(
                _("incidents {ids} are twice in the sample", ids=", ".join(repeated[:5]))
            )
        with self._writing() as conn:
            at = sql.utc_now()
            (number,) = conn.execute(
                "INSERT INTO coding_samples (name, drawn_by, drawn_at, seed, size, method, "
                "filter) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING sample_id",
                (name.strip(), actor.name, at, int(seed), len(ids), method, filter_description),
            ).fetchone()
            conn.executemany(
                "INSERT INTO coding_sample_items (sample_id, position, incident_id) "
                "VALUES (?, ?, ?)",
                [(int(number), n, i) for n, i in enumerate(ids, start=1)],
            )
            sql.audit(
                conn,
                "draw_sample",
                actor,
                f"sample {number}",
                {"name": name.strip(), "size": len(ids), "seed": int(seed), "method": method},
                at=at,
            )
        return int(number)

    def coding_samples(self) -> pd.DataFrame:
        """Every sample (:data:`SAMPLE_COLUMNS`), oldest first."""
        return self._frame("coding_samples", SAMPLE_COLUMNS, "sample_id")

    def coding_sample_items(self, sample_id: int | None = None) -> pd.DataFrame:
        """The items (:data:`ITEM_COLUMNS`) of one sample (or all), in the order drawn."""
        return self._frame("coding_sample_items", ITEM_COLUMNS, "sample_id, position", sample_id)

    def blind_codes(self, sample_id: int | None = None) -> pd.DataFrame:
        """Every blind code (:data:`CODE_COLUMNS`) of one sample (or all), oldest first:
        all coders' (the session decides who may see which)."""
        return self._frame("blind_codes", CODE_COLUMNS, "code_id", sample_id)

    def coding_resolutions(self, sample_id: int | None = None) -> pd.DataFrame:
        """How disagreements were resolved (:data:`RESOLUTION_COLUMNS`), oldest first."""
        return self._frame("coding_resolutions", RESOLUTION_COLUMNS, "resolution_id", sample_id)

    def _frame(
        self, table: str, columns: Sequence[str], order: str, sample_id: int | None = None
    ) -> pd.DataFrame:
        where, params = "", []
        if sample_id is not None:
            where, params = "WHERE sample_id = ?", [int(sample_id)]
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {', '.join(columns)} FROM {table} {where} ORDER BY {order}", params
            ).fetchall()
        frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
        for column in ("sample_id", "position", "seed", "size", "code_id", "resolution_id"):
            if column in frame:
                frame[column] = frame[column].astype("int64")
        return frame

    def add_blind_code(
        self,
        sample_id: int,
        incident_id: str,
        *,
        motivation: str,
        confidence: str | None,
        by: Any,
    ) -> int:
        """One analyst's blind code of one item; returns its number.

        Raises
        ------
        StoreError
            when the item is not in the sample, the code is not one of the codebook's, this
            coder already coded it, or it already has its two coders.
        """
        actor = actor_of(by)
        _check_code(motivation, confidence)
        with self._writing() as conn:
            _require_item(conn, sample_id, incident_id)
            coders = [
                str(c)
                for (c,) in conn.execute(
                    "SELECT coder FROM blind_codes WHERE sample_id = ? AND incident_id = ? "
                    "ORDER BY code_id",
                    (int(sample_id), str(incident_id)),
                ).fetchall()
            ]
            if actor.name in coders:
                raise StoreError(
                    _(
                        "{coder} already coded incident {incident} of sample {sample}; a blind "
                        "code is final (a disagreement is resolved instead)",
                        coder=actor.name,
                        incident=incident_id,
                        sample=sample_id,
                    )
                )
            if len(coders) >= CODERS_PER_ITEM:
                raise StoreError(
                    _(
                        "incident {incident} of sample {sample} already has its two coders "
                        "({coders})",
                        incident=incident_id,
                        sample=sample_id,
                        coders=", ".join(coders),
                    )
                )
            at = sql.utc_now()
            (number,) = conn.execute(
                "INSERT INTO blind_codes (sample_id, incident_id, coder, motivation, "
                "confidence, coded_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING code_id",
                (int(sample_id), str(incident_id), actor.name, motivation, confidence, at),
            ).fetchone()
            sql.audit(
                conn,
                "blind_code",
                actor,
                f"sample {sample_id} incidents {incident_id}",
                {"motivation": motivation, "confidence": confidence},
                at=at,
            )
        return int(number)

    def resolve_coding(
        self,
        sample_id: int,
        incident_id: str,
        *,
        motivation: str,
        confidence: str | None,
        reason: str,
        by: Any,
    ) -> None:
        """Record how a disagreement was resolved and set the incident's motivation (and
        confidence, origin ``analyst``) to it, with its history, in one transaction: a
        resolution is never kept without its edit, nor the edit without it. Columns already
        holding the value decided are left (no edit when none differs: the code decided was
        already the analysts').

        Raises
        ------
        StoreError
            when the item is not in the sample, is already resolved, or the reason is empty;
            ``KeyError`` when the incident is in no active batch.
        """
        actor = actor_of(by)
        _check_code(motivation, confidence)
        if not reason.strip():
            raise StoreError(_("the reason is empty but a resolution must say why"))
        with self._writing() as conn:
            _require_item(conn, sample_id, incident_id)
            done = conn.execute(
                "SELECT resolved_by, resolved_at FROM coding_resolutions "
                "WHERE sample_id = ? AND incident_id = ?",
                (int(sample_id), str(incident_id)),
            ).fetchone()
            if done is not None:
                raise StoreError(
                    _(
                        "incident {incident} of sample {sample} was already resolved by {who} "
                        "on {day}",
                        incident=incident_id,
                        sample=sample_id,
                        who=done[0],
                        day=str(done[1])[:10],
                    )
                )
            at = sql.utc_now()
            conn.execute(
                "INSERT INTO coding_resolutions (sample_id, incident_id, motivation, "
                "confidence, resolved_by, resolved_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (int(sample_id), str(incident_id), motivation, confidence, actor.name, at,
                 reason.strip()),
            )  # fmt: skip
            wanted = {"motivation": motivation, "motivation_origin": "analyst"}
            if confidence is not None:
                wanted["motivation_confidence"] = confidence
            row = conn.execute(
                f"SELECT {', '.join('t.' + c for c in _CODING)} "
                "FROM incidents AS t JOIN batches AS b ON b.batch_id = t.batch_id "
                "WHERE b.status = 'active' AND t.incident_id = ?",
                (str(incident_id),),
            ).fetchone()
            if row is None:
                raise KeyError(
                    _(
                        "incident {incident} is in no active batch (withdrawn since the sample "
                        "was drawn?); its resolution cannot be written to it",
                        incident=incident_id,
                    )
                )
            held = dict(zip(_CODING, row, strict=True))
            changes = {c: v for c, v in wanted.items() if held[c] != v}
            # The stored code already the one decided, sent by the source: it becomes the
            # analysts' (origin analyst), so the history shows the resolution all the same.
            if changes:
                self._edit_row(
                    conn, "incidents", "incident_id", str(incident_id), changes,
                    reason.strip(), actor, at,
                )  # fmt: skip
            sql.audit(
                conn,
                "resolve_coding",
                actor,
                f"sample {sample_id} incidents {incident_id}",
                {"motivation": motivation, "confidence": confidence, "reason": reason.strip()},
                at=at,
            )


def _check_code(motivation: str, confidence: str | None) -> None:
    if motivation not in MOTIVATIONS:
        raise StoreError(
            _(
                "motivation {value} is not one of {codes}",
                value=repr(motivation),
                codes=", ".join(MOTIVATIONS),
            )
        )
    if confidence is not None and confidence not in CONFIDENCES:
        raise StoreError(
            _(
                "confidence {value} is not one of {codes}",
                value=repr(confidence),
                codes=", ".join(CONFIDENCES),
            )
        )


def _require_item(conn: Any, sample_id: int, incident_id: str) -> None:
    found = conn.execute(
        "SELECT 1 FROM coding_sample_items WHERE sample_id = ? AND incident_id = ?",
        (int(sample_id), str(incident_id)),
    ).fetchone()
    if found is None:
        raise StoreError(
            _(
                "incident {incident} is not in sample {sample}; the sample's list says which are",
                incident=incident_id,
                sample=sample_id,
            )
        )
