"""The store's interface: batches of rows with their provenance, whatever the backend.

A *batch* is one upload: the rows a field office sent that passed the checks, the
file as sent, the row-level report and who sent it when. Batches are never
deleted: a wrong one is *withdrawn* (kept, hidden from analysis) and can be
restored; so can a single wrong row of one (:mod:`store.row_withdrawals`). Backends
(``store.gpkg``, ``store.postgis``) implement :class:`Store`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd

from languages import _, ngettext
from schema.catalogue import LAYER_SPECS
from schema.upload import IngestError, Upload

ACTIVE: Final = "active"
WITHDRAWN: Final = "withdrawn"
BatchStatus = Literal["active", "withdrawn"]

UNDER_REVIEW: Final = "under_review"
ACCEPTED: Final = "accepted"
ReviewState = Literal["under_review", "accepted"]
"""An active batch is *under review* until an analyst accepts it (issue #7)."""

AUDIT_COLUMNS = ("seq", "at", "actor", "role", "office", "action", "target", "details")
EDIT_COLUMNS = (
    "edit_id", "layer", "row_key", "batch_id", "column", "before", "after",
    "edited_by", "edited_at", "reason",
)  # fmt: skip
EDITABLE = {
    "incidents": ("motivation", "motivation_confidence", "motivation_origin", "perpetrator_type")
}
"""What an analyst may change in a stored row (everything else is as its sender sent it):
the coding. ``perpetrator_type`` is changed by hand or by ``pocmap actors --apply`` (the
actor dictionary), each change with its history."""


@dataclass(frozen=True)
class Actor:
    """Who a write is recorded against in the audit log: name, role and office."""

    name: str
    role: str | None = None
    office: str | None = None


def actor_of(by: Any) -> Actor:
    """``by`` as an :class:`Actor`: a plain name, or anything with ``name``/``role``/``office``
    (an :class:`access.roles.Caller`)."""
    if isinstance(by, str):
        if not by.strip():
            raise ValueError(_("`by` is empty but every change is recorded against someone"))
        return Actor(by.strip())
    return Actor(by.name, getattr(by, "role", None), getattr(by, "office", None))


@dataclass(frozen=True)
class NewBatch:
    """What an import knows about a batch before the store numbers it.

    ``rows_read = accepted + accepted_with_warning + out_of_scope + rejected`` and the
    rows handed to :meth:`Store.commit_batch` are the accepted ones (with or without a
    warning). ``out_of_scope``: rows the source reports but the layer does not hold (an
    ACLED protest sent as incidents), counted, never imported; keyword-only, 0 by default.
    """

    layer: str
    office: str
    uploader: str
    source_name: str
    source_sha256: str
    source_format: str
    profile: str
    mapping: dict[str, str]
    rows_read: int
    accepted: int
    accepted_with_warning: int
    rejected: int
    notes: list[str]
    review: ReviewState = field(default=ACCEPTED, kw_only=True)
    out_of_scope: int = field(default=0, kw_only=True)
    updated: int = field(default=0, kw_only=True)
    """Rows that are new versions of rows the office stored before (a corrected file sent
    again, :mod:`store.versions`): counted among the accepted ones."""
    unchanged: int = field(default=0, kw_only=True)
    """Rows of a file sent again that are the same as stored: counted, not stored again, so
    ``rows_read = accepted + accepted_with_warning + out_of_scope + rejected + unchanged``."""


@dataclass(frozen=True)
class Batch(NewBatch):
    """A committed batch: :class:`NewBatch` plus its number, time and status.

    Times are UTC, ISO 8601 (``2026-11-20T09:14:03.120Z``).
    """

    batch_id: int
    imported_at: str
    status: BatchStatus
    status_changed_at: str | None
    status_changed_by: str | None
    status_reason: str | None
    reviewed_at: str | None = field(default=None, kw_only=True)
    reviewed_by: str | None = field(default=None, kw_only=True)

    @property
    def in_analysis(self) -> bool:
        """Active and accepted: what maps and analysis show."""
        return self.status == ACTIVE and self.review == ACCEPTED

    def describe(self, *, with_file: bool = True) -> str:
        """``batch 12 (incidents, file x.csv) by Kalondo office on 2026-11-20``."""
        said = {
            "batch": self.batch_id,
            "layer": self.layer,
            "office": self.office,
            "day": self.imported_at[:10],
        }
        if with_file:
            return _(
                "batch {batch} ({layer}, file {file}) by {office} on {day}",
                file=self.source_name,
                **said,
            )
        return _("batch {batch} ({layer}) by {office} on {day}", **said)


class StoreError(ValueError):
    """The store refuses a request; the message says why and what to do instead."""


class DuplicateUpload(StoreError, IngestError):
    """The same file (same SHA-256) is already an active batch of the layer."""

    def __init__(self, existing: Batch, *, restoring: int | None = None) -> None:
        self.existing = existing
        if restoring is None:
            message = _(
                "{file} was already imported as {batch}; withdraw batch {number} first to "
                "import it again",
                file=existing.source_name,
                batch=existing.describe(with_file=False),
                number=existing.batch_id,
            )
        else:
            message = _(
                "batch {restoring} cannot be restored: the same file was imported again as "
                "{batch}; withdraw batch {number} first to restore batch {restoring}",
                restoring=restoring,
                batch=existing.describe(),
                number=existing.batch_id,
            )
        super().__init__(message)


class DuplicateIds(StoreError):
    """Some ids of a batch are already in active batches of the layer.

    Attributes
    ----------
    ids : the ids already stored, sorted.
    batch_ids : the active batches holding them, sorted.
    """

    _SHOWN = 10

    def __init__(
        self,
        layer: str,
        column: str,
        ids: Iterable[str],
        holders: Iterable[Batch],
        *,
        restoring: int | None = None,
    ) -> None:
        self.ids = sorted(ids)
        holders = sorted(holders, key=lambda b: b.batch_id)
        self.batch_ids = [b.batch_id for b in holders]
        shown = ", ".join(self.ids[: self._SHOWN])
        if len(self.ids) > self._SHOWN:
            shown = _("{ids} and {more} more", ids=shown, more=len(self.ids) - self._SHOWN)
        said = {"column": column, "layer": layer, "ids": shown}
        said["where"] = "; ".join(b.describe() for b in holders)
        if restoring is None:
            message = ngettext(
                "{n} {column} value(s) of layer {layer} are already in the store: {ids} "
                "(in {where}); withdraw that batch first, or give these rows new ids",
                "{n} {column} value(s) of layer {layer} are already in the store: {ids} "
                "(in {where}); withdraw that batch first, or give these rows new ids",
                len(self.ids),
                **said,
            )
        else:
            message = ngettext(
                "batch {restoring} cannot be restored: {n} {column} value(s) of layer {layer} "
                "are already in the store: {ids} (in {where}); withdraw that batch first, or "
                "give these rows new ids",
                "batch {restoring} cannot be restored: {n} {column} value(s) of layer {layer} "
                "are already in the store: {ids} (in {where}); withdraw that batch first, or "
                "give these rows new ids",
                len(self.ids),
                restoring=restoring,
                **said,
            )
        super().__init__(message)


class UnknownBatch(StoreError, KeyError):
    """No batch has this number."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        super().__init__(
            _("there is no batch {batch} in the store; see the list of batches", batch=batch_id)
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@runtime_checkable
class Store(Protocol):
    """Batches of layer rows with their provenance. Every method is safe to call from
    several threads and processes at once; each write is one atomic transaction."""

    location: str

    def commit_batch(
        self,
        batch: NewBatch,
        rows: pd.DataFrame,
        *,
        report: pd.DataFrame,
        original: bytes,
        id_column: str | None,
        by: Any = None,
        supersedes: Iterable[str] = (),
    ) -> Batch:
        """Write a batch, its rows, report and original file at once, or nothing.

        ``by`` (default: the batch's uploader) is who the audit log records.

        Raises :class:`DuplicateUpload` or :class:`DuplicateIds`, checked inside the
        transaction so two offices committing at once cannot both get in.
        """
        ...

    def find_upload(self, layer: str, sha256: str) -> Batch | None:
        """The batch (active first, else the newest withdrawn) that imported this file."""
        ...

    def existing_ids(self, layer: str, ids: Iterable[str]) -> dict[str, int]:
        """Which of ``ids`` are in active batches of ``layer``: ``{id: batch_id}``."""
        ...

    def batches(self, layer: str | None = None) -> list[Batch]:
        """Every batch (of one layer, if given), newest first."""
        ...

    def batch(self, batch_id: int) -> Batch:
        """One batch; :class:`UnknownBatch` (a ``KeyError``) when there is none."""
        ...

    def accept(self, batch_id: int, *, by: Any) -> Batch:
        """Take a batch out of review into analysis, recording who accepted it and when."""
        ...

    def withdraw(self, batch_id: int, *, by: Any, reason: str) -> Batch:
        """Hide a batch from analysis; it is kept with who withdrew it and why."""
        ...

    def restore(self, batch_id: int, *, by: Any) -> Batch:
        """Bring a withdrawn batch back, unless its file or ids were imported again."""
        ...

    def original(self, batch_id: int) -> Upload:
        """The file as its sender sent it."""
        ...

    def report(self, batch_id: int) -> pd.DataFrame:
        """The row-level validation report of a batch."""
        ...

    def layer(
        self, name: str, *, include_withdrawn: bool = False
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """The rows of active batches, typed to the layer's schema."""
        ...

    def save_mapping(
        self, name: str, layer: str, mapping: dict[str, str], *, office: str, by: Any
    ) -> None:
        """Keep a manual column mapping for next time (same name: replaced)."""
        ...

    def mappings(self, layer: str) -> dict[str, dict[str, str]]:
        """Saved mappings of a layer: ``{name: {schema column: file column}}``."""
        ...

    def is_empty(self) -> bool:
        """Whether no batch (active or withdrawn) was ever committed."""
        ...

    def edit(
        self, layer: str, row_key: str, changes: Mapping[str, Any], *, by: Any, reason: str
    ) -> None:
        """Change :data:`EDITABLE` columns of one stored row (by its id), keeping the history."""
        ...

    def edit_many(
        self, layer: str, edits: Iterable[tuple[str, Mapping[str, Any], str]], *, by: Any
    ) -> int:
        """:meth:`edit` for many ``(row_key, changes, reason)`` in one transaction (all or
        none); returns how many rows were changed."""

    def set_derived(self, layer: str, values: pd.DataFrame, *, by: Any, reason: str) -> int:
        """Set the columns pocmap derives (places, links) of the stored rows whose ids are
        ``values``' index, in every batch, with one audit entry; how many rows changed."""
        ...

    def edits(self, layer: str | None = None, row_key: str | None = None) -> pd.DataFrame:
        """The edit history (:data:`EDIT_COLUMNS`), oldest first."""
        ...

    def record(
        self, action: str, *, by: Any, target: str = "", details: Mapping[str, Any] | None = None
    ) -> None:
        """Append an entry to the audit log (for actions the store does not itself write)."""
        ...

    def links(self, status: str | tuple[str, ...] | None = None) -> pd.DataFrame:
        """Links between reports of one event (``store.links.LINK_COLUMNS``)."""
        ...

    def replace_found_links(self, found: pd.DataFrame, *, by: Any) -> dict[str, int]:
        """Make the machine's links those ``found``; analysts' decisions stand."""
        ...

    def decide_link(self, link_id: int, decision: str, *, by: Any, reason: str) -> dict[str, Any]:
        """An analyst's decision on a link: confirmed, split or queued again."""
        ...

    def audit_log(self) -> pd.DataFrame:
        """Every audit entry (:data:`AUDIT_COLUMNS`), oldest first. Append-only."""
        ...

    def verify_audit(self, anchor: Any = None) -> Any:
        """Check the audit log's hash chain: a :class:`store.audit_chain.ChainCheck` saying
        whether it holds and, if not, at which entries it breaks."""
        ...

    def schema_version(self) -> int:
        """The newest schema migration applied to this store."""
        ...

    def withdraw_rows(
        self, batch_id: int, row_keys: Iterable[str], *, by: Any, reason: str
    ) -> list[str]:
        """Leave single rows of a batch out of analysis, kept and restorable
        (:mod:`store.row_withdrawals`)."""
        ...

    def restore_rows(self, batch_id: int, row_keys: Iterable[str], *, by: Any) -> list[str]:
        """Bring rows withdrawn one by one back."""
        ...

    def accept_rows(
        self, batch_id: int, keep: Iterable[str], *, by: Any, reason: str
    ) -> tuple[Batch, list[str]]:
        """Accept a batch with only the rows ``keep``, the others withdrawn with ``reason``."""
        ...

    def row_withdrawals(
        self, batch_id: int | None = None, *, in_force: bool = False
    ) -> pd.DataFrame:
        """The rows withdrawn one by one (restored ones too), oldest first."""
        ...

    def batch_rows(self, batch_id: int) -> gpd.GeoDataFrame | pd.DataFrame:
        """Every row of one batch, withdrawn ones included and marked."""
        ...


def check_layer(layer: str) -> None:
    """Raise ``ValueError`` naming the allowed layers when ``layer`` is not one."""
    if layer not in LAYER_SPECS:
        raise ValueError(f"`layer` was {layer!r} but is expected to be in {tuple(LAYER_SPECS)}")
