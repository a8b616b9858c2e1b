"""A corrected file sent again: new rows, unchanged rows and changed rows (issue 23).

When a file's rows carry ids its own office already stored (active batches of the same
layer it may see), they are not refused as taken: each is compared with the stored row
(the current version, the office's newest), on the columns an office sends
(:func:`store.versions.compared`: the schema's fields but the id and those pocmap
derives, and the place), as the import typed and placed them. A row the same as stored
is *unchanged* (counted, not stored again); a row that differs is *updated* (stored in the
new batch; once that batch is in analysis it supersedes the stored row, which is kept:
withdrawing the update brings it back, :mod:`store.versions`). Ids another office holds
stay refused, as before.

An analyst's coding is never overwritten by a file: where the stored motivation was
chosen by an analyst (``motivation_origin`` ``analyst`` or ``suggestion``), the file's
motivation and confidence are not compared for the update; a differing value is shown
as a *conflict* (the analyst's coding kept), and the new version carries the analyst's.

A stored row the file leaves out is not deleted: a note says how many, and that they stay.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from ingest.findings import CheckContext
from languages import _, ngettext
from schema.catalogue import LAYER_SPECS, id_field
from schema.ids import id_keys
from store.versions import CODING, GEOMETRY, coded, compared, same, shown

UNCHANGED = "unchanged"
UPDATED = "updated"
"""The outcomes of a row of a file sent again (their labels: ``ingest.findings.OUTCOME_LABELS``)."""
DIFFERENCE_COLUMNS = ("row", "id", "column", "stored", "sent", "batch", "kind")
"""One line per changed cell (``kind`` ``change``) or conflict (``kind`` ``conflict``)."""
_SHOWN_IDS = 10


@dataclass
class Updatable:
    """The ids of a file its office stored before (by :func:`schema.ids.id_key`)."""

    keys: set[str] = field(default_factory=set)


@dataclass
class Difference:
    """What a file sent again changes: counts and the changed cells."""

    new: int = 0
    unchanged: int = 0
    changed: int = 0
    lines: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(DIFFERENCE_COLUMNS), dtype=object)
    )
    supersedes: list[str] = field(default_factory=list)
    """The stored ids the changed rows give a new version of."""
    left_out: list[str] = field(default_factory=list)
    """Ids of the stored batches the file updates that the file does not hold."""

    @property
    def conflicts(self) -> int:
        return int((self.lines["kind"] == "conflict").sum()) if len(self.lines) else 0

    def as_dict(self) -> dict[str, Any]:
        """For ``--json`` and machines: counts and every changed cell."""
        return {
            "new": self.new,
            "unchanged": self.unchanged,
            "updated": self.changed,
            "conflicts": self.conflicts,
            "left_out": len(self.left_out),
            "cells": [
                {k: (None if pd.isna(v) else v) for k, v in line.items()}
                for line in self.lines.to_dict("records")
            ],
        }

    def summary(self) -> str:
        """``3 new rows, 10 unchanged (skipped), 2 updated`` in the current language."""
        return _(
            "{new}, {unchanged} (skipped), {changed}",
            new=ngettext("{n} new row", "{n} new rows", self.new),
            unchanged=ngettext("{n} unchanged", "{n} unchanged", self.unchanged),
            changed=ngettext("{n} updated", "{n} updated", self.changed),
        )


def _key_column(layer: str) -> str | None:
    # Boundaries have their own replacing (ingest.boundaries): no update there.
    if layer == "admin_boundaries":
        return None
    key = id_field(LAYER_SPECS[layer])
    return key.name if key else None


def _same_office(a: Any, b: Any) -> bool:
    return str(a).strip().casefold() == str(b).strip().casefold()


def plan(
    store: Any, office: str, mapped: Any, context: CheckContext
) -> tuple[CheckContext, Updatable]:
    """Before the checks: which of the file's ids its office stored before (in batches the
    sender may see), and the context with those ids no longer refused as taken (nor their
    stored rows flagged as possible duplicates of themselves)."""
    key = _key_column(mapped.layer)
    if key is None or context.existing_ids is None or key not in mapped.frame:
        return context, Updatable()
    given = mapped.frame[key].dropna().astype(str)
    given = given[given.str.strip() != ""]
    found = context.existing_ids(given) if len(given) else {}
    if not found:
        return context, Updatable()
    offices = {b.batch_id: b.office for b in store.batches(mapped.layer)}
    own = [v for v, b in found.items() if b is not None and _same_office(offices.get(b), office)]
    if not own:
        return context, Updatable()
    keys = set(id_keys(pd.Series(own, dtype="str")).tolist())
    asked = context.existing_ids

    def existing_ids(ids: Iterable[str]) -> Mapping[str, int | None]:
        taken = asked(ids)
        if not taken:
            return taken
        listed = list(taken)
        kept = id_keys(pd.Series(listed, dtype="str")).tolist()
        return {v: taken[v] for v, k in zip(listed, kept, strict=True) if k not in keys}

    stored = context.stored_incidents
    if stored is not None and key in stored:
        stored = stored[~id_keys(stored[key].astype(str)).isin(keys).to_numpy()]
    context = dataclasses.replace(context, existing_ids=existing_ids, stored_incidents=stored)
    return context, Updatable(keys)


def _office_rows(store: Any, layer: str, office: str) -> pd.DataFrame:
    """The office's current stored rows (its batches in analysis and, for a sender who may
    see them, those under review)."""
    frames = [store.layer(layer)]
    may = getattr(store, "may", None)
    if may is not None and may("view_under_review", office):
        frames.append(store.layer(layer, under_review=True))
    frames = [f for f in frames if len(f)]
    if not frames:
        return store.layer(layer).iloc[0:0]
    rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    own = [b.batch_id for b in store.batches(layer) if _same_office(b.office, office)]
    return rows[np.isin(rows["batch_id"].to_numpy(dtype="int64"), own)]


def _stored_versions(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """The newest of ``rows`` for each id (by :func:`schema.ids.id_key`), indexed by key."""
    rows = rows.assign(_key=id_keys(rows[key].astype(str)).to_numpy())
    rows = rows.sort_values("batch_id", kind="stable").drop_duplicates("_key", keep="last")
    return rows.set_index("_key")


def compare(store: Any, office: str, result: Any, updatable: Updatable) -> Difference | None:
    """After the checks: class the accepted rows whose ids the office stored before as
    unchanged (taken out of ``result.accepted``, outcome ``unchanged``) or updated (kept,
    their report lines say what changed), in place; ``None`` when the file updates nothing."""
    if not updatable.keys:
        return None
    layer = result.layer
    key = _key_column(layer)
    if key is None:
        return None
    accepted = result.accepted
    keys = id_keys(accepted[key].astype(str)) if len(accepted) else pd.Series([], dtype="str")
    again = keys.isin(updatable.keys).to_numpy()
    office_rows = _office_rows(store, layer, office)
    stored = _stored_versions(office_rows, key)
    columns = [c for c in compared(layer) if c == GEOMETRY or c in accepted]
    lines: list[dict[str, Any]] = []
    report: list[dict[str, Any]] = []
    unchanged_rows: list[Any] = []
    supersedes: list[str] = []
    for position in np.flatnonzero(again).tolist():
        row = accepted.index[position]
        ident = keys.iloc[position]
        if ident not in stored.index:
            continue  # held by a batch the sender may not read rows of: stays new
        old = cast(pd.Series, stored.loc[ident])  # one row: ids are unique in `stored`
        new = accepted.iloc[position]
        batch = int(old["batch_id"])
        kept = layer == "incidents" and coded(old.get("motivation_origin"))
        changes: list[tuple[str, Any, Any]] = []
        conflicts: list[tuple[str, Any, Any]] = []
        for column in columns:
            before, after = old[column], new[column]
            if same(before, after):
                continue
            (conflicts if kept and column in CODING else changes).append((column, before, after))
        tagged = [("change", c) for c in changes] + [("conflict", c) for c in conflicts]
        lines += [
            _cell(row, str(old[key]), column, before, after, batch, kind)
            for kind, (column, before, after) in tagged
        ]
        outcome = UPDATED if changes else UNCHANGED
        for column, before, after in changes:
            problem = _(
                "updated: was {before} in batch {batch}", before=_blank(shown(before)), batch=batch
            )
            report.append(_line(row, column, shown(after), problem, "", UPDATED))
        for column, before, after in conflicts:
            problem = _(
                "differs from the coding of an analyst ({stored}), which is kept",
                stored=_blank(shown(before)),
            )
            expected = _("an analyst changes the coding if the file is right")
            report.append(_line(row, column, shown(after), problem, expected, outcome))
        if changes:
            supersedes.append(str(old[key]))
            # The new version keeps the stored id as written and an analyst's coding.
            accepted.at[row, key] = old[key]
            if kept:
                for column in CODING:
                    if column in accepted:
                        accepted.at[row, column] = old[column]
        else:
            unchanged_rows.append(row)
            problem = _("unchanged: the same as stored in batch {batch}", batch=batch)
            expected = _("nothing to do; not stored again")
            report.append(_line(row, key, str(old[key]), problem, expected, UNCHANGED))
    _apply(result, unchanged_rows, report)
    left_out = _left_out(office_rows, key, stored, keys)
    if left_out:
        # A note of the whole import: in the preview, the report's summary, the batch.
        result.notes.append(_left_out_note(left_out, key))
    frame = pd.DataFrame(lines, columns=list(DIFFERENCE_COLUMNS), dtype=object)
    new = len(result.accepted) - len(supersedes)
    return Difference(
        new=new,
        unchanged=len(unchanged_rows),
        changed=len(supersedes),
        lines=frame,
        supersedes=supersedes,
        left_out=left_out,
    )


def _line(
    row: Any, column: str, value: Any, problem: str, expected: str, outcome: str | None
) -> dict[str, Any]:
    """One report line (:data:`ingest.findings.REPORT_COLUMNS`)."""
    return {
        "row": row,
        "column": column,
        "value": value,
        "problem": problem,
        "expected": expected,
        "outcome": outcome,
    }


def _cell(
    row: Any, ident: str, column: str, before: Any, after: Any, batch: int, kind: str
) -> dict[str, Any]:
    """One line of the difference (:data:`DIFFERENCE_COLUMNS`)."""
    return {
        "row": row,
        "id": ident,
        "column": column,
        "stored": shown(before),
        "sent": shown(after),
        "batch": batch,
        "kind": kind,
    }


def _blank(value: str | None) -> str:
    return _("(empty)") if value is None or value == "" else value


def _apply(result: Any, unchanged: list[Any], report: list[dict[str, Any]]) -> None:
    """Unchanged rows out of the accepted ones, their outcome ``unchanged`` (their earlier
    report lines too); the new lines after each row's own."""
    if unchanged:
        result.outcomes = result.outcomes.astype(object)
        result.outcomes.loc[unchanged] = UNCHANGED
        result.accepted = result.accepted.drop(index=unchanged)
        rows = result.report["row"].astype(object)
        result.report.loc[rows.isin(unchanged).to_numpy(), "outcome"] = UNCHANGED
    if report:
        added = pd.DataFrame(report, columns=list(result.report.columns))
        result.report = pd.concat([result.report, added], ignore_index=True)


def _left_out(rows: pd.DataFrame, key: str, stored: pd.DataFrame, keys: pd.Series) -> list[str]:
    """The ids of the stored batches this file updates that the file does not hold."""
    batches = set(stored["batch_id"].astype(int).tolist())
    if not batches:
        return []
    rows = rows[np.isin(rows["batch_id"].to_numpy(dtype="int64"), list(batches))]
    present = set(keys.tolist())
    ids = rows[key].astype(str)
    return sorted(v for v, k in zip(ids, id_keys(ids).tolist(), strict=True) if k not in present)


def _left_out_note(left_out: list[str], key: str) -> str:
    shown_ids = ", ".join(left_out[:_SHOWN_IDS])
    if len(left_out) > _SHOWN_IDS:
        shown_ids = _("{ids} and {more} more", ids=shown_ids, more=len(left_out) - _SHOWN_IDS)
    return ngettext(
        "{n} stored row this file updates is not in it ({column} {ids}): a row left out "
        "is not deleted, it stays as stored; an analyst withdraws it if it should go",
        "{n} stored rows this file updates are not in it ({column} {ids}): a row left out "
        "is not deleted, they stay as stored; an analyst withdraws them if they should go",
        len(left_out),
        column=key,
        ids=shown_ids,
    )
