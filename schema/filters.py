"""The filter value: which incidents the analyst asked to see.

Applied by ``analysis.filters`` (in memory) and ``store.pg_cells`` (in SQL); drawn by the
page's sidebar and the command line's options.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IncidentFilter:
    """What the analyst asked to see. An empty set means "no restriction"."""

    start: dt.date | None = None
    end: dt.date | None = None
    motivations: frozenset[str] = field(default_factory=frozenset)
    perpetrator_types: frozenset[str] = field(default_factory=frozenset)
    incident_types: frozenset[str] = field(default_factory=frozenset)
    victim_groups: frozenset[str] = field(default_factory=frozenset)
    field_offices: frozenset[str] = field(default_factory=frozenset)
    admin1: frozenset[str] = field(default_factory=frozenset)
    admin2: frozenset[str] = field(default_factory=frozenset)
