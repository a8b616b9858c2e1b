"""Signing in, in Debian's chromium: the name/password form, and OpenID Connect (st.login).

The app runs as ``streamlit run app.py`` on the sample data, with its users file
(``POCMAP_USERS``) and its store (``POCMAP_DB``) in a temporary folder. Streamlit is given
its secrets with ``--secrets.files``, so nothing is written into the repository's
``.streamlit/`` and a developer's own ``.streamlit/secrets.toml`` is never read:

- the password tests give it an empty secrets file (no ``[auth]``: the users file signs
  people in with a name and a password);
- the OIDC tests give it an ``[auth]`` section pointing at ``oidc-provider-mock``, a
  real OpenID Connect provider running on loopback in this process, standing in for the
  mission's identity provider. Its authorization page asks for the subject (``sub``);
  the person it signs in has that subject as their ``email`` claim.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from access import users as users_file
from tests.browser.conftest import (
    SAMPLE_DIR,
    _free_port,
    _stop,
    launch_app,
)
from tests.browser.test_joint_map_in_browser import FIRST_LOAD_MS, MAP_IFRAME, map_frame

with warnings.catch_warnings():  # the mock still imports authlib.jose (deprecated)
    # First: on import it sets its own warnings to "always", which would override ours.
    from authlib.deprecate import AuthlibDeprecationWarning

    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from oidc_provider_mock import run_server_in_thread

# ... and still gives authlib its JWT settings the old way, in the provider's thread.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")

ANALYST = ("ana.analyst", "analyst password 1")
VIEWER = ("vic.viewer", "viewer password 1")
KIM = "kim@mission.org"  # signs in through the identity provider, as a viewer
STRANGER = "nobody@elsewhere.org"  # known to the identity provider, not to pocmap
BY = "browser test"
PROVIDER_TIMEOUT_S = 10.0
VIEWER_PAGES = ["Joint map", "Joint analysis", "Incidents", "Layers and codes"]
ANALYST_PAGES = [
    "Joint map", "Joint analysis", "Incidents", "Coding", "Double coding", "Upload", "Review",
    "Layers and codes",
]  # fmt: skip


# --- the app ---------------------------------------------------------------------------


@contextlib.contextmanager
def _running_app(folder: Path, secrets_file: Path, port: int | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on the sample data, with the users file and store in
    ``folder`` and the secrets in ``secrets_file``; yields ``http://127.0.0.1:PORT``."""
    if not (SAMPLE_DIR / "incidents.csv").exists():
        pytest.skip(f"no sample data yet: {SAMPLE_DIR / 'incidents.csv'} is missing")
    port = port or _free_port()
    process, url = launch_app(
        SAMPLE_DIR,
        port=port,
        store=folder / "pocmap.gpkg",  # sign-ins are audited: not the repo's store
        users=folder / "users.json",
        log_path=folder / f"streamlit-{port}.log",
        extra_args=["--secrets.files", str(secrets_file)],
    )
    try:
        yield url
    finally:
        _stop(process)


def _users(folder: Path) -> None:
    users = users_file.load(folder / "users.json")
    users.add(ANALYST[0], "analyst", password=ANALYST[1], by=BY)
    users.add(VIEWER[0], "viewer", password=VIEWER[1], by=BY)
    users.add(KIM, "viewer", oidc=True, by=BY)


@pytest.fixture(scope="module")
def password_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app signing people in from the users file (its secrets have no ``[auth]``)."""
    folder = tmp_path_factory.mktemp("sign-in-password")
    _users(folder)
    no_auth = folder / "secrets.toml"
    no_auth.write_text("# no [auth]: the users file signs people in\n", encoding="utf-8")
    with _running_app(folder, no_auth) as url:
        yield url


# --- the identity provider ----------------------------------------------------------------


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock on a free loopback port; yields its base URL."""
    with run_server_in_thread(port=0) as server:
        url = f"http://127.0.0.1:{server.server_port}"
        discovery = f"{url}/.well-known/openid-configuration"
        deadline = time.monotonic() + PROVIDER_TIMEOUT_S
        last: object = None
        while True:
            try:
                with urllib.request.urlopen(discovery, timeout=2) as response:
                    if json.load(response).get("authorization_endpoint"):
                        break
            except (urllib.error.URLError, OSError, ValueError) as error:
                last = error
            if time.monotonic() > deadline:
                pytest.fail(
                    f"oidc-provider-mock did not serve {discovery} within "
                    f"{PROVIDER_TIMEOUT_S:.0f} s; last error: {last}",
                    pytrace=False,
                )
            time.sleep(0.1)
        yield url


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory: pytest.TempPathFactory, provider: str) -> Iterator[str]:
    """The app signing people in through ``provider``; yields ``http://localhost:PORT``
    (the origin of its redirect URI, where the browser has to be)."""
    folder = tmp_path_factory.mktemp("sign-in-oidc")
    _users(folder)
    port = _free_port()
    auth = folder / "secrets.toml"
    auth.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "pocmap"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with _running_app(folder, auth, port):
        yield f"http://localhost:{port}"


# --- the browser ------------------------------------------------------------------------


def _loopback(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname in (
        "127.0.0.1",
        "localhost",
    )


@pytest.fixture
def loopback_page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own context, so no cookie is shared) that may reach loopback only:
    the app is at ``localhost`` (its redirect URI's origin), the provider at 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(20_000)
    context.route(lambda url: not _loopback(url), lambda route: route.abort())
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _sidebar_pages(page: Page) -> list[str]:
    """The titles of the pages in the sidebar's navigation."""
    links = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
    expect(links.first).to_be_visible()
    # Each link's text is its icon's name, then its title.
    return [text.strip().splitlines()[-1] for text in links.all_inner_texts()]


def _expect_sign_in_form(page: Page) -> None:
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.get_by_label("Name")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    expect(page.locator(MAP_IFRAME)).to_have_count(0)
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def _sign_in(page: Page, name: str, password: str) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _expect_map(page: Page) -> None:
    map_frame(page)


# --- the tests --------------------------------------------------------------------------


def test_a_viewer_signs_in_with_a_password_and_out(page: Page, password_app: str) -> None:
    page.goto(password_app, timeout=FIRST_LOAD_MS)
    _expect_sign_in_form(page)

    _sign_in(page, VIEWER[0], "not the password")
    expect(page.get_by_text("Wrong name or password.")).to_be_visible()
    _expect_sign_in_form(page)

    _sign_in(page, VIEWER[0], VIEWER[1])
    _expect_map(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(f"Signed in as {VIEWER[0]}: viewer")
    assert _sidebar_pages(page) == VIEWER_PAGES

    sidebar.get_by_role("button", name="Sign out").click()
    _expect_sign_in_form(page)


def test_an_analyst_sees_upload_and_review(page: Page, password_app: str, artifacts: Path) -> None:
    page.goto(password_app, timeout=FIRST_LOAD_MS)
    _expect_sign_in_form(page)
    _sign_in(page, ANALYST[0], ANALYST[1])
    _expect_map(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(f"Signed in as {ANALYST[0]}: analyst")
    assert _sidebar_pages(page) == ANALYST_PAGES
    page.screenshot(path=str(artifacts / "sign-in.png"))

    sidebar.get_by_role("button", name="Sign out").click()
    _expect_sign_in_form(page)


def _sign_in_at_the_provider(page: Page, app: str, provider: str, subject: str) -> None:
    page.goto(app, timeout=FIRST_LOAD_MS)
    expect(page.get_by_text("Sign in with your mission account")).to_be_visible(
        timeout=FIRST_LOAD_MS
    )
    expect(page.locator(MAP_IFRAME)).to_have_count(0)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize*")
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.locator('input[name="sub"]').fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app}/**")


def test_an_oidc_user_signs_in_through_the_provider(
    loopback_page: Page, oidc_app: str, provider: str
) -> None:
    page = loopback_page
    _sign_in_at_the_provider(page, oidc_app, provider, KIM)
    _expect_map(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(f"Signed in as {KIM}: viewer")
    assert _sidebar_pages(page) == VIEWER_PAGES

    # Signing out ends the session at the provider too, which sends the browser back.
    sidebar.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider}/oauth2/end_session*")
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_text("Sign in with your mission account")).to_be_visible(
        timeout=FIRST_LOAD_MS
    )
    assert page.url.startswith(oidc_app)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    expect(page.locator(MAP_IFRAME)).to_have_count(0)


def test_an_email_without_a_role_is_refused(
    loopback_page: Page, oidc_app: str, provider: str
) -> None:
    page = loopback_page
    _sign_in_at_the_provider(page, oidc_app, provider, STRANGER)
    expect(page.get_by_text("has no role in pocmap")).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.get_by_text(STRANGER)).to_be_visible()
    expect(page.locator(MAP_IFRAME)).to_have_count(0)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
