"""GeoJSON, parsed with :mod:`json` and shapely rather than GDAL.

Why not pyogrio here: GDAL picks its driver from the content (a ``.geojson`` may be opened
as ESRI JSON, TopoJSON or a VRT), while ``json`` reads exactly one format; features keep
their order and number, a feature without geometry is simply ``None``, and vertices are
counted before any geometry is built, so an oversized file stops early.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely.geometry
from pyproj import CRS
from pyproj.exceptions import CRSError

from ingest.readers import safety
from languages import _
from schema.upload import IngestError, Limits, RawTable, Upload

_WGS84_NAMES = ("crs84", "epsg::4326", "epsg:4326", "crs:84")


class _TooManyVertices(Exception):
    pass


def _count(coords: Any, budget: list[int]) -> None:
    """Count positions in nested coordinate arrays, raising once over budget[0]."""
    if isinstance(coords, list) and coords and isinstance(coords[0], (int, float)):
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooManyVertices
        return
    if isinstance(coords, list):
        for item in coords:
            _count(item, budget)


def _geometry_vertices(geometry: Any, budget: list[int]) -> None:
    if not isinstance(geometry, dict):
        return
    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries") or []:
            _geometry_vertices(part, budget)
    else:
        _count(geometry.get("coordinates"), budget)


def _features(document: Any, upload: Upload) -> list[dict]:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return document["features"]
    if kind == "Feature":
        return [document]
    if kind in {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
                "MultiPolygon", "GeometryCollection"}:  # fmt: skip
        return [{"type": "Feature", "properties": {}, "geometry": document}]
    if kind == "Topology":
        what = "TopoJSON"
    elif isinstance(document, dict) and "spatialReference" in document:
        what = "Esri JSON"
    else:
        what = _("JSON that is not GeoJSON")
    raise IngestError(
        _(
            "{file} is {what}; send a GeoJSON FeatureCollection (export 'GeoJSON' in QGIS or "
            "ArcGIS).",
            file=upload.name,
            what=what,
        )
    )


def _source_crs(document: Any, upload: Upload) -> CRS | None:
    """The legacy (2008) ``crs`` member, if it names something other than WGS84."""
    name = None
    if isinstance(document, dict) and isinstance(document.get("crs"), dict):
        name = (document["crs"].get("properties") or {}).get("name")
    if not name or any(name.lower().endswith(w) for w in _WGS84_NAMES):
        return None
    try:
        return CRS.from_user_input(name)
    except CRSError as exc:
        raise IngestError(
            _(
                "{file} declares the coordinate system {crs}, which is not recognised; "
                "re-export in WGS84 (EPSG:4326).",
                file=upload.name,
                crs=repr(name),
            )
        ) from exc


def read_geojson(upload: Upload, limits: Limits) -> RawTable:
    """Read a GeoJSON upload: properties as columns plus a ``geometry`` column in EPSG:4326.

    Parameters
    ----------
    upload : the file.
    limits : ``max_records`` and ``max_vertices`` are enforced before geometries are built.

    Returns
    -------
    RawTable
        Indexed by feature number from 1.
    """
    kind = safety.sniff_kind(upload.data)
    if kind != "json":
        raise safety.refuse_disguised(
            upload, kind, _("a GeoJSON file (it starts with '{brace}')", brace="{")
        )
    try:
        document = json.loads(upload.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise IngestError(
            _(
                "{file} is not valid JSON ({error}); export the layer again as GeoJSON.",
                file=upload.name,
                error=str(exc)[:120],
            )
        ) from exc
    features = _features(document, upload)
    if len(features) > limits.max_records:
        raise IngestError(
            _(
                "{file} has {count} features, over the limit of {limit}; split the file.",
                file=upload.name,
                count=len(features),
                limit=limits.max_records,
            )
        )
    budget = [limits.max_vertices]
    try:
        for feature in features:
            if isinstance(feature, dict):
                _geometry_vertices(feature.get("geometry"), budget)
    except RecursionError:
        raise IngestError(
            _(
                "{file} nests its coordinates too deeply to be GeoJSON; export it again.",
                file=upload.name,
            )
        ) from None
    except _TooManyVertices:
        raise IngestError(
            _(
                "{file} has more than {limit} vertices, over the limit; simplify the "
                "geometries (QGIS: Vector > Geometry tools > Simplify) or split it.",
                file=upload.name,
                limit=limits.max_vertices,
            )
        ) from None
    properties, geometries, notes = [], [], []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise IngestError(
                _("{file}: feature {number} is not a JSON object.", file=upload.name, number=number)
            )
        props = feature.get("properties")
        properties.append(dict(props) if isinstance(props, dict) else {})
        geometry = feature.get("geometry")
        try:
            geometries.append(shapely.geometry.shape(geometry) if geometry else None)
        except Exception as exc:  # shapely raises several types for malformed input
            raise IngestError(
                _(
                    "{file}: feature {number} has an unreadable geometry ({error}); fix or "
                    "remove it and export again.",
                    file=upload.name,
                    number=number,
                    error=exc,
                )
            ) from exc
    records = pd.DataFrame(properties, index=pd.RangeIndex(1, len(features) + 1), dtype=object)
    records = records.astype(object).where(records.notna(), None)
    if "geometry" in records.columns:
        records = records.rename(columns={"geometry": "geometry_property"})
        notes.append(_("a property named 'geometry' is read as 'geometry_property'"))
    frame = gpd.GeoDataFrame(records, geometry=pd.Series(geometries, index=records.index))
    frame = frame.set_crs(_source_crs(document, upload) or "EPSG:4326", allow_override=True)
    if frame.crs.to_epsg() != 4326:
        notes.append(_("reprojected from {crs}", crs=frame.crs.to_string()))
        frame = frame.to_crs("EPSG:4326")
    frame.index.name = "row"
    return RawTable(source=upload.name, format="geojson", records=frame, notes=notes)
