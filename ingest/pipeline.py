"""One upload from bytes to a committed batch: read, map, check, then commit atomically.

:func:`preview_import` does everything but write, so a person can look at the detected
profile, the mapping, the report and a map of what would be accepted before
:func:`commit_import` writes the batch. The page and ``pocmap import`` both call these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

from ingest import boundaries, columns, profiles, readers, updates
from ingest.checks import CheckResult, check_rows
from ingest.findings import CheckContext
from ingest.memory import release_free_memory
from ingest.places import DERIVED_COLUMNS, placements
from ingest.records import with_source_records
from ingest.relink import already_stored, relink
from ingest.replace import PLACE_LAYERS, loaded_areas, replace_all
from ingest.report import ReportHeader
from ingest.shown import plain
from languages import _, carried
from schema.catalogue import LAYER_SPECS, id_field
from schema.upload import IngestError, Limits, RawTable, Upload
from store import DuplicateIds, NewBatch
from store.base import Batch
from store.protocol import StoreLike

_MAX_COMMIT_ATTEMPTS = 3


@dataclass(frozen=True)
class ImportOptions:
    """How to read one upload.

    Parameters
    ----------
    layer : which layer the file holds (``schema.catalogue.LAYER_SPECS``).
    office : the field office sending it.
    uploader : who is importing (recorded with the batch).
    profile : ``auto`` or one of ``ingest.profiles.PROFILES``.
    mapping : ``{schema column: file column}`` over the profile's own mapping.
    sheet, source_layer : the sheet (XLSX) or layer (GeoPackage, KML) to read.
    date_order : how the office writes ``03/04/2024`` (``ingest.values.DATE_ORDERS``).
    today : dates after it are refused (defaults to today).
    """

    layer: str
    office: str
    uploader: str = "unknown"
    profile: str = "auto"
    mapping: dict[str, str] | None = None
    sheet: str | None = None
    source_layer: str | None = None
    date_order: str | None = None
    today: dt.date | None = None
    limits: Limits = field(default_factory=Limits.from_env)

    def __post_init__(self) -> None:
        if self.layer not in LAYER_SPECS:
            raise ValueError(
                f"`layer` was {self.layer!r} but is expected to be in {tuple(LAYER_SPECS)}"
            )
        if not self.office.strip():
            raise ValueError(
                _("`office` is empty but every batch needs the field office sending it")
            )


@dataclass
class Preview:
    """An upload read, mapped and checked, not yet written."""

    upload: Upload
    options: ImportOptions
    table: RawTable
    mapped: profiles.Mapped
    profile_reason: str
    result: CheckResult
    already_imported: Batch | None = None
    already_imported_shown: bool = True
    """False when the earlier batch is one the importer may not see (another office's
    upload under review): then no message names it."""
    boundary_plan: boundaries.Plan | None = None
    """COD-AB boundaries: admin1 areas dissolved from the file's admin2 areas (their own
    batch), and dissolved batches the file's admin1 areas replace."""
    difference: updates.Difference | None = None
    """A corrected file sent again (:mod:`ingest.updates`): its new, unchanged and
    updated rows and every changed cell; ``None`` when it updates no stored row."""

    @property
    def unchanged(self) -> int:
        """Rows the same as stored (counted, not stored again)."""
        return self.difference.unchanged if self.difference else 0

    @property
    def updated(self) -> int:
        """Rows that are new versions of stored rows (among the accepted)."""
        return self.difference.changed if self.difference else 0

    @property
    def notes(self) -> list[str]:
        plan = self.boundary_plan
        extra = [*plan.notes, *(plan.dissolved.notes if plan.dissolved else [])] if plan else []
        return [*self.table.notes, *self.mapped.notes, *self.result.notes, *extra]

    def header(self, batch: str = "not imported") -> ReportHeader:
        counts = self.result.counts
        return ReportHeader(
            file=self.upload.name,
            layer=self.options.layer,
            office=self.options.office,
            profile=self.mapped.profile,
            rows_read=self.result.rows_read,
            accepted=counts["accepted"],
            accepted_with_warning=counts["accepted_with_warning"],
            rejected=counts["rejected"],
            notes=tuple(self.notes),
            batch=batch,
            out_of_scope=counts["out_of_scope"],
            unchanged=self.unchanged,
            updated=self.updated,
        )

    def accounting(self) -> dict[str, Any]:
        """What happened to every row, for people (the page, the CLI) and machines:
        ``rows_read == accepted + accepted_with_warning + out_of_scope + rejected +
        unchanged`` (``updated``: among the accepted; ``difference``: a file sent again's
        changed cells, when it updates stored rows)."""
        return {
            "file": self.upload.name,
            "sha256": self.upload.sha256,
            "layer": self.options.layer,
            "office": self.options.office,
            "format": self.table.format,
            "profile": self.mapped.profile,
            "profile_reason": self.profile_reason,
            "mapping": dict(self.mapped.mapping),
            "rows_read": self.result.rows_read,
            **self.result.counts,
            "unchanged": self.unchanged,
            "updated": self.updated,
            "notes": self.notes,
            **self._dissolved(),
            **({"difference": self.difference.as_dict()} if self.difference else {}),
        }

    def _dissolved(self) -> dict[str, Any]:
        """The admin1 areas dissolved from the file's admin2 areas (their own batch)."""
        plan = self.boundary_plan
        made = plan.dissolved if plan else None
        if made is None or not len(made.result.accepted):
            return {}
        batch = made.batch.batch_id if made.batch else None
        return {"dissolved_admin1": {"areas": len(made.result.accepted), "batch": batch}}


def mission_area(store: StoreLike) -> Any:
    """The union of the stored admin boundaries, or ``None`` while there are none."""
    boundaries = store.layer("admin_boundaries")
    if not isinstance(boundaries, gpd.GeoDataFrame) or not len(boundaries):
        return None
    return boundaries.union_all()


def preview_import(store: StoreLike, upload: Upload, options: ImportOptions) -> Preview:
    """Read, map and check ``upload`` against ``store``, writing nothing.

    Raises
    ------
    IngestError
        when the whole file is refused (format, size, safety); row problems never
        raise, they are in the report.
    """
    # What an earlier preview freed (one replaced, one abandoned) goes back first.
    release_free_memory()
    if options.layer == boundaries.LAYER:
        # An HDX-style GeoPackage's admin1 and admin2 layers are chosen without asking.
        table = boundaries.read(
            upload, options.profile, options.source_layer, options.sheet, options.limits
        )
    else:
        table = readers.read(
            upload, sheet=options.sheet, layer=options.source_layer, limits=options.limits
        )
    with ThreadPoolExecutor(max_workers=1) as worker, columns.remembered():
        # The file's hash (its identity in the store) is computed on the other core while
        # the columns are mapped (on one core; a CSV's read takes both).
        digest = worker.submit(carried(lambda: upload.sha256))
        profile = options.profile
        reason = _("chosen by hand")
        if profile == "auto":
            profile, reason = profiles.detect_details(table, options.layer)
        mapped = profiles.apply(table, options.layer, profile, options.mapping)
        digest.result()
        context = _context(store, upload, options)
        plan = None
        if mapped.profile == "cod_ab":
            replaces, notes = boundaries.replaceable(store, mapped)
            if replaces and context.existing_ids is not None:
                asked = boundaries.without(context.existing_ids, replaces)
                context = dataclasses.replace(context, existing_ids=asked)
            plan = boundaries.Plan(replaces=replaces, notes=notes)
        # Ids the office stored before are compared, not refused (a corrected file).
        context, updatable = updates.plan(store, options.office, mapped, context)
        placing: list[str] = []
        if options.layer == "incidents":
            # Placed from the map on the other core while this one looks for duplicates.
            context = dataclasses.replace(context, then=_placer(store, placing))
        result = check_rows(mapped, context)
        result.notes.extend(placing)
        difference = updates.compare(store, options.office, result, updatable)
        if options.layer == "incidents":
            note = already_stored(store, context.stored_incidents, result.accepted, options.office)
            result.notes.extend([note] if note else [])
        if plan is not None:
            plan.dissolved = boundaries.dissolve(store, upload, table, mapped, result, context)
    earlier = store.find_upload(options.layer, upload.sha256)
    # A session answers for its caller; the raw store (the trusted command line) sees all.
    may_see = getattr(store, "may_see", None)
    preview = Preview(
        upload,
        options,
        table,
        mapped,
        reason,
        result,
        already_imported=earlier,
        already_imported_shown=earlier is None or may_see is None or may_see(earlier),
        boundary_plan=plan,
        difference=difference,
    )
    release_free_memory()  # the checks' scratch, while the preview waits to be read
    return preview


def _placer(store: StoreLike, notes: list[str]) -> Any:
    """What gives accepted incidents their places from the map (admin areas from the
    boundaries, field office from the areas of responsibility, in analysis), once per
    preview; the source's names are kept beside them, disagreements noted per row and
    counted in ``notes``. ``None`` with neither loaded: the rows stay as read."""
    areas = loaded_areas(store)
    if areas.empty:
        return None

    def place(accepted: Any) -> None:
        placement = placements(accepted, areas)
        for column in DERIVED_COLUMNS:
            accepted[column] = placement.values[column]
        notes.append(placement.summary())

    return place


def _context(store: StoreLike, upload: Upload, options: ImportOptions) -> CheckContext:
    area = None if options.layer == "admin_boundaries" else mission_area(store)
    stored = None

    def existing_ids(ids: Iterable[str]) -> Mapping[str, int | None]:
        return store.existing_ids(options.layer, ids)

    if options.layer == "incidents":
        stored = store.layer("incidents")
        stored = stored if len(stored) else None
    return CheckContext(
        office=options.office,
        mission_area=area,
        date_order=options.date_order,
        today=options.today or dt.date.today(),
        # Always asked: a session's layer holds only accepted rows, and ids in batches
        # under review are taken too (a store without any answers at once).
        existing_ids=existing_ids,
        stored_incidents=stored,
        upload_sha256=upload.sha256,
    )


def commit_import(store: StoreLike, preview: Preview) -> Batch:
    """Write ``preview``'s accepted rows as one batch, atomically; return the batch.

    If another office committed some of the same ids since the preview, the file is
    checked again (those rows are now rejected as duplicates) and committed.

    Raises
    ------
    IngestError
        when the file was imported before (``DuplicateUpload``) or no row is accepted.
    """
    earlier = preview.already_imported
    if earlier is not None and earlier.status == "active":
        raise IngestError(_already_imported(preview, earlier))
    for _attempt in range(_MAX_COMMIT_ATTEMPTS):
        if not len(preview.result.accepted) and preview.unchanged:
            raise IngestError(_nothing_changed(preview))
        if not len(preview.result.accepted):
            raise IngestError(
                _(
                    "{file}: no row can be imported ({counts}); see the report",
                    file=preview.upload.name,
                    counts=_none_accepted(preview.result.counts, preview.result.rows_read),
                )
            )
        try:
            batch = _replacing(store, preview)
        except DuplicateIds:
            preview = preview_import(store, preview.upload, preview.options)
            continue
        _commit_dissolved(store, preview, batch)
        if batch.layer in PLACE_LAYERS and batch.in_analysis:
            # New boundaries or areas of responsibility: every incident is placed again.
            replace_all(
                store,
                by=preview.options.uploader,
                reason=_("batch {batch} imported", batch=batch.batch_id),
            )
        if batch.layer == "incidents" and batch.in_analysis:
            # In analysis at once (an analyst's upload): count each event once again.
            relink(store, by=preview.options.uploader)
        return batch
    raise IngestError(
        _(
            "{file}: other imports kept adding the same ids; try again",
            file=preview.upload.name,
        )
    )


def _replacing(store: StoreLike, preview: Preview) -> Batch:
    """:func:`_commit`, first withdrawing the dissolved batches the file's official admin1
    areas replace (restored if the commit fails)."""
    replaced = preview.boundary_plan.replaces if preview.boundary_plan else []
    withdrawn: list[Batch] = []
    try:
        for old in replaced:
            withdrawn.append(
                store.withdraw(
                    old.batch_id,
                    by=preview.options.uploader,
                    reason=_(
                        "replaced by the official admin1 areas of {file}",
                        file=preview.upload.name,
                    ),
                )
            )
        return _commit(store, preview)
    except Exception:
        for old in withdrawn:
            store.restore(old.batch_id, by=preview.options.uploader)
        raise


def _commit_dissolved(store: StoreLike, preview: Preview, batch: Batch) -> None:
    """The admin1 areas dissolved from the file's admin2 areas, as their own batch (they
    are not rows of the file, whose batch counts only its rows)."""
    plan = preview.boundary_plan
    dissolved = plan.dissolved if plan else None
    if dissolved is None or not len(dissolved.result.accepted):
        return
    options, upload = preview.options, preview.upload
    counts = dissolved.result.counts
    rows = with_source_records(dissolved.result.accepted, dissolved.records)
    try:
        dissolved.batch = store.commit_batch(
            NewBatch(
                layer=options.layer,
                office=options.office,
                uploader=options.uploader,
                source_name=f"{upload.name}{boundaries.DISSOLVED}",
                source_sha256=boundaries.dissolved_sha256(upload),
                source_format=preview.table.format,
                profile="cod_ab",
                mapping=dissolved.mapping,
                rows_read=dissolved.result.rows_read,
                accepted=counts["accepted"],
                accepted_with_warning=counts["accepted_with_warning"],
                rejected=counts["rejected"],
                notes=[
                    _(
                        "admin1 areas dissolved from the admin2 areas of batch {batch} "
                        "({file}); they are not rows of a file: 'rows read' counts the areas "
                        "made",
                        batch=batch.batch_id,
                        file=upload.name,
                    ),
                    *dissolved.notes[1:],
                    *dissolved.result.notes,
                ],
            ),
            rows,
            report=dissolved.result.report,
            original=upload.data,
            id_column="admin_id",
        )
    except DuplicateIds as exc:
        raise IngestError(
            _(
                "{file} was imported as batch {batch}, but its dissolved admin1 areas were "
                "not: another import stored some of them meanwhile ({error}); import the "
                "official admin1 file, or withdraw that batch and import again",
                file=upload.name,
                batch=batch.batch_id,
                error=exc,
            )
        ) from exc


def _nothing_changed(preview: Preview) -> str:
    """A file sent again whose rows are all as stored (or rejected): nothing to import."""
    return _(
        "{file}: nothing to import: {unchanged} of {read} rows are the same as stored and "
        "the others are rejected or out of scope; see the report",
        file=preview.upload.name,
        unchanged=plain(preview.unchanged),
        read=plain(preview.result.rows_read),
    )


def _none_accepted(counts: dict[str, int], rows_read: int) -> str:
    """``12 read, all rejected`` or ``12 read: 3 rejected, 9 out of scope``."""
    if not counts["out_of_scope"]:
        return _("{read} read, all rejected", read=plain(rows_read))
    return _(
        "{read} read: {rejected} rejected, {out_of_scope} out of scope",
        read=plain(rows_read),
        rejected=plain(counts["rejected"]),
        out_of_scope=plain(counts["out_of_scope"]),
    )


def _commit(store: StoreLike, preview: Preview) -> Batch:
    counts = preview.result.counts
    options = preview.options
    key = id_field(LAYER_SPECS[options.layer])
    rows = with_source_records(preview.result.accepted, preview.table.records)
    if isinstance(rows, gpd.GeoDataFrame):
        rows = rows.set_geometry(rows.geometry.name)
    return store.commit_batch(
        NewBatch(
            layer=options.layer,
            office=options.office,
            uploader=options.uploader,
            source_name=preview.upload.name,
            source_sha256=preview.upload.sha256,
            source_format=preview.table.format,
            profile=preview.mapped.profile,
            mapping=dict(preview.mapped.mapping),
            rows_read=preview.result.rows_read,
            accepted=counts["accepted"],
            accepted_with_warning=counts["accepted_with_warning"],
            rejected=counts["rejected"],
            notes=preview.notes,
            out_of_scope=counts["out_of_scope"],
            updated=preview.updated,
            unchanged=preview.unchanged,
        ),
        rows,
        report=preview.result.report,
        original=preview.upload.data,
        id_column=key.name if key else None,
        **_superseding(preview),
    )


def _superseding(preview: Preview) -> dict[str, Any]:
    """``supersedes`` for a file that updates stored rows (a store, or a session, that
    predates updates is not handed an argument it does not take)."""
    if not preview.updated or preview.difference is None:
        return {}
    return {"supersedes": list(preview.difference.supersedes)}


def _already_imported(preview: Preview, batch: Batch) -> str:
    if not preview.already_imported_shown:
        return _(
            "{file} was already sent by another office and waits for an analyst's review; it "
            "cannot be imported twice (ask an analyst whether to withdraw the earlier copy)",
            file=preview.upload.name,
        )
    return _(
        "{file} was already imported as batch {batch} ({layer}, {office}, {imported_at}, "
        "status {status}); withdraw that batch first to import the file again",
        file=preview.upload.name,
        batch=batch.batch_id,
        layer=batch.layer,
        office=batch.office,
        imported_at=batch.imported_at,
        status=batch.status,
    )


def reprocess(store: StoreLike, batch_id: int, options: ImportOptions) -> tuple[Preview, Batch]:
    """Import a batch's original file again (another profile, mapping or date order).

    The old batch is withdrawn (kept, hidden) and the new one committed; if the new
    import fails, the old batch is restored, so the store never loses the data.
    """
    old = store.batch(batch_id)
    if old.layer != options.layer:
        raise ValueError(f"batch {batch_id} holds {old.layer}, not {options.layer}")
    original = store.original(batch_id)
    if old.status == "active":
        store.withdraw(
            batch_id, by=options.uploader, reason=_("re-processed from its original file")
        )
    try:
        preview = preview_import(store, original, options)
        return preview, commit_import(store, preview)
    except Exception:
        if old.status == "active":
            store.restore(batch_id, by=options.uploader)
        raise
