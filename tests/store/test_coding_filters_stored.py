"""Suggestion-coded incidents stay distinguishable once stored, on both backends: the
origin an analyst's edit records is read back, the in-memory filter keeps them apart, and
PostGIS counts the same incidents in SQL."""

from __future__ import annotations

import pandas as pd

from access.roles import ANALYST, Caller
from access.session import Session
from analysis.filters import filter_incidents
from schema.filters import IncidentFilter
from tests.store import helpers


def test_an_accepted_suggestion_is_told_apart_after_storing(store):
    rows = helpers.incidents(12, "S", seed=3)
    store.commit_batch(
        helpers.new_batch("incidents", rows, b"s"),
        rows,
        report=helpers.REPORT,
        original=b"s",
        id_column="incident_id",
    )
    session = Session(store, Caller("ana", ANALYST, None))
    for i in (0, 1, 2):
        session.edit_motivation(
            f"S-{i}",
            motivation="predation",
            confidence="possible",
            reason="rule",
            origin="suggestion",
        )
    session.edit_motivation("S-3", motivation="punitive", confidence="confirmed", reason="witness")
    session.edit_motivation("S-4", confidence="confirmed", reason="second source")  # origin kept

    incidents = session.layer("incidents")
    origins = dict(zip(incidents["incident_id"], incidents["motivation_origin"], strict=True))
    assert [origins[f"S-{i}"] for i in range(4)] == ["suggestion"] * 3 + ["analyst"]
    assert pd.isna(origins["S-4"]) or origins["S-4"] == ""  # as sent: nothing recorded

    def chosen(selection: IncidentFilter) -> list[str]:
        return sorted(filter_incidents(incidents, selection)["incident_id"])

    suggested = IncidentFilter(motivation_origins=frozenset({"suggestion"}))
    assert chosen(suggested) == ["S-0", "S-1", "S-2"]
    not_suggested = IncidentFilter(motivation_origins=frozenset({"source", "analyst"}))
    assert len(chosen(not_suggested)) == 9 and "S-0" not in chosen(not_suggested)
    firm = IncidentFilter(confidences=frozenset({"confirmed", "probable"}))
    assert len(chosen(firm)) == 9  # the three possible ones left out
    if session.counts_in_sql():  # PostGIS: the SQL filter counts the very same incidents
        for selection in (suggested, not_suggested, firm):
            assert session.incident_extent(selection)[1] == len(chosen(selection))
