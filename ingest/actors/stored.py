"""The actor dictionary applied again to the incidents already stored (``pocmap actors``).

Each batch's original file is read again and mapped as on import, with the dictionary in
effect now; a stored row whose perpetrator type would come in differently is changed
through the store's edits (who, when, before, after and the rule that decided, in its
history and the audit log). A type an office gave in its own file is kept, as on import,
and a type an analyst set by hand is never overwritten. Running it twice changes nothing
the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ingest import profiles, readers
from ingest.actors import ActorDictionary, current
from ingest.values import is_missing
from languages import N_, _, translated_everywhere
from schema.incidents import PERPETRATOR_TYPES
from schema.upload import IngestError, Limits

REASON_PREFIX = N_("actor dictionary")
"""Every reason this module writes starts so (in the language it was written in: see
:func:`_ours`); an edit with another reason is an analyst's."""


def _ours(reasons: pd.Series) -> pd.Series:
    """Whether each reason is one this module wrote, in whichever language it was written."""
    prefixes = tuple(set(translated_everywhere(REASON_PREFIX).values()))
    return reasons.astype(str).str.startswith(prefixes)


@dataclass(frozen=True)
class Change:
    """One stored incident whose perpetrator type the dictionary changes."""

    incident_id: str
    batch_id: int
    name: str | None
    before: str | None
    after: str
    reason: str


@dataclass
class Plan:
    """What :func:`apply` would change, and what it leaves and why."""

    changes: list[Change] = field(default_factory=list)
    rows_seen: int = 0
    kept_by_hand: list[str] = field(default_factory=list)
    """Incidents whose perpetrator type an analyst set by hand: left as they are."""
    notes: list[str] = field(default_factory=list)


def _stored_rows(session: Any) -> pd.DataFrame:
    """The stored incidents this caller may change: accepted ones and those under review."""
    shown = session.layer("incidents")
    waiting = session.layer("incidents", under_review=True)
    frames = [f for f in (shown, waiting) if len(f)]
    if not frames:
        return pd.DataFrame(columns=["incident_id", "batch_id", "source_row"])
    return pd.concat(frames, ignore_index=True)


def _hand_edited(session: Any) -> set[str]:
    edits = session.edits()
    if not len(edits):
        return set()
    if "layer" in edits:
        edits = edits[edits["layer"] == "incidents"]
    by_hand = edits[(edits["column"] == "perpetrator_type") & ~_ours(edits["reason"])]
    return set(by_hand["row_key"].astype(str))


def _overrides(batch: Any, records: pd.DataFrame) -> dict[str, str]:
    """The batch's hand mapping, where it names the file's columns (ACLED and UCDP have
    none: their mapping shown is the profile's own)."""
    if batch.profile in profiles.INCIDENTS_ONLY:
        return {}
    columns = {str(c) for c in records.columns}
    return {f: c for f, c in (batch.mapping or {}).items() if isinstance(c, str) and c in columns}


def _reason(mapped: profiles.Mapped, dictionary: ActorDictionary, row: Any, name: Any) -> str:
    rules = {r.number: r for r in dictionary.rules}
    number = None if mapped.actor_rules is None else mapped.actor_rules.get(row)
    if number is not None and not is_missing(number) and int(number) in rules:
        return rules[int(number)].describe()
    shown = mapped.mapping.get("perpetrator_type")
    if shown is None:
        shown = _("the source's own code")
    # Starts with REASON_PREFIX in the same language (the catalogue keeps it so).
    if is_missing(name):
        return _("actor dictionary: no rule gives no name a type; from {column}", column=shown)
    return _(
        "actor dictionary: no rule gives {name} a type; from {column}",
        name=repr(str(name)),
        column=shown,
    )


def plan(session: Any, dictionary: ActorDictionary | None = None) -> Plan:
    """The changes re-applying ``dictionary`` (default: the mission's settings) would make.

    ``session`` is an :class:`access.session.Session` (or a store): its batches, their
    original files, the stored incidents and their edits.
    """
    dictionary = dictionary or current()
    rows = _stored_rows(session)
    by_hand = _hand_edited(session)
    result = Plan(rows_seen=len(rows))
    if not len(rows):
        return result
    batches = {b.batch_id: b for b in session.batches("incidents")}
    numbers = rows["batch_id"].astype("int64")
    for batch_id in sorted(set(numbers.tolist())):
        stored = rows[(numbers == batch_id).to_numpy()]
        batch = batches.get(batch_id)
        if batch is None:
            continue
        try:
            table = readers.read(session.original(batch.batch_id), limits=Limits.from_env())
            mapped = profiles.apply(
                table,
                "incidents",
                batch.profile,
                _overrides(batch, table.records),
                actor_dictionary=dictionary,
            )
        except (IngestError, ValueError, KeyError) as err:
            result.notes.append(
                _(
                    "batch {batch} ({file}): its file could not be mapped again ({error}); its "
                    "incidents are left as they are",
                    batch=batch.batch_id,
                    file=batch.source_name,
                    error=err,
                )
            )
            continue
        new_types = mapped.frame["perpetrator_type"]
        rules = mapped.actor_rules
        from_source = batch.profile in profiles.INCIDENTS_ONLY
        for row in stored.itertuples(index=False):
            source_row = row.source_row
            if source_row not in new_types.index:
                continue
            if not from_source and (rules is None or is_missing(rules.get(source_row))):
                # An office's own file: only the types the dictionary gave are its to change
                # (the others are the office's, read as on import).
                continue
            after = new_types.at[source_row]
            if is_missing(after) or after not in PERPETRATOR_TYPES:
                continue  # the file's own value, not a code: as on import, not ours to fix
            before = None if is_missing(row.perpetrator_type) else str(row.perpetrator_type)
            if after == before:
                continue
            incident = str(row.incident_id)
            if incident in by_hand:
                result.kept_by_hand.append(incident)
                continue
            name = row.perpetrator_name
            result.changes.append(
                Change(
                    incident_id=incident,
                    batch_id=batch.batch_id,
                    name=None if is_missing(name) else str(name),
                    before=before,
                    after=str(after),
                    reason=_reason(mapped, dictionary, source_row, name),
                )
            )
    return result


def apply(session: Any, changes: list[Change]) -> int:
    """Make ``changes`` (from :func:`plan`) in one transaction, each an edit with its
    history and audit entry; the number made."""
    if not changes:
        return 0
    return int(
        session.edit_perpetrator_types([(c.incident_id, c.after, c.reason) for c in changes])
    )
