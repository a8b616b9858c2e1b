"""The PostgreSQL + PostGIS server the ``postgis`` tests use (see ``tests/conftest.py``).

``ensure_server()`` gives the admin URL of a running server, once per test session:

* ``POCMAP_TEST_PG_URL``, when set and reachable (a server someone else runs; the URL's
  user must be allowed to create databases);
* else the throwaway loopback cluster of ``scripts/postgis.sh`` (port ``POCMAP_PG_PORT``,
  default 55432), started if it is not running. ``release()`` stops it at the end of the
  session if a test session started it and no other session still uses it: concurrent
  sessions on one machine share the cluster, and a shared lock says who still uses it.

When there is no server it returns ``None`` and ``reason()`` says why.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "postgis.sh"
START_TIMEOUT = 180  # seconds; initdb + start + CREATE EXTENSION take a few

_url: str | None = None
_reason = ""
_tried = False
_users_lock: IO[str] | None = None  # held (shared) while this session uses the cluster


def reason() -> str:
    """Why ``ensure_server()`` gave ``None``."""
    return _reason


def ensure_server() -> str | None:
    """The admin URL of a running PostGIS server, or ``None`` (then see ``reason()``)."""
    global _url, _reason, _tried
    if not _tried:
        _tried = True
        try:
            _url = _find_or_start()
        except _NoServer as exc:
            _reason = str(exc)
    return _url


def release() -> None:
    """End of session: stop the throwaway cluster if tests started it and no one else uses it."""
    global _users_lock, _url, _tried
    if _users_lock is None:
        return
    _users_lock.close()  # drops this session's shared lock
    _users_lock = None
    _url, _tried = None, False
    directory = _cluster_dir()
    marker = directory / "started-by-tests"
    with _locked(directory / "start.lock", fcntl.LOCK_EX):
        users = open(directory / "users.lock", "a")  # closed below
        try:
            fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            users.close()  # another session still uses it: the last one out stops it
            return
        try:
            if marker.exists():
                _script("stop")
                marker.unlink()
        finally:
            users.close()


class _NoServer(Exception):
    pass


def _port() -> str:
    return os.environ.get("POCMAP_PG_PORT") or "55432"


def _cluster_dir() -> Path:
    return Path(os.environ.get("POCMAP_PG_DIR") or f"/tmp/pocmap-postgis-{_port()}")


def _reachable(url: str) -> str | None:
    """``None`` when PostGIS answers at ``url``, else what went wrong."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip() or type(exc).__name__
    return None


def _find_or_start() -> str:
    given = os.environ.get("POCMAP_TEST_PG_URL")
    if given:
        problem = _reachable(given)
        if problem:
            raise _NoServer(f"POCMAP_TEST_PG_URL is set but its server does not answer: {problem}")
        return given
    return _start_cluster()


def _start_cluster() -> str:
    global _users_lock
    directory = _cluster_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _NoServer(f"cannot make the test cluster's directory {directory}: {exc}") from exc
    with _locked(directory / "start.lock", fcntl.LOCK_EX):
        users = open(directory / "users.lock", "a")  # kept open for the session
        fcntl.flock(users, fcntl.LOCK_SH)
        try:
            was_running = _reachable(_script("url")) is None
            url = _script("start")
            if not was_running:
                (directory / "started-by-tests").touch()
        except BaseException:
            users.close()
            raise
        _users_lock = users
    return url


def _script(command: str) -> str:
    """Run ``scripts/postgis.sh COMMAND PORT``; its last line of output (a URL)."""
    try:
        done = subprocess.run(
            ["bash", str(SCRIPT), command, _port()],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _NoServer(f"scripts/postgis.sh {command} did not finish: {exc}") from exc
    if done.returncode != 0:
        said = " | ".join(line for line in done.stderr.strip().splitlines()[-5:] if line)
        raise _NoServer(f"scripts/postgis.sh {command} failed: {said or done.returncode}")
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


@contextlib.contextmanager
def _locked(path: Path, how: int) -> Iterator[None]:
    """Hold an flock (``fcntl.LOCK_EX`` or ``LOCK_SH``) on ``path`` for the block."""
    with open(path, "a") as file:
        fcntl.flock(file, how)
        yield
