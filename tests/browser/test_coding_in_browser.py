"""An analyst codes 20 incidents from the queue with the keyboard alone, then bulk-codes a
filtered selection, in a real browser (Debian's chromium) against ``streamlit run app.py``
on a store of 30 incidents not yet assessed. The store then holds 20 codings in the
analyst's name and one bulk recoding per selected incident; screenshots are saved in
``test-artifacts/`` (``coding-queue.png``, ``coding-bulk.png``).

After the page is opened, the queue part uses ``page.keyboard.press`` only (no click):
1-6 a motivation, 8 the confidence *probable*, S save and next.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from schema.incidents import MOTIVATION_LABELS
from schema.mission import save_folder
from store import open_store
from tests.browser.conftest import _free_port, _stop, launch_app
from tests.browser.test_joint_map_in_browser import FIRST_LOAD_MS
from tests.tiny_mission import tiny_mission
from tests.ui.coding_store import fill

CODED = ["predation", "extraction", "revenge", "collateral", "political", "punitive"]
N = 30
ROWS = [
    f"B-{i:02d},2024-{1 + i // 28:02d}-{1 + i % 28:02d},killing,unknown,,unidentified,,1,exact,"
    f"ACLED: RJDH,5.{i:02d},20.6,"
    + (
        f"Fighters at the checkpoint of village {i} beat traders who refused to pay,"
        if i < 5
        else f"Villagers of hamlet {i} attacked at night,"
    )
    + "Violence against civilians: Attack,"
    for i in range(N)
]
# Newest first: B-29 ... B-00. The 20 newest are coded from the queue; the checkpoint
# ones (B-00..B-04) are the oldest, left for bulk coding.
QUEUE = [f"B-{i:02d}" for i in reversed(range(N))]


@pytest.fixture(scope="module")
def coding_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("coding-browser")
    layers = folder / "layers"
    save_folder(tiny_mission(), layers)  # the joint map's folder; the queue codes the store
    store = folder / "pocmap.gpkg"
    fill(store, ROWS)
    port = _free_port()
    process, url = launch_app(
        layers,
        port=port,
        store=store,
        users=folder / "users.json",  # none: this machine's analyst
        log_path=folder / f"streamlit-{port}.log",
    )
    try:
        yield url, store
    finally:
        _stop(process)


def _heading(page: Page, incident: str) -> None:
    """Wait until the queue shows ``incident`` and the page has finished drawing: its
    keys belong to buttons drawn after the heading, and a key pressed before they are
    there would be lost."""
    expect(page.locator("h3", has_text=incident)).to_be_visible(timeout=60_000)
    _settled(page)


def _settled(page: Page) -> None:
    expect(page.get_by_text("Codebook")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)


def _press(page: Page, key: str, then: Locator) -> None:
    """Press ``key`` until ``then`` shows (at most four times). A key pressed while the
    page is still redrawing after the previous one can be lost, as a person would see and
    press it again; pressing again is harmless: a motivation or confidence key chooses the
    same again, and *save* is disabled on the next incident until a motivation is chosen."""
    for attempt in range(4):
        page.keyboard.press(key)
        try:
            expect(then).to_be_visible(timeout=15_000 if attempt < 3 else 60_000)
        except AssertionError:
            if attempt == 3:
                raise
            continue
        _settled(page)
        return


def _lit(page: Page, label: str) -> Locator:
    """The button ``label`` shown as the chosen one (primary)."""
    return page.get_by_test_id("stBaseButton-primary").filter(has_text=label).first


def test_an_analyst_codes_20_incidents_with_the_keyboard_then_bulk_codes(
    page: Page, coding_app: tuple[str, Path], artifacts: Path
) -> None:
    url, store_path = coding_app
    page.goto(f"{url}/coding", timeout=FIRST_LOAD_MS)
    _heading(page, QUEUE[0])
    expect(page.get_by_text("30 of 30 incidents of the filter not yet assessed")).to_be_visible(
        timeout=60_000
    )
    chosen = {}
    for n, incident in enumerate(QUEUE[:20]):
        _heading(page, incident)
        motivation = CODED[n % 6]
        _press(page, str(n % 6 + 1), _lit(page, MOTIVATION_LABELS[motivation]))
        _press(page, "8", _lit(page, "Probable"))
        if n == 19:
            page.screenshot(path=str(artifacts / "coding-queue.png"), full_page=True)
        _press(page, "s", page.get_by_text(f"{incident} coded"))
        chosen[incident] = motivation
    _heading(page, QUEUE[20])
    expect(page.get_by_text("10 of 30 incidents of the filter not yet assessed")).to_be_visible(
        timeout=60_000
    )

    store = open_store(store_path)
    analyst = f"{getpass.getuser()} (this machine)"
    rows = store.layer("incidents").set_index("incident_id")
    for incident, motivation in chosen.items():
        assert rows.loc[incident, "motivation"] == motivation
        assert rows.loc[incident, "motivation_confidence"] == "probable"
        assert rows.loc[incident, "motivation_origin"] == "analyst"
    edits = store.edits("incidents")
    assert sorted(set(edits["row_key"])) == sorted(chosen)
    assert set(edits["edited_by"]) == {analyst}

    # Bulk coding of a filtered selection (clicks and typing from here on).
    page.get_by_role("radio", name="Bulk coding").click()
    words = page.get_by_label("Words in the narrative or the event type as written")
    words.fill("checkpoint")
    words.press("Enter")
    page.get_by_text("All 5 matching incidents").click()
    page.get_by_label("New motivation").click()
    page.get_by_role("option", name="Extraction").click()
    reason = page.get_by_label("Why (kept in the history of each incident)")
    reason.fill("checkpoint levies, JMAC weekly review")
    reason.press("Enter")
    expect(page.get_by_text("5 incidents will be recoded")).to_be_visible(timeout=30_000)
    confirm = page.get_by_role("button", name="Recode 5 incidents")
    expect(confirm).to_be_enabled(timeout=30_000)
    page.screenshot(path=str(artifacts / "coding-bulk.png"), full_page=True)
    confirm.click()
    expect(page.get_by_text("5 incidents recoded; 0 unchanged.")).to_be_visible(timeout=30_000)

    bulk = [f"B-{i:02d}" for i in range(5)]
    rows = store.layer("incidents").set_index("incident_id")
    assert rows.loc[bulk, "motivation"].tolist() == ["extraction"] * 5
    edits = store.edits("incidents")
    mine = edits[edits["row_key"].isin(bulk)]
    assert sorted(set(mine["row_key"])) == bulk
    assert set(mine["edited_by"]) == {analyst}
    assert set(mine["reason"]) == {"checkpoint levies, JMAC weekly review"}
    assert len(set(edits["row_key"])) == 25
