"""The filter value: which incidents the analyst asked to see.

Applied by ``analysis.filters`` (in memory), ``analysis.selection_index`` (the map's
integer masks) and ``store.pg_cells`` (in SQL); drawn by the page's sidebar and the
command line's options; put in words by ``briefing.figures.filter_items``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ORIGIN_WHEN_EMPTY = "source"
"""An incident whose ``motivation_origin`` is empty was coded as the file sent it."""


@dataclass(frozen=True)
class IncidentFilter:
    """What the analyst asked to see. An empty set means "no restriction".

    ``confidences`` keeps incidents whose ``motivation_confidence`` is one of them: an
    incident with no confidence recorded (every incident not yet assessed, and any coded
    without one) passes only when no confidence is asked for. It is not counted as
    "possible": restricting the analysis to confirmed and probable codes keeps only the
    codes someone vouched for, and asking for "possible" finds the thin ones, not the
    missing ones.

    ``motivation_origins`` keeps incidents whose ``motivation_origin`` (``source``,
    ``analyst``, ``suggestion``) is one of them; an empty stored origin is ``source``
    (:data:`ORIGIN_WHEN_EMPTY`: offices never send the field).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    motivations: frozenset[str] = field(default_factory=frozenset)
    perpetrator_types: frozenset[str] = field(default_factory=frozenset)
    incident_types: frozenset[str] = field(default_factory=frozenset)
    victim_groups: frozenset[str] = field(default_factory=frozenset)
    field_offices: frozenset[str] = field(default_factory=frozenset)
    admin1: frozenset[str] = field(default_factory=frozenset)
    admin2: frozenset[str] = field(default_factory=frozenset)
    confidences: frozenset[str] = field(default_factory=frozenset)
    motivation_origins: frozenset[str] = field(default_factory=frozenset)
