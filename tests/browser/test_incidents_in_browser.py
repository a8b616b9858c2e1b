"""Reading a hot spot's incidents in Debian's chromium, signed in with a password.

An analyst opens the joint analysis, picks a hot spot under the protection gaps, reads its
incidents, clicks one and opens it in the incident desk: its narrative is there. A viewer
doing the same reads the incident without its narrative (restricted). A click on an
incident of the joint map opens it in the desk too. Screenshots in ``test-artifacts/``:
``incident_desk_analyst.png``, ``incident_desk_viewer.png``, ``incident_desk_from_the_map.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from access import users as users_file
from schema.mission import load_sample
from tests.browser.conftest import HOSTILE, SAMPLE_DIR, _free_port, _stop, launch_app
from tests.browser.test_joint_map_in_browser import (
    FIRST_LOAD_MS,
    _click_an_incident,
    map_frame,
    open_map,
    wait_for_incidents,
)

ANALYST = ("ana.analyst", "analyst password 1")
VIEWER = ("vic.viewer", "viewer password 1")
ROW_PX = 35  # st.dataframe's row height (and its header's)


@pytest.fixture(scope="module")
def desk_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the sample, signing people in from its users file (no ``[auth]``)."""
    folder = tmp_path_factory.mktemp("incident-desk")
    users = users_file.load(folder / "users.json")
    users.add(ANALYST[0], "analyst", password=ANALYST[1], by="browser test")
    users.add(VIEWER[0], "viewer", password=VIEWER[1], by="browser test")
    secrets = folder / "secrets.toml"
    secrets.write_text("# no [auth]: the users file signs people in\n", encoding="utf-8")
    port = _free_port()
    process, url = launch_app(
        SAMPLE_DIR,
        port=port,
        store=folder / "pocmap.gpkg",
        users=folder / "users.json",
        log_path=folder / f"streamlit-{port}.log",
        extra_args=["--secrets.files", str(secrets)],
    )
    try:
        yield url
    finally:
        _stop(process)


def _sign_in(page: Page, url: str, name: str, password: str) -> None:
    page.goto(url, timeout=FIRST_LOAD_MS)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=FIRST_LOAD_MS)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    map_frame(page)


def _read_a_hot_spots_incident(page: Page) -> str:
    """From the joint analysis: a hot spot's incidents, the first one clicked and opened in
    the incident desk; returns its id."""
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name="Joint analysis").click()
    chooser = page.get_by_test_id("stSelectbox").filter(has_text="Incidents in this hot spot")
    expect(chooser.first).to_be_visible(timeout=FIRST_LOAD_MS)
    chooser = chooser.last  # the one under the protection gaps
    chooser.scroll_into_view_if_needed()
    # Typed and chosen with the keyboard: the list can open over other elements.
    chooser.locator("input").click()
    page.keyboard.type("hot spot 1 (")
    expect(page.get_by_role("option", name="hot spot 1 (", exact=False)).to_have_count(1)
    page.keyboard.press("Enter")
    # The list under the protection gaps (Streamlit marks an element with its key).
    listed = page.locator(".st-key-analysis_gaps_spot_table")
    expect(page.get_by_text("514 incidents.", exact=False)).to_be_visible(timeout=60_000)
    listed.scroll_into_view_if_needed()
    box = listed.bounding_box()
    assert box is not None
    # The first row, in its selection column: one click selects it.
    page.mouse.click(box["x"] + 12, box["y"] + ROW_PX + ROW_PX / 2)
    opening = page.get_by_test_id("stPageLink").filter(has_text="in the incident desk")
    expect(opening).to_be_visible(timeout=60_000)
    incident = opening.inner_text().split("Open ", 1)[1].split(" in the incident desk")[0]
    opening.click()
    expect(page.get_by_text(f"Incident {incident}")).to_be_visible(timeout=FIRST_LOAD_MS)
    assert f"incident={incident}" in page.url
    return incident.strip()


def _narrative(incident: str) -> str:
    incidents = load_sample().incidents.set_index("incident_id")
    return str(incidents.loc[incident, "narrative"])


def test_an_analyst_reads_a_hot_spots_incident(page: Page, desk_app: str, artifacts: Path):
    _sign_in(page, desk_app, *ANALYST)
    incident = _read_a_hot_spots_incident(page)
    narrative = _narrative(incident)
    assert narrative.startswith("[SYNTHETIC]")
    box = page.get_by_test_id("stVerticalBlock").filter(has_text="Narrative").last
    expect(page.get_by_text(narrative)).to_be_visible()
    expect(box).to_be_visible()
    page.get_by_text(narrative).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "incident_desk_analyst.png"), full_page=True)


def test_a_viewer_reads_it_without_its_narrative(page: Page, desk_app: str, artifacts: Path):
    _sign_in(page, desk_app, *VIEWER)
    incident = _read_a_hot_spots_incident(page)
    notice = page.get_by_text("restricted: only analysts", exact=False)
    expect(notice).to_be_visible()
    notice.scroll_into_view_if_needed()
    main = page.get_by_test_id("stMain").inner_text()
    assert "[SYNTHETIC]" not in main
    assert _narrative(incident) not in main
    page.screenshot(path=str(artifacts / "incident_desk_viewer.png"), full_page=True)


def test_a_click_on_the_map_opens_the_incident_in_the_desk(
    page: Page, hostile_app: str, artifacts: Path
):
    """On the hostile mission (every text, the ids included, is HTML and script): a click
    on an incident lists it under the map, and its link opens it in the desk, as text."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    frame = open_map(page, hostile_app)
    wait_for_incidents(page, frame)
    _click_an_incident(page, frame)
    expect(page.get_by_text("Incidents at the point clicked")).to_be_visible(timeout=60_000)
    opening = page.get_by_test_id("stPageLink").filter(has_text="in the incident desk")
    if not opening.count():  # several incidents there: the first row of their list
        listed = page.locator(".st-key-map_clicked_table")
        box = listed.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 12, box["y"] + ROW_PX + ROW_PX / 2)
    expect(opening.first).to_be_visible(timeout=60_000)
    assert HOSTILE[:20] in opening.first.inner_text()
    opening.first.click()
    heading = page.get_by_role("heading").filter(has_text="Incident T-")
    expect(heading).to_be_visible(timeout=FIRST_LOAD_MS)
    assert HOSTILE in heading.inner_text()
    expect(page.get_by_test_id("stMain")).to_contain_text(f"Test source {HOSTILE[:20]}")
    page.screenshot(path=str(artifacts / "incident_desk_from_the_map.png"), full_page=True)
    assert dialogs == [], "hostile text ran as script"
