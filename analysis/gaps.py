"""Protection gaps, and political work without a protection picture.

A *protection gap* is a hot-spot cluster with no local process or local agreement within a
chosen distance and no field office's area of responsibility over it: violence that
neither the mission's political work nor its presence reaches. The reverse is a local
process or agreement with no incident recorded within the same distance: political work
the protection picture says nothing about (no violence, or nobody reporting it).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.hotspots import HotSpots, cluster_outlines
from analysis.metric import WGS84, to_metric

DEFAULT_WITHIN_KM = 25.0
BASE_KINDS = ("field_office", "base", "temporary_operating_base")


@dataclass(frozen=True)
class Gaps:
    """Hot spots measured against political work and presence, and the reverse."""

    hot_spots: pd.DataFrame
    """One row per hot-spot cluster: where it is, what is near it, and ``gap``."""
    unwatched_work: pd.DataFrame
    """One row per local process or agreement: incidents within the distance."""
    within_km: float

    @property
    def caption(self) -> str:
        gaps = int(self.hot_spots["gap"].sum()) if len(self.hot_spots) else 0
        quiet = int(self.unwatched_work["no_protection_picture"].sum())
        return (
            f"A hot-spot cluster (touching Gi* hot cells at 90 % or more) is a protection gap "
            f"when no local process or agreement lies within {self.within_km:g} km of it and "
            f"no field office's area of responsibility overlaps it: {gaps} found. Political "
            f"work with no incident recorded within {self.within_km:g} km: {quiet}. "
            "Distances in km from the cluster's edge."
        )


def _nearest(outline, places: gpd.GeoDataFrame, id_column: str) -> tuple[object, float]:
    if not len(places):
        return None, np.nan
    distances = places.distance(outline)
    i = int(np.argmin(distances.to_numpy()))
    return places[id_column].iloc[i], float(distances.iloc[i]) / 1000


def protection_gaps(
    spots: HotSpots,
    incidents: gpd.GeoDataFrame,
    local_processes: gpd.GeoDataFrame,
    local_agreements: gpd.GeoDataFrame,
    mission_presence: gpd.GeoDataFrame,
    *,
    within_km: float = DEFAULT_WITHIN_KM,
) -> Gaps:
    """Protection gaps among ``spots``' clusters, and political work no incident is near.

    ``incidents`` are the ones the hot spots were computed on (the same selection).
    """
    if not within_km >= 0:
        raise ValueError(f"distance {within_km!r} km is not a positive number of kilometres")
    crs = spots.counts.grid.crs
    outlines = cluster_outlines(spots)
    processes = to_metric(local_processes, crs)
    agreements = to_metric(local_agreements, crs)
    presence = to_metric(mission_presence, crs)
    aors = presence[presence["kind"] == "area_of_responsibility"]
    bases = presence[presence["kind"].isin(BASE_KINDS)]
    centres = outlines.representative_point().to_crs(WGS84) if len(outlines) else []
    rows = []
    for (_, cluster), centre in zip(outlines.iterrows(), centres, strict=True):
        shape = cluster.geometry
        process, process_km = _nearest(shape, processes, "process_id")
        agreement, agreement_km = _nearest(shape, agreements, "agreement_id")
        base, base_km = _nearest(shape, bases, "name")
        covering = sorted(aors.loc[aors.intersects(shape), "field_office"].astype(str))
        near_work = any(km <= within_km for km in (process_km, agreement_km) if km == km)
        rows.append(
            {
                "cluster": int(cluster["cluster"]),
                "incidents": int(cluster["incidents"]),
                "fatalities": float(cluster["fatalities"]),
                "cells": int(cluster["cells"]),
                "peak_z": float(cluster["peak_z"]),
                "longitude": round(centre.x, 5),
                "latitude": round(centre.y, 5),
                "nearest_local_process": process,
                "local_process_km": process_km,
                "nearest_agreement": agreement,
                "agreement_km": agreement_km,
                "covered_by": "; ".join(covering),
                "nearest_base": base,
                "base_km": base_km,
                "gap": not near_work and not covering,
            }
        )
    return Gaps(
        pd.DataFrame(rows, columns=_HOT_COLUMNS),
        _unwatched(incidents, processes, agreements, crs, within_km),
        within_km,
    )


_HOT_COLUMNS = [
    "cluster",
    "incidents",
    "fatalities",
    "cells",
    "peak_z",
    "longitude",
    "latitude",
    "nearest_local_process",
    "local_process_km",
    "nearest_agreement",
    "agreement_km",
    "covered_by",
    "nearest_base",
    "base_km",
    "gap",
]


def _unwatched(incidents, processes, agreements, crs, within_km: float) -> pd.DataFrame:
    points = to_metric(incidents.geometry, crs)
    tree = shapely.STRtree(points.to_numpy())
    rows = []
    for kind, frame, id_column in (
        ("local process", processes, "process_id"),
        ("local agreement", agreements, "agreement_id"),
    ):
        for _, item in frame.iterrows():
            near = tree.query(item.geometry, predicate="dwithin", distance=within_km * 1000)
            rows.append(
                {
                    "kind": kind,
                    "id": item[id_column],
                    "name": item["name"],
                    "field_office": item["field_office"],
                    "status": item["status"],
                    "incidents_within": len(near),
                    "no_protection_picture": len(near) == 0,
                }
            )
    columns = ["kind", "id", "name", "field_office", "status", "incidents_within"]
    return pd.DataFrame(rows, columns=[*columns, "no_protection_picture"])
