"""The coast of Carana: a wobbling ellipse, split into a central zone and outer sectors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from sample_data.carana.geometry import metric_of
from sample_data.carana.settings import (
    CENTRAL_RHO,
    CENTRE_LONLAT,
    COAST_SIMPLIFY_M,
    KM,
    MAX_SEED_RHO,
    N_HARMONICS,
    N_OUTLINE_VERTICES,
    N_SECTORS,
    SEMI_AXES_KM,
    WOBBLE_LIMITS,
)


@dataclass(frozen=True)
class Outline:
    """A star-shaped coast: an ellipse whose radius wobbles with a few harmonics.

    Zones split the country for the admin1 areas: zone 0 is the centre (radius share below
    :data:`CENTRAL_RHO`), zones 1..N_SECTORS are angular sectors beyond it.
    """

    centre: np.ndarray
    amplitudes: np.ndarray
    phases: np.ndarray
    sector_start: float

    def radius(self, theta: np.ndarray) -> np.ndarray:
        """Distance from the centre to the coast at each angle, in metres."""
        theta = np.atleast_1d(np.asarray(theta, dtype=float))
        a, b = (axis * KM for axis in SEMI_AXES_KM)
        ellipse = a * b / np.hypot(b * np.cos(theta), a * np.sin(theta))
        k = np.arange(2, 2 + len(self.amplitudes))[:, None]
        wobble = 1 + np.sum(
            self.amplitudes[:, None] * np.cos(k * theta + self.phases[:, None]), axis=0
        )
        return ellipse * np.clip(wobble, *WOBBLE_LIMITS)

    def at(self, theta: npt.ArrayLike, rho: npt.ArrayLike) -> np.ndarray:
        """Points at angles ``theta`` and radius shares ``rho``, as an ``(n, 2)`` array."""
        theta = np.atleast_1d(np.asarray(theta, dtype=float))
        r = np.atleast_1d(rho) * self.radius(theta)
        return self.centre + np.column_stack([r * np.cos(theta), r * np.sin(theta)])

    def sector_mid(self, zone: int) -> float:
        """The middle angle of an outer zone."""
        return self.sector_start + (zone - 0.5) * 2 * np.pi / N_SECTORS

    def draw(self, rng: np.random.Generator, zone: int, n: int) -> np.ndarray:
        """``n`` random points inside ``zone`` (away from the coast)."""
        u = rng.uniform(size=n)
        if zone == 0:
            theta = rng.uniform(0.0, 2 * np.pi, n)
            return self.at(theta, CENTRAL_RHO * np.sqrt(u))
        width = 2 * np.pi / N_SECTORS
        theta = self.sector_start + (zone - 1 + rng.uniform(size=n)) * width
        rho = np.sqrt(CENTRAL_RHO**2 + u * (MAX_SEED_RHO**2 - CENTRAL_RHO**2))
        return self.at(theta, rho)

    def polygon(self) -> BaseGeometry:
        """The coast as a polygon in metres."""
        theta = np.linspace(0.0, 2 * np.pi, N_OUTLINE_VERTICES, endpoint=False)
        return shapely.Polygon(self.at(theta, 1.0)).simplify(COAST_SIMPLIFY_M)


def draw_outline(rng: np.random.Generator) -> Outline:
    k = np.arange(2, 2 + N_HARMONICS)
    centre = metric_of(np.array([CENTRE_LONLAT]))[0]
    return Outline(
        centre=centre,
        amplitudes=rng.uniform(0.3, 1.0, N_HARMONICS) * 0.25 / k**1.4,
        phases=rng.uniform(0.0, 2 * np.pi, N_HARMONICS),
        sector_start=float(rng.uniform(0.0, 2 * np.pi)),
    )
