"""Deterministic writers: GeoJSON one feature a line, CSV with fixed columns, and
``planted_patterns.json``, the ground truth of the planted patterns (:func:`write_all`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from sample_data.carana.features import Features
from sample_data.carana.geography import Country
from sample_data.carana.geometry import lonlat_of, to_wgs84
from sample_data.carana.political import MILESTONES, milestone_date
from sample_data.carana.settings import (
    CHECKPOINT_RADIUS_KM,
    CORRIDOR_BUFFER_KM,
    CORRIDOR_MAX_KM,
    CORRIDOR_RATES_PER_30_DAYS,
    CORRIDOR_SIGNED,
    CORRIDOR_VIOLATED,
    COUNTRY_NAME,
    DECIMALS,
    GAP_MIN_DISTANCE_KM,
    GAP_RADIUS_KM,
    INCIDENTS_PER_CHECKPOINT,
    KM,
    MINE_NAME,
    OPERATION_END,
    OPERATION_NAME,
    OPERATION_START,
    PERIOD_END,
    PERIOD_START,
    RIVER_NAME,
    STATE_FORCES_SHARE,
    SURGE_DAYS,
    SURGE_MILESTONE_ID,
    SURGE_MULTIPLIER,
    WGS84,
)
from schema.admin_boundaries import SPEC as ADMIN_SPEC
from schema.basemap import SPEC as BASEMAP_SPEC
from schema.incidents import SPEC as INCIDENT_SPEC
from schema.local_agreements import SPEC as AGREEMENT_SPEC
from schema.mission_presence import SPEC as PRESENCE_SPEC
from schema.political_processes import LOCAL_PROCESSES_SPEC, MILESTONES_SPEC

FILES = {
    "admin": "admin_boundaries.geojson",
    "basemap": "basemap.geojson",
    "presence": "mission_presence.geojson",
    "milestones": "national_milestones.csv",
    "processes": "local_processes.geojson",
    "agreements": "local_agreements.geojson",
    "incidents": "incidents.csv",
    "patterns": "planted_patterns.json",
}


def _round_coordinates(coords: Any) -> Any:
    if len(coords) and isinstance(coords[0], float | int):
        return [round(float(v), DECIMALS) for v in coords]
    return [_round_coordinates(part) for part in coords]


def _json_value(value: Any) -> Any:
    """Missing values (None, NaN, NA) as JSON null; numpy scalars as Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """A GeoJSON geometry with coordinates rounded to :data:`DECIMALS`.

    Exterior rings run counter-clockwise, as RFC 7946 asks.
    """
    mapped = mapping(shapely.orient_polygons(geom))
    return {"type": mapped["type"], "coordinates": _round_coordinates(mapped["coordinates"])}


def write_geojson(
    path: Path, name: str, columns: Sequence[str], records: Sequence[dict[str, Any]]
) -> None:
    """Write WGS84 features, one per line, properties in ``columns`` order.

    Parameters
    ----------
    path : the file to write.
    name : the collection's name.
    columns : the property names (a layer SPEC's columns).
    records : dicts with those keys plus ``geometry_wgs`` (already WGS84) or ``geometry``
        (metric, projected here).
    """
    lines = []
    for record in records:
        geom = record["geometry_wgs"] if "geometry_wgs" in record else to_wgs84(record["geometry"])
        properties = {c: _json_value(record[c]) for c in columns}
        feature = {"type": "Feature", "properties": properties, "geometry": geojson_geometry(geom)}
        lines.append(json.dumps(feature, ensure_ascii=False))
    header = json.dumps({"type": "FeatureCollection", "name": name})[:-1]
    path.write_text(header + ', "features": [\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def pretty_json(value: Any, depth: int = 0) -> str:
    """JSON with one key per line but lists of plain values (ids, coordinates) on one line."""
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {pretty_json(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        items = [pad + pretty_json(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    return json.dumps(value, ensure_ascii=False)


def _basemap_records(country: Country) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {"name": COUNTRY_NAME, "kind": "land", "geometry_wgs": country.land}
    ]
    for town in country.towns.itertuples():
        records.append(
            {
                "name": town.name,
                "kind": "capital" if town.capital else "town",
                "geometry": Point(town.x, town.y),
            }
        )
    records += [{"name": name, "kind": "road", "geometry": line} for name, line in country.roads]
    records.append(
        {
            "name": f"Mining road to {MINE_NAME}",
            "kind": "mining_road",
            "geometry": country.mining_road,
        }
    )
    records.append({"name": RIVER_NAME, "kind": "river", "geometry": country.river})
    return records


def _point_json(xy: np.ndarray) -> dict[str, float]:
    lon, lat = lonlat_of(np.array([xy]))[0]
    return {"longitude": float(lon), "latitude": float(lat)}


def _planted(
    country: Country, features: Features, incidents: pd.DataFrame, seed: int
) -> dict[str, Any]:
    """The ground truth of every planted pattern, for tests and analysis checks."""
    ids = incidents.groupby("pattern")["incident_id"].apply(list)
    corridor = features.agreements[0]
    state = country.admin1(country.roles["state_forces"])
    gap = country.admin1(country.roles["gap"])
    surge_date = date.fromisoformat(milestone_date(SURGE_MILESTONE_ID))
    return {
        "seed": seed,
        "crs": WGS84,
        "period": {"start": PERIOD_START.isoformat(), "end": PERIOD_END.isoformat()},
        "field_office_rule": "field_office is the office whose area of responsibility holds "
        "the incident; in the uncovered admin1 it is the nearest office",
        "revenge_corridor": {
            "agreement_id": corridor["agreement_id"],
            "name": corridor["name"],
            "admin1": country.admin1(country.roles["corridor"])["name"],
            "geometry": geojson_geometry(to_wgs84(features.corridor)),
            "date_signed": CORRIDOR_SIGNED.isoformat(),
            "date_violated": CORRIDOR_VIOLATED.isoformat(),
            "buffer_km": CORRIDOR_BUFFER_KM,
            "max_offset_km": CORRIDOR_MAX_KM,
            "planted_rate_per_30_days": dict(
                zip(
                    ("before_signature", "in_force", "after_violation"),
                    CORRIDOR_RATES_PER_30_DAYS,
                    strict=True,
                )
            ),
            "incident_ids": ids["revenge_corridor"],
        },
        "extraction_checkpoints": {
            "mining_road": f"Mining road to {MINE_NAME}",
            "admin1": country.admin1(country.roles["mining"])["name"],
            "mine": {"name": MINE_NAME, **_point_json(country.mine)},
            "checkpoints": [
                {"checkpoint_id": f"CP{k}", **_point_json(xy)}
                for k, xy in enumerate(features.checkpoints, start=1)
            ],
            "radius_km": CHECKPOINT_RADIUS_KM,
            "incidents_per_checkpoint": INCIDENTS_PER_CHECKPOINT,
            "incident_ids": ids["extraction_checkpoints"],
        },
        "collateral_operation": {
            "name": OPERATION_NAME,
            "admin1": country.admin1(country.roles["operation"])["name"],
            "area": geojson_geometry(to_wgs84(features.operation_area)),
            "start": OPERATION_START.isoformat(),
            "end": OPERATION_END.isoformat(),
            "incident_ids": ids["collateral_operation"],
        },
        "state_forces_admin1": {
            "admin_id": state["admin_id"],
            "name": state["name"],
            "planted_background_share": STATE_FORCES_SHARE,
        },
        "surge_before_negotiation": {
            "milestone_id": SURGE_MILESTONE_ID,
            "date": surge_date.isoformat(),
            "window_start": (surge_date - timedelta(days=SURGE_DAYS)).isoformat(),
            "window_days": SURGE_DAYS,
            "rate_multiplier": SURGE_MULTIPLIER,
            "incident_ids": ids["surge"],
        },
        "protection_gap": {
            "admin_id": gap["admin_id"],
            "name": gap["name"],
            "centre": _point_json(country.hot_spot),
            "radius_km": GAP_RADIUS_KM,
            "min_distance_km": GAP_MIN_DISTANCE_KM,
            "distance_to_covered_admin1_km": round(country.hot_spot_distance / KM, 1),
            "incident_ids": ids["protection_gap"],
        },
    }


def write_all(
    out: Path, country: Country, features: Features, incidents: pd.DataFrame, seed: int
) -> list[Path]:
    """Write every output file into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {key: out / name for key, name in FILES.items()}
    admin = country.admin.assign(geometry_wgs=country.admin["geometry"])
    admin_records = [{str(k): v for k, v in record.items()} for record in admin.to_dict("records")]
    write_geojson(paths["admin"], "admin_boundaries", ADMIN_SPEC.columns, admin_records)
    write_geojson(paths["basemap"], "basemap", BASEMAP_SPEC.columns, _basemap_records(country))
    write_geojson(paths["presence"], "mission_presence", PRESENCE_SPEC.columns, features.presence)
    write_geojson(
        paths["processes"], "local_processes", LOCAL_PROCESSES_SPEC.columns, features.processes
    )
    write_geojson(
        paths["agreements"], "local_agreements", AGREEMENT_SPEC.columns, features.agreements
    )
    milestones = pd.DataFrame(
        [(f"NM-{k:02d}", *row) for k, row in enumerate(MILESTONES, start=1)],
        columns=MILESTONES_SPEC.columns,
    )
    milestones.to_csv(paths["milestones"], index=False, lineterminator="\n")
    sent = [f.name for f in INCIDENT_SPEC.fields if not f.derived]  # as an office sends them
    incidents.reindex(columns=[*sent, "longitude", "latitude"]).to_csv(
        paths["incidents"], index=False, lineterminator="\n"
    )
    planted = _planted(country, features, incidents, seed)
    paths["patterns"].write_text(pretty_json(planted) + "\n", encoding="utf-8")
    return list(paths.values())
