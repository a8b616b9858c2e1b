"""Fixtures every test folder shares: a fresh PostGIS database per test (or per module).

The server is the one ``tests/postgis_server.py`` finds or starts. Without one, the
``postgis`` tests skip with the reason, unless ``POCMAP_REQUIRE_POSTGIS=1`` (set by
``scripts/test.sh``, the README's test command, which CI runs): then they fail, so a run
that was meant to test PostGIS never passes without it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests import postgis_server

TEMPLATE = "pocmap_test_template"  # PostGIS already created in it: a copy is fast
_TEMPLATE_LOCK = 0x706F636D  # "pocm": the advisory lock held while the template is made


@pytest.fixture(autouse=True)
def _no_users_file_of_the_developer(tmp_path, monkeypatch) -> None:
    """Tests never read or write the repo's ``data/users.json`` (a developer's own users):
    each starts with none, in its own folder, unless it points ``POCMAP_USERS`` elsewhere."""
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))


def pytest_sessionfinish(session, exitstatus) -> None:
    postgis_server.release()


def _required() -> bool:
    return os.environ.get("POCMAP_REQUIRE_POSTGIS", "").strip() not in ("", "0")


@pytest.fixture(scope="session")
def postgis_admin_url() -> str:
    """The URL of a running PostGIS server's admin database, with the template made."""
    url = postgis_server.ensure_server()
    if url is None:
        message = f"no PostgreSQL + PostGIS server: {postgis_server.reason()}"
        if _required():
            pytest.fail(f"{message} (POCMAP_REQUIRE_POSTGIS is set: PostGIS must be tested)")
        pytest.skip(message)
    admin = _database(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        # Test processes (pytest-xdist workers) make the template one at a time; a copy is
        # only taken once its maker has finished and disconnected.
        conn.execute("SELECT pg_advisory_lock(%s)", [_TEMPLATE_LOCK])
        try:
            there = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE]
            ).fetchone()
            if not there:
                conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
                with psycopg.connect(_database(url, TEMPLATE), autocommit=True) as template:
                    template.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [_TEMPLATE_LOCK])
    return admin


@pytest.fixture
def postgis_url(postgis_admin_url) -> Iterator[str]:
    """A new, empty database with PostGIS, dropped after the test."""
    yield from _fresh_database(postgis_admin_url)


@pytest.fixture(scope="module")
def postgis_module_url(postgis_admin_url) -> Iterator[str]:
    """A new, empty database with PostGIS shared by a module's tests."""
    yield from _fresh_database(postgis_admin_url)


def _fresh_database(admin: str) -> Iterator[str]:
    name = f"pocmap_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    try:
        yield _database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database(url: str, name: str) -> str:
    """``url`` pointing at database ``name``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))
