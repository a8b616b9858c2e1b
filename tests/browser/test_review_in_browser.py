"""The review page in Debian's chromium: an analyst sees a field office's batch on its
map beside the stored event it repeats, leaves that row out with a reason using the
keyboard, accepts the rest, and the store has the row withdrawn (screenshot kept in
test-artifacts/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from access.roles import Caller
from access.session import Session
from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.mission import save_folder
from schema.upload import Upload
from store import open_store
from tests.browser.conftest import _free_port, _stop, launch_app
from tests.browser.test_joint_map_in_browser import FIRST_LOAD_MS, map_frame
from tests.tiny_mission import tiny_mission
from tests.ui.test_review_rows import HEADER, KALONDO_ROWS

ANA = Caller("ana", "analyst")
CIRCLES_JS = """(el) => {
    const values = [];
    for (const key of Object.keys(window)) {
        try { values.push(window[key]); } catch (e) { /* a getter that throws */ }
    }
    const map = values.find((v) => v instanceof L.Map && v.getContainer() === el);
    let circles = 0;
    map.eachLayer((layer) => { if (layer instanceof L.CircleMarker) { circles += 1; } });
    return circles;
}"""
KALONDO = Caller("kal", "field_office", "Kalondo office")


def _import(session: Session, name: str, rows: str, office: str) -> None:
    options = session.import_options(
        ImportOptions(layer="incidents", office=office, uploader="x", profile="native")
    )
    upload = Upload(name, (HEADER + rows).encode())
    commit_import(session, preview_import(session, upload, options))


@pytest.fixture(scope="module")
def review_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app (no users: this machine's analyst) on a store with an ACLED event and a
    field office's batch of five rows under review, K-1 repeating the ACLED event."""
    folder = tmp_path_factory.mktemp("review-app")
    save_folder(tiny_mission(), folder / "layers")
    store_path = folder / "pocmap.gpkg"
    store = open_store(store_path)
    _import(
        Session(store, ANA),
        "acled.csv",
        "A-1,2024-03-05,killing,unknown,state_forces,,1,exact,ACLED: Corbeau News,5.75,20.67,"
        "[SYNTHETIC] acled\n",
        "JMAC",
    )
    _import(Session(store, KALONDO), "kalondo.csv", KALONDO_ROWS, "Kalondo office")
    port = _free_port()
    process, url = launch_app(
        folder / "layers",
        port=port,
        store=store_path,
        users=folder / "users.json",
        log_path=folder / f"streamlit-{port}.log",
    )
    try:
        yield url, store_path
    finally:
        _stop(process)


def test_an_analyst_sees_the_batch_and_leaves_a_row_out_by_keyboard(
    page: Page, review_app: tuple[str, Path], artifacts: Path
):
    url, store_path = review_app
    page.goto(f"{url}/review", timeout=FIRST_LOAD_MS)
    expect(page.get_by_text("Linked events and possible duplicates")).to_be_visible(
        timeout=FIRST_LOAD_MS
    )
    frame = map_frame(page)
    control = frame.locator(".leaflet-control-layers")
    expect(control).to_contain_text("Rows of this batch")
    expect(control).to_contain_text("Stored incidents nearby")
    # Five rows and the one stored event within 25 km, each a circle (on a canvas).
    assert frame.locator(".leaflet-container").evaluate(CIRCLES_JS) == 6
    page.set_viewport_size({"width": 1400, "height": 2400})
    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artifacts / "review-batch.png"), full_page=True)

    leave_out = page.get_by_role("combobox", name="Rows to leave out")
    leave_out.click()
    page.keyboard.type("K-1")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    reason = page.get_by_label("Why leave them out")
    reason.click()
    page.keyboard.type("K-1 is ACLED's A-1 sent again")
    page.keyboard.press("Enter")
    accept = page.get_by_role("button", name="Accept 4 rows, withdraw 1")
    expect(accept).to_be_enabled(timeout=FIRST_LOAD_MS)
    accept.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Nothing is waiting.")).to_be_visible(timeout=FIRST_LOAD_MS)
    withdrawn = open_store(store_path).row_withdrawals(in_force=True)
    assert withdrawn[["row_key", "reason"]].values.tolist() == [
        ["K-1", "K-1 is ACLED's A-1 sent again"]
    ]
    page.screenshot(path=str(artifacts / "review-accepted.png"), full_page=True)
