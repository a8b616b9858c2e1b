"""GeoPackages, read with pyogrio from a private temp directory (see :mod:`.vector`)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pyogrio

from ingest.readers import safety
from ingest.readers.vector import (
    check_info,
    finish,
    no_crs,
    private_dir,
    read_frame,
    too_many_vertices,
    write_private,
)
from languages import _
from schema.upload import IngestError, Limits, RawTable, Upload


def _check_gpkg(upload: Upload) -> None:
    kind = safety.sniff_kind(upload.data)
    if kind != "sqlite":
        raise safety.refuse_disguised(upload, kind, _("a GeoPackage (.gpkg)"))
    if upload.data[68:72] not in safety.GPKG_APPLICATION_IDS:
        raise IngestError(
            _(
                "{file} is a SQLite database but not a GeoPackage; export the layer as "
                "GeoPackage from QGIS or ArcGIS.",
                file=upload.name,
            )
        )


_GPKG_OWN = ("gpkg_", "rtree_")
"""Prefixes of the GeoPackage's own tables, which GDAL reads as it opens the file."""
_REGISTRIES = ("gpkg_contents", "gpkg_geometry_columns")
"""Where a GeoPackage lists its layers (both tables, once no view takes their names)."""


def _registered(db: sqlite3.Connection) -> set[str]:
    """The names (lower case) listed as layers; a missing registry lists none."""
    names: set[str] = set()
    for registry in _REGISTRIES:
        try:
            rows = db.execute(f"SELECT lower(table_name) FROM {registry}").fetchall()
        except sqlite3.OperationalError:
            continue  # GDAL says what is missing when it opens the file
        names.update(str(row[0]) for row in rows)
    return names


def _check_gpkg_schema(path: Path, name: str) -> None:
    """Refuse views that GDAL would run, and virtual tables other than the R-tree spatial
    index, before GDAL opens the file.

    A view is a query run each time it is read: a layer that is a view over an endless
    recursive query hangs GDAL (``pyogrio.read_info``) for ever, and a view named like a
    GeoPackage table (``gpkg_contents``) runs as GDAL opens the file. So a view is refused
    when it is a layer (in ``gpkg_contents`` or ``gpkg_geometry_columns``), takes a
    GeoPackage table's name, or is recursive. Other views are left: the spec's informative
    ones (``st_spatial_ref_sys``, ``geometry_columns``...), which some producers write,
    are never read. Names come from ``sqlite_master`` (never running a view), and the
    registration tables are read only once known to be tables. GDAL already keeps
    VirtualOGR (which can open other files and URLs) behind
    OGR_SQLITE_ALLOW_EXTERNAL_ACCESS; this check does not rely on that default.
    """
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            schema = db.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            ).fetchall()
            views = {str(view).lower(): str(sql) for kind, view, sql in schema if kind == "view"}
            refused = [
                view
                for view, sql in views.items()
                if view.startswith(_GPKG_OWN) or "recursive" in sql.lower()
            ]
            if views and not refused:
                registered = _registered(db)
                refused = [view for view in views if view in registered]
    except sqlite3.Error as exc:
        raise IngestError(
            _("{file} is a damaged database ({error}); export it again.", file=name, error=exc)
        ) from exc
    if refused:
        shown = ", ".join(refused[:5]) + (" ..." if len(refused) > 5 else "")
        raise IngestError(
            _(
                "{file} holds a layer or GeoPackage table that is an SQL view ({views}); a "
                "view is a query run when it is read, and is never opened here. Export the "
                "layer again as a plain GeoPackage table (QGIS: Export > Save Features As).",
                file=name,
                views=shown,
            )
        )
    for _kind, _name, sql in schema:
        text = " ".join(sql.lower().split())
        if text.startswith("create virtual table") and " using rtree" not in text:
            raise IngestError(
                _(
                    "{file} defines a virtual table ({sql}), which is never opened; export "
                    "the layer again as a plain GeoPackage.",
                    file=name,
                    sql=sql[:80],
                )
            )


def _spatial_layers(path: Path, name: str) -> list[str]:
    _check_gpkg_schema(path, name)
    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:
        raise IngestError(
            _("{file} cannot be opened ({error}); export it again.", file=name, error=exc)
        ) from exc
    return [str(layer) for layer, geometry in listed if geometry is not None]


def geopackage_layers(upload: Upload, limits: Limits) -> list[str]:
    """The GeoPackage's layers that have geometry."""
    _check_gpkg(upload)
    with private_dir() as directory:
        path = directory / "upload.gpkg"
        write_private(path, upload.data)
        return _spatial_layers(path, upload.name)


def _gpkg_vertex_estimate(path: Path, table: str, geometry_type: str) -> int:
    """Vertices estimated from geometry blob lengths (SQLite reads lengths, not blobs)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        row = db.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
        ).fetchone()
        if row is None:
            return 0
        column = row[0].replace('"', '""')
        quoted = table.replace('"', '""')
        total, count = db.execute(
            f'SELECT COALESCE(SUM(LENGTH("{column}")), 0), COUNT(*) FROM "{quoted}"'
        ).fetchone()
    width = 32 if geometry_type.endswith(("M", "ZM")) else 24 if "Z" in geometry_type else 16
    return max(0, (total - 29 * count) // width)  # 29: blob header + WKB header of a point


def read_geopackage(upload: Upload, limits: Limits, layer: str | None = None) -> RawTable:
    """Read one layer of a GeoPackage upload, reprojected to EPSG:4326.

    Parameters
    ----------
    upload : the .gpkg.
    limits : record and vertex limits.
    layer : the layer; default the only spatial layer.

    Returns
    -------
    RawTable
        Attributes as columns, ``geometry`` in EPSG:4326, indexed by feature number from 1.
    """
    _check_gpkg(upload)
    with private_dir() as directory:
        path = directory / "upload.gpkg"
        write_private(path, upload.data)
        layers = _spatial_layers(path, upload.name)
        if not layers:
            raise IngestError(
                _("{file} has no layer with geometry; export a map layer.", file=upload.name)
            )
        if layer is None and len(layers) > 1:
            raise IngestError(
                _(
                    "{file} has several layers ({layers}); choose one.",
                    file=upload.name,
                    layers=", ".join(layers),
                )
            )
        if layer is not None and layer not in layers:
            raise IngestError(
                _(
                    "{file} has no layer {layer}; it has {layers}.",
                    file=upload.name,
                    layer=repr(layer),
                    layers=", ".join(layers),
                )
            )
        chosen = layer or layers[0]
        name = _("{file} (layer {layer})", file=upload.name, layer=chosen)
        info = check_info(path, name, chosen, limits)
        if info["crs"] is None:
            raise no_crs(name, "coordinate system defined")
        try:
            estimate = _gpkg_vertex_estimate(path, chosen, info["geometry_type"] or "")
        except sqlite3.Error as exc:
            raise IngestError(
                _("{file} cannot be read ({error}); export it again.", file=name, error=exc)
            ) from exc
        if estimate > limits.max_vertices:
            raise too_many_vertices(name, estimate, limits, estimated=True)
        frame = read_frame(path, name, chosen)
    notes = [_("layer: {layer}", layer=chosen)]
    return finish(frame, name, "geopackage", chosen, limits, notes)
