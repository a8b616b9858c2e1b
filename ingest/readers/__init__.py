"""Read an uploaded file, from its bytes, into a :class:`~schema.upload.RawTable`.

The format comes from the extension and must agree with the content's first bytes; every
refusal is an :class:`~schema.upload.IngestError` naming the file and what would be
accepted. Nothing here ever gives GDAL or the OS a name or path taken from the upload.

Every read is bounded (the limits are :class:`~schema.upload.Limits`, documented in
``docs/upload-limits.md``): CSV by its shape, checked on the bytes before Arrow or the
``csv`` module parse it, in this process (it is the fast path: a million rows in under two
seconds); every other format (GDAL, openpyxl, the XML and JSON parsers) in a worker
process with a wall-clock and a memory limit (:mod:`.worker`), killed when over.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.readers import csv_reader, geojson, geopackage, kml, safety, vector, worker, xlsx
from ingest.readers.tempdir import sweep_stale_temp
from languages import N_, _
from schema.upload import IngestError, Limits, RawTable, Upload

__all__ = ["FORMATS", "read", "sheets_or_layers", "sweep_stale_temp"]

# Copies a killed import left behind go as soon as a process (the app, the CLI) imports the
# readers, and again before every read that may copy (see .tempdir).
sweep_stale_temp()

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
    ".zip": "shapefile",
    ".gpkg": "geopackage",
    ".kml": "kml",
    ".kmz": "kml",
}
"""Accepted extensions and the format each is read as (for the upload widget)."""

_REFUSED = {
    ".xlsm": N_(
        "{file} is a macro-enabled workbook; macros are never opened. Save it as .xlsx "
        "(Excel: File > Save As > Excel Workbook)."
    ),
    ".xls": N_(
        "{file} is an old-style Excel file; open it in Excel or LibreOffice and save as .xlsx."
    ),
    ".xlsb": N_("{file} is a binary Excel workbook; save it as .xlsx."),
    ".ods": N_("{file} is a LibreOffice spreadsheet; save it as .xlsx or CSV."),
    ".shp": N_(
        "{file} is only one part of a shapefile; zip the .shp with its .shx, .dbf and .prj "
        "and send the .zip."
    ),
    ".vrt": N_(
        "{file} is a GDAL virtual dataset, which can point at other files and URLs and is "
        "never opened; send the data itself."
    ),
}


def _format(upload: Upload) -> str:
    extension = upload.extension
    if extension in _REFUSED:
        raise IngestError(_(_REFUSED[extension], file=upload.name))
    if extension not in FORMATS:
        accepted = ", ".join(FORMATS)
        raise IngestError(
            _(
                "{file} has the extension {extension}, which is not read; accepted: {accepted}.",
                file=upload.name,
                extension=extension or _("(none)"),
                accepted=accepted,
            )
        )
    return FORMATS[extension]


def _checked(upload: Upload, limits: Limits | None) -> tuple[str, Limits]:
    limits = limits or Limits.from_env()
    fmt = _format(upload)
    safety.check_size(upload, limits)
    if not upload.data:
        raise IngestError(_("{file} is empty (0 bytes); send the file again.", file=upload.name))
    return fmt, limits


def read(
    upload: Upload,
    *,
    sheet: str | None = None,
    layer: str | None = None,
    limits: Limits | None = None,
) -> RawTable:
    """Read an upload into a :class:`RawTable`.

    Parameters
    ----------
    upload : the file's name (for the format and messages) and bytes.
    sheet : XLSX only: the sheet to read; default the first visible sheet with data.
    layer : zipped shapefile (name without .shp), GeoPackage layer, or KML folder path
        (the KML document name means every placemark); default the only one (KML: all).
    limits : size, zip, shape, record, vertex, time and memory limits; default
        :meth:`Limits.from_env`.

    Returns
    -------
    RawTable
        The records as read, indexed by the row or feature number the sender sees.

    Raises
    ------
    IngestError
        The whole file is refused: unknown or disguised format, over a limit (including
        the read's time and memory), unsafe content (zip bomb, path traversal, XML
        entities, OGR VRT, GeoPackage views) or unreadable.
    """
    fmt, limits = _checked(upload, limits)
    if fmt == "csv":
        return csv_reader.read_csv(upload, limits)
    bounded: dict[str, tuple[Callable[..., RawTable], tuple]] = {
        "xlsx": (xlsx.read_xlsx, (limits, sheet)),
        "geojson": (geojson.read_geojson, (limits,)),
        "shapefile": (vector.read_shapefile_zip, (limits, layer)),
        "geopackage": (geopackage.read_geopackage, (limits, layer)),
        "kml": (kml.read_kml, (limits, layer)),
    }
    work, args = bounded[fmt]
    return worker.run(work, upload, args, limits)


def sheets_or_layers(upload: Upload, *, limits: Limits | None = None) -> list[str]:
    """What a person can choose from in this file.

    Parameters
    ----------
    upload : the file.
    limits : as for :func:`read`.

    Returns
    -------
    list of str
        XLSX visible sheet names, shapefiles in a zip, GeoPackage layers with geometry, or for
        KML the document name (meaning every placemark) then the folder paths holding
        placemarks; ``[]`` for single-table formats (CSV, GeoJSON).
    """
    fmt, limits = _checked(upload, limits)
    if fmt == "shapefile":  # the zip's member list only: nothing is parsed
        kind = safety.sniff_kind(upload.data)
        if kind != "zip":
            raise safety.refuse_disguised(upload, kind, _("a .zip holding a shapefile"))
        return vector.shapefile_layers(upload, limits)
    listers: dict[str, Callable[..., list[str]]] = {
        "xlsx": xlsx.sheet_names,
        "geopackage": geopackage.geopackage_layers,
        "kml": kml.kml_layers,
    }
    if fmt in listers:
        return worker.run(listers[fmt], upload, (limits,), limits)
    return []
