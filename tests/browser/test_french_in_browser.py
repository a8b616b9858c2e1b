"""pocmap in French in Debian's chromium: the language switch in the sidebar, the Upload
page (Streamlit's own uploader texts included), Layers and codes and the Joint map, a
reload, and back to English.

Screenshots are written to the test's folder, the French Upload page also to
``/tmp/fr-upload.png`` to look at. The text checked is what the browser lays out
(``innerText``, icons' ligature names left out) less the data the pages show as written
and the labels other parts of pocmap translate (see tests/ui/test_pages_in_french.py);
tables are drawn on a canvas and are checked there (AppTest), not here.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from languages import _, use
from layers.joint_map import BASEMAP_LABELS
from schema.mission import save_folder
from tests.languages.english import english_left
from tests.tiny_mission import tiny_mission
from tests.ui.test_pages_in_french import data_values

LOOK_AT = Path("/tmp/fr-upload.png")
LOAD_MS = 60_000

# The page's text as laid out, without the icons' names ("upload_file", "lock_open"):
# icons are drawn from a font whose ligatures are those names.
VISIBLE_TEXT = """(selectors) => {
    const hide = document.createElement('style');
    hide.textContent = '[data-testid="stIconMaterial"], [data-testid="stAlertDynamicIcon"], '
        + 'span[translate="no"][aria-hidden="true"] {display: none !important;}';
    document.head.appendChild(hide);
    const text = selectors
        .map((s) => document.querySelector(s))
        .filter((e) => e !== null)
        .map((e) => e.innerText)
        .join('\\n');
    hide.remove();
    return text;
}"""

# What CSS draws in the uploader instead of Streamlit's words (not in innerText).
UPLOADER_TEXT = """() => {
    const drawn = (selector) => {
        const e = document.querySelector(selector);
        return e ? getComputedStyle(e, '::after').content : '';
    };
    return [
        drawn('[data-testid="stFileUploaderDropzoneInstructions"] > div'),
        drawn('[data-testid="stFileUploaderDropzone"] '
            + 'button[data-testid="stBaseButton-secondary"] [data-has-shortcut]'),
    ];
}"""
PAGE_PARTS = ['[data-testid="stMain"]', '[data-testid="stSidebar"]']


@pytest.fixture(scope="module")
def french_app(start_app: Callable[[Path], str], tmp_path_factory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("fr-mission")
    save_folder(tiny_mission(), folder)
    return start_app(folder), folder


def _ignoring(folder: Path) -> set[str]:
    with use("fr"):
        return data_values(folder=folder)


def _english_left(page: Page, ignoring: set[str], parts: list[str] = PAGE_PARTS) -> set[str]:
    text = page.evaluate(VISIBLE_TEXT, parts)
    values = sorted(ignoring, key=len, reverse=True)
    data = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)")
    return english_left(data.sub(" ", text))


def _choose(page: Page, label: str, name: str) -> None:
    """Choose ``name`` in the sidebar's select box labelled ``label``; a click that lands
    while the page is still drawing opens nothing, so it is tried again."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=label)
    expect(box).to_be_visible(timeout=LOAD_MS)
    option = page.get_by_role("option", name=name, exact=True)
    for _attempt in range(4):
        box.get_by_role("combobox").click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    option.click()


def _choose_language(page: Page, label: str, name: str) -> None:
    _choose(page, label, name)


def _go(page: Page, link: str, title: str | None) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
    heading = page.get_by_role("heading", name=title, level=1) if title else page.locator("h1")
    expect(heading.first).to_be_visible(timeout=LOAD_MS)
    page.wait_for_timeout(1_000)  # the rest of the run: captions, the uploader's style


def _shot(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_app_in_french_and_back_to_english(
    page: Page, french_app: tuple[str, Path], tmp_path: Path
) -> None:
    url, folder = french_app
    ignoring = _ignoring(folder)
    page.goto(url)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Language", timeout=LOAD_MS)
    _choose_language(page, "Language", "Français")
    expect(sidebar).to_contain_text("Langue", timeout=LOAD_MS)
    expect(page).to_have_url(re.compile(r"[?&]lang=fr"))

    # The Upload page, Streamlit's uploader included.
    _go(page, "Envoi de données", "Envoyer un fichier")
    expect(page.get_by_test_id("stFileUploaderDropzone")).to_be_visible()
    shot = _shot(page, tmp_path, "fr-upload")
    shutil.copyfile(shot, LOOK_AT)
    assert _english_left(page, ignoring) == set()
    limit, button = page.evaluate(UPLOADER_TEXT)
    assert limit.startswith("\"Jusqu'à 100 Mo par fichier • CSV, TXT"), limit
    assert button == '"Choisir un fichier"', button
    uploader = page.get_by_test_id("stFileUploader").inner_text()
    for english in ("Upload", "per file", "Drag and drop", "200MB"):
        assert english not in uploader

    # A reload (a new session) keeps the language: it is in the address.
    page.reload()
    expect(page.get_by_role("heading", name="Envoyer un fichier", level=1)).to_be_visible(
        timeout=LOAD_MS
    )
    expect(sidebar).to_contain_text("Langue")

    # Layers and codes.
    _go(page, "Couches et codes", "Couches et codes")
    _shot(page, tmp_path, "fr-layers-and-codes")
    assert _english_left(page, ignoring) == set()

    # The Joint map: the whole page and its sidebar (filters, basemap, legend).
    _go(page, "Carte conjointe", None)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=LOAD_MS)
    _shot(page, tmp_path, "fr-joint-map")
    assert _english_left(page, ignoring) == set()
    expect(sidebar).to_contain_text("Langue")
    expect(sidebar).to_contain_text("Connecté en tant que")

    # Back to English, on every page.
    _choose_language(page, "Langue", "English")
    expect(sidebar).to_contain_text("Language", timeout=LOAD_MS)
    expect(page).to_have_url(re.compile(r"[?&]lang=en"))
    _go(page, "Upload", "Upload a file")
    _shot(page, tmp_path, "en-upload")
    assert "Drag and drop" not in page.get_by_test_id("stFileUploader").inner_text()
    assert page.evaluate(UPLOADER_TEXT) == ["none", "none"]  # Streamlit's own words
    expect(page.get_by_test_id("stFileUploader")).to_contain_text("Upload")
    assert _english_left(page, ignoring)  # English again: the check finds its words
    _go(page, "Layers and codes", "Layers and codes")
    assert _english_left(page, ignoring)

    # A choice made in one language survives a switch: the browser keeps an option as it
    # was shown, and pocmap sends it again in the new language.
    _go(page, "Joint map", None)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=LOAD_MS)
    basemap = sidebar.get_by_test_id("stSelectbox").filter(has_text="Basemap")
    _choose(page, "Basemap", "OpenStreetMap (needs internet)")
    expect(basemap.get_by_role("combobox")).to_have_value(
        "OpenStreetMap (needs internet)", timeout=LOAD_MS
    )
    _choose_language(page, "Language", "Français")
    expect(sidebar).to_contain_text("Langue", timeout=LOAD_MS)
    with use("fr"):
        osm = _(BASEMAP_LABELS["openstreetmap"])
    french_basemap = sidebar.get_by_test_id("stSelectbox").filter(has_text="Fond de carte")
    expect(french_basemap.get_by_role("combobox")).to_have_value(osm, timeout=LOAD_MS)
    # And back: the choice is still there, in English.
    _choose_language(page, "Langue", "English")
    expect(basemap.get_by_role("combobox")).to_have_value(
        "OpenStreetMap (needs internet)", timeout=LOAD_MS
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)
