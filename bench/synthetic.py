"""Seeded synthetic incident sets of any size, laid out exactly like ``sample_data/``.

Each set is written once into a cache folder (``bench/.data/``) as a folder holding the
sample's other layer files and a generated ``incidents.csv`` with the sample's header, so
the same bytes serve the import case (the CSV) and the page case (the folder).

Points fall inside the sample's admin boundaries: about :data:`CLUSTERS` Gaussian clusters
(each active for a window of the period) plus :data:`BACKGROUND_SHARE` uniform
background, rejection-sampled by a spatial join against the admin2 areas, which also
names each point's ``admin1`` and ``admin2``. ``field_office`` follows the sample's rule:
the office whose area of responsibility holds the point, else the nearest office. Codes
come from the code lists of :mod:`layers.incidents`, weighted roughly as in the sample.
Everything is drawn from one ``numpy.random.default_rng(seed)``, vectorised: a million
rows take seconds.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from analysis.metric import mission_crs
from schema.incidents import (
    CONFIDENCES,
    INCIDENT_TYPE_LABELS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    MOTIVATIONS,
    PERPETRATOR_TYPES,
)
from schema.mission import FILES, SAMPLE_DIR

GENERATOR_VERSION = 2
"""Bump when the generator changes, so cached sets are made again."""

CACHE_DIR = Path(__file__).resolve().parent / ".data"
SEED = 2026
PERIOD_START = np.datetime64("2023-01-01")
PERIOD_DAYS = 1096  # 2023-01-01 .. 2025-12-31 inclusive
CLUSTERS = 15
BACKGROUND_SHARE = 0.30
CLUSTER_SIGMA_DEG = (0.03, 0.15)
"""Spread of a cluster (standard deviation, degrees; about 3 to 17 km)."""
COORDINATE_DECIMALS = 5  # about 1 m, as the sample

# Weights roughly as in the sample (sample_data/incidents.csv), in code-list order.
# Codes added later (attack; allied forces, UN mission; country precision) weigh 0, so
# the set drawn stays the one measured before.
_INCIDENT_TYPE_WEIGHTS = dict(
    zip(INCIDENT_TYPES[:8], (0.18, 0.18, 0.07, 0.07, 0.23, 0.10, 0.03, 0.14), strict=True)
)
_MOTIVATION_WEIGHTS = dict(
    zip(MOTIVATIONS, (0.23, 0.16, 0.19, 0.10, 0.08, 0.14, 0.10), strict=True)
)
_CONFIDENCE_WEIGHTS = dict(zip(CONFIDENCES, (0.30, 0.43, 0.27), strict=True))
_PERPETRATOR_WEIGHTS = dict(
    zip((*PERPETRATOR_TYPES[:4], "unidentified"), (0.16, 0.37, 0.22, 0.12, 0.13), strict=True)
)
_PRECISION_WEIGHTS = dict(zip(LOCATION_PRECISIONS[:4], (0.59, 0.31, 0.075, 0.025), strict=True))
_MOTIVATION_RAW = {
    "predation": ("cattle theft", "predation", "Predation", "looting for gain", "pillage"),
    "extraction": ("illegal taxation", "extraction", "extortion", "racket"),
    "revenge": ("reprisal", "retaliation", "revenge", "Revenge", "représailles"),
    "collateral": ("collateral damage", "collateral", "crossfire"),
    "political": ("political", "political intimidation", "politique"),
    "punitive": ("punitive", "collective punishment", "punition collective"),
    "unknown": ("to be assessed", "unknown", "inconnu", "à déterminer"),
}
_MOTIVATION_RAW_MISSING = 0.05
_PERPETRATOR_NAMES = {
    "state_forces": ("Carana Armed Forces (CAF)", "Presidential Guard", "National Gendarmerie"),
    "non_state_armed_group": (
        "Union des combattants du fleuve (UCF)",
        "Armée de libération de Tessi (ALT)",
        "Brigades de l'Ouassa (BO)",
        "Front uni de la Savane (FUS)",
    ),
    "community_militia": ("Abourou self-defence group", "Dimoura self-defence group"),
    "criminal": ("Highway bandits",),
    "unidentified": (),
}
_PERPETRATOR_NAME_MISSING = 0.25
_VICTIM_GROUPS = {
    "": 0.32,
    "women": 0.17,
    "children": 0.12,
    "displaced": 0.10,
    "women;children": 0.07,
    "women;displaced": 0.04,
    "children;displaced": 0.04,
    "elderly": 0.035,
    "women;elderly": 0.02,
    "women;children;displaced": 0.015,
    "children;elderly": 0.013,
    "disabled": 0.01,
    "women;children;elderly": 0.01,
    "elderly;displaced": 0.008,
    "women;disabled": 0.005,
}
# The source's own event type, as ACLED exports write it (empty: a mission's own report).
_EVENT_TYPES = {
    "": 0.55,
    "Violence against civilians: Attack": 0.25,
    "Violence against civilians: Abduction/forced disappearance": 0.05,
    "Riots: Looting/property destruction": 0.10,
    "Battles: Armed clash": 0.05,
}
_SOURCES = {
    "Human Rights Division (synthetic)": 0.35,
    "JOC (synthetic)": 0.25,
    "Partner NGO (synthetic)": 0.22,
    "UNPOL (synthetic)": 0.10,
    "Civil Affairs community alert network (synthetic)": 0.08,
}


@dataclass(frozen=True)
class SyntheticSet:
    """One generated set: ``folder`` laid out like ``sample_data/``; ``csv`` its incidents."""

    size: int
    seed: int
    folder: Path
    meta: dict

    @property
    def csv(self) -> Path:
        return self.folder / FILES["incidents"]


def ensure_set(size: int, seed: int = SEED, cache_dir: Path = CACHE_DIR) -> SyntheticSet:
    """The set of ``size`` incidents for ``seed``: read from the cache, else generated.

    Parameters
    ----------
    size : how many incidents (at least 1).
    seed : the seed of the one random generator.
    cache_dir : where sets are kept, one folder per size and seed.
    """
    if size < 1:
        raise ValueError(f"`size` was {size} but is expected to be at least 1")
    folder = Path(cache_dir) / f"incidents-{size}-seed{seed}"
    meta_path = folder / "bench_meta.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("generator_version") == GENERATOR_VERSION:
            return SyntheticSet(size, seed, folder, {**meta, "cached": True})
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    for layer, name in FILES.items():
        if layer != "incidents":
            shutil.copyfile(SAMPLE_DIR / name, folder / name)
    frame = incidents(size, seed)
    frame.to_csv(folder / FILES["incidents"], index=False, encoding="utf-8")
    meta = {
        "generator_version": GENERATOR_VERSION,
        "size": size,
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 3),
        "csv_bytes": (folder / FILES["incidents"]).stat().st_size,
    }
    # Written last: a folder without it is a set whose writing was interrupted.
    meta_path.write_text(json.dumps(meta, indent=1))
    return SyntheticSet(size, seed, folder, {**meta, "cached": False})


def incidents(size: int, seed: int = SEED) -> pd.DataFrame:
    """``size`` synthetic incidents as text columns in ``sample_data/incidents.csv``'s order."""
    rng = np.random.default_rng(seed)
    admin = gpd.read_file(SAMPLE_DIR / FILES["admin_boundaries"], engine="pyogrio")
    presence = gpd.read_file(SAMPLE_DIR / FILES["mission_presence"], engine="pyogrio")
    lon, lat, day, admin2_row = _places_and_days(rng, admin, size)
    order = np.lexsort((lon, day))  # by date, as the sample
    lon, lat, day, admin2_row = lon[order], lat[order], day[order], admin2_row[order]

    admin2 = admin[admin["level"].astype(str) == "2"].reset_index(drop=True)
    admin1_names = admin.set_index("admin_id")["name"]
    admin2_name = admin2["name"].to_numpy(dtype=object)[admin2_row]
    admin1_name = admin2["parent_id"].map(admin1_names).to_numpy(dtype=object)[admin2_row]

    incident_type = _draw(rng, _INCIDENT_TYPE_WEIGHTS, size)
    motivation = _draw(rng, _MOTIVATION_WEIGHTS, size)
    perpetrator = _draw(rng, _PERPETRATOR_WEIGHTS, size)
    precision = _draw(rng, _PRECISION_WEIGHTS, size)
    confidence = _draw(rng, _CONFIDENCE_WEIGHTS, size)
    confidence[motivation == "unknown"] = None
    fatalities, injured, abducted = _victim_counts(rng, incident_type)
    columns = {
        "incident_id": _ids(size),
        "date": np.datetime_as_string(PERIOD_START + day.astype("timedelta64[D]"), unit="D"),
        "incident_type": incident_type,
        "motivation": motivation,
        "motivation_raw": _conditional(rng, motivation, _MOTIVATION_RAW, _MOTIVATION_RAW_MISSING),
        "motivation_confidence": confidence,
        "perpetrator_type": perpetrator,
        "perpetrator_name": _conditional(
            rng, perpetrator, _PERPETRATOR_NAMES, _PERPETRATOR_NAME_MISSING
        ),
        "fatalities": fatalities,
        "injured": injured,
        "abducted": abducted,
        "victim_groups": _draw(rng, _VICTIM_GROUPS, size),
        "location_precision": precision,
        "admin1": admin1_name,
        # As in the sample: an incident known only to its admin1 has no admin2.
        "admin2": np.where(precision == "admin1", None, admin2_name),
        "field_office": _field_offices(presence, admin, lon, lat),
        "source": _draw(rng, _SOURCES, size),
        "event_type_raw": _draw(rng, _EVENT_TYPES, size),
        "narrative": _narratives(incident_type, admin2_name),
        # Known to the day; one figure each (no linked reports from other sources).
        "date_precision": np.full(size, None),
        "fatalities_low": np.full(size, None),
        "fatalities_high": np.full(size, None),
        "longitude": np.char.mod(f"%.{COORDINATE_DECIMALS}f", lon),
        "latitude": np.char.mod(f"%.{COORDINATE_DECIMALS}f", lat),
    }
    frame = pd.DataFrame(columns)
    frame["victim_groups"] = frame["victim_groups"].replace("", None)
    header = _sample_header()
    if list(frame.columns) != header:
        raise RuntimeError(f"generated columns {list(frame.columns)} differ from {header}")
    return frame


def _sample_header() -> list[str]:
    with open(SAMPLE_DIR / FILES["incidents"], encoding="utf-8") as sample:
        return sample.readline().strip().split(",")


def _draw(rng: np.random.Generator, weights: dict[str, float], size: int) -> np.ndarray:
    names = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=float)
    return names[rng.choice(len(names), size=size, p=p / p.sum())]


def _conditional(
    rng: np.random.Generator,
    keys: np.ndarray,
    choices: dict[str, tuple[str, ...]],
    missing: float,
) -> np.ndarray:
    """One of ``choices[key]`` for each key, uniformly; ``None`` for a ``missing`` share."""
    out = np.full(len(keys), None, dtype=object)
    pick = rng.random(len(keys))
    for key, options in choices.items():
        rows = np.flatnonzero(keys == key)
        if options and len(rows):
            out[rows] = np.array(options, dtype=object)[(pick[rows] * len(options)).astype(int)]
    out[rng.random(len(keys)) < missing] = None
    return out


def _victim_counts(
    rng: np.random.Generator, incident_type: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(incident_type)
    killing = incident_type == "killing"
    fatalities = np.where(killing, 1 + rng.poisson(0.9, n), rng.poisson(0.05, n))
    fatalities = np.where(incident_type == "attack_on_idp_site", rng.poisson(1.0, n), fatalities)
    injured = np.where(incident_type == "injury", 1 + rng.poisson(1.0, n), rng.poisson(0.35, n))
    abducted = np.where(incident_type == "abduction", 1 + rng.poisson(1.2, n), rng.poisson(0.01, n))
    return fatalities, injured, abducted


def _ids(size: int) -> np.ndarray:
    digits = max(6, len(str(size)))
    return np.char.add("BENCH-", np.char.zfill(np.arange(1, size + 1).astype(str), digits))


def _narratives(incident_type: np.ndarray, admin2_name: np.ndarray) -> np.ndarray:
    labels = pd.Series(incident_type).map(INCIDENT_TYPE_LABELS).to_numpy(dtype=object)
    # A comma, as field reports have: the CSV quotes every narrative, as exports do.
    return (
        "[SYNTHETIC] " + labels + " reported near " + admin2_name + ", as a field office "
        "would word it (benchmark data)."
    )


def _places_and_days(
    rng: np.random.Generator, admin: gpd.GeoDataFrame, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Longitude, latitude, day of the period and admin2 row of ``size`` incidents."""
    admin2 = admin[admin["level"].astype(str) == "2"].reset_index(drop=True)
    west, south, east, north = admin2.total_bounds
    centres = _inside(rng, admin2, CLUSTERS * 4)[:CLUSTERS]
    sigma = rng.uniform(*CLUSTER_SIGMA_DEG, CLUSTERS)
    share = rng.dirichlet(np.full(CLUSTERS, 1.5))
    # Each cluster is active for a window of the period (a few months to all of it).
    length = rng.integers(90, PERIOD_DAYS + 1, CLUSTERS)
    first = (rng.random(CLUSTERS) * (PERIOD_DAYS - length + 1)).astype(np.int64)

    p = [*share * (1 - BACKGROUND_SHARE), BACKGROUND_SHARE]  # the last: background
    parts: list[tuple[np.ndarray, ...]] = []
    found = 0
    while found < size:
        batch = int((size - found) * 1.3) + 64
        cluster = rng.choice(CLUSTERS + 1, size=batch, p=p)
        clustered = cluster < CLUSTERS
        c = np.where(clustered, cluster, 0)
        lon = np.where(
            clustered,
            centres[c, 0] + rng.normal(0, 1, batch) * sigma[c],
            rng.uniform(west, east, batch),
        )
        lat = np.where(
            clustered,
            centres[c, 1] + rng.normal(0, 1, batch) * sigma[c],
            rng.uniform(south, north, batch),
        )
        day = np.where(
            clustered,
            first[c] + (rng.random(batch) * length[c]).astype(np.int64),
            rng.integers(0, PERIOD_DAYS, batch),
        )
        # Rounded before the test, so the written coordinates are the ones found inside.
        lon, lat = lon.round(COORDINATE_DECIMALS), lat.round(COORDINATE_DECIMALS)
        point, area = _admin2_of(admin2, lon, lat)
        parts.append((lon[point], lat[point], day[point], area))
        found += len(point)
    lon, lat, day, area = (np.concatenate(p)[:size] for p in zip(*parts, strict=True))
    return lon, lat, day, area


def _inside(rng: np.random.Generator, admin2: gpd.GeoDataFrame, count: int) -> np.ndarray:
    """``count`` points drawn uniformly inside ``admin2`` (rejection sampling)."""
    west, south, east, north = admin2.total_bounds
    kept: list[np.ndarray] = []
    while sum(len(k) for k in kept) < count:
        lon = rng.uniform(west, east, count * 3)
        lat = rng.uniform(south, north, count * 3)
        point, _ = _admin2_of(admin2, lon, lat)
        kept.append(np.column_stack([lon[point], lat[point]]))
    return np.concatenate(kept)[:count]


def _admin2_of(
    admin2: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the points inside an admin2 area, and that area's row (a spatial join)."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=admin2.crs)
    joined = gpd.sjoin(points, admin2[["geometry"]], how="inner", predicate="within")
    # A point on a shared border falls in two areas: keep one, so each point counts once.
    joined = joined[~joined.index.duplicated()].sort_index()
    return joined.index.to_numpy(), joined["index_right"].to_numpy()


def _field_offices(
    presence: gpd.GeoDataFrame, admin: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    """The office whose area of responsibility holds each point, else the nearest office."""
    areas = presence[presence["kind"] == "area_of_responsibility"].reset_index(drop=True)
    offices = presence[presence["kind"] == "field_office"].reset_index(drop=True)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=admin.crs)
    joined = gpd.sjoin(points, areas[["field_office", "geometry"]], predicate="within")
    joined = joined[~joined.index.duplicated()]
    out = np.full(len(lon), None, dtype=object)
    out[joined.index.to_numpy()] = joined["field_office"].to_numpy(dtype=object)
    uncovered = np.flatnonzero(pd.isna(out))
    if len(uncovered):
        to_metres = pyproj.Transformer.from_crs(admin.crs, mission_crs(admin), always_xy=True)
        x, y = to_metres.transform(lon[uncovered], lat[uncovered])
        ox, oy = to_metres.transform(offices.geometry.x.to_numpy(), offices.geometry.y.to_numpy())
        nearest = np.argmin(np.hypot(x[:, None] - ox[None, :], y[:, None] - oy[None, :]), axis=1)
        out[uncovered] = offices["field_office"].to_numpy(dtype=object)[nearest]
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.synthetic SIZE [--seed N]``: make (or find) one set, print its meta."""
    import argparse

    from bench.case import peak_rss_mb

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("size", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    args = parser.parse_args(argv)
    made = ensure_set(args.size, args.seed, args.cache_dir)
    print(json.dumps({**made.meta, "folder": str(made.folder), "peak_rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main()
