"""The Joint analysis page in Debian's chromium: hot-spot cells over the political layers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.test_joint_map_in_browser import FIRST_LOAD_MS, map_frame

DOCS = Path(__file__).resolve().parents[2] / "docs"

HOT_CELLS_JS = """
(el) => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  let cells = 0;
  map.eachLayer((layer) => {
    if (layer.feature && layer.feature.properties && "bin" in layer.feature.properties) cells++;
  });
  return cells;
}
"""


def test_the_hot_spot_map_draws_offline(page: Page, sample_app: str, artifacts: Path) -> None:
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:"))
            else None
        ),
    )
    page.goto(sample_app.rstrip("/") + "/joint_analysis", timeout=FIRST_LOAD_MS)
    expect(page.get_by_text("Hot spots over the political layers")).to_be_visible(
        timeout=FIRST_LOAD_MS
    )
    frame = map_frame(page)
    cells = frame.locator(".leaflet-container").evaluate(HOT_CELLS_JS)
    assert cells == 68  # hot cells at 90 % or more on the sample (no cold ones)
    layers = frame.locator(".leaflet-control-layers-overlays").inner_text()
    assert "Hot spots (Gi*)" in layers and "Local agreements" in layers
    expect(page.get_by_text("Escalation around national milestones")).to_be_visible()
    assert not foreign, foreign
    height = page.get_by_test_id("stMain").evaluate("(el) => el.scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(max(900, height), 1400)})
    shot = artifacts / "joint_analysis.png"
    page.screenshot(path=str(shot))
    if os.environ.get("POCMAP_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, DOCS / "joint_analysis.png")
