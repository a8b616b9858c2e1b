"""The data layer every page and command goes through: the store, seen as one caller.

A :class:`Session` is a store plus who is asking. It checks :mod:`access.policy`
before every read and write, narrows what comes back (uploads under review only for
those who may see them; restricted fields blanked on rows the caller may not read)
and writes the audit entry of every action, refused ones included. The raw store
stays available to set-up code (the sample import, migrations) only.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from access.policy import Denied, allowed
from access.roles import FIELD_OFFICE, Caller
from languages import _
from schema.upload import Upload
from store.base import (
    ACCEPTED,
    UNDER_REVIEW,
    Batch,
    NewBatch,
    ReviewState,
    Store,
    StoreError,
)
from store.double_coding import DoubleCodingRecords
from store.protocol import CountsInSql

if TYPE_CHECKING:
    import pyproj

    from ingest.pipeline import ImportOptions
    from schema.filters import IncidentFilter
    from store.gpkg import GeoPackageStore
    from store.postgis import PostGISStore
    from store.protocol import StoreLike

RESTRICTED = {"incidents": ("narrative", "perpetrator_name", "motivation_raw")}
"""Fields only analysts, and the office that sent the row, may read: free text that can
name victims, witnesses or perpetrators."""

WITHHELD = "(withheld)"
HIDDEN_SENDER = "(hidden: batch under review)"
"""The actor of an audit entry that would name the sender of a batch under review."""
_BATCH_TARGET = r"^batch (\d+)$"


class Session:
    """``store`` as ``caller`` may see and change it.

    Raises (from every method)
    ------
    access.policy.Denied
        when the caller's role does not allow the action; the refusal is audited.
    """

    def __init__(self, store: Store, caller: Caller) -> None:
        self._store = store
        self.caller = caller
        self.sign_in_method: str | None = None
        """How the caller signed in (``password``, ``oidc``), ``None`` when nobody did."""

    def __repr__(self) -> str:
        return f"Session({self._store!r}, {self.caller.describe()})"

    @property
    def location(self) -> str:
        return self._store.location

    # --- checks -----------------------------------------------------------------------
    def may(self, action: str, office: str | None = None) -> bool:
        """Whether this caller may do ``action`` (for ``office``); nothing is recorded."""
        return allowed(self.caller, action, office)

    def require(self, action: str, office: str | None = None, target: str = "") -> None:
        """Raise :class:`Denied` (and audit the refusal) unless the caller may."""
        if allowed(self.caller, action, office):
            return
        refusal = Denied(self.caller, action, office)
        self._store.record(
            "denied", by=self.caller, target=target, details={"action": action, "why": str(refusal)}
        )
        raise refusal

    def _waiting(self, batch: Batch) -> bool:
        """An active batch under review that this caller may look at."""
        return (
            batch.status == "active"
            and batch.review == UNDER_REVIEW
            and self.may("view_under_review", batch.office)
        )

    # --- reading ----------------------------------------------------------------------
    def batches(self, layer: str | None = None) -> list[Batch]:
        """The batches this caller may know of, newest first.

        Analysts see every batch. A field office sees its own in full and the others'
        accepted ones with sender and file name withheld; viewers and admins see the
        accepted ones so withheld. File names can name people.
        """
        shown = []
        for batch in self._store.batches(layer):
            if self.may("view_batch_details", batch.office):
                shown.append(batch)
            elif batch.in_analysis:
                shown.append(_withheld(batch))
        return shown

    def batch(self, batch_id: int) -> Batch:
        """One batch, in full; :class:`Denied` unless the caller may see its details."""
        batch = self._store.batch(batch_id)
        self.require("view_batch_details", batch.office, f"batch {batch_id}")
        return batch

    def original(self, batch_id: int) -> Upload:
        """The file as sent (analysts; the sending office)."""
        self.batch(batch_id)
        return self._store.original(batch_id)

    def report(self, batch_id: int) -> pd.DataFrame:
        """The batch's row-level report (analysts; the sending office)."""
        self.batch(batch_id)
        return self._store.report(batch_id)

    def layer(
        self, name: str, *, under_review: bool = False, **options: Any
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """The rows maps and analysis show: those of accepted batches. With
        ``under_review``, instead, the rows of batches still waiting for an analyst that
        this caller may look at (analysts: all; a field office: its own). Restricted
        fields are empty (missing) on rows of batches the caller may not read."""
        self.require("view_map", target=name)
        if under_review and not self.may("view_under_review", self.caller.office):
            self.require("view_under_review", self.caller.office, target=name)
        frame = self._store.layer(name, **options)
        batches = self._store.batches(name)
        shown = self._waiting if under_review else (lambda batch: batch.in_analysis)
        # Per batch, then per row by batch number: vectorised for a million rows.
        numbers = frame["batch_id"].to_numpy(dtype="int64")
        keep = np.isin(numbers, [b.batch_id for b in batches if shown(b)])
        frame = frame[keep].reset_index(drop=True)
        hidden = [c for c in RESTRICTED.get(name, ()) if c in frame]
        if hidden and len(frame):
            readable = [b.batch_id for b in batches if self.may("view_restricted", b.office)]
            blank = ~np.isin(frame["batch_id"].to_numpy(dtype="int64"), readable)
            for column in hidden:
                frame[column] = frame[column].mask(blank)
        return frame

    def counts_in_sql(self) -> bool:
        """Whether the store tallies hot-spot cells itself (PostGIS)."""
        return isinstance(self._store, CountsInSql)

    def _counting(self) -> CountsInSql:
        if not isinstance(self._store, CountsInSql):
            raise StoreError(
                _(
                    "the store at {location} does not tally cells in SQL (only PostGIS "
                    "does); ask counts_in_sql() first and count the rows otherwise",
                    location=self.location,
                )
            )
        return self._store

    def incident_extent(
        self, selection: IncidentFilter
    ) -> tuple[tuple[float, float, float, float] | None, int]:
        """The box and number of the selected incidents in analysis (PostGIS only)."""
        self.require("view_map", target="incidents")
        return self._counting().incident_extent(selection)

    def cell_totals(
        self, selection: IncidentFilter, *, crs: pyproj.CRS, shape: str, width_m: float
    ) -> pd.DataFrame:
        """Incidents and fatalities per cell, tallied in SQL (PostGIS only): counts, never
        rows, so no restricted field is involved."""
        self.require("view_map", target="incidents")
        return self._counting().cell_totals(selection, crs=crs, shape=shape, width_m=width_m)

    def mappings(self, layer: str) -> dict[str, dict[str, str]]:
        return self._store.mappings(layer)

    def is_empty(self) -> bool:
        return self._store.is_empty()

    def find_upload(self, layer: str, sha256: str) -> Batch | None:
        return self._store.find_upload(layer, sha256)

    def existing_ids(self, layer: str, ids: Iterable[str]) -> dict[str, int | None]:
        """Which ``ids`` are taken in ``layer`` (ids are unique store-wide, whoever sent
        them): ``{id: batch}``, the batch ``None`` when this caller may not see it (another
        office's upload under review), so a refusal does not name it."""
        found = self._store.existing_ids(layer, ids)
        if not found:
            return {}
        shown = {b.batch_id for b in self._store.batches(layer) if self.may_see(b)}
        return {value: (batch if batch in shown else None) for value, batch in found.items()}

    def may_see(self, batch: Batch) -> bool:
        """Whether this caller may know of ``batch``: in analysis, or one of the uploads
        under review the caller may look at."""
        return batch.in_analysis or self.may("view_under_review", batch.office)

    # --- uploads and reviews ----------------------------------------------------------
    def import_options(self, options: ImportOptions) -> ImportOptions:
        """``options`` with this caller as the uploader, once they may upload for its office."""
        self.require("upload", options.office, f"upload for {options.office}")
        return dataclasses.replace(options, uploader=self.caller.name)

    def commit_batch(
        self,
        batch: NewBatch,
        rows: pd.DataFrame,
        *,
        report: pd.DataFrame,
        original: bytes,
        id_column: str | None,
        supersedes: Iterable[str] = (),
    ) -> Batch:
        """Commit an upload as this caller. A field office's upload waits for an analyst
        (``under_review``); an analyst's goes straight into analysis. ``supersedes``: the
        ids of rows that update the office's stored ones (:mod:`store.versions`)."""
        self.require("upload", batch.office, f"upload for {batch.office}")
        review: ReviewState = UNDER_REVIEW if self.caller.role == FIELD_OFFICE else ACCEPTED
        batch = dataclasses.replace(batch, uploader=self.caller.name, review=review)
        return self._store.commit_batch(
            batch,
            rows,
            report=report,
            original=original,
            id_column=id_column,
            by=self.caller,
            supersedes=supersedes,
        )

    def save_mapping(
        self, name: str, layer: str, mapping: dict[str, str], *, office: str, by: Any = None
    ) -> None:
        self.require("upload", office, f"mapping {name}")
        self._store.save_mapping(name, layer, mapping, office=office, by=self.caller)

    def under_review(self) -> list[Batch]:
        """Active batches waiting for an analyst, oldest first (those the caller may see)."""
        waiting = [b for b in self._store.batches() if b.status == "active"]
        waiting = [b for b in waiting if b.review == UNDER_REVIEW]
        return [b for b in reversed(waiting) if self.may("view_under_review", b.office)]

    def accept(
        self, batch_id: int, rows: Iterable[str] | None = None, *, reason: str = ""
    ) -> Batch:
        """Accept a batch under review: all its rows, or only ``rows`` (their ids), the
        others then withdrawn with ``reason`` (:meth:`withdraw_rows`), in one transaction."""
        self.require("review", target=f"batch {batch_id}")
        if rows is None:
            return self._after_change(self._store.accept(batch_id, by=self.caller), "accepted")
        self.require("withdraw", target=f"batch {batch_id}")
        batch, _left_out = self._store.accept_rows(batch_id, rows, by=self.caller, reason=reason)
        return self._after_change(batch, "accepted")

    def withdraw(self, batch_id: int, *, reason: str, by: Any = None) -> Batch:
        self.require("withdraw", target=f"batch {batch_id}")
        batch = self._store.withdraw(batch_id, by=self.caller, reason=reason)
        return self._after_change(batch, "withdrawn")

    def restore(self, batch_id: int, *, by: Any = None) -> Batch:
        self.require("restore", target=f"batch {batch_id}")
        return self._after_change(self._store.restore(batch_id, by=self.caller), "restored")

    def _after_change(self, batch: Batch, what: str) -> Batch:
        """What maps and analysis show changed. Once boundaries or areas of responsibility
        come into analysis or leave it, every incident is placed again (an incidents batch
        restored is placed too: its rows were left as they were while it was withdrawn);
        once incidents do, the reports of one event are linked again. The caller already
        passed the review/withdraw/restore check, so the store is written as them
        directly, every batch included."""
        from ingest.relink import relink
        from ingest.replace import PLACE_LAYERS, replace_all

        # An update in or out: the version now current is placed (its place may differ).
        again = what == "restored" or batch.updated > 0
        if batch.layer in PLACE_LAYERS or (batch.layer == "incidents" and again):
            replace_all(self._store, by=self.caller, reason=f"batch {batch.batch_id} {what}")
        if batch.layer == "incidents":
            relink(self._store, by=self.caller)
        return batch

    # --- links between reports of one event -------------------------------------------
    def links(self, status: str | tuple[str, ...] | None = None) -> pd.DataFrame:
        """The links between sources' reports of one event (``store.links``): for those who
        review (their reasons name perpetrators, a restricted field)."""
        self.require("review", target="event links")
        return self._store.links(status)

    def decide_link(self, link_id: int, decision: str, *, reason: str) -> dict[str, Any]:
        """An analyst confirms, splits or re-queues a link; the counts follow at once."""
        self.require("review", target=f"link {link_id}")
        link = self._store.decide_link(link_id, decision, by=self.caller, reason=reason)
        from ingest.relink import relink

        relink(self._store, by=self.caller)
        return link

    def replace_found_links(self, found: pd.DataFrame, *, by: Any = None) -> dict[str, int]:
        """pocmap's own bookkeeping after a change the caller made (an accepted import)."""
        self.require("review", target="event links")
        return self._store.replace_found_links(found, by=self.caller)

    def set_derived(self, layer: str, values: pd.DataFrame, *, by: Any = None, reason: str) -> int:
        """Set derived columns (places from the map, links) of stored rows: a system
        action on behalf of an import or a review, so only those who may review (analysts)
        may call it; recorded as this caller."""
        self.require("review", target=f"{layer} derived values")
        return self._store.set_derived(layer, values, by=self.caller, reason=reason)

    # --- coding motivations -----------------------------------------------------------
    def edit_motivation(
        self,
        incident_id: str,
        *,
        motivation: str | None = None,
        confidence: str | None = None,
        reason: str,
        origin: str = "analyst",
    ) -> None:
        """Recode an incident's motivation and/or its confidence, keeping the history.

        ``origin`` is recorded with a new motivation (``motivation_origin``): ``analyst``,
        or ``suggestion`` when the analyst accepted pocmap's suggestion, so suggestion-coded
        incidents stay distinguishable in the data and in the analysis."""
        self.require("edit_motivation", target=f"incidents {incident_id}")
        changes: dict[str, Any] = {}
        if motivation is not None:
            changes["motivation"] = motivation
            changes["motivation_origin"] = origin
        if confidence is not None:
            changes["motivation_confidence"] = confidence
        if not changes:
            raise ValueError(_("give a motivation, a confidence or both to edit"))
        self._store.edit("incidents", incident_id, changes, by=self.caller, reason=reason)

    def edit_perpetrator_type(
        self, incident_id: str, perpetrator_type: str, *, reason: str
    ) -> None:
        """Recode an incident's perpetrator type by hand, keeping the history; analysts code
        incidents, so the same right as a motivation."""
        self.require("edit_motivation", target=f"incidents {incident_id}")
        self._store.edit(
            "incidents", incident_id, {"perpetrator_type": perpetrator_type},
            by=self.caller, reason=reason,
        )  # fmt: skip

    def edit_perpetrator_types(self, changes: Iterable[tuple[str, str, str]]) -> int:
        """Recode many incidents' perpetrator types, ``(incident_id, type, reason)`` each, in
        one transaction (``pocmap actors --apply``), each change in its history."""
        changes = list(changes)
        self.require("edit_motivation", target=f"incidents ({len(changes)} perpetrator types)")
        return self._store.edit_many(
            "incidents",
            [(incident, {"perpetrator_type": kind}, reason) for incident, kind, reason in changes],
            by=self.caller,
        )

    # --- bulk coding (issue 23) -------------------------------------------------------
    def bulk_edit_motivation(
        self,
        incident_ids: Iterable[str],
        *,
        motivation: str | None = None,
        confidence: str | None = None,
        reason: str,
        origin: str = "analyst",
    ) -> dict[str, list[str]]:
        """Recode many incidents' motivation and/or confidence in one transaction, each with
        its own history row and audit entry (``Store.edit_many``).

        Incidents already at those values are left as they are and reported, not refused:
        returns ``{"changed": [ids], "unchanged": [ids]}``. The motivation's origin is
        recorded only where the motivation changes.

        Raises
        ------
        ValueError
            when neither a motivation nor a confidence is given, or the reason is empty.
        KeyError
            naming the ids no active incident has (then nothing is changed).
        """
        ids = list(dict.fromkeys(str(i) for i in incident_ids))
        self.require("edit_motivation", target=f"incidents ({len(ids)} motivations)")
        if motivation is None and confidence is None:
            raise ValueError(_("give a motivation, a confidence or both to edit"))
        if not reason.strip():
            raise ValueError(_("`reason` is empty but an edit must say why, for the record"))
        stored = self._store.layer("incidents")
        current = stored.set_index(stored["incident_id"].astype(str))
        missing = [i for i in ids if i not in current.index]
        if missing:
            raise KeyError(
                _(
                    "no incident in an active batch has the id {ids}; nothing was recoded",
                    ids=", ".join(missing),
                )
            )
        edits: list[tuple[str, dict[str, Any], str]] = []
        unchanged: list[str] = []
        for incident in ids:
            changes: dict[str, Any] = {}
            if motivation is not None and current.at[incident, "motivation"] != motivation:
                changes["motivation"] = motivation
                changes["motivation_origin"] = origin
            held = current.at[incident, "motivation_confidence"]
            if confidence is not None and not (isinstance(held, str) and held == confidence):
                changes["motivation_confidence"] = confidence
            if changes:
                edits.append((incident, changes, reason))
            else:
                unchanged.append(incident)
        self._store.edit_many("incidents", edits, by=self.caller)
        return {"changed": [e[0] for e in edits], "unchanged": unchanged}

    def edits(self, incident_id: str | None = None) -> pd.DataFrame:
        """Who changed which incident's coding, when, from what to what."""
        self.require("view_edit_history", target="edits")
        return self._store.edits("incidents", incident_id)

    def verify_audit(self, anchor: Any = None) -> Any:
        """Check the audit log's hash chain (admins, as they see the log): a
        :class:`store.audit_chain.ChainCheck` naming where it breaks, if it does."""
        self.require("view_audit", target="audit log")
        return self._store.verify_audit(anchor)

    # --- what leaves the store --------------------------------------------------------
    def record_sign_in(self, method: str) -> None:
        self._store.record("sign_in", by=self.caller, details={"method": method})

    def record_output(self, kind: str, details: Mapping[str, Any]) -> None:
        """Audit a briefing (``kind="briefing"``) or an export (``"export"``)."""
        self.require(kind, target=kind)
        self._store.record(
            kind, by=self.caller, target=str(details.get("file", "")), details=details
        )

    def record_users_change(self, action: str, name: str, details: Mapping[str, Any]) -> None:
        self.require("manage_users", target=f"user {name}")
        self._store.record(action, by=self.caller, target=f"user {name}", details=details)

    def audit_log(self) -> pd.DataFrame:
        """The audit log (admins); reading it for an export is itself recorded.

        The sender of a batch not yet accepted is hidden from a role that may not see
        uploads under review (admins): the actor of the batch's ``upload`` entry, and of
        any entry of that sender about it, reads :data:`HIDDEN_SENDER`. Once an analyst
        accepts the batch it is on every map, and the log shows who sent it.
        """
        self.require("view_audit", target="audit log")
        log = self._store.audit_log()
        hidden = self._hidden_senders(log)
        if hidden.any():
            log = log.copy()
            details_at = list(log.columns).index("details")
            for position in np.flatnonzero(hidden).tolist():
                # A refusal's details quote the caller ("kim (field_office, ...) may not").
                name = json.dumps(str(log["actor"].iat[position]), ensure_ascii=False)[1:-1]
                details = str(log["details"].iat[position])
                log.iat[position, details_at] = details.replace(name, HIDDEN_SENDER)
            log.loc[hidden, "actor"] = HIDDEN_SENDER
        return log

    def _hidden_senders(self, log: pd.DataFrame) -> np.ndarray:
        """Per entry: whether its actor is the sender of a batch this caller may not see
        under review."""
        numbers = log["target"].astype("string").str.extract(_BATCH_TARGET, expand=False)
        about = numbers.notna().to_numpy()
        if not about.any():
            return about
        unseen = {
            b.batch_id: b
            for b in self._store.batches()
            if b.review == UNDER_REVIEW and not self.may("view_under_review", b.office)
        }
        hidden = np.zeros(len(log), dtype=bool)
        for position in np.flatnonzero(about).tolist():
            batch = unseen.get(int(numbers.iloc[position]))
            if batch is not None:
                entry = log.iloc[position]
                hidden[position] = entry["action"] == "upload" or entry["actor"] == batch.uploader
        return hidden

    # --- single rows of a batch (issue 23: review that sees) --------------------------
    def batch_rows(self, batch_id: int) -> pd.DataFrame:
        """Every row of one batch, withdrawn ones included and marked (``withdrawn``, who,
        when, why): for those who may see the batch's details (analysts; the sending
        office). Restricted fields are empty unless the caller may read them."""
        batch = self.batch(batch_id)
        rows = self._store.batch_rows(batch_id)
        if not self.may("view_restricted", batch.office):
            for column in RESTRICTED.get(batch.layer, ()):
                if column in rows:
                    rows[column] = rows[column].mask(pd.Series(True, index=rows.index))
        return rows

    def row_withdrawals(self, batch_id: int | None = None) -> pd.DataFrame:
        """Rows withdrawn one by one, restored ones too, oldest first
        (``store.row_withdrawals.WITHDRAWAL_COLUMNS``): of one batch (:class:`Denied`
        unless the caller may see its details), else of every batch the caller may see
        the details of (analysts: all; a field office: its own)."""
        if batch_id is not None:
            self.batch(batch_id)
            return self._store.row_withdrawals(batch_id)
        found = self._store.row_withdrawals()
        seen = [
            b.batch_id for b in self._store.batches() if self.may("view_batch_details", b.office)
        ]
        return found[found["batch_id"].isin(seen)].reset_index(drop=True)

    def withdraw_rows(self, batch_id: int, row_keys: Iterable[str], *, reason: str) -> list[str]:
        """Withdraw rows of a batch (by their ids) with a reason: kept, left out of maps and
        analysis, restorable. Analysts only; one audit entry per row."""
        self.require("withdraw", target=f"batch {batch_id}")
        done = self._store.withdraw_rows(batch_id, row_keys, by=self.caller, reason=reason)
        self._after_rows(batch_id, "rows withdrawn")
        return done

    def restore_rows(self, batch_id: int, row_keys: Iterable[str]) -> list[str]:
        """Bring withdrawn rows of a batch back. Analysts only; one audit entry per row."""
        self.require("restore", target=f"batch {batch_id}")
        done = self._store.restore_rows(batch_id, row_keys, by=self.caller)
        self._after_rows(batch_id, "rows restored")
        return done

    def _after_rows(self, batch_id: int, what: str) -> None:
        """Rows of a batch in analysis came or went: what follows a batch's change follows
        (places, links); a batch under review changes nothing shown yet."""
        batch = self._store.batch(batch_id)
        if batch.in_analysis:
            self._after_change(batch, what)

    # --- double coding (issue 23) -----------------------------------------------------
    # Blind: a coder sees their own codes only, until an item has its two coders; then it
    # is a pair, takes no more codes, and both codes are shown to every analyst (agreement,
    # disagreements). The incident's stored motivation (and the source's own word for it,
    # its confidence and origin) are never part of the evidence shown for coding: the code
    # being checked would anchor the codes that check it.
    def _coding(self) -> DoubleCodingRecords:
        """The store's double-coding records (both backends keep them)."""
        if not isinstance(self._store, DoubleCodingRecords):
            raise StoreError(
                _("the store at {location} keeps no double coding", location=self.location)
            )
        return self._store

    def draw_coding_sample(
        self, selection: IncidentFilter, size: int, *, name: str, seed: int | None = None
    ) -> int:
        """Draw ``size`` incidents in analysis that ``selection`` keeps, at random
        (:mod:`coding.sampling`: simple, seeded; a new seed unless given), and keep the
        sample; returns its number."""
        from analysis.filters import filter_incidents
        from coding import sampling

        self.require("double_code", target="coding samples")
        kept = filter_incidents(self.layer("incidents"), selection)
        seed = sampling.new_seed() if seed is None else int(seed)
        try:
            ids = sampling.draw(kept["incident_id"].dropna(), int(size), seed)
        except ValueError as err:
            raise StoreError(str(err)) from None
        return self._coding().add_coding_sample(
            name, ids, seed=seed, method=sampling.METHOD,
            filter_description=sampling.describe_filter(selection), by=self.caller,
        )  # fmt: skip

    def coding_samples(self) -> pd.DataFrame:
        """Every sample with its progress: ``items``, ``to_code`` (items this caller may
        still code), ``coded_by_me``, ``pairs`` (items with their two coders),
        ``disagreements`` and ``resolved``."""
        self.require("double_code", target="coding samples")
        samples = self._coding().coding_samples()
        items, codes = self._coding().coding_sample_items(), self._coding().blind_codes()
        resolved = self._coding().coding_resolutions()
        pairs = self._pairs(codes, resolved)
        mine = codes[codes["coder"] == self.caller.name]
        progress = []
        for sample_id in samples["sample_id"]:
            n_codes = codes[codes["sample_id"] == sample_id].groupby("incident_id").size()
            drawn = items.loc[items["sample_id"] == sample_id, "incident_id"]
            taken = set(mine.loc[mine["sample_id"] == sample_id, "incident_id"])
            full = set(n_codes[n_codes >= 2].index)
            in_sample = pairs[pairs["sample_id"] == sample_id]
            progress.append(
                {
                    "items": len(drawn),
                    "to_code": sum(1 for i in drawn if i not in taken and i not in full),
                    "coded_by_me": len(taken),
                    "pairs": len(in_sample),
                    "disagreements": int((~in_sample["agree"]).sum()),
                    "resolved": int(in_sample["resolved_motivation"].notna().sum()),
                }
            )
        columns = ["items", "to_code", "coded_by_me", "pairs", "disagreements", "resolved"]
        return pd.concat(
            [samples, pd.DataFrame(progress, index=samples.index, columns=columns)], axis=1
        )

    def coding_queue(self, sample_id: int) -> pd.DataFrame:
        """The items of a sample this caller may still code (not coded by them, not yet
        with two coders, still in analysis), in the order drawn, with their evidence only
        (:data:`BLIND_EVIDENCE`): never the stored motivation or another coder's code."""
        self.require("double_code", target=f"sample {sample_id}")
        items = self._coding().coding_sample_items(sample_id)
        codes = self._coding().blind_codes(sample_id)
        counts = codes.groupby("incident_id").size()
        closed = set(counts[counts >= 2].index)
        closed |= set(codes.loc[codes["coder"] == self.caller.name, "incident_id"])
        wanted = [i for i in items["incident_id"] if i not in closed]
        incidents = self.layer("incidents")
        evidence = incidents[incidents["incident_id"].isin(wanted)]
        evidence = evidence.set_index("incident_id").reindex(
            [i for i in wanted if i in set(evidence["incident_id"])]
        )
        columns = [c for c in BLIND_EVIDENCE if c in evidence.columns]
        return pd.DataFrame(evidence[columns]).reset_index()

    def code_blind(
        self, sample_id: int, incident_id: str, *, motivation: str, confidence: str | None
    ) -> int:
        """This caller's blind code of one item of a sample (final once given)."""
        self.require("double_code", target=f"sample {sample_id}")
        return self._coding().add_blind_code(
            sample_id, incident_id, motivation=motivation, confidence=confidence, by=self.caller
        )

    def my_blind_codes(self, sample_id: int) -> pd.DataFrame:
        """The codes this caller gave in a sample (``store.coding_tables.CODE_COLUMNS``)."""
        self.require("double_code", target=f"sample {sample_id}")
        codes = self._coding().blind_codes(sample_id)
        return codes[codes["coder"] == self.caller.name].reset_index(drop=True)

    def coding_pairs(self, sample_id: int) -> pd.DataFrame:
        """The items of a sample coded by two analysts (:data:`PAIR_COLUMNS`), in the
        order coded: both codes side by side, whether they agree, and the resolution."""
        self.require("double_code", target=f"sample {sample_id}")
        return self._pairs(
            self._coding().blind_codes(sample_id), self._coding().coding_resolutions(sample_id)
        ).reset_index(drop=True)

    def coding_agreement(self, sample_id: int) -> list[Any]:
        """Cohen's kappa of a sample's pairs, overall then per motivation
        (:func:`coding.agreement.agreement_table`; empty without a pair)."""
        from coding.agreement import agreement_table
        from schema.incidents import MOTIVATIONS

        pairs = self.coding_pairs(sample_id)
        if pairs.empty:
            return []
        return agreement_table(
            pairs["first_motivation"].tolist(), pairs["second_motivation"].tolist(), MOTIVATIONS
        )

    def coding_disagreements(self, sample_id: int) -> pd.DataFrame:
        """The pairs of a sample whose motivations differ and that are not yet resolved."""
        pairs = self.coding_pairs(sample_id)
        waiting = ~pairs["agree"] & pairs["resolved_motivation"].isna()
        return pairs[waiting].reset_index(drop=True)

    def resolve_disagreement(
        self,
        sample_id: int,
        incident_id: str,
        *,
        motivation: str,
        confidence: str | None,
        note: str,
    ) -> str:
        """Resolve a disagreement: the incident's motivation (and confidence) become those
        decided, as :meth:`edit_motivation` would set them (origin ``analyst``, with its
        history), with a reason naming the sample and both codes; the item is marked
        resolved in the same transaction. Returns the reason recorded.

        Raises
        ------
        StoreError
            when the item is no unresolved disagreement of the sample, or ``note`` is empty.
        """
        self.require("double_code", target=f"sample {sample_id}")
        self.require("edit_motivation", target=f"incidents {incident_id}")
        if not note.strip():
            raise StoreError(_("the note is empty but a resolution must say why, for the record"))
        waiting = self.coding_disagreements(sample_id)
        found = waiting[waiting["incident_id"] == str(incident_id)]
        if found.empty:
            raise StoreError(
                _(
                    "incident {incident} is not an unresolved disagreement of sample {sample}; "
                    "the disagreements queue lists those",
                    incident=incident_id,
                    sample=sample_id,
                )
            )
        pair = found.iloc[0]
        samples = self._coding().coding_samples()
        name = samples.loc[samples["sample_id"] == int(sample_id), "name"].iloc[0]
        reason = _(
            "double coding, sample {sample} ({name}): {first} coded {first_code}, {second} "
            "coded {second_code}; resolved as {code}: {note}",
            sample=sample_id,
            name=name,
            first=pair["first_coder"],
            first_code=_code(pair["first_motivation"], pair["first_confidence"]),
            second=pair["second_coder"],
            second_code=_code(pair["second_motivation"], pair["second_confidence"]),
            code=_code(motivation, confidence),
            note=note.strip(),
        )
        self._coding().resolve_coding(
            sample_id, incident_id, motivation=motivation, confidence=confidence,
            reason=reason, by=self.caller,
        )  # fmt: skip
        return reason

    @staticmethod
    def _pairs(codes: pd.DataFrame, resolved: pd.DataFrame) -> pd.DataFrame:
        """Items with two codes, as :data:`PAIR_COLUMNS` (the store keeps at most two)."""
        rows = []
        for (sample_id, incident_id), group in codes.groupby(
            ["sample_id", "incident_id"], sort=False
        ):
            if len(group) < 2:
                continue
            first, second = group.sort_values("code_id").iloc[:2].to_dict("records")
            rows.append(
                {
                    "sample_id": int(cast(int, sample_id)),
                    "incident_id": incident_id,
                    **{f"first_{k}": first[k] for k in ("coder", "motivation", "confidence")},
                    **{f"second_{k}": second[k] for k in ("coder", "motivation", "confidence")},
                    "agree": first["motivation"] == second["motivation"],
                    "coded_at": second["coded_at"],
                }
            )
        pairs = pd.DataFrame(rows, columns=[*PAIR_COLUMNS[:-2], "coded_at"])
        pairs["agree"] = pairs["agree"].astype(bool)
        done = resolved.rename(columns={"motivation": "resolved_motivation"})[
            ["sample_id", "incident_id", "resolved_motivation", "resolved_by"]
        ]
        pairs = pairs.merge(done, on=["sample_id", "incident_id"], how="left")
        return pairs.sort_values("coded_at", kind="stable")[list(PAIR_COLUMNS)]


BLIND_EVIDENCE = (
    "incident_id", "date", "incident_type", "event_type_raw", "perpetrator_type",
    "perpetrator_name", "fatalities", "injured", "abducted", "victim_groups", "admin1",
    "admin2", "field_office", "source", "narrative",
)  # fmt: skip
"""What a coder sees of an incident to code it blind: the facts and the source's words, not
its motivation, the source's word for it (``motivation_raw``), confidence or origin."""
PAIR_COLUMNS = (
    "sample_id", "incident_id", "first_coder", "first_motivation", "first_confidence",
    "second_coder", "second_motivation", "second_confidence", "agree",
    "resolved_motivation", "resolved_by",
)  # fmt: skip


def _code(motivation: str, confidence: str | None) -> str:
    """A code as a reason names it: ``predation (probable)``, codes as stored."""
    return f"{motivation} ({confidence})" if confidence else str(motivation)


def _withheld(batch: Batch) -> Batch:
    return dataclasses.replace(
        batch,
        uploader=WITHHELD,
        source_name=WITHHELD,
        mapping={},
        notes=[],
        status_changed_by=None if batch.status_changed_by is None else WITHHELD,
        reviewed_by=None if batch.reviewed_by is None else WITHHELD,
    )


if TYPE_CHECKING:
    # mypy (scripts/test.sh) proves here that a session and both backends are what the
    # import pipeline and the command line take: a method removed or changed on either
    # side fails the type check.
    def _store_like(session: Session, gpkg: GeoPackageStore, pg: PostGISStore) -> list[StoreLike]:
        return [session, gpkg, pg]

    def _counts_in_sql(pg: PostGISStore) -> CountsInSql:
        return pg
