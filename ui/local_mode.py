"""Local mode (no users configured): who counts as "this machine".

With no users, pocmap serves whoever is at the machine it runs on as an analyst, so two
things must hold for every page it renders (see docs/local-mode.md):

- the browser asked for a loopback name or address (Host: localhost:8501,
  127.0.0.1 or [::1]). A web page the analyst visits can point its own name at
  127.0.0.1 (DNS rebinding); its requests then reach pocmap with Host: its.name;
- the connection comes from this machine, and forwarding headers (X-Forwarded-For,
  X-Real-IP, Forwarded) are believed only from a proxy named in
  POCMAP_TRUSTED_PROXY. Without one, a request carrying such a header came through
  something that is not this browser, and is refused.

The functions here take the request's headers and address as plain values, so they are
tested without a server; :func:`refusal` is what the page calls.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from languages import _

TRUSTED_PROXY_ENV = "POCMAP_TRUSTED_PROXY"
"""Comma-separated addresses or networks of the reverse proxy in front of pocmap."""

UVICORN_TRUST_ENV = "FORWARDED_ALLOW_IPS"
"""Whose X-Forwarded-For the web server (uvicorn) applies to the client address.
pocmap serve sets it from :data:`TRUSTED_PROXY_ENV` (empty: nobody's)."""

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
"""Names the app answers to in local mode (server.allowedHosts): no web page can own
them, so none can rebind them. Any other loopback IP literal (127.0.0.2) is accepted too."""

_ADDRESS_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")
_OTHER_FORWARDING = ("x-client-ip", "true-client-ip", "x-forwarded-host", "x-forwarded-proto")
_SPELLED = {
    "x-forwarded-for": "X-Forwarded-For",
    "x-real-ip": "X-Real-IP",
    "forwarded": "Forwarded",
    "x-client-ip": "X-Client-IP",
    "true-client-ip": "True-Client-IP",
    "x-forwarded-host": "X-Forwarded-Host",
    "x-forwarded-proto": "X-Forwarded-Proto",
}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxySettingError(ValueError):
    """POCMAP_TRUSTED_PROXY names something that is not an address or a network."""


def host_name(host: str | None) -> str | None:
    """The name in a Host header (localhost:8501 gives localhost, [::1]:80
    gives ::1), lower-cased without a trailing dot; None when it is not a plain host."""
    if not host:
        return None
    try:
        parts = urlsplit(f"//{host.strip()}")
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        return None
    if parts.username or parts.password or parts.path or parts.query or parts.fragment:
        return None
    return (parts.hostname or "").rstrip(".") or None


def is_loopback_name(name: str | None) -> bool:
    """Whether name is localhost or a loopback IP literal (127.0.0.0/8, ::1)."""
    if not name:
        return False
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_refusal(host: str | None) -> str | None:
    """Why a request with this Host header is refused in local mode, or None."""
    name = host_name(host)
    if is_loopback_name(name):
        return None
    asked = f"{host}" if host else _("no name (no Host header)")
    return _(
        "This page was asked for {asked}, not for this machine. Access control is off "
        "(no users are configured), so pocmap answers only to http://localhost (or "
        "127.0.0.1, [::1]) on the machine it runs on: a web page that points its own name "
        "at this machine is refused. Open http://localhost:PORT, or add users with "
        "pocmap users add to serve a network.",
        asked=asked,
    )


def trusted_proxies(value: str | None = None) -> list[Network]:
    """The proxies named in POCMAP_TRUSTED_PROXY (or value): comma-separated
    addresses (127.0.0.1) or networks (10.0.0.0/24); empty when unset."""
    text = os.environ.get(TRUSTED_PROXY_ENV, "") if value is None else value
    networks: list[Network] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ProxySettingError(
                _(
                    "{setting}={text}: {item} is not an IP address or network; give the "
                    "proxy's address(es), comma-separated, such as 127.0.0.1 or 10.0.0.0/24",
                    setting=TRUSTED_PROXY_ENV,
                    text=repr(text),
                    item=repr(item),
                )
            ) from None
    return networks


def uvicorn_trust(networks: list[Network]) -> str:
    """The FORWARDED_ALLOW_IPS that makes the web server believe exactly these
    proxies' X-Forwarded-For (an empty string: nobody's)."""
    return ",".join(
        str(net.network_address) if net.num_addresses == 1 else str(net) for net in networks
    )


def forwarding_headers(headers: Mapping[str, str]) -> list[str]:
    """The names of the forwarding headers in headers (lower case), in a fixed order."""
    present = {name.lower() for name in headers}
    return [name for name in (*_ADDRESS_HEADERS, *_OTHER_FORWARDING) if name in present]


def _in(address: str | None, networks: list[Network]) -> bool:
    if address is None:  # Streamlit reports 127.0.0.1 and ::1 as None
        candidates = ["127.0.0.1", "::1"]
    else:
        candidates = [address]
    for candidate in candidates:
        try:
            ip = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if any(ip.version == net.version and ip in net for net in networks):
            return True
    return False


def _loopback_address(address: str | None) -> bool:
    return address is None or is_loopback_name(address)


def _claimed(headers: Mapping[str, str]) -> list[str]:
    """Every client address the X-Real-IP and Forwarded (for=) headers claim."""
    claimed: list[str] = []
    for name, value in headers.items():
        lower = name.lower()
        if lower == "x-real-ip":
            claimed.append(value.strip())
        elif lower == "forwarded":
            for element in value.replace(";", ",").split(","):
                key, _, given = element.strip().partition("=")
                if key.strip().lower() == "for":
                    given = given.strip().strip('"')
                    claimed.append(host_name(given) or given)
    return claimed


def address_refusal(
    headers: Mapping[str, str],
    address: str | None,
    proxies: list[Network],
    server_trust: str | None,
) -> str | None:
    """Why a request is not from this machine, or None when it is.

    Parameters
    ----------
    headers
        The request's headers (any case).
    address
        The client address the web server reports (st.context.ip_address: None for
        127.0.0.1 and ::1). The server has already replaced the connecting address with
        the X-Forwarded-For client when the connection came from an address in
        server_trust.
    proxies
        :func:`trusted_proxies`.
    server_trust
        FORWARDED_ALLOW_IPS as the web server read it (None: unset, which uvicorn
        takes as "127.0.0.1,::1").
    """
    forwarded = forwarding_headers(headers)
    named = ", ".join(_SPELLED[name] for name in forwarded)
    if not proxies:
        if forwarded:
            return _(
                "This request came through a proxy (it carries {named}) and no proxy is "
                "configured ({setting} is not set), so it is not from this machine. Access "
                "control is off (no users are configured): open http://localhost:PORT "
                "directly, or add users with pocmap users add.",
                named=named,
                setting=TRUSTED_PROXY_ENV,
            )
        if not _loopback_address(address):
            return _(
                "This request came from {address}, not from this machine. Access control "
                "is off (no users are configured), so pocmap serves only the machine it "
                "runs on. Add users with pocmap users add NAME --role admin to serve "
                "a network.",
                address=address,
            )
        return None
    expected = uvicorn_trust(proxies)
    if forwarded and (server_trust or "") != expected:
        return _(
            "{setting} names {expected}, but the web server believes X-Forwarded-For from "
            "{trusted}; start pocmap with pocmap serve, which makes the two agree, or set "
            "{server_setting}={expected} before streamlit run.",
            setting=TRUSTED_PROXY_ENV,
            expected=expected,
            trusted=server_trust or _("127.0.0.1,::1 (its default)"),
            server_setting=UVICORN_TRUST_ENV,
        )
    if "x-forwarded-for" not in forwarded and _in(address, proxies):
        # From the proxy, which did not say for whom: a browser on the proxy's own
        # address and a request it forwarded from anywhere cannot be told apart.
        return _(
            "This request came through the proxy ({address}, named in {setting}) without "
            "an X-Forwarded-For naming the browser, so it cannot be known to come from this "
            "machine. The proxy has to send X-Forwarded-For (pocmap in local mode serves "
            "only this machine).",
            address=address or _("loopback"),
            setting=TRUSTED_PROXY_ENV,
        )
    # With X-Forwarded-For, the server has put the client the proxy named in `address`
    # (or left the connecting address, when that was not the proxy).
    claims = [address or "127.0.0.1", *_claimed(headers)]
    elsewhere = [claim for claim in claims if claim and not is_loopback_name(claim)]
    if elsewhere:
        return _(
            "This request came through the proxy for {address}, not for this machine. "
            "Access control is off (no users are configured), so pocmap serves only the "
            "machine it runs on. Add users with pocmap users add NAME --role admin to "
            "serve a network.",
            address=elsewhere[0],
        )
    return None


def refusal() -> str | None:
    """Why this page's request is refused in local mode (to show instead of any data),
    or None when it comes from a browser on this machine asking for a loopback name.

    A page run inside the test harness (no browser, so no headers) is this machine."""
    import streamlit as st  # here: the rest of this module is plain functions

    given = st.context.headers
    if not given:
        return None
    headers = {name.lower(): ", ".join(given.get_all(name)) for name in given}
    why = host_refusal(headers.get("host"))
    if why:
        return why
    try:
        proxies = trusted_proxies()
    except ProxySettingError as err:
        return str(err)
    return address_refusal(
        headers, st.context.ip_address, proxies, os.environ.get(UVICORN_TRUST_ENV)
    )
