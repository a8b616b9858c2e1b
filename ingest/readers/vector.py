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
from schema.upload import IngestError, Limits, RawTable, Upload

_SHP_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
NO_CRS = (
    "{name} has no {what}, so its coordinate system is unknown; add the .prj from the GIS "
    "export, or re-export in WGS84 (EPSG:4326)."
)


def too_many_vertices(name: str, count: int, limits: Limits, estimated: bool) -> IngestError:
    """The refusal for a file over ``limits.max_vertices`` (estimated before the read, or exact)."""
    about = "about " if estimated else ""
    return IngestError(
        f"{name} has {about}{count} vertices, over the limit of {limits.max_vertices}; simplify "
        f"the geometries (QGIS: Vector > Geometry tools > Simplify) or split the file."
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
        raise IngestError(NO_CRS.format(name=name, what="coordinate system"))
    if frame.crs.to_epsg() != 4326:
        epsg = frame.crs.to_epsg()
        notes.append(f"reprojected from {f'EPSG:{epsg}' if epsg else frame.crs.name}")
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
        raise IngestError(f"{name} cannot be opened ({exc}); export it again.") from exc
    if info["features"] > limits.max_records:
        raise IngestError(
            f"{name} has {info['features']} features, over the limit of {limits.max_records}; "
            f"split the file."
        )
    return info


def read_frame(
    path: Path, name: str, layer: str | None, encoding: str | None = None
) -> gpd.GeoDataFrame:
    """Read a file from a private dir; any GDAL failure becomes an IngestError."""
    try:
        return pyogrio.read_dataframe(path, layer=layer, encoding=encoding)
    except Exception as exc:
        raise IngestError(f"{name} cannot be read ({exc}); export it again.") from exc


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
        raise safety.refuse_disguised(upload, kind, "a .zip holding a shapefile")
    archive = safety.open_zip(upload, limits)
    layers = _shapefiles(upload, archive)
    if not layers:
        raise IngestError(
            f"{upload.name} holds no shapefile (.shp); send a zip with the .shp, .shx, .dbf "
            f"and .prj of one layer."
        )
    if layer is None and len(layers) > 1:
        raise IngestError(
            f"{upload.name} holds several shapefiles ({', '.join(layers)}); choose one."
        )
    if layer is not None and layer not in layers:
        raise IngestError(f"{upload.name} has no shapefile {layer!r}; it has {', '.join(layers)}.")
    chosen = layer or next(iter(layers))
    stem = layers[chosen]
    members = {m.lower(): m for m in archive.names()}
    name = f"{upload.name} ({chosen}.shp)"
    for required in (".shx", ".dbf"):
        if (stem + required).lower() not in members:
            raise IngestError(
                f"{name} has no {required} file; a shapefile needs its .shp, .shx, .dbf and "
                f".prj together in the zip."
            )
    if (stem + ".prj").lower() not in members:
        raise IngestError(NO_CRS.format(name=name, what=".prj file"))
    notes = [f"shapefile: {chosen}"] if len(layers) > 1 else []
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
            raise IngestError(f"{name}: the .shp is not a shapefile; export the layer again.")
        info = check_info(path, name, None, limits)
        # Each 2D vertex takes 16 bytes of .shp; records add a fixed header (12 for a point,
        # ~52 for lines and polygons), so this estimate is close and never far under.
        per_record = 12 if "Point" == info["geometry_type"] else 52
        estimate = (sizes[".shp"] - 100 - per_record * info["features"]) // 16
        if estimate > limits.max_vertices:
            raise too_many_vertices(name, estimate, limits, estimated=True)
        encoding = None
        if ".cpg" in sizes:
            notes.append(f"DBF encoding from .cpg: {(directory / 'layer.cpg').read_text().strip()}")
        else:
            encoding = _guess_dbf_encoding((directory / "layer.dbf").read_bytes())
            declared = "the DBF's language driver" if encoding is None else encoding
            notes.append(f"no .cpg file: DBF text read as {declared}")
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
