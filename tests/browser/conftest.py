"""Fixtures for the browser tests: the real Streamlit app and Debian's chromium.

Nothing here downloads anything: the app is started from this checkout, and the
browser is ``/usr/bin/chromium`` (``apt-get install chromium``), never one that
playwright would fetch.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from schema.mission import save_folder
from tests.tiny_mission import XSS, tiny_mission

# An assertion waits as long as an action may (the page's default below): playwright's own
# 5 s made a loaded machine's Streamlit rerun a failure (CI, 2026-12-06: a sign-in message
# that came after 5 s).
expect.set_options(timeout=20_000)

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SAMPLE_DIR = ROOT / "sample_data"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
STARTUP_TIMEOUT_S = 60.0
SHUTDOWN_TIMEOUT_S = 10.0

HOSTILE = (
    XSS
    + "${alert(document.domain)}`"
    + "</script><script>alert(3)</script>"
    + "<svg onload=alert(4)>"
)
"""Text put into every free-text field of the hostile mission: HTML, JS template
literal and script-block breakers, each of which would open a dialog if it ran."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (``-m "not browser"`` skips them)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == "127.0.0.1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=SHUTDOWN_TIMEOUT_S)


def launch_app(
    data_dir: Path,
    *,
    port: int,
    store: Path,
    users: Path,
    log_path: Path,
    extra_args: Sequence[str] = (),
) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` on the layer folder ``data_dir``, with its own store and
    users file, its output in ``log_path``; the process and its base URL, once
    ``/_stcore/health`` answers ``ok`` (else the test fails with the app's output)."""
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POCMAP_", "STREAMLIT_"))}
    env.update(
        POCMAP_DATA_DIR=str(data_dir),
        POCMAP_DB=str(store),
        POCMAP_USERS=str(users),
        PYTHONUNBUFFERED="1",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        # Other people edit the code while the suite runs: never rerun on their saves.
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
        NO_PROXY="127.0.0.1,localhost",
    )
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", *extra_args]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        if _healthy(url):
            return process, url
        time.sleep(0.25)
    _stop(process)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    pytest.fail(
        f"streamlit did not answer {url}/_stcore/health with 'ok' within "
        f"{STARTUP_TIMEOUT_S:.0f} s (exit code {process.returncode}); its output:\n{output}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def start_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], str]]:
    """A factory: ``start_app(folder)`` runs ``streamlit run app.py`` on ``folder``.

    Returns the base URL once ``/_stcore/health`` answers ``ok``; every server is
    stopped at the end of the session.
    """
    running: list[subprocess.Popen] = []
    logs = tmp_path_factory.mktemp("streamlit-logs")

    def start(folder: Path) -> str:
        port = _free_port()
        # Never the developer's own store or users file (data/ in the repo): no users,
        # so access control is off, as on a fresh checkout.
        process, url = launch_app(
            folder,
            port=port,
            store=logs / f"store-{port}" / "pocmap.gpkg",
            users=logs / f"users-{port}.json",
            log_path=logs / f"streamlit-{port}.log",
        )
        running.append(process)
        return url

    yield start
    for process in running:
        _stop(process)


@pytest.fixture(scope="session")
def sample_app(start_app: Callable[[Path], str]) -> str:
    """The app on the synthetic sample mission in ``sample_data/``."""
    if not (SAMPLE_DIR / "incidents.csv").exists():
        pytest.skip(f"no sample data yet: {SAMPLE_DIR / 'incidents.csv'} is missing")
    return start_app(SAMPLE_DIR)


@pytest.fixture(scope="session")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny mission with :data:`HOSTILE` in every free-text field, saved as the app reads it."""
    folder = tmp_path_factory.mktemp("hostile-mission")
    save_folder(tiny_mission(HOSTILE), folder)
    return folder


@pytest.fixture(scope="session")
def hostile_app(start_app: Callable[[Path], str], hostile_folder: Path) -> str:
    """The app on :func:`hostile_folder`."""
    return start_app(hostile_folder)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless chromium driven by playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium; "
            "run `apt-get install chromium` (CI installs it). They never download a browser.",
            pytrace=False,
        )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            with contextlib.suppress(Exception):
                chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own context) with generous but bounded default timeouts."""
    context = browser.new_context(viewport={"width": 1440, "height": 1200})
    context.set_default_timeout(20_000)
    # Belt and braces: nothing leaves this machine even if the app asks for it (the
    # tests record such requests and fail on them).
    context.route(lambda url: not _local(url), lambda route: route.abort())
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/`` at the repo root (git-ignored), created on demand."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
