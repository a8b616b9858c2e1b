"""Many incidents in a real browser: cells when the view is wide, markers when close."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect

from layers.joint_map import CLOSE_ZOOM, POINTS_UP_TO, POINTS_WHEN_CLOSE_UP_TO
from schema.mission import load_sample, save_folder
from tests.browser.test_joint_map_in_browser import _poll, open_map

# Where the map stands: how many cell polygons and incident markers it holds, the zoom.
VIEW_JS = """(el) => {
    const values = [];
    for (const key of Object.keys(window)) {
        try { values.push(window[key]); } catch (e) { /* a getter that throws */ }
    }
    const map = values.find((v) => v instanceof L.Map && v.getContainer() === el);
    if (!map) { return null; }
    let cells = 0;
    map.eachLayer((l) => { if (l instanceof L.Polygon && l.options.pocmapCell) { cells++; } });
    const cluster = values.find(
        (v) => L.MarkerClusterGroup && v instanceof L.MarkerClusterGroup);
    return {
        zoom: map.getZoom(),
        cells: cells,
        markers: cluster && cluster._map === map ? cluster.getLayers().length : 0,
    };
}"""
ZOOM_TO_JS = "(el, zoom) => { for (const k of Object.keys(window)) { let v; try { v = window[k]; }"
ZOOM_TO_JS += " catch (e) { continue; } if (v instanceof L.Map && v.getContainer() === el) {"
ZOOM_TO_JS += " v.setZoom(zoom); } } }"

# Zoomed to `close` and straight back to `wide`, in one task (no animation, so each zoom
# switches layers at once): how many markers the cluster held in between.
IN_AND_OUT_JS = """(el, [close, wide]) => {
    const values = [];
    for (const key of Object.keys(window)) {
        try { values.push(window[key]); } catch (e) { /* a getter that throws */ }
    }
    const map = values.find((v) => v instanceof L.Map && v.getContainer() === el);
    const cluster = values.find(
        (v) => L.MarkerClusterGroup && v instanceof L.MarkerClusterGroup);
    map.setZoom(close, {animate: false});
    const placed = cluster._map === map ? cluster.getLayers().length : 0;
    map.setZoom(wide, {animate: false});
    return placed;
}"""


def _wait_view(
    container: Locator, ok: Callable[[dict], bool], what: str, timeout_s: float = 60
) -> dict:
    """The map's view (:data:`VIEW_JS`) once ``ok(view)``; on a timeout, the last one seen."""
    seen: list[Any] = [None]

    def check() -> dict | None:
        seen[0] = container.evaluate(VIEW_JS)
        return seen[0] if seen[0] and ok(seen[0]) else None

    try:
        return _poll(check, what, timeout_s)
    except pytest.fail.Exception:
        pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {what}; last view: {seen[0]}")


def bigger_sample(folder: Path, times: int) -> int:
    """The sample's incidents repeated ``times`` times, moved a little, with new ids."""
    data = load_sample()
    rng = np.random.default_rng(times)
    copies = []
    for k in range(times):
        copy = data.incidents.copy()
        copy["incident_id"] = [f"{i}-{k}" for i in copy["incident_id"]]
        x = copy.geometry.x + rng.normal(0, 0.003, len(copy))
        y = copy.geometry.y + rng.normal(0, 0.003, len(copy))
        copies.append(copy.set_geometry(gpd.points_from_xy(x, y, crs=copy.crs)))
    incidents = pd.concat(copies, ignore_index=True)
    save_folder(dataclasses.replace(data, incidents=incidents), folder)
    return len(incidents)


@pytest.fixture(scope="module")
def many_app(start_app: Callable[[Path], str], tmp_path_factory) -> tuple[str, int]:
    folder = tmp_path_factory.mktemp("many")
    n = bigger_sample(folder, 3)
    assert POINTS_UP_TO < n <= POINTS_WHEN_CLOSE_UP_TO
    return start_app(folder), n


def test_cells_when_wide_markers_when_close(page: Page, many_app, artifacts: Path) -> None:
    url, n = many_app
    frame = open_map(page, url)
    expect(page.get_by_text("per cell, and one by one once you zoom in")).to_be_visible()
    container = frame.locator(".leaflet-container")
    wide = _wait_view(container, lambda v: v["cells"], "cells")
    assert wide["zoom"] < CLOSE_ZOOM and wide["markers"] == 0
    page.screenshot(path=str(artifacts / "map_many_wide.png"))

    container.evaluate(ZOOM_TO_JS, CLOSE_ZOOM + 1)
    # The cluster is filled in chunks (chunkedLoading): wait for every incident, not the first.
    close = _wait_view(container, lambda v: v["markers"] == n, f"all {n} incidents as markers")
    assert close["cells"] == 0

    container.evaluate(ZOOM_TO_JS, CLOSE_ZOOM - 2)
    back = _wait_view(container, lambda v: v["cells"], "cells again")
    assert back["markers"] == 0


def test_zooming_out_while_the_markers_load_loses_none(page: Page, many_app) -> None:
    """A slow browser (its CPU throttled 10 times): zoomed in, then out before every
    marker is placed, then in again, the map still holds every incident."""
    url, n = many_app
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    frame = open_map(page, url)
    container = frame.locator(".leaflet-container")
    _wait_view(container, lambda v: v["cells"], "cells")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 10})

    placed = container.evaluate(IN_AND_OUT_JS, [CLOSE_ZOOM + 1, CLOSE_ZOOM - 2])
    assert 0 < placed < n, f"zoomed out with {placed} of {n} markers placed, not midway"
    _wait_view(
        container,
        lambda v: v["cells"] and not v["markers"],
        "cells alone, once the markers have loaded",
        timeout_s=120,
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    container.evaluate(ZOOM_TO_JS, CLOSE_ZOOM + 1)
    close = _wait_view(container, lambda v: v["markers"] == n, f"all {n} incidents as markers")
    assert close["cells"] == 0
    assert errors == []
