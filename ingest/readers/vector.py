"""Zipped shapefiles, read with pyogrio from a private temp directory; shared helpers.

GDAL only ever sees file names chosen here (``layer.shp``, ``upload.gpkg``) inside a fresh
private temporary directory (:mod:`.tempdir`): never a name from the upload, so no
``/vsicurl/``, VRT or URL. :func:`ingest.readers.read` runs these readers in a worker
process (:mod:`.worker`) that is killed when it takes too long or too much memory.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from ingest.readers import safety, tempdir
from languages import N_, _
from schema.upload import IngestError, Limits, RawTable, Upload

_SHP_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
NO_CRS = {
    "coordinate system": N_(
        "{name} has no coordinate system, so its coordinate system is unknown; add the .prj "
        "from the GIS export, or re-export in WGS84 (EPSG:4326)."
    ),
    ".prj file": N_(
        "{name} has no .prj file, so its coordinate system is unknown; add the .prj from the "
        "GIS export, or re-export in WGS84 (EPSG:4326)."
    ),
    "coordinate system defined": N_(
        "{name} has no coordinate system defined, so its coordinate system is unknown; add "
        "the .prj from the GIS export, or re-export in WGS84 (EPSG:4326)."
    ),
}
"""The refusal of a file whose coordinate system is unknown, by what it lacks."""


def no_crs(name: str, lacking: str) -> IngestError:
    """The refusal of ``name``, which lacks ``lacking`` (a key of :data:`NO_CRS`)."""
    return IngestError(_(NO_CRS[lacking], name=name))


def too_many_vertices(name: str, count: int, limits: Limits, estimated: bool) -> IngestError:
    """The refusal for a file over ``limits.max_vertices`` (estimated before the read, or exact)."""
    if estimated:
        return IngestError(
            _(
                "{file} has about {count} vertices, over the limit of {limit}; simplify the "
                "geometries (QGIS: Vector > Geometry tools > Simplify) or split the file.",
                file=name,
                count=count,
                limit=limits.max_vertices,
            )
        )
    return IngestError(
        _(
            "{file} has {count} vertices, over the limit of {limit}; simplify the geometries "
            "(QGIS: Vector > Geometry tools > Simplify) or split the file.",
            file=name,
            count=count,
            limit=limits.max_vertices,
        )
    )


def finish(
    frame: gpd.GeoDataFrame,
    name: str,
    fmt: str,
    layer: str | None,
    limits: Limits,
    notes: list[str],
) -> RawTable:
    """Check exact vertex count, reproject to EPSG:4326, number features from 1."""
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > limits.max_vertices:
        raise too_many_vertices(name, vertices, limits, estimated=False)
    if frame.crs is None:
        raise no_crs(name, "coordinate system")
    if frame.crs.to_epsg() != 4326:
        epsg = frame.crs.to_epsg()
        notes.append(_("reprojected from {crs}", crs=f"EPSG:{epsg}" if epsg else frame.crs.name))
        frame = frame.to_crs("EPSG:4326")
    frame.index = range(1, len(frame) + 1)
    frame.index.name = "row"
    geometry = frame.geometry.values
    # pyogrio returns empty geometries for some null shapes; the contract says None.
    frame["geometry"] = [None if g is None or g.is_empty else g for g in geometry]
    return RawTable(source=name, format=fmt, records=frame, layer=layer, notes=notes)


def check_info(path: Path, name: str, layer: str | None, limits: Limits) -> dict:
    """``pyogrio.read_info`` of a file in a private dir, refusing more features than allowed."""
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as exc:  # pyogrio.errors.DataSourceError and friends
        raise IngestError(
            _("{file} cannot be opened ({error}); export it again.", file=name, error=exc)
        ) from exc
    if info["features"] > limits.max_records:
        raise IngestError(
            _(
                "{file} has {count} features, over the limit of {limit}; split the file.",
                file=name,
                count=info["features"],
                limit=limits.max_records,
            )
        )
    return info


def read_frame(
    path: Path, name: str, layer: str | None, encoding: str | None = None
) -> gpd.GeoDataFrame:
    """Read a file from a private dir; any GDAL failure becomes an IngestError."""
    try:
        return pyogrio.read_dataframe(path, layer=layer, encoding=encoding)
    except Exception as exc:
        raise IngestError(
            _("{file} cannot be read ({error}); export it again.", file=name, error=exc)
        ) from exc


private_dir = tempdir.private_dir
"""A fresh private (``0700``) temporary directory, removed afterwards; GDAL sees only names
chosen here."""
write_private = tempdir.write_private


# --- zipped shapefile -------------------------------------------------------------------


def _shapefiles(upload: Upload, archive: safety.SafeZip) -> dict[str, str]:
    """``{layer name: member stem}`` for every .shp in the zip."""
    found = {}
    for member in archive.names():
        if member.lower().endswith(".shp"):
            stem = member[:-4]
            found[stem.rsplit("/", 1)[-1]] = stem
    return found


def shapefile_layers(upload: Upload, limits: Limits) -> list[str]:
    """The shapefiles in a zip, by name without extension."""
    return list(_shapefiles(upload, safety.open_zip(upload, limits)))


def read_shapefile_zip(upload: Upload, limits: Limits, layer: str | None = None) -> RawTable:
    """Read one shapefile from a zip upload (checked by :mod:`safety` first).

    Parameters
    ----------
    upload : the .zip.
    limits : zip, record and vertex limits.
    layer : the shapefile (name without .shp) when the zip holds several.

    Returns
    -------
    RawTable
        Attributes as columns, ``geometry`` in EPSG:4326, indexed by feature number from 1.
    """
    kind = safety.sniff_kind(upload.data)
    if kind != "zip":
        raise safety.refuse_disguised(upload, kind, _("a .zip holding a shapefile"))
    archive = safety.open_zip(upload, limits)
    layers = _shapefiles(upload, archive)
    if not layers:
        raise IngestError(
            _(
                "{file} holds no shapefile (.shp); send a zip with the .shp, .shx, .dbf and "
                ".prj of one layer.",
                file=upload.name,
            )
        )
    if layer is None and len(layers) > 1:
        raise IngestError(
            _(
                "{file} holds several shapefiles ({layers}); choose one.",
                file=upload.name,
                layers=", ".join(layers),
            )
        )
    if layer is not None and layer not in layers:
        raise IngestError(
            _(
                "{file} has no shapefile {layer}; it has {layers}.",
                file=upload.name,
                layer=repr(layer),
                layers=", ".join(layers),
            )
        )
    chosen = layer or next(iter(layers))
    stem = layers[chosen]
    members = {m.lower(): m for m in archive.names()}
    name = _("{file} ({layer}.shp)", file=upload.name, layer=chosen)
    for required in (".shx", ".dbf"):
        if (stem + required).lower() not in members:
            raise IngestError(
                _(
                    "{file} has no {part} file; a shapefile needs its .shp, .shx, .dbf and "
                    ".prj together in the zip.",
                    file=name,
                    part=required,
                )
            )
    if (stem + ".prj").lower() not in members:
        raise no_crs(name, ".prj file")
    notes = [_("shapefile: {layer}", layer=chosen)] if len(layers) > 1 else []
    with private_dir() as directory:
        sizes = {}
        for suffix in _SHAPEFILE_PARTS:
            member = members.get((stem + suffix).lower())
            if member is not None:
                data = archive.read(member)
                sizes[suffix] = len(data)
                write_private(directory / f"layer{suffix}", data)
        path = directory / "layer.shp"
        if not path.read_bytes()[:4] == _SHP_MAGIC:
            raise IngestError(
                _("{file}: the .shp is not a shapefile; export the layer again.", file=name)
            )
        info = check_info(path, name, None, limits)
        # Each 2D vertex takes 16 bytes of .shp; records add a fixed header (12 for a point,
        # ~52 for lines and polygons), so this estimate is close and never far under.
        per_record = 12 if "Point" == info["geometry_type"] else 52
        estimate = (sizes[".shp"] - 100 - per_record * info["features"]) // 16
        if estimate > limits.max_vertices:
            raise too_many_vertices(name, estimate, limits, estimated=True)
        encoding = None
        if ".cpg" in sizes:
            declared = (directory / "layer.cpg").read_text().strip()
            notes.append(_("DBF encoding from .cpg: {encoding}", encoding=declared))
        else:
            encoding = _guess_dbf_encoding((directory / "layer.dbf").read_bytes())
            if encoding is None:
                notes.append(_("no .cpg file: DBF text read as the DBF's language driver"))
            else:
                notes.append(_("no .cpg file: DBF text read as {encoding}", encoding=encoding))
        frame = read_frame(path, name, None, encoding)
    return finish(frame, name, "shapefile", chosen, limits, notes)


def _guess_dbf_encoding(dbf: bytes) -> str | None:
    """The DBF text encoding when there is no .cpg; None when the DBF header names it.

    A DBF's language driver byte (offset 29) lets GDAL decode by itself. Otherwise: UTF-8
    when the bytes decode as UTF-8, else Windows cp1252 (ArcGIS on French Windows), else
    Latin-1, which decodes anything.
    """
    if len(dbf) > 29 and dbf[29] != 0:
        return None
    for encoding in ("UTF-8", "cp1252"):
        try:
            dbf.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "ISO-8859-1"
