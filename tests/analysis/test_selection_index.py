"""The integer filters give exactly what the straightforward string filters give."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from analysis.filters import filter_incidents, summarise
from analysis.selection_index import index_incidents
from schema.filters import IncidentFilter
from schema.incidents import INCIDENT_TYPES, MOTIVATIONS, PERPETRATOR_TYPES, VICTIM_GROUPS
from schema.mission import load_sample
from tests.tiny_mission import tiny_mission


@pytest.fixture(scope="module")
def sample():
    return load_sample().incidents


def _random_selections(incidents, n: int, seed: int):
    rng = np.random.default_rng(seed)
    offices = [*sorted(incidents["field_office"].dropna().unique()), "Nowhere office"]
    admin1 = sorted(incidents["admin1"].dropna().unique())
    admin2 = sorted(incidents["admin2"].dropna().unique())
    first, last = incidents["date"].min().date(), incidents["date"].max().date()
    span = (last - first).days

    def some(values, p=0.5):
        if rng.random() > p:
            return frozenset()
        k = int(rng.integers(1, min(3, len(values)) + 1))
        return frozenset(rng.choice(values, size=k, replace=False).tolist())

    for _ in range(n):
        start = first + dt.timedelta(days=int(rng.integers(-10, span)))
        end = start + dt.timedelta(days=int(rng.integers(0, 400)))
        yield IncidentFilter(
            start=start if rng.random() < 0.7 else None,
            end=end if rng.random() < 0.7 else None,
            motivations=some(list(MOTIVATIONS)),
            perpetrator_types=some(list(PERPETRATOR_TYPES), 0.3),
            incident_types=some(list(INCIDENT_TYPES), 0.3),
            victim_groups=some(list(VICTIM_GROUPS), 0.3),
            field_offices=some(offices, 0.3),
            admin1=some(admin1, 0.2),
            admin2=some(admin2, 0.1),
        )


def test_masks_and_counts_equal_the_string_filters(sample):
    index = index_incidents(sample)
    for selection in [IncidentFilter(), *_random_selections(sample, 300, seed=4)]:
        expected = filter_incidents(sample, selection)
        mask = index.mask(selection)
        assert sample.index[mask].equals(expected.index), selection
        assert index.summary(mask) == summarise(expected, total=len(sample)), selection


def test_missing_values_never_match_and_dates_are_whole_days():
    incidents = tiny_mission().incidents.copy()
    incidents.loc[incidents.index[0], ["field_office", "victim_groups", "admin2"]] = None
    incidents.loc[incidents.index[1], "date"] = incidents.loc[incidents.index[1], "date"] + (
        np.timedelta64(23, "h")
    )
    index = index_incidents(incidents)
    day = incidents.loc[incidents.index[1], "date"].date()
    for selection in (
        IncidentFilter(start=day, end=day),
        IncidentFilter(field_offices=frozenset({"FO W"})),
        IncidentFilter(victim_groups=frozenset({"women", "displaced"})),
        IncidentFilter(admin2=frozenset({"nowhere"})),
    ):
        expected = filter_incidents(incidents, selection)
        assert incidents.index[index.mask(selection)].equals(expected.index), selection
    # Nothing matches a code that no incident has.
    assert not index.mask(dataclasses.replace(IncidentFilter(), motivations=frozenset({"x"}))).any()
