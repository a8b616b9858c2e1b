"""A large incident cluster unticked in the layer control while it still loads, in Debian's
chromium: nothing throws, no incident is lost, and all are back when it is ticked again."""

from __future__ import annotations

from pathlib import Path

import folium
import numpy as np
import pytest
from playwright.sync_api import Page, expect

from layers._points import PointCluster
from layers.assets import VENDOR_DIR, use_local_assets
from layers.joint_map import MAX_ZOOM
from tests.browser.test_joint_map_in_browser import Recorder

POINTS = 20_000
# The cluster on the page: how many incidents it holds (placed or waiting), how many
# are placed in its clusters, and whether it is on the map.
CLUSTER_JS = """() => {
    const cluster = Object.values(window).find((v) => v instanceof L.MarkerClusterGroup);
    return {
        held: cluster.getLayers().length,
        placed: cluster._topClusterLevel ? cluster._topClusterLevel.getChildCount() : 0,
        on_map: !!cluster._map,
        icons: document.querySelectorAll('.pocmap-cluster').length,
    };
}"""


@pytest.fixture(scope="module")
def slow_loading_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A map whose cluster loads in many small chunks (10 ms of work, 100 ms apart)."""
    rng = np.random.default_rng(2026)
    lats, lons = rng.uniform(9.0, 15.0, POINTS), rng.uniform(16.0, 23.0, POINTS)
    rows = [
        [round(lat, 5), round(lon, 5), i % 3, f"incident {i}"]
        for i, (lat, lon) in enumerate(zip(lats, lons, strict=True))
    ]
    # As the joint map makes it: no tiles, circle markers on a canvas.
    m = folium.Map(
        location=[12.0, 19.5], zoom_start=6, tiles=None, prefer_canvas=True, maxZoom=MAX_ZOOM
    )
    PointCluster(
        rows,
        ["#d62728", "#1f77b4", "#2ca02c"],
        [("Incident", None)],
        [0],
        name="Incidents",
        chunkInterval=10,
        chunkDelay=100,
    ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    path = tmp_path_factory.mktemp("point-cluster") / "cluster.html"
    use_local_assets(m, VENDOR_DIR.as_uri()).save(path)
    return path


def _wait(page: Page, seen: Recorder, done: str, what: str) -> dict:
    """The cluster's state once ``done`` (a JS test on it) holds; fails early on a page error."""
    for _ in range(300):
        state = page.evaluate(CLUSTER_JS)
        assert seen.errors == [], f"the page threw while {what}: {seen.errors}"
        if page.evaluate(f"(s) => {done}", state):
            return state
        page.wait_for_timeout(100)
    raise AssertionError(f"{what}: not done after 30 s ({state})")


def test_unticking_incidents_while_they_load_loses_none(page: Page, slow_loading_map: Path):
    seen = Recorder(page)
    page.goto(slow_loading_map.as_uri())
    incidents = page.locator(".leaflet-control-layers-overlays label", has_text="Incidents")
    expect(incidents).to_be_visible()

    midway = page.evaluate(CLUSTER_JS)
    assert 0 < midway["placed"] < POINTS, f"not loading when unticked, so nothing tested: {midway}"
    incidents.locator("input").uncheck()

    # Off the map, the incidents not yet placed wait in the cluster: none is lost.
    off = _wait(page, seen, f"!s.on_map && s.held === {POINTS}", "unticked mid-load")
    assert off["icons"] == 0, f"clusters still drawn after unticking: {off}"

    incidents.locator("input").check()
    back = _wait(page, seen, f"s.on_map && s.placed === {POINTS} && s.icons > 0", "ticked again")
    assert back["held"] == POINTS
    assert seen.errors == [] and seen.dialogs == []
