"""GeoPackage geometry blobs: the ``GP`` header, an envelope, then ISO WKB.

Written by hand (about 30 lines) because neither shapely nor pyogrio exposes the
encoding on its own, and the store writes through ``sqlite3`` so that a whole batch
is one transaction (GDAL would need its own connection). The layout is the
GeoPackage 1.3 standard, section 2.1.3 "GeoPackageBinary":

``magic "GP" | version 0 | flags | srs_id int32 | envelope doubles | WKB``

flags bit 0: byte order (1 little endian), bits 1-3: envelope kind (0 none, 1
minx/maxx/miny/maxy), bit 4: empty geometry, bit 5: extended type (never used here).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np
import shapely

_HEADER = struct.Struct("<2sBBi")
_ENVELOPE_XY = struct.Struct("<4d")
_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}
"""Envelope kind (flags bits 1-3) -> how many doubles follow the header."""
_POINT = 0  # shapely type id


def encode(geometries: Sequence[object] | np.ndarray, srs_id: int = 4326) -> list[bytes | None]:
    """Shapely geometries -> GeoPackage blobs (``None`` stays ``None``).

    Points carry no envelope, as GDAL writes them (their envelope is the point);
    every other geometry carries its x/y bounds so readers can skip it cheaply.
    """
    geoms = np.asarray(geometries, dtype=object)
    wkb = shapely.to_wkb(geoms, byte_order=1, flavor="iso")
    bounds = shapely.bounds(geoms)
    empty = shapely.is_empty(geoms)
    types = shapely.get_type_id(geoms)
    blobs: list[bytes | None] = []
    for body, (minx, miny, maxx, maxy), is_empty, type_id in zip(
        wkb, bounds, empty, types, strict=True
    ):
        if body is None:
            blobs.append(None)
            continue
        with_envelope = not is_empty and type_id != _POINT
        flags = 0b1 | (0b10 if with_envelope else 0) | (0b10000 if is_empty else 0)
        header = _HEADER.pack(b"GP", 0, flags, srs_id)
        envelope = _ENVELOPE_XY.pack(minx, maxx, miny, maxy) if with_envelope else b""
        blobs.append(header + envelope + body)
    return blobs


def decode(blobs: Sequence[bytes | None]) -> np.ndarray:
    """GeoPackage blobs -> an array of shapely geometries (``None`` for ``NULL``).

    Raises
    ------
    ValueError
        when a blob is not GeoPackage binary (no ``GP`` magic).
    """
    bodies: list[bytes | None] = []
    for blob in blobs:
        if blob is None:
            bodies.append(None)
            continue
        if bytes(blob[:2]) != b"GP" or len(blob) < _HEADER.size:
            raise ValueError(
                f"a geometry starts with {bytes(blob[:2])!r} "
                "but GeoPackage binary starts with b'GP'"
            )
        _magic, _version, flags, _srs_id = _HEADER.unpack_from(blob)
        envelope_kind = (flags >> 1) & 0b111
        start = _HEADER.size + 8 * _ENVELOPE_DOUBLES[envelope_kind]
        bodies.append(bytes(blob[start:]))
    return shapely.from_wkb(np.asarray(bodies, dtype=object))
