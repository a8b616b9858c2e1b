"""Password sign-ins through the guard, on both stores: lockouts shared through the audit
log, every refusal audited, never a password in the log (real argon2, real stores)."""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest

from access import sign_ins
from access.roles import Caller
from access.session import Session
from access.users import load
from store import open_store, sql
from store.base import Actor
from store.recent_audit import PAGE, entries_since

PASSWORD = "the right password, long enough"
WRONG = [f"wrong guess number {i}" for i in range(30)]
LATER = timedelta(minutes=16)
LOCKED = "Too many sign-in attempts: try again in 15 minutes."


@pytest.fixture(params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)])
def location(request, tmp_path) -> str:
    if request.param == "geopackage":
        return str(tmp_path / "data" / "pocmap.gpkg")
    return request.getfixturevalue("postgis_url")


@pytest.fixture
def store(location):
    return open_store(location)


@pytest.fixture
def users(tmp_path):
    users = load(tmp_path / "users.json")
    users.add("ana", "analyst", password=PASSWORD, by="test")
    users.add("kim@mission.org", "viewer", oidc=True, by="test")
    return users


def _refusals(store) -> list[tuple[str, str, str, str]]:
    log = store.audit_log()
    log = log[log["action"] == sign_ins.REFUSED]
    rows = []
    for actor, target, details in log[["actor", "target", "details"]].itertuples(index=False):
        details = json.loads(details)
        rows.append((actor, target, details["reason"], details["address"]))
    return rows


def _in(minutes: float, seconds: float = 0) -> datetime:
    """A moment of a check, this far from now. The store stamps each entry with its own
    clock, so a test moves only the checks forward (past a delay, or to a lockout's end)."""
    return datetime.now(UTC) + timedelta(minutes=minutes, seconds=seconds)


def _log_text(store) -> str:
    return store.audit_log().to_csv(index=False)


def test_after_five_wrong_passwords_the_right_one_waits_for_the_lockout(store, users):
    answers = [sign_ins.attempt(store, users, "ana", WRONG[i], "10.1.1.1") for i in range(2)]
    assert [a.message for a in answers] == ["Wrong name or password."] * 2
    now = datetime.now(UTC)
    for i in range(2, 5):  # the 3rd and 4th wait a few seconds: step past them
        now += timedelta(seconds=10)
        assert sign_ins.attempt(store, users, "ana", WRONG[i], "10.1.1.1", now=now).caller is None
    refused = sign_ins.attempt(store, users, "ana", PASSWORD, "10.1.1.1", now=now)
    assert refused.caller is None and refused.message == LOCKED
    # From another address too: the name is locked, not only the address.
    assert sign_ins.attempt(store, users, " ANA ", PASSWORD, "10.2.2.2", now=now).caller is None
    later = sign_ins.attempt(store, users, "ana", PASSWORD, "10.1.1.1", now=now + LATER)
    assert later.caller == Caller("ana", "analyst") and later.message is None

    assert _refusals(store) == [
        *[(sign_ins.NOT_SIGNED_IN, "user ana", "wrong password", "10.1.1.1")] * 5,
        (sign_ins.NOT_SIGNED_IN, "user ana", "too many attempts", "10.1.1.1"),
        (sign_ins.NOT_SIGNED_IN, "user ANA", "too many attempts", "10.2.2.2"),
    ]
    text = _log_text(store)
    assert PASSWORD not in text and not [w for w in WRONG[:5] if w in text]


def test_two_instances_share_the_count_through_the_store(location, store, users):
    # Another app instance opens the same store (PostGIS database or GeoPackage file).
    other = open_store(location)
    for i in range(5):
        instance = store if i % 2 else other
        sign_ins.attempt(instance, users, "ana", WRONG[i], None, now=_in(0, 10 * i))
    answer = sign_ins.attempt(store, users, "ana", PASSWORD, None, now=_in(5))
    assert answer.message == "Too many sign-in attempts: try again in 10 minutes."
    assert sign_ins.attempt(other, users, "ana", PASSWORD, None, now=_in(15)).caller is not None


def test_unknown_names_get_the_same_answers_at_the_same_pace(store, users):
    def answers(name: str) -> list[str | None]:
        now, out = datetime.now(UTC), []
        for i in range(6):
            now += timedelta(seconds=10)
            out.append(sign_ins.attempt(store, users, name, WRONG[i], "10.3.3.3", now=now).message)
        return out

    known, unknown = answers("ana"), answers("no.such.user")
    assert known == unknown == ["Wrong name or password."] * 5 + [LOCKED]
    reasons = [r[2] for r in _refusals(store) if r[1] == "user no.such.user"]
    assert reasons == ["unknown name"] * 5 + ["too many attempts"]
    # An unknown name costs an argon2 verification as a known one does (a dummy hash),
    # so it is not answered visibly sooner. A generous floor, not a performance claim.
    users.verify("no.such.user", "warm the dummy hash")

    def pace(name: str) -> float:
        times = []
        for guess in WRONG[10:13]:
            start = time.perf_counter()
            assert users.verify(name, guess) is None
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    assert pace("someone.else") > 0.3 * pace("ana")


def test_many_names_from_one_address_lock_that_address(store, users):
    # Password spraying: one guess per name. The first 18 refusals are written as the
    # app writes them (no argon2 each, to keep the test short); the last two are tried.
    for i in range(18):
        sign_ins.record_refused(store, f"user{i}", "192.0.2.7", sign_ins.UNKNOWN_NAME)
    for i in (18, 19):  # past the short delay the 19th failure sets
        answer = sign_ins.attempt(store, users, f"user{i}", PASSWORD, "192.0.2.7", now=_in(i))
        assert answer.message == "Wrong name or password.", i
    locked = sign_ins.attempt(store, users, "ana", PASSWORD, "192.0.2.7", now=_in(1))
    assert locked.caller is None
    assert locked.message == "Too many sign-in attempts: try again in 14 minutes."
    elsewhere = sign_ins.attempt(store, users, "ana", PASSWORD, "192.0.2.8", now=_in(1))
    assert elsewhere.caller == Caller("ana", "analyst")
    lockouts = sign_ins.current_lockouts(store)
    assert [(lock.kind, lock.key, lock.failures) for lock in lockouts] == [
        ("address", "192.0.2.7", 20)
    ]
    sign_ins.unlock(store, address="192.0.2.7", by="it.admin (command line)")
    assert sign_ins.attempt(store, users, "ana", PASSWORD, "192.0.2.7").caller is not None
    assert sign_ins.current_lockouts(store) == []


def test_a_success_clears_the_name_and_an_admin_unlock_lifts_a_lockout(store, users):
    for i in range(4):
        sign_ins.attempt(store, users, "ana", WRONG[i], None, now=_in(0, 10 * i))
    caller = sign_ins.attempt(store, users, "ana", PASSWORD, None, now=_in(1)).caller
    Session(store, caller).record_sign_in("password")  # what the app records on success
    for i in range(4):  # four more: no lockout, the count began again
        answer = sign_ins.attempt(store, users, "ana", WRONG[i], None, now=_in(1, 10 * i))
        assert answer.message == "Wrong name or password."
    sign_ins.attempt(store, users, "ana", WRONG[5], None, now=_in(2))
    assert sign_ins.attempt(store, users, "ana", PASSWORD, None, now=_in(3)).message == (
        "Too many sign-in attempts: try again in 12 minutes."
    )
    assert [lock.key for lock in sign_ins.current_lockouts(store)] == ["ana"]
    sign_ins.unlock(store, name="ANA", by=Actor("it", "admin"))
    after = sign_ins.attempt(store, users, "ana", PASSWORD, None)
    assert after.caller == Caller("ana", "analyst")
    log = store.audit_log()
    (unlocked,) = log[log["action"] == sign_ins.UNLOCKED].itertuples()
    assert (unlocked.actor, unlocked.role, unlocked.target) == ("it", "admin", "user ANA")


def test_every_kind_of_refusal_is_audited_and_no_password_is(store, users):
    sign_ins.attempt(store, users, "ana", WRONG[0], "10.4.4.4")
    sign_ins.attempt(store, users, "nobody", WRONG[1], "10.4.4.4")
    sign_ins.attempt(store, users, "kim@mission.org", WRONG[2], "10.4.4.4")
    # A password typed in the name field is not a valid name: not written either.
    sign_ins.attempt(store, users, "my secret pass!", WRONG[3], "10.4.4.4")
    sign_ins.record_refused(store, "stranger@example.org", None, sign_ins.NO_ROLE, method="oidc")
    assert _refusals(store) == [
        ("(not signed in)", "user ana", "wrong password", "10.4.4.4"),
        ("(not signed in)", "user nobody", "unknown name", "10.4.4.4"),
        ("(not signed in)", "user kim@mission.org", "signs in through OIDC", "10.4.4.4"),
        ("(not signed in)", "user (not a valid name)", "not a valid name", "10.4.4.4"),
        ("(not signed in)", "user stranger@example.org", "no role in pocmap", ""),
    ]
    text = _log_text(store)
    assert not [secret for secret in [*WRONG[:4], "my secret pass!"] if secret in text]
    log = store.audit_log()
    assert log[log["action"] == sign_ins.REFUSED]["role"].isna().all()


def test_only_the_recent_audit_entries_are_read(store):
    # More than a page of old entries, then more than a page of recent ones.
    now = datetime.now(UTC)
    old = (now - timedelta(days=2)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    nobody = Actor(sign_ins.NOT_SIGNED_IN)
    with store._writing() as conn:
        for i in range(PAGE + 10):
            sql.audit(
                conn, sign_ins.REFUSED, nobody, f"user old{i}", {"method": "password"}, at=old
            )
        for i in range(PAGE + 20):
            sql.audit(conn, sign_ins.REFUSED, nobody, f"user new{i}", {"method": "password"})
        sql.audit(conn, "export", nobody, "something else")
    found = entries_since(store, now - timedelta(hours=1), (sign_ins.REFUSED,))
    assert [e["target"] for e in found] == [f"user new{i}" for i in range(PAGE + 20)]


def test_a_name_that_only_folds_onto_a_user_is_not_that_user(store, users):
    # U+017F (long s) case-folds to "s": "\u017fam" must neither sign in as "sam" nor escape the
    # count of "sam" by being another name.
    users.add("sam", "viewer", password=PASSWORD, by="test")
    assert users.verify("\u017fam", PASSWORD) is None
    assert users.verify("\u212aim", PASSWORD) is None  # Kelvin sign, not K
    answer = sign_ins.attempt(store, users, "\u017fam", PASSWORD, "10.5.5.5")
    assert answer.caller is None and answer.message == "Wrong name or password."
    assert _refusals(store)[-1][1:3] == ("user (not a valid name)", "not a valid name")
