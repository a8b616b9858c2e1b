"""The joint map in a real browser: it draws offline, filters redraw it, hostile text stays text.

The app runs as ``streamlit run app.py`` (see ``conftest.py``); the map is drawn by
streamlit-folium inside an iframe, which is replaced by a new one on every rerun,
so everything inside it is reached through a ``FrameLocator``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Dialog, FrameLocator, Locator, Page, Request, expect
from playwright.sync_api import Error as PlaywrightError

from schema.incidents import MOTIVATION_LABELS

ROOT = Path(__file__).resolve().parents[2]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
OVERLAYS = [
    "Administrative boundaries",
    "Mission presence",
    "Local agreements",
    "Local political processes",
    "National political process",
    "Incident density",
    "Incidents",
]
OFFLINE_BASEMAP = "Offline basemap (no internet needed)"
LOCAL_HOST = "127.0.0.1"
# A first load imports the map's libraries and reads the data in a cold server: about
# 5 s alone here, 35 s beside the rest of the suite, and over 60 s once on a slower CI
# machine. Only a failing test waits this long.
FIRST_LOAD_MS = 120_000
# How long the map's iframe, once added, may stay hidden before it is reloaded.
READY_MS = 60_000

# The Leaflet map whose container is `el`, and the incident cluster on it. Folium
# declares both as globals; after a rerun the old ones may linger, so match by container.
MAP_STATE_JS = """(el) => {
    const values = [];
    for (const key of Object.keys(window)) {
        try { values.push(window[key]); } catch (e) { /* a getter that throws */ }
    }
    const map = values.find((v) => v instanceof L.Map && v.getContainer() === el);
    if (!map) { return null; }
    const cluster = values.find(
        (v) => L.MarkerClusterGroup && v instanceof L.MarkerClusterGroup && v._map === map);
    const shown = cluster ? cluster._featureGroup.getLayers() : [];
    return {
        incidents: cluster ? cluster.getLayers().length : 0,
        clusters: shown.filter((l) => l instanceof L.MarkerCluster)
            .map((l) => l.getChildCount()).sort((a, b) => a - b),
        circles: shown.filter((l) => l instanceof L.CircleMarker).length,
        canvases: el.querySelectorAll('.leaflet-overlay-pane canvas').length,
    };
}"""
# Where a (lat, lon) falls on the map container, in pixels from its top left corner.
CONTAINER_POINT_JS = """(el, latlng) => {
    for (const key of Object.keys(window)) {
        let v;
        try { v = window[key]; } catch (e) { continue; }
        if (v instanceof L.Map && v.getContainer() === el) {
            const p = v.latLngToContainerPoint(latlng);
            return [p.x, p.y];
        }
    }
    return null;
}"""
CLOSE_POPUP_JS = """(el) => {
    for (const key of Object.keys(window)) {
        let v;
        try { v = window[key]; } catch (e) { continue; }
        if (v instanceof L.Map && v.getContainer() === el) { v.closePopup(); }
    }
}"""
# The unclustered incident markers on screen, as pixels from the container's top left.
CIRCLES_JS = """(el) => {
    for (const key of Object.keys(window)) {
        let v;
        try { v = window[key]; } catch (e) { continue; }
        if (L.MarkerClusterGroup && v instanceof L.MarkerClusterGroup && v._map
                && v._map.getContainer() === el) {
            return v._featureGroup.getLayers()
                .filter((l) => l instanceof L.CircleMarker)
                .map((l) => v._map.latLngToContainerPoint(l.getLatLng()))
                .map((p) => [p.x, p.y]);
        }
    }
    return [];
}"""
# Script elements that an injected payload would have created (the map's own script
# holds the hostile text too, but only inside JSON strings, never at the start).
INJECTED_JS = """() => [
    ...Array.from(document.scripts).filter((s) => /^\\s*alert\\(/.test(s.textContent)),
    ...document.querySelectorAll('img[src="x"], svg[onload], [onerror]'),
].map((e) => e.outerHTML.slice(0, 120))"""


class Recorder:
    """What a page did that a test wants to assert on afterwards."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", self._request)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def foreign_requests(self) -> list[str]:
        return sorted(
            {
                url
                for url in self.requests
                if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(url).hostname != LOCAL_HOST
            }
        )


def _poll(check: Callable[[], Any], what: str, timeout_s: float = 20.0) -> Any:
    """``check()`` once it is truthy; the map iframe may be swapped out meanwhile."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while True:
        try:
            last = check()
        except PlaywrightError as error:  # the iframe was replaced mid-evaluation
            last = error
        else:
            if last:
                return last
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {what}; last: {last}")
        time.sleep(0.2)


def _map_state(frame: FrameLocator) -> dict[str, Any] | None:
    return frame.locator(".leaflet-container").evaluate(MAP_STATE_JS)


def _incidents_shown(page: Page) -> int:
    value = page.get_by_test_id("stMetric").filter(has_text="Incidents shown")
    return int(value.get_by_test_id("stMetricValue").inner_text().replace(",", ""))


def map_frame(page: Page) -> FrameLocator:
    """The map's iframe once Streamlit shows it and Leaflet has drawn its layer control.

    Streamlit keeps a component's iframe hidden until the component posts that it is
    ready. On a loaded CI machine one stayed hidden for 60 s after a sign-in: either the
    load was that slow, or the message, posted once as the iframe loads, came before
    Streamlit listened. So: a long wait, then the iframe alone reloaded once (what a
    person would do), with a warning in the test report.
    """
    iframe = page.locator(MAP_IFRAME)
    expect(iframe).to_have_count(1, timeout=FIRST_LOAD_MS)
    try:
        expect(iframe).to_be_visible(timeout=READY_MS)
    except AssertionError:
        if iframe.count() != 1:
            raise
        warnings.warn(
            f"the map iframe was still hidden {READY_MS // 1000} s after it was added "
            "(its ready message lost?): reloaded it once",
            stacklevel=2,
        )
        iframe.evaluate("(el) => el.contentWindow.location.reload()")
        expect(iframe).to_be_visible(timeout=FIRST_LOAD_MS)
    frame = page.frame_locator(MAP_IFRAME)
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=FIRST_LOAD_MS)
    # The layer control is added after every layer, so the map's script has run.
    expect(frame.locator(".leaflet-control-layers")).to_be_visible(timeout=FIRST_LOAD_MS)
    return frame


def open_map(page: Page, url: str) -> FrameLocator:
    """Open the app and wait until the map and its layer control are drawn."""
    page.goto(url, timeout=FIRST_LOAD_MS)
    return map_frame(page)


def legend(page: Page, frame: FrameLocator) -> Locator:
    """The legend: a ``.pocmap-legend`` control in the map, or HTML beside it on the page."""
    inside = frame.locator(".pocmap-legend")
    beside = page.locator(".pocmap-legend").or_(
        page.get_by_test_id("stHtml").filter(has_text="Incidents by motivation")
    )
    _poll(lambda: inside.count() or beside.count(), "the legend, in the map or beside it")
    found = inside if inside.count() else beside
    expect(found.first).to_be_visible()
    return found.first


def wait_for_incidents(page: Page, frame: FrameLocator) -> dict[str, Any]:
    """The map state once every incident counted in the metric is in the cluster."""
    expected = _incidents_shown(page)

    def ready() -> dict[str, Any] | None:
        state = _map_state(frame)
        return state if state and state["incidents"] == expected else None

    return _poll(ready, f"the incident cluster to hold the {expected} incidents shown")


def screenshot(page: Page, path: Path) -> None:
    """The whole app: Streamlit scrolls inside its main block, so grow the viewport to fit."""
    height = page.get_by_test_id("stMain").evaluate("(el) => el.scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": max(900, height)})
    expect(page.frame_locator(MAP_IFRAME).locator(".leaflet-control-layers")).to_be_visible()
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def test_the_map_draws_every_layer_offline(page: Page, sample_app: str, artifacts: Path) -> None:
    seen = Recorder(page)
    frame = open_map(page, sample_app)

    # The layer control is folded into its button; hovering it opens the list.
    control = frame.locator(".leaflet-control-layers")
    expect(control).not_to_have_class(re.compile("leaflet-control-layers-expanded"))
    # (Hover the control, not its button: the button hides as the list opens.)
    control.hover()
    expect(control).to_have_class(re.compile("leaflet-control-layers-expanded"))
    overlays = frame.locator(".leaflet-control-layers-overlays label")
    expect(overlays).to_have_count(len(OVERLAYS))
    assert [t.strip() for t in overlays.all_inner_texts()] == OVERLAYS
    bases = frame.locator(".leaflet-control-layers-base label")
    expect(bases.filter(has_text=OFFLINE_BASEMAP).locator("input")).to_be_checked()
    page.mouse.move(0, 0)
    expect(control).not_to_have_class(re.compile("leaflet-control-layers-expanded"))

    shown = legend(page, frame)
    for label in MOTIVATION_LABELS.values():
        expect(shown).to_contain_text(label)
    for section in ("Political work", "Mission presence", "Boundaries"):
        expect(shown).to_contain_text(section)

    state = wait_for_incidents(page, frame)
    assert state["canvases"] >= 1, "prefer_canvas: vector layers are drawn on a <canvas>"
    assert state["clusters"] or state["circles"], f"no incident drawn: {state}"
    expect(frame.locator(".leaflet-marker-icon.pocmap-cluster").first).to_be_visible()
    expect(frame.locator(".leaflet-marker-icon.pocmap-symbol").first).to_be_visible()

    screenshot(page, artifacts / "joint_map.png")
    if os.environ.get("POCMAP_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(artifacts / "joint_map.png", ROOT / "docs" / "joint_map.png")

    foreign = seen.foreign_requests()
    assert not foreign, f"the app must work offline, but the page asked other hosts for {foreign}"
    assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in seen.requests)
    assert seen.errors == []


def test_the_layer_control_switches_a_layer_off_and_on(page: Page, sample_app: str) -> None:
    frame = open_map(page, sample_app)
    wait_for_incidents(page, frame)
    clusters = frame.locator(".leaflet-marker-icon.pocmap-cluster")
    offices = frame.locator(".leaflet-marker-icon.pocmap-symbol")
    expect(clusters.first).to_be_visible()
    symbols = offices.count()

    frame.locator(".leaflet-control-layers").hover()
    incidents = frame.locator(".leaflet-control-layers-overlays label").filter(
        has_text=re.compile(r"^\s*Incidents\s*$")
    )
    incidents.locator("input").uncheck()
    expect(clusters).to_have_count(0)
    expect(offices).to_have_count(symbols)  # the other layers stay
    incidents.locator("input").check()
    expect(clusters.first).to_be_visible()


def test_a_motivation_filter_redraws_the_map_and_the_counts(page: Page, sample_app: str) -> None:
    seen = Recorder(page)
    frame = open_map(page, sample_app)
    before = wait_for_incidents(page, frame)
    total = _incidents_shown(page)
    assert before["incidents"] == total > 0
    by_motivation = page.get_by_test_id("stMarkdown").filter(has_text="Predation").first
    revenge = re.search(r"Revenge ([\d,]+)", by_motivation.inner_text())
    assert revenge, by_motivation.inner_text()
    expected = int(revenge.group(1).replace(",", ""))

    # The widget labelled exactly so (not "Motivation confidence" or "Motivation coded by").
    motivation = page.get_by_test_id("stMultiSelect").filter(
        has=page.get_by_text("Motivation", exact=True)
    )
    motivation.click()
    page.get_by_role("option", name="Revenge", exact=True).click()
    page.keyboard.press("Escape")
    expect(motivation).to_contain_text("Revenge")

    metric = page.get_by_test_id("stMetric").filter(has_text="Incidents shown")
    expect(metric.get_by_test_id("stMetricValue")).not_to_have_text(f"{total:,}")
    shown = _incidents_shown(page)
    assert 0 < shown == expected < total

    after = wait_for_incidents(page, frame)
    assert after["incidents"] == shown
    assert (after["clusters"], after["circles"]) != (before["clusters"], before["circles"])
    expect(legend(page, frame)).to_contain_text("Revenge")
    assert seen.errors == []


def _point(frame: FrameLocator, page: Page, lat: float, lon: float) -> tuple[float, float]:
    """Where (lat, lon) of the map is on the page."""
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    x, y = frame.locator(".leaflet-container").evaluate(CONTAINER_POINT_JS, [lat, lon])
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    return box["x"] + x, box["y"] + y


def _hover(page: Page, frame: FrameLocator, lat: float, lon: float, shows: Locator) -> None:
    """Hover (lat, lon) until ``shows`` is visible.

    Leaflet's canvas ignores hover events within 32 ms of the previous one and while
    the map animates, so the last move may go unseen: wiggle a few times.
    """
    for attempt in range(5):
        x, y = _point(frame, page, lat, lon)
        page.mouse.move(x - 10, y, steps=2)
        page.wait_for_timeout(80)
        page.mouse.move(x, y)
        try:
            expect(shows.first).to_be_visible(timeout=1_000)
        except AssertionError:
            if attempt == 4:
                raise
        else:
            return


def _close_popups(frame: FrameLocator) -> None:
    """Close the open popup: it could cover what is clicked next."""
    frame.locator(".leaflet-container").evaluate(CLOSE_POPUP_JS)
    expect(frame.locator(".leaflet-popup")).to_have_count(0)


def _popup_after(click: Callable[[], None], frame: FrameLocator) -> Locator:
    """Open a popup with ``click()`` (after closing any, which could cover the target)."""
    _close_popups(frame)
    click()
    # The popup it replaces fades out for 200 ms; the new one comes last.
    popup = frame.locator(".leaflet-popup-content").last
    expect(popup).to_be_visible()
    return popup


def _hover_a_symbol(symbols: Locator) -> None:
    """Hover the first symbol that the layer control does not cover."""
    for i in range(symbols.count()):
        try:
            symbols.nth(i).hover(timeout=2_000)
        except PlaywrightError:
            continue
        return
    pytest.fail("every symbol is covered by something else")


def _click_an_incident(page: Page, frame: FrameLocator) -> Locator:
    """Click the unclustered circle markers until one opens its popup (controls may cover some)."""
    _close_popups(frame)
    container = frame.locator(".leaflet-container")
    # Else the first click focuses the iframe, the page scrolls it into view, and the
    # button comes up elsewhere: Leaflet then sees no click on the marker.
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    points = container.evaluate(CIRCLES_JS)
    assert points, "no unclustered incident marker on the map"
    popup = frame.locator(".leaflet-popup-content").last
    for x, y in points:
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            expect(popup).to_contain_text("Source", timeout=1_500)
        except AssertionError:
            continue
        return popup
    pytest.fail(f"no incident popup opened by clicking at {points}")


def test_hostile_text_stays_text_in_the_browser(
    page: Page, hostile_app: str, artifacts: Path
) -> None:
    seen = Recorder(page)
    frame = open_map(page, hostile_app)
    wait_for_incidents(page, frame)
    literal = "<script>alert('xss')</script><img src=x onerror=alert(1)>"

    # Labels drawn on the offline basemap.
    expect(frame.locator(".pocmap-label").filter(has_text="Town")).to_contain_text(literal)
    screenshot(page, artifacts / "joint_map_hostile.png")

    # Hover text first (popups pan the map): a marker's tooltip, then an admin2 area's
    # (inside the west area of responsibility, whose outline must not take the hover).
    symbols = frame.locator(".leaflet-marker-icon.pocmap-symbol")
    expect(symbols).to_have_count(6)
    _hover_a_symbol(symbols)
    expect(frame.locator(".leaflet-tooltip").first).to_contain_text(literal)
    area = frame.locator(".leaflet-tooltip").filter(has_text=re.compile(r"Area 0 "))
    _hover(page, frame, -2.9, 1.6, area)
    expect(area).to_contain_text(literal)

    # Every symbol (field office, base, TOB, agreement, local and national process):
    # its popup shows the hostile name as text.
    popups = []
    for i in range(symbols.count()):
        popup = _popup_after(lambda i=i: symbols.nth(i).dispatch_event("click"), frame)
        popups.append(popup.inner_text())
    assert all(literal in text for text in popups), popups

    # A real click on the canvas: an incident's circle marker.
    incident = _click_an_incident(page, frame)
    expect(incident).to_contain_text(f"Test source {literal}")

    # A cluster zooms in when clicked: the map still draws, and nothing runs.
    clusters = frame.locator(".leaflet-marker-icon.pocmap-cluster")
    expect(clusters.first).to_be_visible()
    # Dispatched, as for the symbols: the incident's popup has just panned the map, and
    # wherever that leaves the cluster (under the scale bar, or mid-animation) a pointer
    # click would land on whatever covers it, which is not what this step tests.
    clusters.first.dispatch_event("click")
    expect(clusters).to_have_count(0)

    page.wait_for_timeout(300)  # an injected <img onerror> would fire after its request fails
    assert seen.dialogs == [], "hostile text ran as script"
    for where in (page, page.frame_locator(MAP_IFRAME).locator(":root")):
        assert where.evaluate(INJECTED_JS) == []
    assert not [url for url in seen.requests if urlsplit(url).path.endswith("/x")]
    assert seen.errors == []


def test_hovering_an_admin2_area_names_it(page: Page, hostile_app: str) -> None:
    frame = open_map(page, hostile_app)
    wait_for_incidents(page, frame)
    # Area 2, in the east, under its admin1 polygon (drawn above it on the canvas).
    _hover(page, frame, -2.9, 2.9, frame.locator(".leaflet-tooltip").filter(has_text="Area 2"))
