"""The incidents (:func:`build_incidents`): located by :mod:`sample_data.carana.patterns`,
then given admin areas, precision, field office, codes, victims, raw wording and a narrative.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np
import pandas as pd
import shapely

from sample_data.carana.features import Features
from sample_data.carana.geography import Country
from sample_data.carana.geometry import lonlat_of
from sample_data.carana.patterns import locate_incidents
from sample_data.carana.presence import office_for
from sample_data.carana.settings import MINE_NAME, OPERATION_NAME, PERIOD_START
from sample_data.carana.tables import (
    ARMED_GROUP_NAMES,
    COLLATERAL_COUNT_FACTOR,
    COUNT_RULES,
    MOTIVATION_GIVEN_PERPETRATOR,
    MOTIVE_PHRASES,
    PERPETRATOR_WEIGHTS,
    PROFILES,
    RAW_MISSING_SHARE,
    RAW_MOTIVATION,
    STATE_ADMIN1_PERPETRATOR_WEIGHTS,
    STATE_FORCE_NAMES,
    TYPE_GIVEN_MOTIVATION,
    TYPE_PHRASES,
    VICTIM_GROUP_OVERRIDES,
    VICTIM_GROUP_PROBABILITIES,
)
from schema.incidents import MOTIVATIONS, PERPETRATOR_TYPES, VICTIM_GROUPS


def _draw_codes(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return rng.choice(np.array(keys, dtype=object), size=n, p=p / p.sum())


def _draw_conditional(
    rng: np.random.Generator,
    given: np.ndarray,
    order: Sequence[str],
    table: dict[str, dict[str, float]],
) -> np.ndarray:
    """One code per row drawn from ``table[given value]``, subsets in a fixed order."""
    out = np.empty(len(given), dtype=object)
    for value in order:
        rows = np.flatnonzero(given == value)
        if len(rows):
            out[rows] = _draw_codes(rng, table[value], len(rows))
    return out


def _join_admin(country: Country, lonlat: np.ndarray) -> np.ndarray:
    """Row position in ``country.admin`` of the admin2 area holding each point."""
    level2 = country.admin[country.admin["level"] == "2"]
    tree = shapely.STRtree(level2["geometry"].to_numpy())
    points, areas = tree.query(shapely.points(lonlat), predicate="intersects")
    first = pd.Series(areas).groupby(points).min()  # a point on a shared edge: lowest P-code
    if len(first) != len(lonlat):
        raise ValueError("an incident fell outside every admin2 area")
    return level2.index.to_numpy()[first.sort_index().to_numpy()]


def _place_and_code(
    rng: np.random.Generator, country: Country, offices: pd.DataFrame, located: pd.DataFrame
) -> pd.DataFrame:
    """Coordinates, admin areas, precision, perpetrators and motivations of every incident."""
    frame = located.copy()
    lonlat = lonlat_of(frame[["x", "y"]].to_numpy())
    admin = country.admin
    area_rows = _join_admin(country, lonlat)
    frame["admin2"] = admin.loc[area_rows, "name"].to_numpy()
    frame["zone"] = admin.loc[area_rows, "zone"].to_numpy()
    level1 = admin[admin["level"] == "1"].set_index("zone")
    frame["admin1"] = frame["zone"].map(level1["name"])
    frame["location_precision"] = None
    for pattern, profile in PROFILES.items():
        rows = np.flatnonzero(frame["pattern"] == pattern)
        frame.loc[rows, "location_precision"] = _draw_codes(rng, profile.precision, len(rows))
    # a vague location is reported at the seat of the area it names
    seats = admin.loc[area_rows, "seed"].to_numpy()
    vague2 = np.flatnonzero(frame["location_precision"] == "admin2")
    if len(vague2):
        lonlat[vague2] = lonlat_of(np.stack(seats[vague2]))
    vague1 = np.flatnonzero(frame["location_precision"] == "admin1")
    main_towns = country.towns.drop_duplicates("zone").set_index("zone")
    if len(vague1):
        towns_xy = main_towns.loc[frame["zone"].to_numpy()[vague1], ["x", "y"]].to_numpy()
        lonlat[vague1] = lonlat_of(towns_xy)
    frame.loc[vague1, "admin2"] = None
    frame["longitude"], frame["latitude"] = lonlat[:, 0], lonlat[:, 1]
    frame["field_office"] = office_for(offices, lonlat)

    frame["perpetrator_type"] = None
    frame["motivation"] = None
    state_zone = country.roles["state_forces"]
    for pattern, profile in PROFILES.items():
        rows = np.flatnonzero(frame["pattern"] == pattern)
        if profile.perpetrators is None:
            in_state = frame["zone"].to_numpy()[rows] == state_zone
            for mask, weights in (
                (in_state, STATE_ADMIN1_PERPETRATOR_WEIGHTS),
                (~in_state, PERPETRATOR_WEIGHTS),
            ):
                frame.loc[rows[mask], "perpetrator_type"] = _draw_codes(rng, weights, mask.sum())
        else:
            frame.loc[rows, "perpetrator_type"] = _draw_codes(rng, profile.perpetrators, len(rows))
        if profile.motivations is None:
            motivation = _draw_conditional(
                rng,
                frame["perpetrator_type"].to_numpy()[rows],
                PERPETRATOR_TYPES,
                MOTIVATION_GIVEN_PERPETRATOR,
            )
        else:
            motivation = _draw_codes(rng, profile.motivations, len(rows))
        motivation[rng.uniform(size=len(rows)) < profile.unknown_share] = "unknown"
        frame.loc[rows, "motivation"] = motivation
        frame.loc[rows, "motivation_confidence"] = np.where(
            motivation == "unknown",
            np.full(len(rows), None, dtype=object),
            _draw_codes(rng, profile.confidence, len(rows)),
        )
        frame.loc[rows, "source"] = _draw_codes(rng, profile.sources, len(rows))
    return frame


def _describe(
    rng: np.random.Generator, offices: pd.DataFrame, frame: pd.DataFrame, corridor_name: str
) -> pd.DataFrame:
    """Incident types, victims, raw motivations, perpetrator names and narratives."""
    n = len(frame)
    motivation = frame["motivation"].to_numpy()
    itype = _draw_conditional(rng, motivation, MOTIVATIONS, TYPE_GIVEN_MOTIVATION)
    frame["incident_type"] = itype
    factor = np.where(motivation == "collateral", COLLATERAL_COUNT_FACTOR, 1.0)
    for position, column in enumerate(("fatalities", "injured", "abducted")):
        minimum = np.array([COUNT_RULES[t][position][0] for t in itype])
        mean = np.array([COUNT_RULES[t][position][1] for t in itype]) * factor
        frame[column] = minimum + rng.poisson(mean)
    probabilities = np.array(
        [
            [
                VICTIM_GROUP_OVERRIDES.get(t, {}).get(g, p)
                for g, p in VICTIM_GROUP_PROBABILITIES.items()
            ]
            for t in itype
        ]
    )
    hit = rng.uniform(size=probabilities.shape) < probabilities
    groups = [";".join(g for g, h in zip(VICTIM_GROUPS, row, strict=True) if h) for row in hit]
    frame["victim_groups"] = [g or None for g in groups]

    french = (
        rng.uniform(size=n)
        < frame["field_office"].map(offices.set_index("name")["french_share"]).to_numpy()
    )
    pick = rng.uniform(size=n)
    raw = []
    for code, fr, u in zip(motivation, french, pick, strict=True):
        variants = RAW_MOTIVATION[code][int(fr)]
        raw.append(variants[int(u * len(variants))])
    frame["motivation_raw"] = np.where(
        rng.uniform(size=n) < RAW_MISSING_SHARE, np.full(n, None, dtype=object), raw
    )

    frame["perpetrator_name"] = _perpetrator_names(rng, frame)
    place = frame["admin2"].fillna(frame["admin1"]).to_numpy()
    where = np.array([f"near {p}" for p in place], dtype=object)
    pattern = frame["pattern"].to_numpy()
    where[pattern == "revenge_corridor"] = f"along the {corridor_name}"
    at_cp = pattern == "extraction_checkpoints"
    where[at_cp] = [f"at checkpoint {d} on the road to {MINE_NAME}" for d in frame["detail"][at_cp]]
    at_op = pattern == "collateral_operation"
    where[at_op] = [f"near {p} during {OPERATION_NAME}" for p in place[at_op]]
    frame["narrative"] = [
        f"[SYNTHETIC] {TYPE_PHRASES[t]} {w}; {MOTIVE_PHRASES[m]}."
        for t, w, m in zip(itype, where, motivation, strict=True)
    ]
    return frame


def _perpetrator_names(rng: np.random.Generator, frame: pd.DataFrame) -> list[str | None]:
    """A plausible name for most perpetrators; unidentified ones stay unnamed."""
    u, pick = rng.uniform(size=len(frame)), rng.uniform(size=len(frame))
    names: list[str | None] = []
    for kind, zone, admin2, admin1, a, b in zip(
        frame["perpetrator_type"],
        frame["zone"],
        frame["admin2"],
        frame["admin1"],
        u,
        pick,
        strict=True,
    ):
        if kind == "state_forces":
            names.append(STATE_FORCE_NAMES[int(b * len(STATE_FORCE_NAMES))] if a < 0.9 else None)
        elif kind == "non_state_armed_group":
            local = ARMED_GROUP_NAMES[zone]  # each region has its dominant group
            other = ARMED_GROUP_NAMES[int(b * len(ARMED_GROUP_NAMES))]
            names.append(local if a < 0.75 else other if a < 0.9 else None)
        elif kind == "community_militia":
            place = admin1 if pd.isna(admin2) else admin2
            names.append(f"{place} self-defence group" if a < 0.6 else None)
        elif kind == "criminal":
            names.append("Highway bandits" if a < 0.4 else None)
        else:
            names.append(None)
    return names


def build_incidents(rng: np.random.Generator, country: Country, features: Features) -> pd.DataFrame:
    """About 5,000 incidents: background plus the six planted patterns.

    Parameters
    ----------
    rng : the run's only source of randomness.
    country, features : from :func:`build_country` and :func:`build_features`.

    Returns
    -------
    One row per incident with the incidents SPEC columns, ``longitude``, ``latitude`` and
    ``pattern`` (the planted pattern it belongs to, or ``background``), sorted by date.
    """
    located = locate_incidents(rng, country, features)
    frame = _place_and_code(rng, country, features.offices, located)
    frame = _describe(rng, features.offices, frame, features.agreements[0]["name"])
    frame["date"] = [(PERIOD_START + timedelta(days=int(d))).isoformat() for d in frame["day"]]
    frame = frame.sort_values(["date", "longitude", "latitude", "pattern"], kind="stable")
    frame["incident_id"] = [f"INC-{i:06d}" for i in range(1, len(frame) + 1)]
    return frame.reset_index(drop=True)
