"""Data responsibility: what each disclosure level lets out of the incidents."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from analysis.metric import to_metric
from briefing.disclosure import (
    SHAREABLE_MIN_CELL_KM,
    SHAREABLE_MIN_COUNT,
    WITHHELD_COLUMNS,
    Disclosure,
)
from briefing.figures import key_figures, sources_text
from briefing.selection import prepare
from schema.filters import IncidentFilter
from schema.mission import load_sample
from tests.briefing.clustered import clumped

# Seven incidents in one spot, three in another far away, four in a third.
CLUMPS = [(1.25, -2.75, 7, "revenge"), (2.75, -2.25, 3, "predation"), (2.3, -2.8, 4, "political")]


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_levels_refuse_what_would_reveal_too_much():
    with pytest.raises(ValueError, match="at least 5 km"):
        Disclosure("shareable", cell_km=2)
    with pytest.raises(ValueError, match="at least 1 km"):
        Disclosure("points", precision_km=0.2)
    with pytest.raises(ValueError, match="expected to be in"):
        Disclosure("exact")
    with pytest.raises(ValueError, match="at least 1 km"):
        Disclosure("cells", cell_km=0.5)
    assert Disclosure("cells", cell_km=2).width_m(10_000) == 2_000
    assert Disclosure("cells").width_m(500) == 1_000  # never narrower than 1 km
    assert Disclosure("shareable").width_m(500) == SHAREABLE_MIN_CELL_KM * 1000
    assert Disclosure("shareable").width_m(12_000) == 12_000


def test_shareable_shows_no_cell_under_five_and_accounts_for_every_incident():
    data = clumped(CLUMPS)
    shared = prepare(data, disclosure=Disclosure("shareable", cell_km=10))
    cells = shared.cells
    assert shared.points is None
    assert cells.cells["incidents"].tolist() == [7]
    assert cells.cells["dominant_motivation"].tolist() == ["revenge"]
    assert (cells.suppressed_cells, cells.suppressed_incidents) == (2, 7)
    assert cells.shown_incidents + cells.suppressed_incidents == shared.incident_count == 14
    # The same selection at the internal cells level shows every clump.
    internal = prepare(data, disclosure=Disclosure("cells", cell_km=10)).cells
    assert sorted(internal.cells["incidents"]) == [3, 4, 7]
    assert internal.suppressed_incidents == 0


def test_shareable_cells_are_at_least_5_km_even_on_a_small_area():
    data = clumped([(1.01, -2.99, 6, "revenge")])
    area = data.admin_boundaries.iloc[:1].copy()
    area["geometry"] = area.geometry.scale(0.04, 0.08, origin=(1.0, -3.0))  # ~4 x 9 km
    data = dataclasses.replace(data, admin_boundaries=area)
    shared = prepare(data, disclosure=Disclosure("shareable"))
    internal = prepare(data, disclosure=Disclosure("cells"))
    assert internal.cells.width_m < SHAREABLE_MIN_CELL_KM * 1000  # the area's default
    assert shared.cells.width_m == SHAREABLE_MIN_CELL_KM * 1000
    # The key figures keep the analysis' own cells: only what is drawn is coarser.
    assert shared.analysis.hot_spots.counts.grid.width_m == 500  # the analysis default


def test_sample_shareable_cells_hold_the_rules(sample):
    shared = prepare(sample, disclosure=Disclosure("shareable"))
    cells = shared.cells
    assert cells.width_m >= SHAREABLE_MIN_CELL_KM * 1000
    assert (cells.cells["incidents"] >= SHAREABLE_MIN_COUNT).all()
    assert cells.suppressed_cells > 0
    assert cells.shown_incidents + cells.suppressed_incidents == len(sample.incidents)
    assert not WITHHELD_COLUMNS & set(cells.cells.columns)


def test_points_are_moved_to_the_centre_of_their_square(sample):
    for km in (1.0, 5.0):
        shown = prepare(sample, disclosure=Disclosure("points", precision_km=km))
        moved = to_metric(shown.points.geometry, shown.crs)
        real = to_metric(sample.incidents.geometry, shown.crs)
        side = km * 1000
        # Each point sits on a square's centre, within half a diagonal of the real spot.
        for axis in ("x", "y"):
            offset = getattr(moved, axis).to_numpy() / side - 0.5
            np.testing.assert_allclose(offset, np.round(offset), atol=1e-6)
        distance = moved.distance(real).to_numpy()
        assert distance.max() <= side * np.sqrt(2) / 2 + 1e-6
        assert (distance > 1).mean() > 0.99  # no exact location survives
        assert not WITHHELD_COLUMNS & set(shown.points.columns)
        assert len(shown.points) == len(sample.incidents)


def test_shareable_words_small_totals_as_fewer_than_five():
    data = clumped([(1.25, -2.75, 3, "revenge"), (2.75, -2.25, 1, "predation")])
    figures = {f.label: f for f in key_figures(prepare(data))}
    assert figures["Incidents"].value == "fewer than 5"
    assert figures["Fatalities"].value == "8"  # 2 each: a total of 5 or more is printed
    assert "3" not in figures["Top motivations"].value
    assert "Revenge fewer than 5" in figures["Top motivations"].value
    internal = {f.label: f for f in key_figures(prepare(data, disclosure=Disclosure("cells")))}
    assert internal["Incidents"].value == "4"
    for line in sources_text(prepare(data)):
        assert "(3)" not in line and "(1)" not in line


def test_shareable_cells_widen_until_most_incidents_show(sample):
    quarter = IncidentFilter(start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    widths = {}
    for name, selection in (("all", IncidentFilter()), ("quarter", quarter)):
        cells = prepare(sample, selection, Disclosure("shareable")).cells
        total = cells.shown_incidents + cells.suppressed_incidents
        widths[name] = cells.width_m
        assert cells.shown_incidents >= 0.8 * total
        assert (cells.cells["incidents"] >= SHAREABLE_MIN_COUNT).all()
    # Fewer incidents need wider cells to be shown at all; all are round widths.
    assert SHAREABLE_MIN_CELL_KM * 1000 < widths["all"] < widths["quarter"]
    assert {w / 1000 for w in widths.values()} <= {10, 20, 25, 50}
    # A width asked for is kept, however many cells it suppresses.
    asked = prepare(sample, quarter, Disclosure("shareable", cell_km=10)).cells
    assert asked.width_m == 10_000 and asked.shown_incidents < 0.8 * 420
