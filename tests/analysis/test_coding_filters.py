"""Restricting the analysis by how sure the coding is and by who coded it (issue 23).

The tiny mission's incidents, with confidences and origins set here:

T-1 revenge    confirmed  source (empty)      T-5 collateral possible   suggestion
T-2 revenge    probable   analyst             T-6 political  (none)     source (written)
T-3 predation  possible   suggestion          T-7 punitive   confirmed  (missing)
T-4 extraction probable   (missing)           T-8 unknown    (none)     (missing)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.filters import filter_incidents, motivation_origins, summarise
from analysis.selection_index import index_incidents
from schema.filters import IncidentFilter
from tests.tiny_mission import tiny_mission

CONFIDENCE = ["confirmed", "probable", "possible", "probable", "possible", None, "confirmed", None]
ORIGIN = ["", "analyst", "suggestion", None, "suggestion", "source", None, None]


@pytest.fixture(scope="module")
def incidents():
    frame = tiny_mission().incidents.copy()
    frame["motivation_confidence"] = pd.array(CONFIDENCE, dtype="str")
    frame["motivation_origin"] = pd.array(ORIGIN, dtype="str")
    return frame


FIRM = frozenset({"confirmed", "probable"})


def _ids(frame) -> list[str]:
    return sorted(frame["incident_id"])


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (IncidentFilter(), [f"T-{i}" for i in range(1, 9)]),
        # No confidence recorded (T-6, T-8) passes only when none is asked for.
        (IncidentFilter(confidences=FIRM), ["T-1", "T-2", "T-4", "T-7"]),
        (IncidentFilter(confidences=frozenset({"possible"})), ["T-3", "T-5"]),
        # An empty or missing origin is "source", as sent.
        (
            IncidentFilter(motivation_origins=frozenset({"source"})),
            ["T-1", "T-4", "T-6", "T-7", "T-8"],
        ),
        (IncidentFilter(motivation_origins=frozenset({"suggestion"})), ["T-3", "T-5"]),
        (
            IncidentFilter(motivation_origins=frozenset({"analyst", "source"})),
            ["T-1", "T-2", "T-4", "T-6", "T-7", "T-8"],
        ),
        (
            IncidentFilter(
                confidences=frozenset({"confirmed", "probable"}),
                motivation_origins=frozenset({"analyst", "suggestion"}),
            ),
            ["T-2"],
        ),
        (IncidentFilter(confidences=frozenset({"nonsense"})), []),
    ],
)
def test_confidence_and_origin_filters(incidents, selection, expected):
    assert _ids(filter_incidents(incidents, selection)) == expected
    # The map's integer masks keep exactly the same incidents, and count them the same.
    index = index_incidents(incidents)
    mask = index.mask(selection)
    assert sorted(incidents.loc[mask, "incident_id"]) == expected
    assert index.summary(mask) == summarise(filter_incidents(incidents, selection), len(incidents))


def test_origin_reads_empty_as_source_and_a_frame_without_the_column():
    frame = tiny_mission().incidents.copy()
    frame["motivation_origin"] = pd.array(ORIGIN, dtype="str")
    assert motivation_origins(frame).tolist() == [
        "source", "analyst", "suggestion", "source", "suggestion", "source", "source", "source"
    ]  # fmt: skip
    older = frame.drop(columns=["motivation_origin", "motivation_confidence"])
    assert (motivation_origins(older) == "source").all()
    selection = IncidentFilter(motivation_origins=frozenset({"source"}))
    assert len(filter_incidents(older, selection)) == len(older)
    assert index_incidents(older).mask(selection).all()
    firm = IncidentFilter(confidences=frozenset({"confirmed"}))
    assert filter_incidents(older, firm).empty
    assert not index_incidents(older).mask(firm).any()


def test_confirmed_and_probable_on_the_sample_leave_out_possible_and_not_assessed():
    from schema.mission import load_sample

    incidents = load_sample().incidents
    firm = filter_incidents(
        incidents, IncidentFilter(confidences=frozenset({"confirmed", "probable"}))
    )
    counts = incidents["motivation_confidence"].value_counts()
    assert len(firm) == counts["confirmed"] + counts["probable"] < len(incidents)
    # Every incident not yet assessed has no confidence in the sample: none is left.
    assert not (firm["motivation"] == "unknown").any()
    index = index_incidents(incidents)
    mask = index.mask(IncidentFilter(confidences=frozenset({"confirmed", "probable"})))
    assert np.array_equal(incidents.index[mask], firm.index)


def test_the_drivers_count_suggestion_coded_incidents_among_the_assessed(incidents):
    from analysis.drivers import drivers_caption, profile_by_admin

    frame = incidents.copy()
    # T-8 is not yet assessed: a suggestion on it is no code, so it is not counted.
    frame.loc[frame["incident_id"] == "T-8", "motivation_origin"] = "suggestion"
    table = profile_by_admin(frame).set_index("group")
    west, east = (next(g for g in table.index if g.startswith(side)) for side in ("West", "East"))
    # West: T-1, T-2, T-3 assessed (T-3 suggested); East: T-4..T-7 assessed (T-5 suggested).
    assert table.loc[west, ["coded_by_suggestion", "assessed"]].tolist() == [1, 3]
    assert table.loc[east, ["coded_by_suggestion", "assessed"]].tolist() == [1, 4]
    assert table.loc[west, "share_coded_by_suggestion"] == pytest.approx(1 / 3)
    caption = drivers_caption(table.reset_index())
    assert "2 of the 7 assessed incidents (29 %) were coded by accepting pocmap's" in caption
    none = profile_by_admin(frame.assign(motivation_origin="analyst"))
    assert (none["coded_by_suggestion"] == 0).all()
    assert "accepting pocmap's suggestion" not in drivers_caption(none)
