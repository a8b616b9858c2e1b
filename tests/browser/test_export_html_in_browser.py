"""The exported HTML map opened from a file in Debian's chromium: drawn with no network,
nothing fetched, hostile text shown as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from briefing.disclosure import Disclosure
from briefing.exports import export
from briefing.selection import Prepared, prepare
from schema.mission import load_sample
from tests.browser.test_joint_map_in_browser import INJECTED_JS, MAP_STATE_JS, OVERLAYS, Recorder
from tests.tiny_mission import XSS, tiny_mission

HOSTILE = XSS + "${alert(document.domain)}`</script><script>alert(3)</script><svg onload=alert(4)>"
LITERAL = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
CELL_OVERLAYS = [
    "Administrative boundaries",
    "Incidents per cell",
    "Mission presence",
    "Local agreements",
    "Local political processes",
    "National political process",
]
# The incident cells on the map: GeoJSON features carrying the cell layer's properties.
CELLS_JS = """(el) => {
    const map = Object.values(window).find((v) => v instanceof L.Map && v.getContainer() === el);
    let cells = 0;
    map.eachLayer((layer) => {
        if (layer instanceof L.Polygon && layer.options.pocmapCell) { cells++; }
    });
    return cells;
}"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Prepared, Path]]:
    """Standalone maps of the sample (shareable, points) and of a hostile tiny mission."""
    folder = tmp_path_factory.mktemp("export-html")
    sample, hostile = load_sample(), tiny_mission(HOSTILE)
    chosen = {
        "shareable": prepare(sample, disclosure=Disclosure("shareable")),
        "points": prepare(sample, disclosure=Disclosure("points")),
        "hostile": prepare(hostile, disclosure=Disclosure("points")),
        "hostile-cells": prepare(hostile, disclosure=Disclosure("cells", cell_km=5)),
    }
    return {
        name: (shown, export(shown, "html", folder / f"{name}.html"))
        for name, shown in chosen.items()
    }


def _open(page: Page, path: Path) -> Recorder:
    seen = Recorder(page)
    page.goto(path.as_uri())
    expect(page.locator(".leaflet-container")).to_be_visible()
    # The layer control and the legend are added after every layer: the script has run.
    expect(page.locator(".leaflet-control-layers")).to_be_visible()
    expect(page.locator(".pocmap-legend")).to_be_visible()
    return seen


def _overlays(page: Page) -> list[str]:
    control = page.locator(".leaflet-control-layers")
    control.hover()
    expect(control).to_have_class(re.compile("leaflet-control-layers-expanded"))
    labels = control.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    page.mouse.move(0, 0)
    return [label.strip() for label in labels]


def _nothing_left_the_file(seen: Recorder, path: Path) -> None:
    assert seen.requests, "the page itself is a request"
    fetched = {url for url in seen.requests if not url.startswith("data:")}
    assert fetched == {path.as_uri()}, f"the page asked for more than itself: {fetched}"
    assert seen.dialogs == [] and seen.errors == []


def test_the_shareable_export_draws_its_cells_from_the_file_alone(
    page: Page, exported, artifacts: Path
) -> None:
    shown, path = exported["shareable"]
    seen = _open(page, path)
    assert _overlays(page) == CELL_OVERLAYS
    container = page.locator(".leaflet-container")
    assert container.evaluate(CELLS_JS) == len(shown.cells.cells) > 0
    assert page.locator(".leaflet-overlay-pane canvas").count() >= 1
    assert page.locator(".pocmap-cluster").count() == 0  # no incident point at all
    expect(page.locator(".pocmap-legend")).to_contain_text("Incidents by motivation")
    page.screenshot(path=str(artifacts / "export_shareable.png"))
    _nothing_left_the_file(seen, path)


def test_the_points_export_draws_every_coarsened_point(page: Page, exported) -> None:
    shown, path = exported["points"]
    seen = _open(page, path)
    assert _overlays(page) == OVERLAYS
    state = page.locator(".leaflet-container").evaluate(MAP_STATE_JS)
    assert state["incidents"] == shown.incident_count == 4943
    expect(page.locator(".leaflet-marker-icon.pocmap-cluster").first).to_be_visible()
    _nothing_left_the_file(seen, path)


@pytest.mark.parametrize("name", ["hostile", "hostile-cells"])
def test_hostile_text_stays_text_in_the_export(page: Page, exported, name: str) -> None:
    _, path = exported[name]
    seen = _open(page, path)
    expect(page.locator(".pocmap-legend")).to_contain_text(f"Tiny test mission {LITERAL}")
    expect(page.locator(".pocmap-label").filter(has_text="Town")).to_contain_text(LITERAL)
    symbols = page.locator(".leaflet-marker-icon.pocmap-symbol")
    expect(symbols).to_have_count(6)
    for i in range(symbols.count()):
        symbols.nth(i).dispatch_event("click")
        expect(page.locator(".leaflet-popup-content").last).to_contain_text(LITERAL)
    if name == "hostile":
        state = page.locator(".leaflet-container").evaluate(MAP_STATE_JS)
        assert state["incidents"] == 8
    page.wait_for_timeout(300)  # a payload's dialog would open by now
    assert page.evaluate(INJECTED_JS) == []
    _nothing_left_the_file(seen, path)
