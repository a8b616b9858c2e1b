"""The sign-in guard in Debian's chromium: a locked name is refused with the right password
and told how long to wait; an email the identity provider signs in but pocmap has no role
for is refused and audited. The apps and the provider are those of
``test_sign_in_browser.py``; here each app's folder is kept to read its store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from access import sign_ins
from store import open_store
from tests.browser.test_joint_map_in_browser import FIRST_LOAD_MS, MAP_IFRAME
from tests.browser.test_sign_in_browser import (  # noqa: F401 (provider, loopback_page: fixtures)
    STRANGER,
    VIEWER,
    _expect_sign_in_form,
    _free_port,
    _running_app,
    _sign_in,
    _sign_in_at_the_provider,
    _users,
    loopback_page,
    provider,
)

pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


@pytest.fixture(scope="module")
def password_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("lockout-password")
    _users(folder)
    no_auth = folder / "secrets.toml"
    no_auth.write_text("# no [auth]: the users file signs people in\n", encoding="utf-8")
    with _running_app(folder, no_auth) as url:
        yield url, folder


@pytest.fixture(scope="module")
def oidc_folder(tmp_path_factory: pytest.TempPathFactory, provider: str):  # noqa: F811
    import secrets

    folder = tmp_path_factory.mktemp("lockout-oidc")
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
        yield f"http://localhost:{port}", folder


def _refusals(folder: Path) -> list[tuple[str, dict]]:
    log = open_store(folder / "pocmap.gpkg").audit_log()
    log = log[log["action"] == sign_ins.REFUSED]
    return [(target, json.loads(details)) for target, details in log[["target", "details"]].values]


def test_a_locked_name_is_refused_with_the_right_password(
    page: Page, password_folder: tuple[str, Path]
) -> None:
    url, folder = password_folder
    page.goto(url, timeout=FIRST_LOAD_MS)
    _expect_sign_in_form(page)
    _sign_in(page, VIEWER[0], "wrong guess in the browser")
    expect(page.get_by_text("Wrong name or password.")).to_be_visible()
    # Four more failures as the form writes them (a person would wait out 2 and 4 s).
    store = open_store(folder / "pocmap.gpkg")
    for _ in range(4):
        sign_ins.record_refused(store, VIEWER[0], None, sign_ins.WRONG_PASSWORD)

    _sign_in(page, VIEWER[0], VIEWER[1])
    expect(page.get_by_text("Too many sign-in attempts: try again in 15 minutes.")).to_be_visible()
    _expect_sign_in_form(page)
    reasons = [details["reason"] for target, details in _refusals(folder)]
    assert reasons == ["wrong password"] * 5 + ["too many attempts"]
    text = open_store(folder / "pocmap.gpkg").audit_log().to_csv(index=False)
    assert VIEWER[1] not in text and "wrong guess in the browser" not in text


def test_an_email_without_a_role_is_refused_and_audited_on_each_visit(
    loopback_page: Page,  # noqa: F811
    oidc_folder: tuple[str, Path],
    provider: str,  # noqa: F811
) -> None:
    url, folder = oidc_folder
    page = loopback_page
    _sign_in_at_the_provider(page, url, provider, STRANGER)
    expect(page.get_by_text("has no role in pocmap")).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator(MAP_IFRAME)).to_have_count(0)
    expected = (f"user {STRANGER}", "no role in pocmap", "oidc")
    assert [(t, d["reason"], d["method"]) for t, d in _refusals(folder)] == [expected]
    # Coming back is another refused visit (a new session), recorded again.
    page.reload()
    expect(page.get_by_text("has no role in pocmap")).to_be_visible(timeout=FIRST_LOAD_MS)
    assert [(t, d["reason"], d["method"]) for t, d in _refusals(folder)] == [expected] * 2
