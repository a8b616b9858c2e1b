"""The French HTML export opened from a file in Debian's chromium: the layer control,
the legend, a cell's tooltip and an incident's popup read in French, and no script
error (a French apostrophe breaks no string)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from briefing.disclosure import Disclosure
from briefing.exports import export
from briefing.selection import prepare
from languages import use
from schema.mission import load_sample
from tests.languages.english import english_left
from tests.layers.french import data_values, not_yet_translated

pytestmark = pytest.mark.browser
LEVELS = ("shareable", "points")

FIRST = """(el) => {
    const map = Object.values(window).find((v) => v instanceof L.Map && v.getContainer() === el);
    let found = null;
    map.eachLayer((layer) => {
        if (found !== null) { return; }
        if (KIND === 'cell' && layer instanceof L.Polygon && layer.options.pocmapCell) {
            found = layer.getTooltip().getContent();
        }
        if (KIND === 'popup' && layer instanceof L.MarkerClusterGroup) {
            const marker = layer.getLayers()[0];
            found = marker.getPopup()._content(marker);
        }
    });
    return found;
}"""


@pytest.fixture
def file_page(browser: Browser) -> Iterator[Page]:
    """A page for an exported file (``file:`` only), on the suite's one chromium: a second
    playwright in the same process cannot start."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(20_000)
    context.route(lambda url: not url.startswith(("file:", "data:")), lambda r: r.abort())
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def exported(sample, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("french-export")
    with use("fr"):
        shown = {level: prepare(sample, disclosure=Disclosure(level)) for level in LEVELS}
        return {level: export(shown[level], "html", folder / f"{level}.html") for level in LEVELS}


def _open(page: Page, path: Path) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    expect(page.locator(".leaflet-control-layers")).to_be_visible()
    expect(page.locator(".pocmap-legend")).to_be_visible()
    return errors


def _control(page: Page) -> list[str]:
    control = page.locator(".leaflet-control-layers")
    control.hover()
    expect(control).to_have_class(re.compile("leaflet-control-layers-expanded"))
    labels = control.locator("label").all_inner_texts()
    page.mouse.move(0, 0)
    return [label.strip() for label in labels]


def test_the_french_cells_export_reads_in_french(file_page: Page, exported, sample) -> None:
    page = file_page
    errors = _open(page, exported["shareable"])
    ignoring = [*data_values(sample), *not_yet_translated()]
    names = _control(page)
    assert "Fond de carte hors ligne (sans internet)" in names
    assert "Incidents par cellule" in names and "Limites administratives" in names
    legend = page.locator(".pocmap-legend").inner_text()
    assert "Légende" in legend and "Cellules d'incidents, par motivation principale" in legend
    tooltip = page.locator(".leaflet-container").evaluate(FIRST.replace("KIND", "'cell'"))
    assert re.search(r" · \d[\d\u202f\u00a0]* incidents?( · point chaud \(Gi\*\))?$", tooltip)
    shown = " ".join([*names, legend, tooltip])
    assert english_left(shown, ignoring=ignoring) == set()
    page.screenshot(path=str(exported["shareable"].with_suffix(".png")))
    assert errors == []


def test_the_french_points_export_pops_up_in_french(file_page: Page, exported, sample) -> None:
    page = file_page
    errors = _open(page, exported["points"])
    popup = page.locator(".leaflet-container").evaluate(FIRST.replace("KIND", "'popup'"))
    assert "Niveau de certitude" in popup and "Bureau de terrain" in popup
    page.set_content(popup)  # the popup's HTML as a browser reads it
    text = page.locator("body").inner_text()
    assert english_left(text, ignoring=[*data_values(sample), *not_yet_translated()]) == set()
    assert errors == []
