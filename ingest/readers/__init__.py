"""Read an uploaded file, from its bytes, into a :class:`~ingest.source.RawTable`.

The format comes from the extension and must agree with the content's first bytes; every
refusal is an :class:`~ingest.source.IngestError` naming the file and what would be
accepted. Nothing here ever gives GDAL or the OS a name or path taken from the upload.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.readers import csv_reader, geojson, geopackage, kml, safety, vector, xlsx
from ingest.source import IngestError, Limits, RawTable, Upload

__all__ = ["FORMATS", "read", "sheets_or_layers"]

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
    ".xlsm": "is a macro-enabled workbook; macros are never opened. Save it as .xlsx "
    "(Excel: File > Save As > Excel Workbook)",
    ".xls": "is an old-style Excel file; open it in Excel or LibreOffice and save as .xlsx",
    ".xlsb": "is a binary Excel workbook; save it as .xlsx",
    ".ods": "is a LibreOffice spreadsheet; save it as .xlsx or CSV",
    ".shp": "is only one part of a shapefile; zip the .shp with its .shx, .dbf and .prj "
    "and send the .zip",
    ".vrt": "is a GDAL virtual dataset, which can point at other files and URLs and is never "
    "opened; send the data itself",
}


def _format(upload: Upload) -> str:
    extension = upload.extension
    if extension in _REFUSED:
        raise IngestError(f"{upload.name} {_REFUSED[extension]}.")
    if extension not in FORMATS:
        accepted = ", ".join(FORMATS)
        raise IngestError(
            f"{upload.name} has the extension {extension or '(none)'}, which is not read; "
            f"accepted: {accepted}."
        )
    return FORMATS[extension]


def _checked(upload: Upload, limits: Limits | None) -> tuple[str, Limits]:
    limits = limits or Limits.from_env()
    fmt = _format(upload)
    safety.check_size(upload, limits)
    if not upload.data:
        raise IngestError(f"{upload.name} is empty (0 bytes); send the file again.")
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
    limits : size, zip, record and vertex limits; default :meth:`Limits.from_env`.

    Returns
    -------
    RawTable
        The records as read, indexed by the row or feature number the sender sees.

    Raises
    ------
    IngestError
        The whole file is refused: unknown or disguised format, over a limit, unsafe
        content (zip bomb, path traversal, XML entities, OGR VRT) or unreadable.
    """
    fmt, limits = _checked(upload, limits)
    readers: dict[str, Callable[[], RawTable]] = {
        "csv": lambda: csv_reader.read_csv(upload, limits),
        "xlsx": lambda: xlsx.read_xlsx(upload, limits, sheet),
        "geojson": lambda: geojson.read_geojson(upload, limits),
        "shapefile": lambda: vector.read_shapefile_zip(upload, limits, layer),
        "geopackage": lambda: geopackage.read_geopackage(upload, limits, layer),
        "kml": lambda: kml.read_kml(upload, limits, layer),
    }
    return readers[fmt]()


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
    if fmt == "xlsx":
        return xlsx.sheet_names(upload, limits)
    if fmt == "shapefile":
        kind = safety.sniff_kind(upload.data)
        if kind != "zip":
            raise safety.refuse_disguised(upload, kind, "a .zip holding a shapefile")
        return vector.shapefile_layers(upload, limits)
    if fmt == "geopackage":
        return geopackage.geopackage_layers(upload, limits)
    if fmt == "kml":
        return kml.kml_layers(upload, limits)
    return []
