"""COD-AB boundaries in the pipeline: layers chosen, admin1 dissolved, derived areas replaced.

- An HDX-style GeoPackage (``caf_admbnda_adm0_...``, ``..._adm1_...``, ``..._adm2_...``,
  lines, points) needs no layer chosen by hand: the admin1 and admin2 polygon layers are
  read, each in the reader's worker process with its limits, one after the other.
- An admin2 file whose rows carry their admin1 P-code gives the admin1 areas too, when
  neither the file nor the store holds them: each dissolved from its admin2 areas. They
  are not rows of the file, so they are judged and committed as their own batch, right
  after the file's (whose accounting stays the file's rows: read = accepted + warned +
  rejected), named ``<file> (admin1 dissolved from its admin2 areas)``.
- When the official admin1 areas come later, they replace a dissolved batch whose areas
  they all cover: that batch is withdrawn (kept, reversible, in the audit log) as the
  file is committed, and restored if the commit fails. A stored admin1 area that is not
  a dissolved one is never replaced: the file's row is refused as a repeated id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from ingest import readers
from ingest.checks import CheckResult, check_rows
from ingest.findings import CheckContext
from ingest.profiles import Mapped, cod_ab
from languages import _
from schema.fields import WGS84
from schema.upload import IngestError, Limits, RawTable, Upload
from store.base import Batch
from store.protocol import StoreLike

LAYER = "admin_boundaries"
DISSOLVED = " (admin1 dissolved from its admin2 areas)"
"""The end of a dissolved batch's source name: how it is told from an official file's."""


def _layer_note() -> str:
    """How the GeoPackage reader's note naming its one layer starts (``layer: ``): the
    layers are named together here instead."""
    return _("layer: {layer}", layer="")


def read(
    upload: Upload, profile: str, source_layer: str | None, sheet: str | None, limits: Limits
) -> RawTable:
    """Read ``upload`` for the boundaries layer: an HDX-style GeoPackage's admin1 and
    admin2 layers when no layer is chosen, any other file as :func:`ingest.readers.read`.
    """
    if upload.extension != ".gpkg" or source_layer is not None or profile not in ("auto", "cod_ab"):
        return readers.read(upload, sheet=sheet, layer=source_layer, limits=limits)
    layers = readers.sheets_or_layers(upload, limits=limits)
    chosen, left = cod_ab.choose_layers(layers) if len(layers) > 1 else ({}, layers)
    if not chosen:  # one layer, or layers that are not COD-AB's: the reader decides
        return readers.read(upload, layer=source_layer, limits=limits)
    tables = [
        (level, readers.read(upload, layer=name, limits=limits)) for level, name in chosen.items()
    ]
    return _joined(upload, tables, left, limits)


def _joined(
    upload: Upload, tables: list[tuple[int, RawTable]], left: list[str], limits: Limits
) -> RawTable:
    """The layers' records one after another, numbered on (the notes say which rows are
    which layer's features), within the limits for the whole file."""
    parts, spans, notes, start = [], [], [], 1
    for level, table in tables:
        records = table.records.reset_index(drop=True)
        records.index = pd.RangeIndex(start, start + len(records), name=table.records.index.name)
        spans.append((level, str(table.layer), start, start + len(records) - 1))
        notes += [n for n in table.notes if not n.startswith(_layer_note())]
        parts.append(records)
        start += len(records)
    records = pd.concat(parts)
    if len(records) > limits.max_records:
        raise IngestError(
            _(
                "{file} has {count} features in its admin1 and admin2 layers; the limit is "
                "{limit}.",
                file=upload.name,
                count=len(records),
                limit=limits.max_records,
            )
        )
    vertices = int(shapely.get_num_coordinates(records["geometry"].to_numpy()).sum())
    if vertices > limits.max_vertices:
        raise IngestError(
            _(
                "{file} has {count} vertices in its admin1 and admin2 layers; the limit is "
                "{limit}: simplify the boundaries (QGIS: Vector > Geometry Tools > Simplify) "
                "and send them again.",
                file=upload.name,
                count=vertices,
                limit=limits.max_vertices,
            )
        )
    if len(spans) > 1:
        records.attrs[cod_ab.LAYERS_ATTR] = tuple(spans)
    read_notes = [
        _(
            "layer {layer} (admin{level}): its features are rows {first} to {last}",
            layer=layer,
            level=level,
            first=first,
            last=last,
        )
        for level, layer, first, last in spans
    ]
    if left:
        read_notes.append(
            _("layers left (not admin1 or admin2 areas): {layers}", layers=", ".join(left))
        )
    return RawTable(
        upload.name,
        "geopackage",
        records,
        layer=" + ".join(span[1] for span in spans),
        notes=[*read_notes, *dict.fromkeys(notes)],
    )


@dataclass
class Dissolved:
    """Admin1 areas dissolved from a file's admin2 areas, to commit as their own batch.

    Attributes
    ----------
    result : the areas judged as any row is (``records``' index).
    records : what each area was made from (kept as its source record).
    notes : said in the file's report and the dissolved batch's.
    mapping : the file's columns the areas' fields come from.
    batch : the batch they went into, once committed.
    """

    result: CheckResult
    records: pd.DataFrame
    notes: list[str]
    mapping: dict[str, str] = field(default_factory=dict)
    batch: Batch | None = None


@dataclass
class Plan:
    """What a COD-AB import does besides the file's own rows."""

    dissolved: Dissolved | None = None
    replaces: list[Batch] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def replaceable(store: StoreLike, mapped: Mapped) -> tuple[list[Batch], list[str]]:
    """Dissolved batches the file's admin1 areas replace: every area of the batch is
    among the file's admin1 rows. Returns the batches and notes saying so."""
    frame = mapped.frame
    ids = frame.loc[frame["level"] == "1", "admin_id"].dropna().astype(str).tolist()
    if not ids:
        return [], []
    found = store.existing_ids(LAYER, ids)
    stored = store.layer(LAYER)
    batches: list[Batch] = []
    notes: list[str] = []
    for number in sorted({b for b in found.values() if b is not None}):
        batch = store.batch(number)
        if not batch.source_name.endswith(DISSOLVED) or batch.status != "active":
            continue
        areas = set(stored.loc[stored["batch_id"] == number, "admin_id"].astype(str))
        if not areas:  # its rows are not shown to this caller (under review): not replaced
            continue
        missing = sorted(areas - set(ids))
        if missing:
            notes.append(
                _(
                    "batch {batch} ({file}) holds admin1 areas this file does not ({areas}): "
                    "it is kept, and this file's areas it holds are refused; withdraw it "
                    "first to import them",
                    batch=number,
                    file=batch.source_name,
                    areas=", ".join(missing[:5]),
                )
            )
            continue
        batches.append(batch)
        notes.append(
            _(
                "the official admin1 areas replace the {count} dissolved ones of batch "
                "{batch} ({file}), withdrawn as this file is imported",
                count=len(areas),
                batch=number,
                file=batch.source_name,
            )
        )
    return batches, notes


def without(
    existing_ids: Callable[[Any], Any], replaced: list[Batch]
) -> Callable[[Any], dict[str, int | None]]:
    """``existing_ids`` leaving out the ids held by ``replaced`` batches."""
    numbers = {b.batch_id for b in replaced}

    def ask(ids: Any) -> dict[str, int | None]:
        return {k: v for k, v in existing_ids(ids).items() if v not in numbers}

    return ask


def dissolve(
    store: StoreLike,
    upload: Upload,
    table: RawTable,
    mapped: Mapped,
    result: CheckResult,
    context: CheckContext,
) -> Dissolved | None:
    """Admin1 areas dissolved from the accepted admin2 areas, for the admin1 P-codes the
    admin2 rows name that neither the file nor the store holds; ``None`` when there are
    none to make."""
    if not mapped.parents:
        return None
    frame = mapped.frame
    in_file = set(frame.loc[frame["level"] == "1", "admin_id"].dropna().astype(str))
    wanted = [code for code in mapped.parents if code not in in_file]
    stored = store.existing_ids(LAYER, wanted) if wanted else {}
    notes: list[str] = []
    if stored:
        shown = ", ".join(sorted(stored)[:5]) + (" ..." if len(stored) > 5 else "")
        notes.append(
            _("admin1 areas already stored ({areas}): kept, not dissolved again", areas=shown)
        )
    wanted = [code for code in wanted if code not in stored]
    accepted = result.accepted
    if not wanted or not len(accepted):
        return Dissolved(_empty(result), pd.DataFrame(), notes) if notes else None
    admin2 = accepted[accepted["level"] == "2"]
    rows, shapes, names, sources = [], [], [], []
    incomplete = []
    parents = frame.loc[frame["level"] == "2", "parent_id"]
    for code in wanted:
        members = admin2[admin2["parent_id"] == code]
        if not len(members):
            continue  # every admin2 area of it was refused: nothing to dissolve
        given = parents[parents == code]
        if len(members) < len(given):
            incomplete.append(
                _("{code} ({made} of {given})", code=code, made=len(members), given=len(given))
            )
        rows.append(code)
        shapes.append(shapely.union_all(members.geometry.to_numpy()))
        names.append(mapped.parents[code] or None)
        sources.append(
            {
                "dissolved from": f"admin2 areas of {upload.name}",
                "admin1 P-code": code,
                "admin1 name": mapped.parents[code],
                "admin2 P-codes": ", ".join(members["admin_id"].astype(str)),
                "admin2 rows": ", ".join(str(r) for r in members.index),
            }
        )
    if not rows:
        return Dissolved(_empty(result), pd.DataFrame(), notes) if notes else None
    index = pd.RangeIndex(1, len(rows) + 1, name="row")
    made = gpd.GeoDataFrame(
        {"admin_id": rows, "name": names, "level": "1", "parent_id": None},
        geometry=gpd.GeoSeries(shapes, crs=WGS84),
    )
    made.index = index
    judged = check_rows(Mapped(LAYER, "cod_ab", dict(mapped.mapping), made), context)
    notes.insert(
        0,
        _(
            "{count} admin1 areas dissolved from this file's admin2 areas (the file holds no "
            "admin1 areas): not rows of the file, so not counted in its rows; committed as "
            "their own batch, '{batch}', withdrawn by itself when the official admin1 file "
            "comes (importing that file replaces it)",
            count=len(rows),
            batch=f"{upload.name}{DISSOLVED}",
        ),
    )
    if incomplete:
        notes.append(
            _(
                "admin1 areas dissolved from only some of their admin2 areas (others "
                "refused): {areas}",
                areas=", ".join(incomplete),
            )
        )
    found = cod_ab.columns(table.records.columns)
    mapping = {"admin_id": mapped.mapping.get("parent_id", ""), "level": "1 (dissolved)"}
    if found is not None and found.names.get(1):
        mapping["name"] = found.names[1][0]
    mapping["geometry"] = "union of the admin2 areas"
    return Dissolved(judged, pd.DataFrame(sources, index=index), notes, mapping)


def _empty(result: CheckResult) -> CheckResult:
    return CheckResult(
        result.layer,
        result.accepted.iloc[:0],
        result.report.iloc[:0],
        result.outcomes.iloc[:0],
        [],
    )


def dissolved_sha256(upload: Upload) -> str:
    """The dissolved batch's identity: made from the file's, never equal to it."""
    return hashlib.sha256(f"admin1 dissolved from {upload.sha256}".encode()).hexdigest()
