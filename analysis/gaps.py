"""Protection gaps, and political work without a protection picture.

Two questions are asked of each hot-spot cluster, and answered separately:

- *no political work near*: no local process or local agreement within ``within_km``;
- *no presence near*: no field office, base or temporary operating base (the presence
  layer's points) within ``presence_km`` (default: the same distance), measured from the
  cluster's edge. An area of responsibility is not presence on the ground: a country
  covered by areas of responsibility can still have hot spots 100 km from any office or
  base, so the areas are listed (``covered_by``) but do not close a gap.

Each cluster carries its effect in words: its incidents per cell against the rest of the
area's, a rate ratio with its exact 95 % interval (cells stand for time in
:func:`analysis.rates.compare_rates`), and a caution when it holds few incidents.

A *protection gap* is a cluster with both: violence that neither the mission's political
work nor its presence reaches. The reverse is a local
process or agreement with no incident recorded within the same distance: political work
the protection picture says nothing about (no violence, or nobody reporting it).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.effect_words import FEW_INCIDENTS, ratio_words
from analysis.hotspots import HotSpots, cluster_outlines
from analysis.metric import WGS84, to_metric
from analysis.rates import compare_rates
from analysis.words import g
from languages import N_, _

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
    presence_km: float | None = None
    """The distance for "no presence near" (``None``: the same as ``within_km``)."""
    points_of_presence: int = -1
    """How many offices and bases the distances were measured to (-1: not said)."""

    @property
    def caption(self) -> str:
        spots = self.hot_spots
        presence_km = self.within_km if self.presence_km is None else self.presence_km
        gaps = int(spots["gap"].sum()) if len(spots) else 0
        no_work = int(spots["no_political_work_near"].sum()) if len(spots) else 0
        no_presence = int(spots["no_presence_near"].sum()) if len(spots) else 0
        quiet = int(self.unwatched_work["no_protection_picture"].sum())
        text = _(
            "Of {clusters} hot-spot clusters (touching Gi* hot cells at 90 % or more), "
            "{no_work} have no political work near (no local process or agreement within "
            "{within_km} km) and {no_presence} no presence near (no field office, base or "
            "temporary operating base within {presence_km} km; areas of responsibility are "
            "listed but are not presence on the ground). A protection gap has both: {gaps} "
            "found. Political work with no incident recorded within {within_km} km: {quiet}. "
            "Distances in km from the cluster's edge.",
            clusters=len(spots),
            no_work=no_work,
            within_km=g(self.within_km),
            no_presence=no_presence,
            presence_km=g(presence_km),
            gaps=gaps,
            quiet=quiet,
        )
        few = int((spots["incidents"] < FEW_INCIDENTS).sum()) if len(spots) else 0
        if few:
            text += _(
                " What this table cannot say: whether the people there are reached some other "
                "way (patrols, partners), or whether an office or base was open all the period "
                "(all loaded are counted); {few} of {clusters} clusters hold fewer than "
                "{minimum} incidents, too few to call a pattern (see caution).",
                few=few,
                clusters=len(spots),
                minimum=FEW_INCIDENTS,
            )
        else:
            text += _(
                " What this table cannot say: whether the people there are reached some other "
                "way (patrols, partners), or whether an office or base was open all the period "
                "(all loaded are counted)."
            )
        if self.points_of_presence == 0:
            text += _(
                " No office or base is loaded as a point in the presence layer: every "
                "cluster counts as having no presence near; load offices and bases to measure."
            )
        return text


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
    presence_km: float | None = None,
) -> Gaps:
    """Protection gaps among ``spots``' clusters, and political work no incident is near.

    Parameters
    ----------
    spots
        The hot spots; ``incidents`` are the ones they were computed on (the same selection).
    within_km
        Political work (a local process or agreement) this near a cluster is "near".
    presence_km
        A field office, base or temporary operating base this near is "presence near"
        (``None``: ``within_km``).
    """
    for name, km in ((N_("distance"), within_km), (N_("presence distance"), presence_km)):
        if km is not None and not km >= 0:
            raise ValueError(
                _("{name} {km!r} km is not a positive number of kilometres", name=_(name), km=km)
            )
    presence_limit = within_km if presence_km is None else presence_km
    crs = spots.counts.grid.crs
    outlines = cluster_outlines(spots)
    processes = to_metric(local_processes, crs)
    agreements = to_metric(local_agreements, crs)
    presence = to_metric(mission_presence, crs)
    aors = presence[presence["kind"] == "area_of_responsibility"]
    # Offices and bases are measured as the places they are (a polygon drawn for a base
    # counts from its edge), whatever kind of geometry the layer holds.
    bases = presence[presence["kind"].isin(BASE_KINDS)]
    centres = outlines.representative_point().to_crs(WGS84) if len(outlines) else []
    all_cells = spots.counts.cells
    total, total_cells = int(all_cells["incidents"].sum()), len(all_cells)
    rows = []
    for (_row, cluster), centre in zip(outlines.iterrows(), centres, strict=True):
        shape = cluster.geometry
        process, process_km = _nearest(shape, processes, "process_id")
        agreement, agreement_km = _nearest(shape, agreements, "agreement_id")
        base, base_km = _nearest(shape, bases, "name")
        covering = sorted(aors.loc[aors.intersects(shape), "field_office"].astype(str))
        near_work = any(km <= within_km for km in (process_km, agreement_km) if km == km)
        # NaN (no office or base at all) is not near.
        near_presence = bool(base_km <= presence_limit)
        inside, cells = int(cluster["incidents"]), int(cluster["cells"])
        density = compare_rates(total - inside, total_cells - cells, inside, cells)
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
                "effect": ratio_words(
                    density.ratio, density.low, density.high, N_("the rest of the area's per cell")
                ),
                "caution": (
                    _("few incidents ({n}): too few to call a pattern", n=inside)
                    if inside < FEW_INCIDENTS
                    else ""
                ),
                "no_political_work_near": not near_work,
                "no_presence_near": not near_presence,
                "gap": not near_work and not near_presence,
            }
        )
    return Gaps(
        pd.DataFrame(rows, columns=_HOT_COLUMNS),
        _unwatched(incidents, processes, agreements, crs, within_km),
        within_km,
        presence_km,
        len(bases),
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
    "effect",
    "caution",
    "no_political_work_near",
    "no_presence_near",
    "gap",
]


def _unwatched(incidents, processes, agreements, crs, within_km: float) -> pd.DataFrame:
    points = to_metric(incidents.geometry, crs)
    tree = shapely.STRtree(points.to_numpy())
    rows = []
    for kind, frame, id_column in (
        (_("local process"), processes, "process_id"),
        (_("local agreement"), agreements, "agreement_id"),
    ):
        for _row, item in frame.iterrows():
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
