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

from languages import use
from schema.mission import save_folder
from tests.languages.english import english_left
from tests.tiny_mission import tiny_mission
from tests.ui.test_pages_in_french import data_values, other_parts

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
        return data_values(folder=folder) | other_parts()


def _english_left(page: Page, ignoring: set[str], parts: list[str] = PAGE_PARTS) -> set[str]:
    text = page.evaluate(VISIBLE_TEXT, parts)
    values = sorted(ignoring, key=len, reverse=True)
    data = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)")
    return english_left(data.sub(" ", text))


def _choose_language(page: Page, label: str, name: str) -> None:
    switch = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=label)
    switch.click()
    page.get_by_role("option", name=name, exact=True).click()


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

    # The Joint map: the pages, the switch and who is signed in are checked here; the
    # map's own texts and filters are the Joint map's (its own tests).
    _go(page, "Carte conjointe", None)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=LOAD_MS)
    _shot(page, tmp_path, "fr-joint-map")
    assert _english_left(page, ignoring, ['[data-testid="stSidebarNav"]']) == set()
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
