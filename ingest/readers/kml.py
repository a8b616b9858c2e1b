"""KML and KMZ, parsed with defusedxml rather than GDAL.

GDAL's LIBKML driver follows NetworkLinks and external references; here nothing is ever
fetched: NetworkLinks and external hrefs are only counted and reported.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import geopandas as gpd
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)

from ingest.readers import safety
from languages import _, ngettext
from schema.upload import IngestError, Limits, RawTable, Upload

_CONTAINERS = ("Document", "Folder")
_IGNORED_GEOMETRY = ("Track", "MultiTrack", "Model")
_GEOMETRIES = ("Point", "LineString", "Polygon", "MultiGeometry", *_IGNORED_GEOMETRY)
_RESERVED = ("name", "description", "folder", "geometry")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def kml_bytes(upload: Upload, limits: Limits) -> bytes:
    """The KML document: the upload itself, or ``doc.kml`` (else the first root .kml) of a KMZ."""
    kind = safety.sniff_kind(upload.data)
    if kind == "zip":
        archive = safety.open_zip(upload, limits)
        names = archive.names()
        roots = [n for n in names if "/" not in n and n.lower().endswith(".kml")]
        chosen = "doc.kml" if "doc.kml" in names else (roots[0] if roots else None)
        if chosen is None:
            raise IngestError(
                _(
                    "{file} holds no doc.kml; save it again from Google Earth as KMZ or KML.",
                    file=upload.name,
                )
            )
        data = archive.read(chosen)
    elif kind == "xml":
        data = upload.data
    else:
        raise safety.refuse_disguised(upload, kind, _("a KML (XML) or KMZ (zipped KML) file"))
    safety.refuse_vrt_anywhere(upload.name, data)
    safety.check_xml(upload.name, data)
    return data


def _parse(upload: Upload, data: bytes, limits: Limits) -> Element:
    """Parse, counting coordinate tuples as each ``<coordinates>`` closes; stop over the limit."""
    remaining = limits.max_vertices
    try:
        events = SafeET.iterparse(io.BytesIO(data), events=("end",))
        for _event, element in events:
            if _local(element.tag) == "coordinates" and element.text:
                remaining -= len(element.text.split())
                if remaining < 0:
                    raise IngestError(
                        _(
                            "{file} has more than {limit} vertices, over the limit; simplify "
                            "the geometries or split the file.",
                            file=upload.name,
                            limit=limits.max_vertices,
                        )
                    )
        return events.root
    except DefusedXmlException as exc:
        raise IngestError(
            _(
                "{file} declares XML entities or a DTD ({error}), which can expand into "
                "gigabytes or read server files; export it again from Google Earth.",
                file=upload.name,
                error=type(exc).__name__,
            )
        ) from exc
    except ParseError as exc:
        raise IngestError(
            _(
                "{file} is not well-formed XML ({error}); save it again from Google Earth.",
                file=upload.name,
                error=exc,
            )
        ) from exc


def _coords(element: Element | None) -> list[tuple[float, float]]:
    """``lon,lat[,alt]`` tuples; altitude is dropped (the map is 2D)."""
    text = _text(_child(element, "coordinates")) if element is not None else None
    points = []
    for chunk in (text or "").split():
        parts = chunk.split(",")
        try:
            points.append((float(parts[0]), float(parts[1])))
        except (IndexError, ValueError) as exc:
            raise ValueError(
                _("coordinate {value} is not lon,lat[,alt]", value=repr(chunk))
            ) from exc
    return points


def _geometry(element: Element, stats: dict[str, int]) -> Any:
    kind = _local(element.tag)
    if kind == "Point":
        points = _coords(element)
        return Point(points[0]) if points else None
    if kind == "LineString":
        return LineString(_coords(element))
    if kind == "Polygon":
        outer = _child(element, "outerBoundaryIs")
        shell = _coords(_child(outer, "LinearRing")) if outer is not None else []
        holes = [
            _coords(_child(inner, "LinearRing"))
            for inner in element
            if _local(inner.tag) == "innerBoundaryIs"
        ]
        return Polygon(shell, holes)
    if kind == "MultiGeometry":
        parts = [g for g in (_geometry(c, stats) for c in element) if g is not None]
        return _combine(parts)
    if kind in _IGNORED_GEOMETRY:
        stats[kind] = stats.get(kind, 0) + 1
    return None


def _combine(parts: list[Any]) -> Any:
    if not parts:
        return None
    kinds = {p.geom_type for p in parts}
    if kinds == {"Point"}:
        return MultiPoint(parts)
    if kinds == {"LineString"}:
        return MultiLineString(parts)
    if kinds == {"Polygon"}:
        return MultiPolygon(parts)
    return GeometryCollection(parts)


def _extended(placemark: Element) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    data = _child(placemark, "ExtendedData")
    if data is None:
        return values
    for item in data.iter():
        kind = _local(item.tag)
        if kind == "Data" and item.get("name"):
            values[item.get("name", "")] = _text(_child(item, "value"))
        elif kind == "SimpleData" and item.get("name"):
            values[item.get("name", "")] = _text(item)
    return values


def _placemarks(element: Element, path: tuple[str, ...]) -> Iterator[tuple[Element, str | None]]:
    """Placemarks in document order with their folder path (``Folder/Sub``), any depth."""
    for child in element:
        kind = _local(child.tag)
        if kind == "Placemark":
            yield child, "/".join(path) or None
        elif kind in _CONTAINERS:
            name = _text(_child(child, "name")) or _("(unnamed folder)")
            yield from _placemarks(child, (*path, name) if kind == "Folder" else path)


def _document_name(root: Element) -> str | None:
    document = next((e for e in root.iter() if _local(e.tag) == "Document"), None)
    return _text(_child(document, "name")) if document is not None else None


def _walk(upload: Upload, root: Element) -> list[tuple[Element, str | None]]:
    try:
        return list(_placemarks(root, ()))
    except RecursionError:
        raise IngestError(
            _("{file} nests folders too deeply to read; flatten its folders.", file=upload.name)
        ) from None


def kml_layers(upload: Upload, limits: Limits) -> list[str]:
    """The document (meaning every placemark) first, then folder paths holding placemarks."""
    root = _parse(upload, kml_bytes(upload, limits), limits)
    layers = [_document_name(root) or _("(document)")]
    for _placemark, folder in _walk(upload, root):
        if folder is not None and folder not in layers:
            layers.append(folder)
    return layers


def _in_layer(folder: str | None, layer: str | None, document: str) -> bool:
    """Whether a placemark is in the chosen folder (or its sub-folders); the document is all."""
    if layer is None or layer == document:
        return True
    return folder is not None and (folder == layer or folder.startswith(layer + "/"))


def _row(placemark: Element, folder: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": _text(_child(placemark, "name")),
        "description": _text(_child(placemark, "description")),
    }
    for key, value in _extended(placemark).items():
        # ExtendedData may reuse a name the reader sets itself; keep both.
        row[f"data_{key}" if key in _RESERVED else key] = value
    row["folder"] = folder
    return row


def read_kml(upload: Upload, limits: Limits, layer: str | None = None) -> RawTable:
    """Read the placemarks of a KML/KMZ upload.

    Parameters
    ----------
    upload : the .kml or .kmz.
    limits : vertex and record limits (vertices are counted while parsing).
    layer : a name from :func:`kml_layers`: a folder path (its sub-folders included) or
        the document name (every placemark, the default).

    Returns
    -------
    RawTable
        Columns ``name``, ``description``, ExtendedData fields, ``folder``, ``geometry``
        (EPSG:4326, 2D); indexed by placemark number from 1 in document order.
    """
    root = _parse(upload, kml_bytes(upload, limits), limits)
    document = _document_name(root) or _("(document)")
    rows: list[tuple[int, dict[str, Any]]] = []
    geometries: list[Any] = []
    ignored: dict[str, int] = {}
    for number, (placemark, folder) in enumerate(_walk(upload, root), start=1):
        if not _in_layer(folder, layer, document):
            continue
        if len(rows) >= limits.max_records:
            raise IngestError(
                _(
                    "{file} has more than {limit} placemarks, over the limit; split the file.",
                    file=upload.name,
                    limit=limits.max_records,
                )
            )
        try:
            shapes = [_geometry(c, ignored) for c in placemark if _local(c.tag) in _GEOMETRIES]
            parts = [g for g in shapes if g is not None]
            geometry = parts[0] if len(parts) == 1 else _combine(parts)
        except Exception as exc:  # shapely and float() raise several types
            raise IngestError(
                _(
                    "{file}: placemark {number} has an unreadable geometry ({error}); fix it in "
                    "Google Earth and save again.",
                    file=upload.name,
                    number=number,
                    error=exc,
                )
            ) from exc
        rows.append((number, _row(placemark, folder)))
        geometries.append(geometry)
    notes = _notes(root, ignored)
    if layer is not None and layer != document:
        notes.append(_("folder: {folder}", folder=layer))
    index = pd.Index([n for n, _row in rows], name="row")
    records = pd.DataFrame([r for _number, r in rows], index=index, dtype=object)
    records = records.astype(object).where(records.notna(), None)
    frame = gpd.GeoDataFrame(records, geometry=pd.Series(geometries, index=index), crs=4326)
    return RawTable(source=upload.name, format="kml", records=frame, layer=layer, notes=notes)


def _notes(root: Element, ignored: dict[str, int]) -> list[str]:
    """What was in the file but not read: links never followed, geometries skipped."""
    notes = []
    links = sum(1 for e in root.iter() if _local(e.tag) == "NetworkLink")
    if links:
        notes.append(
            ngettext("{n} NetworkLink(s) not followed", "{n} NetworkLink(s) not followed", links)
        )
    hrefs = [(e.text or "").strip() for e in root.iter() if _local(e.tag) == "href"]
    external = sum(1 for h in hrefs if h and not h.startswith("#"))
    if external:
        notes.append(
            ngettext(
                "{n} external reference(s) (links, icons, overlays) not fetched",
                "{n} external reference(s) (links, icons, overlays) not fetched",
                external,
            )
        )
    for kind, count in ignored.items():
        if kind == "Model":
            notes.append(ngettext("{n} 3D model(s) ignored", "{n} 3D model(s) ignored", count))
        else:
            notes.append(
                ngettext(
                    "{n} gx:{kind} geometry(ies) ignored",
                    "{n} gx:{kind} geometry(ies) ignored",
                    count,
                    kind=kind,
                )
            )
    return notes
