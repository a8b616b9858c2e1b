"""The guard's refusal (a page asked for under a name pocmap does not answer to) is
written in the browser's language when pocmap speaks it, else the deployment's."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from streamlit import config

from tests.languages.english import english_left
from ui.guard import Guard, browser_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,de;q=0.9,fr;q=0.5,en;q=0.4", "fr"),
        ("en;q=0.2, fr-CA;q=0.8", "fr"),
        ("de, *", None),
        ("", None),
        (None, None),
        ("fr;q=nonsense, en", "en"),
    ],
)
def test_the_browser_language_is_the_first_pocmap_speaks(header, expected):
    assert browser_language(header) == expected


def _refusal(accept_language: str | None) -> str:
    sent: list[dict[str, Any]] = []

    async def app(scope, receive, send):  # never reached: the host is refused first
        raise AssertionError("the app was called")

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    headers = [(b"host", b"rebind.example")]
    if accept_language is not None:
        headers.append((b"accept-language", accept_language.encode()))
    scope = {"type": "http", "path": "/", "method": "GET", "headers": headers}
    asyncio.run(Guard(app)(scope, receive, send))
    assert sent[0]["status"] == 403
    return sent[1]["body"].decode("utf-8")


@pytest.fixture
def loopback_only():
    before = config.get_option("server.allowedHosts")
    config.set_option("server.allowedHosts", ["localhost", "127.0.0.1"])
    yield
    config.set_option("server.allowedHosts", before)


def test_the_refusal_in_french_for_a_french_browser(loopback_only, monkeypatch):
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    french = _refusal("fr-FR,fr;q=0.9")
    assert french.startswith("pocmap : ce serveur ne répond qu'aux noms de server.allowedHosts")
    assert "'rebind.example'" in french
    assert english_left(french, ignoring=["rebind.example"]) == set()
    english = _refusal("en-GB")
    assert english.startswith("pocmap: this server answers only to the names")
    assert english_left(english, ignoring=["rebind.example"])


def test_the_refusal_in_the_deployment_language_otherwise(loopback_only, monkeypatch):
    monkeypatch.setenv("POCMAP_LANG", "fr")
    assert _refusal(None).startswith("pocmap : ce serveur")
    assert _refusal("de-DE").startswith("pocmap : ce serveur")
    monkeypatch.delenv("POCMAP_LANG")
    assert _refusal(None).startswith("pocmap: this server")
