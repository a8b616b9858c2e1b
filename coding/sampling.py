"""Drawing a double-coding sample: a simple random sample, seeded and reproducible.

Simple, not stratified: kappa read as "how alike two analysts code this mission's
incidents" needs every incident of the filter equally likely to be drawn. Stratifying by
the stored motivation would lean on the code being checked (and ACLED or UCDP incidents all
arrive "not yet assessed", one stratum), and would need weights to say anything of the
whole. A rare motivation may then get few items; its per-motivation kappa says how few.

The draw depends only on the set of incident ids and the seed (the ids are sorted first),
so the same filter over the same data and the same seed draw the same sample again.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable

import numpy as np

from languages import _
from schema.filters import IncidentFilter

METHOD = "simple"
"""What :func:`draw` does, as a sample records it: a simple random sample without
replacement (every incident of the filter equally likely)."""


def new_seed() -> int:
    """A fresh seed (kept with the sample, so the draw can be made again)."""
    return secrets.randbelow(2**31 - 1) + 1


def draw(incident_ids: Iterable[str], size: int, seed: int) -> list[str]:
    """``size`` of ``incident_ids`` (repeats counted once), drawn at random without
    replacement with ``seed``, in the order drawn (the order coders meet them).

    Raises
    ------
    ValueError
        when ``size`` is below 1 or above the number of incidents.
    """
    population = sorted({str(i) for i in incident_ids})
    if not 1 <= size <= len(population):
        raise ValueError(
            _(
                "a sample of {size} incidents was asked for but the filter holds {n}; ask "
                "for 1 to {n}",
                size=size,
                n=len(population),
            )
        )
    chosen = np.random.default_rng(int(seed)).choice(len(population), size=size, replace=False)
    return [population[int(i)] for i in chosen]


def describe_filter(selection: IncidentFilter) -> str:
    """The filter a sample was drawn from, as JSON a person can read (and a program parse):
    the period, and each restriction's codes sorted; empty restrictions left out."""
    said: dict[str, object] = {}
    for name, value in vars(selection).items():
        if isinstance(value, dt.date):
            said[name] = value.isoformat()
        elif isinstance(value, frozenset) and value:
            said[name] = sorted(value)
    return json.dumps(said, ensure_ascii=False, sort_keys=True)
