"""What the product is measured against: the obvious tools, and what the hardware allows.

Baselines are what one would write without pocmap (one folium marker per event, esda on
raw points, geopandas reading the CSV); physical limits are the least work the job
needs (one projection and a ``bincount``; Arrow's multithreaded CSV parser).
"""

from __future__ import annotations

import gzip
import html
import io
import math
import time
from typing import Any

import numpy as np

from bench.case import BASELINE, CAP_HIT, PHYSICAL_LIMIT, Context, best_of, case
from schema.mission import FILES

MARKER_POPUP_FIELDS = ("incident_id", "date", "incident_type", "motivation", "fatalities")
KNN_NEIGHBOURS = 8
PERMUTATIONS = 999
_GZIP_LEVEL = 6
_SQRT3 = math.sqrt(3.0)


def _lonlat(context: Context) -> tuple[np.ndarray, np.ndarray]:
    import pandas as pd

    frame = pd.read_csv(context.csv, usecols=["longitude", "latitude"], engine="pyarrow")
    return frame["longitude"].to_numpy(float), frame["latitude"].to_numpy(float)


def _mission_grid(context: Context) -> tuple[Any, float]:
    """The analysis' CRS and default cell width for the generated folder's mission area."""
    import geopandas as gpd
    import shapely

    from analysis.cells import default_width_m
    from analysis.metric import mission_crs

    area = gpd.read_file(context.folder / FILES["admin_boundaries"], engine="pyogrio")
    crs = mission_crs(area)
    region = shapely.union_all(area.to_crs(crs).geometry.to_numpy())
    return crs, default_width_m(region.bounds)


@case(
    "folium_markers",
    BASELINE,
    "one folium.Marker (with a popup) per event, rendered: HTML bytes raw and gzipped",
)
def folium_markers(context: Context) -> dict[str, Any]:
    import folium
    import pandas as pd

    rows = pd.read_csv(context.csv, usecols=[*MARKER_POPUP_FIELDS, "longitude", "latitude"])
    centre = [float(rows["latitude"].mean()), float(rows["longitude"].mean())]
    empty = folium.Map(location=centre, zoom_start=7).get_root().render().encode()
    empty_gzip = len(gzip.compress(empty, _GZIP_LEVEL))
    # Each marker is its own script block, so a map of all markers is the empty map plus
    # every chunk's markers: rendering chunk by chunk gives the same bytes and shows
    # progress, where one render of a million markers would say nothing until it ended.
    chunk = min(5000, max(1000, context.size // 10))
    done, raw_bytes, gzip_bytes = 0, len(empty), empty_gzip
    start = last = time.perf_counter()
    chunk_s = 0.0
    while done < context.size and time.perf_counter() + chunk_s < context.deadline:
        m = folium.Map(location=centre, zoom_start=7)
        for row in rows.iloc[done : done + chunk].itertuples(index=False):
            popup = "<br>".join(
                f"<b>{name}</b>: {html.escape(str(getattr(row, name)))}"
                for name in MARKER_POPUP_FIELDS
            )
            folium.Marker([row.latitude, row.longitude], popup=folium.Popup(popup)).add_to(m)
        page = m.get_root().render().encode()
        raw_bytes += len(page) - len(empty)
        gzip_bytes += len(gzip.compress(page, _GZIP_LEVEL)) - empty_gzip
        done = min(context.size, done + chunk)
        chunk_s, last = time.perf_counter() - last, time.perf_counter()
        context.progress(markers=done, raw_bytes=raw_bytes, gzip_bytes=gzip_bytes)
    seconds = time.perf_counter() - start
    per_marker = (raw_bytes - len(empty)) / max(done, 1)
    figures: dict[str, Any] = {
        "markers": done,
        "seconds": seconds,
        "raw_bytes": raw_bytes,
        "gzip_bytes": gzip_bytes,
        "raw_bytes_per_marker": per_marker,
        "gzip_bytes_per_marker": (gzip_bytes - empty_gzip) / max(done, 1),
        "markers_per_s": done / seconds if seconds else None,
    }
    if done < context.size:
        figures["status"] = CAP_HIT
        figures["raw_bytes_all_estimate"] = len(empty) + per_marker * context.size
        figures["note"] = (
            f"{done:,} of {context.size:,} markers within the cap: "
            f">= {raw_bytes / 1e6:,.0f} MB raw so far"
        )
    return figures


@case(
    "esda_raw_points",
    BASELINE,
    "esda.G_Local (Gi*, 999 permutations) on raw points with KNN k=8 weights",
)
def esda_raw_points(context: Context) -> dict[str, Any]:
    import pandas as pd
    import pyproj
    from esda.getisord import G_Local
    from libpysal.weights import KNN

    crs, _ = _mission_grid(context)
    frame = pd.read_csv(context.csv, usecols=["fatalities", "longitude", "latitude"])
    x, y = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(
        frame["longitude"].to_numpy(float), frame["latitude"].to_numpy(float)
    )
    start = time.perf_counter()
    weights = KNN.from_array(np.column_stack([x, y]), k=KNN_NEIGHBOURS)
    weights_s = time.perf_counter() - start
    context.progress(weights_s=weights_s)
    start = time.perf_counter()
    # Binary weights with the point itself (star): the statistic the product computes.
    G_Local(
        frame["fatalities"].to_numpy(float),
        weights,
        transform="B",
        star=True,
        permutations=PERMUTATIONS,
        seed=context.seed,
        keep_simulations=False,
    )
    g_local_s = time.perf_counter() - start
    return {"seconds": weights_s + g_local_s, "weights_s": weights_s, "g_local_s": g_local_s}


@case(
    "geopandas_read_file",
    BASELINE,
    "geopandas.read_file of the CSV (pyogrio, points from longitude/latitude), best of 3",
)
def geopandas_read_file(context: Context) -> dict[str, Any]:
    import geopandas as gpd

    def read() -> Any:
        return gpd.read_file(
            context.csv,
            engine="pyogrio",
            X_POSSIBLE_NAMES="longitude",
            Y_POSSIBLE_NAMES="latitude",
        )

    times, frame = best_of(read, context)
    if len(frame) != context.size:
        raise AssertionError(f"read {len(frame)} rows of {context.size}")
    return {"seconds": min(times), "times": times, "rows_per_s": context.size / min(times)}


def _hexagon_keys(x: np.ndarray, y: np.ndarray, width_m: float) -> tuple[np.ndarray, np.ndarray]:
    # Written out here rather than calling analysis.cells, so the limit does not move
    # when the product's code does.
    size = width_m / _SQRT3
    q = (_SQRT3 / 3 * x - y / 3) / size
    r = (2 / 3 * y) / size
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return rq.astype(np.int64), rr.astype(np.int64)


@case(
    "numpy_pass",
    PHYSICAL_LIMIT,
    "lon/lat arrays projected (one pyproj.Transformer), hexagon index, np.bincount; best of 3",
)
def numpy_pass(context: Context) -> dict[str, Any]:
    import pyproj

    lon, lat = _lonlat(context)
    crs, width_m = _mission_grid(context)

    def count() -> np.ndarray:
        transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        x, y = transformer.transform(lon, lat)
        q, r = _hexagon_keys(np.asarray(x), np.asarray(y), width_m)
        q0, r0 = q.min(), r.min()
        rows = int(r.max() - r0) + 1
        return np.bincount((q - q0) * rows + (r - r0))

    times, counts = best_of(count, context)
    return {
        "seconds": min(times),
        "times": times,
        "width_m": width_m,
        "occupied_cells": int((counts > 0).sum()),
    }


@case(
    "pyarrow_csv_read",
    PHYSICAL_LIMIT,
    "pyarrow.csv.read_csv of the CSV bytes (multithreaded), best of 3",
)
def pyarrow_csv_read(context: Context) -> dict[str, Any]:
    from pyarrow import csv

    data = context.csv.read_bytes()
    times, table = best_of(lambda: csv.read_csv(io.BytesIO(data)), context)
    if table.num_rows != context.size:
        raise AssertionError(f"read {table.num_rows} rows of {context.size}")
    return {
        "seconds": min(times),
        "times": times,
        "rows_per_s": context.size / min(times),
        "mb_per_s": len(data) / 1e6 / min(times),
    }
