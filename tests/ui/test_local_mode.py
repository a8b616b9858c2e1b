"""Local mode's rules on plain values: which Host, address and forwarding headers count as
"this machine" (ui/local_mode.py), the guard's Host match (ui/guard.py), the download
grants (ui/downloads.py) and what ``pocmap serve`` hands Streamlit (cli/__init__.py).

The same rules are exercised end to end, in chromium against a running server, by
tests/browser/test_local_mode_in_browser.py.
"""

from __future__ import annotations

import pytest

from cli import _allowed_hosts, main
from ui import downloads
from ui.guard import _cookie, host_allowed
from ui.local_mode import (
    LOOPBACK_NAMES,
    ProxySettingError,
    address_refusal,
    forwarding_headers,
    host_name,
    host_refusal,
    trusted_proxies,
    uvicorn_trust,
)


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("localhost:8501", "localhost"),
        ("LOCALHOST.", "localhost"),
        ("127.0.0.1:80", "127.0.0.1"),
        ("[::1]:8501", "::1"),
        ("rebind.example:8501", "rebind.example"),
        ("user@localhost", None),
        ("localhost:port", None),
        ("localhost/path", None),
        ("", None),
        (None, None),
    ],
)
def test_host_name(host, name) -> None:
    assert host_name(host) == name


@pytest.mark.parametrize(
    "host", ["localhost:8501", "127.0.0.1:8501", "127.0.0.2", "[::1]:8501", "localhost."]
)
def test_loopback_hosts_are_this_machine(host) -> None:
    assert host_refusal(host) is None


@pytest.mark.parametrize(
    "host",
    [
        "rebind.example:8501",
        "localhost.rebind.example",
        "127.0.0.1.nip.io",
        "10.0.0.5:8501",
        "",
        None,
    ],
)
def test_other_hosts_are_refused_with_the_name_they_asked_for(host) -> None:
    why = host_refusal(host)
    assert why is not None
    assert (host or "no Host header") in why
    assert "http://localhost" in why


def test_forwarding_headers_are_found_in_any_case() -> None:
    headers = {"X-Forwarded-For": "1.2.3.4", "x-real-ip": "1.2.3.4", "FORWARDED": "for=x"}
    assert forwarding_headers(headers) == ["x-forwarded-for", "x-real-ip", "forwarded"]
    assert forwarding_headers({"Host": "localhost", "Cookie": "a=b"}) == []


# --- without a proxy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "named"),
    [
        ({"x-forwarded-for": "127.0.0.1"}, "X-Forwarded-For"),
        ({"x-forwarded-for": "localhost"}, "X-Forwarded-For"),
        ({"x-real-ip": "127.0.0.1"}, "X-Real-IP"),
        ({"forwarded": "for=127.0.0.1"}, "Forwarded"),
        ({"x-forwarded-host": "localhost"}, "X-Forwarded-Host"),
    ],
)
def test_without_a_proxy_a_forwarding_header_is_not_this_machine(headers, named) -> None:
    # The address is loopback (None, as Streamlit reports it): the header alone refuses.
    why = address_refusal(headers, None, [], None)
    assert why is not None and "no proxy is configured" in why
    assert f"carries {named})" in why


def test_without_a_proxy_a_loopback_connection_is_this_machine() -> None:
    assert address_refusal({"host": "localhost"}, None, [], None) is None
    assert address_refusal({}, "127.0.0.1", [], None) is None
    why = address_refusal({}, "192.0.2.10", [], None)
    assert why is not None and "192.0.2.10" in why


# --- with a proxy ------------------------------------------------------------------------------

PROXY = trusted_proxies("127.0.0.1")
AGREED = uvicorn_trust(PROXY)


def test_the_proxy_setting_is_read_and_checked() -> None:
    assert trusted_proxies("") == []
    assert uvicorn_trust(trusted_proxies(" 127.0.0.1, 10.0.0.0/24 ,::1")) == (
        "127.0.0.1,10.0.0.0/24,::1"
    )
    with pytest.raises(ProxySettingError, match=r"'proxy\.local' is not an IP address"):
        trusted_proxies("127.0.0.1,proxy.local")


def test_a_configured_proxy_is_believed() -> None:
    # The server (trusting the proxy) put the X-Forwarded-For client in the address.
    assert address_refusal({"x-forwarded-for": "127.0.0.1"}, None, PROXY, AGREED) is None
    why = address_refusal({"x-forwarded-for": "203.0.113.7"}, "203.0.113.7", PROXY, AGREED)
    assert why is not None and "for 203.0.113.7" in why


def test_a_proxy_that_does_not_say_for_whom_is_not_this_machine() -> None:
    why = address_refusal({}, None, PROXY, AGREED)
    assert why is not None and "without an X-Forwarded-For" in why
    why = address_refusal({"x-real-ip": "127.0.0.1"}, None, PROXY, AGREED)
    assert why is not None and "without an X-Forwarded-For" in why


def test_every_address_a_proxy_names_must_be_this_machine() -> None:
    headers = {"x-forwarded-for": "127.0.0.1", "x-real-ip": "198.51.100.4"}
    why = address_refusal(headers, None, PROXY, AGREED)
    assert why is not None and "198.51.100.4" in why
    headers = {"x-forwarded-for": "127.0.0.1", "forwarded": 'for="[2001:db8::1]:4711"'}
    why = address_refusal(headers, None, PROXY, AGREED)
    assert why is not None and "2001:db8::1" in why


def test_a_browser_on_this_machine_not_through_the_proxy_is_this_machine() -> None:
    remote_proxy = trusted_proxies("10.0.0.5")
    assert address_refusal({}, None, remote_proxy, uvicorn_trust(remote_proxy)) is None
    # It may even claim to be forwarded: it is on loopback all the same.
    headers = {"x-forwarded-for": "127.0.0.1"}
    assert address_refusal(headers, None, remote_proxy, uvicorn_trust(remote_proxy)) is None


def test_a_server_that_trusts_other_proxies_than_the_setting_refuses_forwarded_requests() -> None:
    # `streamlit run` without `pocmap serve`: uvicorn trusts loopback by default (None).
    why = address_refusal({"x-forwarded-for": "127.0.0.1"}, None, PROXY, None)
    assert why is not None and "pocmap serve" in why
    assert address_refusal({"x-forwarded-for": "127.0.0.1"}, None, PROXY, "10.9.9.9") is not None


# --- the guard's Host match --------------------------------------------------------------------


def test_the_guard_matches_hosts_as_streamlit_does() -> None:
    local = list(LOOPBACK_NAMES)
    assert host_allowed("localhost:8501", local)
    assert host_allowed("[::1]:8501", local)
    assert not host_allowed("rebind.example:8501", local)
    assert not host_allowed(None, local)
    assert host_allowed("anything.example", [])  # not set: every host
    assert host_allowed("anything.example", ["*"])
    assert host_allowed("map.mission.example", ["*.mission.example"])
    assert not host_allowed("mission.example.evil", ["*.mission.example"])


def test_the_guard_finds_its_cookie_beside_malformed_ones() -> None:
    sent = {"cookie": 'other={"json": 1, x}; pocmap_browser=abc-123; _streamlit_xsrf=2|a|b'}
    assert _cookie(sent, downloads.COOKIE) == "abc-123"
    assert _cookie({"cookie": "pocmap_browser="}, downloads.COOKIE) is None
    assert _cookie({}, downloads.COOKIE) is None


# --- download grants -----------------------------------------------------------------------------


def test_a_grant_is_for_its_browser_its_fetches_and_its_lifetime(monkeypatch) -> None:
    alive = {"s1"}
    monkeypatch.setattr(downloads, "_session_alive", lambda session: session in alive)
    monkeypatch.setattr(downloads, "_remove_later", lambda file_id, seconds: None)
    downloads.grant("f1", "browser-a", "s1")
    assert not downloads.take("f1", None)
    assert not downloads.take("f1", "browser-b")
    assert downloads.take("f1", "browser-a") and downloads.take("f1", "browser-a")
    assert not downloads.take("f1", "browser-a")  # FETCHES_PER_GRANT used up
    assert not downloads.granted("f1")

    downloads.grant("f2", "browser-a", "s1")
    alive.clear()  # the session ended
    assert not downloads.take("f2", "browser-a")

    alive.add("s1")
    monkeypatch.setenv(downloads.LIFETIME_ENV, "0.05")  # 3 s
    downloads.grant("f3", "browser-a", "s1")
    monkeypatch.setattr(downloads.time, "monotonic", lambda: float("inf"))
    assert not downloads.take("f3", "browser-a")  # past its lifetime


def test_the_lifetime_setting(monkeypatch) -> None:
    monkeypatch.delenv(downloads.LIFETIME_ENV, raising=False)
    assert downloads.lifetime() == 600.0
    monkeypatch.setenv(downloads.LIFETIME_ENV, "2")
    assert downloads.lifetime() == 120.0
    monkeypatch.setenv(downloads.LIFETIME_ENV, "soon")
    assert downloads.lifetime() == 600.0


# --- pocmap serve ------------------------------------------------------------------------------


def test_serve_asks_for_loopback_names_in_local_mode_and_any_with_users(monkeypatch) -> None:
    monkeypatch.delenv("STREAMLIT_SERVER_ALLOWED_HOSTS", raising=False)
    flags = _allowed_hosts(local=True)
    assert flags[1::2] == list(LOOPBACK_NAMES)
    assert set(flags[0::2]) == {"--server.allowedHosts"}
    assert _allowed_hosts(local=False) == ["--server.allowedHosts", "*"]
    monkeypatch.setenv("STREAMLIT_SERVER_ALLOWED_HOSTS", "map.mission.example")
    assert _allowed_hosts(local=False) == []  # the operator's own list


def test_serve_refuses_a_proxy_setting_that_is_not_an_address(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("POCMAP_TRUSTED_PROXY", "my-proxy")
    assert main(["serve", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "POCMAP_TRUSTED_PROXY='my-proxy'" in err and "not an IP address" in err
