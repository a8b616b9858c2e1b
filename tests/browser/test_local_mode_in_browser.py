"""Local mode (no users) in Debian's chromium: DNS rebinding, forwarding headers, downloads.

The browser resolves ``rebind.example`` to 127.0.0.1 (``--host-resolver-rules``), as a
web page that rebinds its own name to the analyst's machine would. Every free-text field
of the mission holds :data:`CANARY`; the app is served as ``pocmap serve`` serves it
(``asgi.py``, the guard in front) and as plain ``streamlit run app.py``. Nothing the app
sends may carry the canary to a page asked for under the foreign name, while
``http://localhost:PORT`` shows the map with it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from schema.mission import save_folder
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    STARTUP_TIMEOUT_S,
    _free_port,
    _healthy,
    _stop,
)
from tests.browser.test_joint_map_in_browser import FIRST_LOAD_MS, MAP_IFRAME, map_frame
from tests.tiny_mission import tiny_mission

CANARY = "canary-5c1e9d"
REBIND = "rebind.example"
LIFETIME_MINUTES = "0.15"  # 9 s: long enough for a click, short enough to wait out
NO_DATA_WAIT_MS = 4_000  # a refused page is watched this long for anything arriving


# --- the apps ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def canary_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("canary-mission")
    save_folder(tiny_mission(CANARY), folder)
    return folder


def _env(folder: Path, state: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POCMAP_", "STREAMLIT_"))}
    env.pop("FORWARDED_ALLOW_IPS", None)
    env.update(
        POCMAP_DATA_DIR=str(folder),
        POCMAP_DB=str(state / "pocmap.gpkg"),
        POCMAP_USERS=str(state / "users.json"),  # never created: no users, local mode
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
        NO_PROXY="127.0.0.1,localhost",
        **extra,
    )
    return env


@contextlib.contextmanager
def _serving(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[int]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(f"http://127.0.0.1:{port}"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"{command} did not become healthy on port {port}:\n"
                    + log.read_text(encoding="utf-8", errors="replace"),
                    pytrace=False,
                )
            time.sleep(0.25)
        yield port
    finally:
        # pocmap serve runs streamlit as its child: stop the whole group it leads.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        _stop(process)


@contextlib.contextmanager
def _pocmap_serve(folder: Path, state: Path, **extra: str) -> Iterator[int]:
    """``pocmap serve --data folder`` on a free port (asgi.py behind the guard)."""
    port = _free_port()
    command = [
        sys.executable, "-c", "import sys; from cli import main; sys.exit(main())",
        "serve", "--data", str(folder), "--port", str(port), "--address", "127.0.0.1",
    ]  # fmt: skip
    env = _env(folder, state, POCMAP_DOWNLOAD_MINUTES=LIFETIME_MINUTES, **extra)
    with _serving(command, env, port, state / f"serve-{port}.log") as served:
        yield served


@contextlib.contextmanager
def _streamlit_app_py(folder: Path, state: Path, *flags: str) -> Iterator[int]:
    """Plain ``streamlit run app.py`` (no guard): .streamlit/config.toml's allowedHosts."""
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", *flags,
    ]  # fmt: skip
    with _serving(command, _env(folder, state), port, state / f"app-{port}.log") as served:
        yield served


@pytest.fixture(scope="module")
def served(canary_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with _pocmap_serve(canary_folder, tmp_path_factory.mktemp("served")) as port:
        yield port


@pytest.fixture(scope="module")
def proxied(canary_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``pocmap serve`` told that a proxy on this machine forwards to it."""
    state = tmp_path_factory.mktemp("proxied")
    with _pocmap_serve(canary_folder, state, POCMAP_TRUSTED_PROXY="127.0.0.1") as port:
        yield port


# --- the browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rebinding_browser() -> Iterator[Browser]:
    """Chromium resolving rebind.example to 127.0.0.1, as after a DNS rebinding."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium`", pytrace=False)
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {REBIND} 127.0.0.1"]
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield chromium
        finally:
            with contextlib.suppress(Exception):
                chromium.close()


def _here(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname in (
        "127.0.0.1",
        "localhost",
        REBIND,
    )


HOLD_DOWNLOADS_JS = """
// Streamlit saves a download by clicking a link to its /media/ URL; keep the URL instead,
// so that the file's one use is left to the test's own requests.
const click = HTMLAnchorElement.prototype.click;
HTMLAnchorElement.prototype.click = function () {
  if (new URL(this.href, location.href).pathname.startsWith("/media/")) {
    (window.__held = window.__held || []).push(this.href);
    return;
  }
  return click.call(this);
};
"""


class Watched:
    """A page and every WebSocket frame it received, as text (latin-1)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.frames: list[str] = []
        self.sockets: list[str] = []
        page.on("websocket", self._socket)

    def _socket(self, socket) -> None:
        self.sockets.append(socket.url)
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        text = payload.decode("latin-1") if isinstance(payload, bytes) else payload
        self.frames.append(text)

    def received(self, text: str) -> bool:
        return any(text in frame for frame in self.frames)


@pytest.fixture
def open_page(rebinding_browser: Browser) -> Iterator[Callable[..., Watched]]:
    """``open_page(headers=...)``: a fresh page (own context, own cookies), watched."""
    contexts = []

    def opening(headers: dict[str, str] | None = None, hold: bool = False) -> Watched:
        context = rebinding_browser.new_context(
            viewport={"width": 1440, "height": 1000}, extra_http_headers=headers or {}
        )
        context.set_default_timeout(20_000)
        context.route(lambda url: not _here(url), lambda route: route.abort())
        if hold:
            context.add_init_script(HOLD_DOWNLOADS_JS)
        contexts.append(context)
        return Watched(context.new_page())

    yield opening
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


def _shows_the_data(watched: Watched) -> None:
    map_frame(watched.page)
    expect(watched.page.get_by_test_id("stSidebar")).to_contain_text("(this machine)")
    assert watched.received(CANARY), "the map under localhost should carry the mission"


def _shows_no_data(watched: Watched) -> None:
    page = watched.page
    page.wait_for_timeout(NO_DATA_WAIT_MS)
    expect(page.locator(MAP_IFRAME)).to_have_count(0)
    expect(page.get_by_text("(this machine)")).to_have_count(0)
    assert not watched.received(CANARY), "the mission reached a refused page"
    assert CANARY not in page.content()


# --- DNS rebinding ------------------------------------------------------------------------


def test_pocmap_serve_refuses_a_rebinding_name_and_serves_localhost(
    open_page: Callable[..., Watched], served: int
) -> None:
    foreign = open_page()
    response = foreign.page.goto(f"http://{REBIND}:{served}/", timeout=FIRST_LOAD_MS)
    assert response is not None and response.status == 403
    expect(foreign.page.get_by_text("answers only to the names")).to_be_visible()
    _shows_no_data(foreign)
    # Every HTTP endpoint, not only the page, as the rebound page's own script asks.
    for path in ("/app/static/favicon.png", "/_stcore/host-config", "/media/x.csv"):
        status = foreign.page.evaluate("async (p) => (await fetch(p)).status", path)
        assert status == 403, (path, status)

    local = open_page()
    local.page.goto(f"http://localhost:{served}/", timeout=FIRST_LOAD_MS)
    _shows_the_data(local)


def test_plain_streamlit_run_refuses_the_rebinding_socket(
    open_page: Callable[..., Watched], canary_folder: Path, tmp_path: Path
) -> None:
    # .streamlit/config.toml's server.allowedHosts: the page loads, its socket does not.
    with _streamlit_app_py(canary_folder, tmp_path) as port:
        foreign = open_page()
        foreign.page.goto(f"http://{REBIND}:{port}/", timeout=FIRST_LOAD_MS)
        _shows_no_data(foreign)
        assert foreign.sockets, "the page should have tried its WebSocket"
        local = open_page()
        local.page.goto(f"http://localhost:{port}/", timeout=FIRST_LOAD_MS)
        _shows_the_data(local)


def test_the_page_refuses_a_rebinding_name_even_if_the_server_answers_it(
    open_page: Callable[..., Watched], canary_folder: Path, tmp_path: Path
) -> None:
    # A server started without the allow-list (every Host): the page check stands alone.
    with _streamlit_app_py(canary_folder, tmp_path, "--server.allowedHosts", "*") as port:
        foreign = open_page()
        foreign.page.goto(f"http://{REBIND}:{port}/", timeout=FIRST_LOAD_MS)
        expect(foreign.page.get_by_text("not for this machine")).to_be_visible(
            timeout=FIRST_LOAD_MS
        )
        expect(foreign.page.get_by_text(f"{REBIND}:{port}")).to_be_visible()
        _shows_no_data(foreign)


# --- forwarding headers -------------------------------------------------------------------


def test_a_forwarding_header_is_not_this_machine_without_a_proxy(
    open_page: Callable[..., Watched], served: int
) -> None:
    for header in ({"X-Forwarded-For": "127.0.0.1"}, {"X-Real-IP": "localhost"}):
        watched = open_page(header)
        watched.page.goto(f"http://localhost:{served}/", timeout=FIRST_LOAD_MS)
        expect(watched.page.get_by_text("no proxy is configured")).to_be_visible(
            timeout=FIRST_LOAD_MS
        )
        _shows_no_data(watched)


def test_a_configured_proxy_is_believed(open_page: Callable[..., Watched], proxied: int) -> None:
    # The proxy (127.0.0.1, POCMAP_TRUSTED_PROXY) says the browser is this machine...
    local = open_page({"X-Forwarded-For": "127.0.0.1"})
    local.page.goto(f"http://localhost:{proxied}/", timeout=FIRST_LOAD_MS)
    _shows_the_data(local)
    # ... or somewhere else, which local mode refuses.
    remote = open_page({"X-Forwarded-For": "203.0.113.7"})
    remote.page.goto(f"http://localhost:{proxied}/", timeout=FIRST_LOAD_MS)
    expect(remote.page.get_by_text("for 203.0.113.7")).to_be_visible(timeout=FIRST_LOAD_MS)
    _shows_no_data(remote)
    # Without the header, a request from the proxy's own address cannot be told apart.
    bare = open_page()
    bare.page.goto(f"http://localhost:{proxied}/", timeout=FIRST_LOAD_MS)
    expect(bare.page.get_by_text("without an X-Forwarded-For")).to_be_visible(timeout=FIRST_LOAD_MS)
    _shows_no_data(bare)


# --- downloads ------------------------------------------------------------------------------


def _get(url: str, cookie: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _first_download_button(page: Page) -> Locator:
    """The page's first table download (st.download_button), never a chart toolbar's
    "Download as PNG", which a substring match on "Download" also finds."""
    return page.get_by_test_id("stDownloadButton").first.get_by_role("button")


def _held_download(watched: Watched, served: int) -> tuple[str, str]:
    """Click a download on the Joint analysis page of a page opened with ``hold=True``;
    the file's URL (the browser never fetches it) and the browser's Cookie header."""
    page = watched.page
    # The page also checks the URL with a fetch of its own: answered here, not by the app.
    page.route(
        lambda url: urlsplit(url).path.startswith("/media/") and url.endswith(".csv"),
        lambda route: route.fulfill(status=200, body=b"checked", content_type="text/csv"),
    )
    page.goto(f"http://localhost:{served}/joint_analysis", timeout=FIRST_LOAD_MS)
    button = _first_download_button(page)
    expect(button).to_be_visible(timeout=FIRST_LOAD_MS)
    button.click()
    page.wait_for_function("() => (window.__held || []).length > 0", timeout=20_000)
    url = page.evaluate("() => window.__held[0]")
    cookies = page.context.cookies(f"http://localhost:{served}/")
    header = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    assert "pocmap_browser=" in header
    return url, header


def test_a_download_is_served_only_to_the_browser_that_asked_and_only_twice(
    open_page: Callable[..., Watched], served: int
) -> None:
    watched = open_page(hold=True)
    url, cookie = _held_download(watched, served)
    assert _get(url)[0] == 404  # no cookie: as if the file did not exist
    assert _get(url, "pocmap_browser=someone-else")[0] == 404
    browser = cookie.split("pocmap_browser=", 1)[1].split(";", 1)[0]
    assert _get(url, f"pocmap_browser={browser[:-1]}x")[0] == 404
    # The page's check of the URL, then its save (beside another app's odd cookie, as
    # localhost carries them).
    for sent in (f'other_app={{"a": 1, "b"}}; {cookie}', cookie):
        status, body = _get(url, sent)
        assert status == 200 and b"," in body  # the CSV table
    assert _get(url, cookie)[0] == 404  # and no more


def test_a_download_dies_with_its_session_and_expires(
    open_page: Callable[..., Watched], served: int
) -> None:
    watched = open_page(hold=True)
    url, cookie = _held_download(watched, served)
    assert _get(url, cookie)[0] == 200  # the first of its two fetches: it was there
    watched.page.context.close()  # the session ends with its page, well within the lifetime
    time.sleep(1.5)
    assert _get(url, cookie)[0] == 404

    url, cookie = _held_download(open_page(hold=True), served)
    assert _get(url, cookie)[0] == 200
    time.sleep(float(LIFETIME_MINUTES) * 60 + 1)
    assert _get(url, cookie)[0] == 404  # past its lifetime, the session still open


def test_the_browser_downloads_the_file(open_page: Callable[..., Watched], served: int) -> None:
    page = open_page().page
    page.goto(f"http://localhost:{served}/joint_analysis", timeout=FIRST_LOAD_MS)
    button = _first_download_button(page)
    expect(button).to_be_visible(timeout=FIRST_LOAD_MS)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.failure() is None
    data = Path(download.path()).read_bytes()
    assert b"," in data  # a CSV table
    assert _get(download.url, None)[0] == 404


# --- with users, through the same guard ---------------------------------------------------


@pytest.fixture(scope="module")
def with_users(canary_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``pocmap serve`` once an analyst exists (access control on, any Host)."""
    from access import users as users_file

    state = tmp_path_factory.mktemp("with-users")
    users_file.load(state / "users.json").add(
        ANALYST[0], "analyst", password=ANALYST[1], by="local-mode test"
    )
    with _pocmap_serve(canary_folder, state) as port:
        yield port


ANALYST = ("ana.analyst", "analyst password 1")


def test_with_users_the_guard_lets_sign_in_and_downloads_through(
    open_page: Callable[..., Watched], with_users: int
) -> None:
    # Any Host reaches the sign-in form, which shows no data before a sign-in.
    foreign = open_page()
    foreign.page.goto(f"http://{REBIND}:{with_users}/", timeout=FIRST_LOAD_MS)
    expect(foreign.page.get_by_role("button", name="Sign in")).to_be_visible(timeout=FIRST_LOAD_MS)
    assert not foreign.received(CANARY)

    page = open_page().page
    page.goto(f"http://localhost:{with_users}/joint_analysis", timeout=FIRST_LOAD_MS)
    page.get_by_label("Name").fill(ANALYST[0])
    page.get_by_label("Password", exact=True).fill(ANALYST[1])
    page.get_by_role("button", name="Sign in").click()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(f"Signed in as {ANALYST[0]}", timeout=FIRST_LOAD_MS)
    sidebar.get_by_role("link", name="Joint analysis").click()
    button = _first_download_button(page)
    expect(button).to_be_visible(timeout=FIRST_LOAD_MS)
    with page.expect_download() as info:
        button.click()
    assert info.value.failure() is None
    assert b"," in Path(info.value.path()).read_bytes()
    assert _get(info.value.url)[0] == 404
