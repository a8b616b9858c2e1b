"""The checks in front of every HTTP request, when pocmap runs as ``asgi.py``.

Streamlit checks ``server.allowedHosts`` on its WebSocket only; the page, its scripts,
``/media/`` (downloads, the briefing preview) and ``/app/static/`` answer any Host. This
ASGI middleware (``pocmap serve`` runs ``asgi.py``, which puts it in front of ``app.py``):

- refuses (403) an HTTP request or WebSocket whose Host is not in ``server.allowedHosts``
  when that is set (``pocmap serve`` sets it to the loopback names in local mode);
- gives each browser a random ``pocmap_browser`` cookie (HttpOnly, SameSite=Strict), which
  its WebSocket carries to the page script (:mod:`ui.downloads`);
- serves ``/media/<id>`` only to a browser holding that cookie: a download to the
  browser whose session asked for it (the page's check and its save, then no more),
  while that session is connected and within its lifetime; other media (the briefing
  preview) to a browser with a connected signed-in session, except the page icon
  (``static/favicon.png``, public anyway). Anything else gets 404, as a file that does
  not exist would.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

from streamlit import config
from streamlit.runtime import Runtime
from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError

import languages
from languages import _
from ui import downloads
from ui.local_mode import host_name

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def host_allowed(host: str | None, allowed: list[str]) -> bool:
    """Whether ``host`` (a Host header) matches ``server.allowedHosts`` (``allowed``): an
    empty list or ``*`` allows every host, ``*.example.org`` its subdomains."""
    if not allowed:
        return True
    name = host_name(host)
    if name is None:
        return False
    for given in allowed:
        pattern = given.strip().lower().rstrip(".")
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


def browser_language(accept_language: str | None) -> str | None:
    """The first language of an ``Accept-Language`` header that pocmap speaks (``fr-FR,
    fr;q=0.9, en;q=0.8`` gives ``fr``), or ``None`` (the deployment's default then)."""
    weighted = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _sep, weight = item.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        weighted.append((-quality, position, tag.strip()))
    for _quality, _position, tag in sorted(weighted):
        if tag and tag != "*" and languages.chosen(tag):
            return languages.chosen(tag)
    return None


def _headers(scope: Scope) -> dict[str, str]:
    return {
        key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]
    }


def _cookie(headers: dict[str, str], name: str) -> str | None:
    # By hand, as browsers send them: http.cookies stops at the first cookie it finds
    # malformed, and localhost carries other apps' cookies too.
    for pair in headers.get("cookie", "").split(";"):
        key, sep, value = pair.strip().partition("=")
        if sep and key == name and value:
            return value
    return None


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


PUBLIC_MEDIA = (Path(__file__).resolve().parent.parent / "static" / "favicon.png",)
"""Files Streamlit serves as media that anyone may fetch (app.py's page icon)."""


@cache
def _public_contents() -> frozenset[bytes]:
    return frozenset(path.read_bytes() for path in PUBLIC_MEDIA if path.is_file())


def _media_file_of(file_name: str) -> Any | None:
    try:
        storage: Any = Runtime.instance().media_file_mgr._storage
        return storage.get_file(file_name)
    except (RuntimeError, MediaFileStorageError, AttributeError):
        return None


class Guard:
    """ASGI middleware: the Host check, the browser cookie and the ``/media/`` check."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        allowed = list(config.get_option("server.allowedHosts") or [])
        if not host_allowed(headers.get("host"), allowed):
            await self._refuse_host(scope, send, headers.get("host"))
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        browser = _cookie(headers, downloads.COOKIE)
        media = self._media_file(scope["path"])
        if media is not None:
            await self._media(scope, receive, send, media, browser)
            return
        await self.app(scope, receive, self._with_cookie(send) if browser is None else send)

    @staticmethod
    def _media_file(path: str) -> str | None:
        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        prefix = f"/{base}/media/" if base else "/media/"
        if not path.startswith(prefix):
            return None
        return path[len(prefix) :]

    @staticmethod
    async def _refuse_host(scope: Scope, send: Send, host: str | None) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        # No page run here to hold the person's choice: the browser's languages say it.
        with languages.use(browser_language(_headers(scope).get("accept-language"))):
            asked = host or _("a request without a Host header")
            text = _(
                "pocmap: this server answers only to the names in server.allowedHosts, not "
                "to {host}. With no users configured it serves this machine only: open "
                "http://localhost:PORT (docs/local-mode.md).",
                host=repr(asked),
            )
        await _plain(send, 403, text)

    async def _media(
        self, scope: Scope, receive: Receive, send: Send, file_name: str, browser: str | None
    ) -> None:
        file_id = file_name.split(".", 1)[0]
        media = _media_file_of(file_name)
        kind = media.kind if media is not None else None
        if kind == MediaFileKind.DOWNLOADABLE:
            allowed = scope["method"] in ("GET", "HEAD") and downloads.take(file_id, browser)
        else:
            allowed = media is not None and (
                media.content in _public_contents() or downloads.browser_has_session(browser)
            )
        if not allowed:
            await _plain(send, 404, "Not found")
            return
        await self.app(scope, receive, send)
        if kind == MediaFileKind.DOWNLOADABLE:
            downloads.remove(file_id)  # its fetches used up: gone unless a grant is pending

    @staticmethod
    def _with_cookie(send: Send) -> Send:
        token = secrets.token_urlsafe(32)
        secure = "; Secure" if config.get_option("server.sslCertFile") else ""
        value = f"{downloads.COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"

        async def sending(message: Message) -> None:
            # On the page itself only: the many requests it then makes in parallel carry
            # that one cookie, and so does its WebSocket (one value per browser).
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                kind = {k.lower(): v for k, v in headers}.get(b"content-type", b"")
                if kind.startswith(b"text/html"):
                    message["headers"] = [*headers, (b"set-cookie", value.encode())]
            await send(message)

        return sending
