"""What the import pipeline and the command line need of a store, whoever asks.

Two kinds of object answer it: a backend (:class:`store.base.Store`, for trusted set-up
code such as the sample import and migrations) and an :class:`access.session.Session` (a
store seen as one caller, checked by :mod:`access.policy`). Code written against
:class:`StoreLike` works with either, and mypy checks that both still fit (the
assignments at the end of :mod:`access.session`).

A second, optional ability, :class:`CountsInSql`, is the PostGIS store's: tallying
hot-spot cells in the database instead of in pandas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    import pyproj

    from schema.filters import IncidentFilter
    from schema.upload import Upload
    from store.base import Batch, NewBatch


@runtime_checkable
class StoreLike(Protocol):
    """The reads and writes of an import, a re-processing and the command line.

    The signatures are those both a store and a session accept: a session's extra
    options (``under_review``) and a store's (``include_withdrawn``) are left out, and
    ``by`` is who the audit log records (a session records its own caller instead).
    """

    @property
    def location(self) -> str:
        """Where the data is: a file path, or a PostGIS URL with its password hidden."""
        ...

    def layer(self, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
        """The rows maps and analysis show, typed to the layer's schema."""
        ...

    def batches(self, layer: str | None = None) -> list[Batch]:
        """The batches (of one layer, if given), newest first."""
        ...

    def batch(self, batch_id: int) -> Batch:
        """One batch; :class:`store.base.UnknownBatch` when there is none."""
        ...

    def original(self, batch_id: int) -> Upload:
        """The file as its sender sent it."""
        ...

    def find_upload(self, layer: str, sha256: str) -> Batch | None:
        """The batch that imported this file, if any."""
        ...

    def existing_ids(self, layer: str, ids: Iterable[str]) -> Mapping[str, int | None]:
        """Which of ``ids`` are taken in ``layer``: ``{id: batch number}``; a session
        answers ``None`` for a batch its caller may not know of."""
        ...

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
        """Write a batch, its rows, report and original file at once, or nothing;
        ``supersedes``: ids of rows that are new versions of the office's stored ones."""
        ...

    def withdraw(self, batch_id: int, *, by: Any, reason: str) -> Batch:
        """Hide a batch from analysis, keeping it."""
        ...

    def restore(self, batch_id: int, *, by: Any) -> Batch:
        """Bring a withdrawn batch back."""
        ...

    def set_derived(self, layer: str, values: pd.DataFrame, *, by: Any, reason: str) -> int:
        """Set columns pocmap derives (places, links) on the stored rows with ``values``'
        ids (the layer's id as index), in every batch, with one audit entry; return how
        many rows changed."""
        ...

    def mappings(self, layer: str) -> dict[str, dict[str, str]]:
        """Saved column mappings of a layer: ``{name: {schema column: file column}}``."""
        ...

    def save_mapping(
        self, name: str, layer: str, mapping: dict[str, str], *, office: str, by: Any
    ) -> None:
        """Keep a manual column mapping for next time."""
        ...

    def is_empty(self) -> bool:
        """Whether no batch was ever committed."""
        ...

    def audit_log(self) -> pd.DataFrame:
        """The audit log, oldest first."""
        ...

    def links(self, status: str | tuple[str, ...] | None = None) -> pd.DataFrame:
        """Links between reports of one event (``store.links.LINK_COLUMNS``)."""
        ...

    def replace_found_links(self, found: pd.DataFrame, *, by: Any) -> dict[str, int]:
        """Make the machine's links those ``found``; analysts' decisions stand."""
        ...

    def verify_audit(self, anchor: Any = None) -> Any:
        """Check the audit log's hash chain (a :class:`store.audit_chain.ChainCheck`)."""
        ...


@runtime_checkable
class CountsInSql(Protocol):
    """A store that tallies the selected incidents in SQL (PostGIS): counts, never rows."""

    def incident_extent(
        self, selection: IncidentFilter
    ) -> tuple[tuple[float, float, float, float] | None, int]:
        """The selected incidents' box (degrees; ``None`` when none) and their number."""
        ...

    def cell_totals(
        self, selection: IncidentFilter, *, crs: pyproj.CRS, shape: str, width_m: float
    ) -> pd.DataFrame:
        """``q, r, incidents, fatalities`` per cell of the grid."""
        ...
