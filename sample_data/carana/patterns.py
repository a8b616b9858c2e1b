"""Where and when every incident happens: the background and the six planted patterns.

:func:`locate_incidents` draws points (metres) and days; the codes come later, in
:mod:`sample_data.carana.incidents`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from sample_data.carana.features import Features
from sample_data.carana.geography import Country
from sample_data.carana.political import milestone_date
from sample_data.carana.settings import (
    BACKGROUND_MIX,
    CAPITAL_WEIGHT,
    CHECKPOINT_RADIUS_KM,
    CHECKPOINT_SIGMA_KM,
    CORRIDOR_MAX_KM,
    CORRIDOR_RATES_PER_30_DAYS,
    CORRIDOR_SIGMA_KM,
    CORRIDOR_SIGNED,
    CORRIDOR_VIOLATED,
    GAP_RADIUS_KM,
    GAP_SIGMA_KM,
    INCIDENTS_PER_CHECKPOINT,
    KM,
    LAND_MARGIN_M,
    N_BACKGROUND,
    N_GAP,
    N_OPERATION,
    OPERATION_END,
    OPERATION_SIGMA_KM,
    OPERATION_START,
    PERIOD_END,
    PERIOD_START,
    ROAD_SIGMA_KM,
    SURGE_DAYS,
    SURGE_MILESTONE_ID,
    SURGE_MULTIPLIER,
    TOWN_SIGMA_KM,
)


def _sample(
    rng: np.random.Generator,
    n: int,
    draw: Callable[[int], np.ndarray],
    accept: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """``n`` points from ``draw`` that pass ``accept`` (rejection sampling)."""
    kept = np.empty((0, 2))
    while len(kept) < n:
        batch = draw(max(2 * (n - len(kept)), 16))
        kept = np.vstack([kept, batch[accept(batch)]])
    return kept[:n]


def _near(
    rng: np.random.Generator, centres: np.ndarray, weights: np.ndarray, sigma_km: float
) -> Callable[[int], np.ndarray]:
    def draw(n: int) -> np.ndarray:
        idx = rng.choice(len(centres), size=n, p=weights / weights.sum())
        return centres[idx] + rng.normal(0.0, sigma_km * KM, (n, 2))

    return draw


def _along(
    rng: np.random.Generator, lines: Sequence[LineString], sigma_km: float
) -> Callable[[int], np.ndarray]:
    lengths = np.array([line.length for line in lines])
    geoms = np.empty(len(lines), dtype=object)
    geoms[:] = list(lines)

    def draw(n: int) -> np.ndarray:
        idx = rng.choice(len(lines), size=n, p=lengths / lengths.sum())
        where = shapely.line_interpolate_point(geoms[idx], rng.uniform(size=n), normalized=True)
        return shapely.get_coordinates(where) + rng.normal(0.0, sigma_km * KM, (n, 2))

    return draw


def _group(xy: np.ndarray, days: np.ndarray, pattern: str, detail: Any = None) -> pd.DataFrame:
    return pd.DataFrame(
        {"x": xy[:, 0], "y": xy[:, 1], "day": days, "pattern": pattern, "detail": detail}
    )


def _day(d: date) -> int:
    return (d - PERIOD_START).days


def locate_incidents(
    rng: np.random.Generator, country: Country, features: Features
) -> pd.DataFrame:
    """Where and when every incident happened, with the pattern it belongs to."""
    inland = country.land_m.buffer(-LAND_MARGIN_M)

    def on_land(xy: np.ndarray) -> np.ndarray:
        return shapely.contains_xy(inland, xy[:, 0], xy[:, 1])

    def within(centre: np.ndarray, radius_km: float) -> Callable[[np.ndarray], np.ndarray]:
        return lambda xy: on_land(xy) & (np.hypot(*(xy - centre).T) <= radius_km * KM)

    n_days = _day(PERIOD_END) + 1
    groups = []
    # background: near towns, along roads and anywhere, in fixed proportions
    towns = country.towns
    weights = np.where(towns["capital"], CAPITAL_WEIGHT, 1.0)
    minx, miny, maxx, maxy = country.land_m.bounds
    draws = {
        "town": _near(rng, towns[["x", "y"]].to_numpy(), weights, TOWN_SIGMA_KM),
        "road": _along(rng, [line for _, line in country.roads], ROAD_SIGMA_KM),
        "anywhere": lambda n: np.column_stack(
            [rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)]
        ),
    }
    for kind, share in BACKGROUND_MIX.items():
        n = round(N_BACKGROUND * share)
        xy = _sample(rng, n, draws[kind], on_land)
        groups.append(_group(xy, rng.integers(0, n_days, n), "background"))
    # 5: the surge before the planted negotiation round doubles the background rate
    milestone = _day(date.fromisoformat(milestone_date(SURGE_MILESTONE_ID)))
    n_surge = round(N_BACKGROUND / n_days * SURGE_DAYS * (SURGE_MULTIPLIER - 1))
    mix = rng.choice(list(BACKGROUND_MIX), size=n_surge, p=list(BACKGROUND_MIX.values()))
    for kind in BACKGROUND_MIX:
        n = int(np.sum(mix == kind))
        xy = _sample(rng, n, draws[kind], on_land)
        groups.append(_group(xy, rng.integers(milestone - SURGE_DAYS, milestone, n), "surge"))
    # 1: revenge along the corridor, falling while the agreement holds
    corridor = features.corridor

    def near_corridor(xy: np.ndarray) -> np.ndarray:
        return on_land(xy) & (
            shapely.distance(shapely.points(xy), corridor) <= CORRIDOR_MAX_KM * KM
        )

    bounds = (0, _day(CORRIDOR_SIGNED), _day(CORRIDOR_VIOLATED), n_days)
    for (lo, hi), rate in zip(pairwise(bounds), CORRIDOR_RATES_PER_30_DAYS, strict=True):
        n = round(rate * (hi - lo) / 30)
        xy = _sample(rng, n, _along(rng, [corridor], CORRIDOR_SIGMA_KM), near_corridor)
        groups.append(_group(xy, rng.integers(lo, hi, n), "revenge_corridor"))
    # 2: extraction at the checkpoints of the mining road, all period long
    for k, checkpoint in enumerate(features.checkpoints, start=1):
        xy = _sample(
            rng,
            INCIDENTS_PER_CHECKPOINT,
            _near(rng, checkpoint[None, :], np.ones(1), CHECKPOINT_SIGMA_KM),
            within(checkpoint, CHECKPOINT_RADIUS_KM),
        )
        groups.append(
            _group(
                xy,
                rng.integers(0, n_days, INCIDENTS_PER_CHECKPOINT),
                "extraction_checkpoints",
                f"CP{k}",
            )
        )
    # 3: collateral harm in the operation's area and window
    area = features.operation_area
    centre = np.array(area.centroid.coords[0])
    xy = _sample(
        rng,
        N_OPERATION,
        _near(rng, centre[None, :], np.ones(1), OPERATION_SIGMA_KM),
        lambda xy: on_land(xy) & shapely.contains_xy(area, xy[:, 0], xy[:, 1]),
    )
    groups.append(
        _group(
            xy,
            rng.integers(_day(OPERATION_START), _day(OPERATION_END) + 1, N_OPERATION),
            "collateral_operation",
        )
    )
    # 6: the hot spot nobody works on
    xy = _sample(
        rng,
        N_GAP,
        _near(rng, country.hot_spot[None, :], np.ones(1), GAP_SIGMA_KM),
        within(country.hot_spot, GAP_RADIUS_KM),
    )
    groups.append(_group(xy, rng.integers(0, n_days, N_GAP), "protection_gap"))
    return pd.concat(groups, ignore_index=True)
