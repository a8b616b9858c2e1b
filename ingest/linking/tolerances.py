"""How close two reports must be to be one event, and which source each comes from."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ACLED = "ACLED"
UCDP = "UCDP GED"
OFFICE = "office"

LOCATION_ORDER = ("exact", "approximate", "admin2", "admin1", "country")
"""Most to least precise; anything else (or nothing) is read as ``approximate``."""
DATE_ORDER = ("day", "week", "month", "year")
"""Most to least precise; nothing is read as ``day``."""


def _frozen(values: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(values)


@dataclass(frozen=True)
class Tolerances:
    """The windows and weights links are proposed by (defaults from ACLED/UCDP practice).

    Two reports of different sources are candidates when their dates (each an interval: its day,
    or the week, month or year it is known to) are at most ``days`` apart and their points at
    most ``km`` plus each one's ``place_km`` apart (an ``admin1`` point stands for anywhere in
    about 150 km of it; a ``country`` point for anywhere: no distance is asked of it).

    Each candidate gets a score from 0 to 1, a weighted mean (``weights``) of five agreements,
    each 0..1 (MELTT's secondary criteria, with its taxonomies' levels):

    - ``time``: 1 on the same day, falling linearly to 0.5 at ``days`` apart; at most 0.75 when
      a date is known only to the week, 0.5 to the month, 0.25 to the year (``date_cap``);
    - ``place``: 1 at the same point, falling to 0.5 at ``km`` apart (beyond what the
      precision allows); at most 0.75 for an admin2 point, 0.5 admin1, 0.25 country;
    - ``type``: 1 the same incident type, 0.5 the same kind (bodily harm: killing, injury,
      attack, attack on a site of displaced people; or abduction and sexual violence; or
      looting and displacement), 0.2 otherwise (all are violence against civilians);
    - ``actor``: 1 named alike, 0.75 the same perpetrator type, 0.5 the same side (the state
      and forces allied to it; or armed groups, militias and criminals), 0.4 when one is
      unidentified, 0 when they contradict (the state's side, the UN mission and armed groups
      are three sides: such a link is never made without asking);
    - ``fatalities``: (fewer + 1) / (more + 1): 5 and 6 dead agree at 0.86, 0 and 3 at 0.25;
      0.5 when one is not given.

    One link per report per other source: the best-scoring (greedy, best first, as MELTT
    selects). A link scoring ``certain`` or more is made without asking when nothing
    contradicts and every other way of matching its two reports scores at least ``margin``
    less in total (:mod:`ingest.linking.rivals`); ``coarse_margin`` when a date is known only
    to the month or year or a place only to the admin1 (such a report fits many: in effect it
    is linked only when it is the one plausible candidate); country-level places are never
    certain. Links scoring ``possible`` or more and not certain go to an analyst.

    Within one source, reports of the same day and type, by the same perpetrator (by name when
    both name one, else by type), within ``duplicate_km``, are possible duplicates: never
    certain.
    """

    days: float = 5.0
    km: float = 25.0
    place_km: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {"exact": 0.0, "approximate": 5.0, "admin2": 50.0, "admin1": 150.0, "country": math.inf}
        )
    )
    date_cap: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"day": 1.0, "week": 0.75, "month": 0.5, "year": 0.25})
    )
    place_cap: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {"exact": 1.0, "approximate": 1.0, "admin2": 0.75, "admin1": 0.5, "country": 0.25}
        )
    )
    weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {"time": 0.2, "place": 0.2, "type": 0.15, "actor": 0.3, "fatalities": 0.15}
        )
    )
    margin: float = 0.02
    coarse_margin: float = 0.15
    duplicate_km: float = 1.0
    certain: float = 0.75
    possible: float = 0.5

    def __post_init__(self) -> None:
        if self.days < 0 or self.km <= 0:
            raise ValueError(
                f"`days` was {self.days} and `km` {self.km}: expected days >= 0 and km > 0"
            )
        if not 0 <= self.possible <= self.certain <= 1:
            raise ValueError(
                f"`possible` was {self.possible} and `certain` {self.certain}: expected "
                "0 <= possible <= certain <= 1"
            )
        missing = {"time", "place", "type", "actor", "fatalities"} - set(self.weights)
        if missing:
            raise ValueError(f"`weights` lacks {sorted(missing)}: expected a weight for each")


def source_family(source: str, office: str) -> str:
    """``'ACLED'``, ``'UCDP GED'``, or ``'office: <office>'`` (a mission's own reports).

    From the incident's ``source`` as the profiles write it (``'ACLED: <sources>'``,
    ``'UCDP GED: <source office>'``, or just ``'ACLED'``/``'UCDP GED'``; case and spaces
    aside) and the office that sent the batch.
    """
    text = " ".join(str(source or "").split()).casefold()
    for family in (ACLED, UCDP):
        name = family.casefold()
        if text == name or text.startswith(name + ":"):
            return family
    return f"{OFFICE}: {office}"


def family_rank(family: str, priority: tuple[str, ...] | list[str]) -> int:
    """Position of ``family`` in ``priority`` (``'office'`` standing for every office family);
    after all of them when not listed."""
    key = OFFICE if family.startswith(OFFICE + ":") else family
    return list(priority).index(key) if key in priority else len(priority)
