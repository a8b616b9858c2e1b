"""The local users file, with real argon2 hashes in real files (no mocks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from access.roles import Caller
from access.users import (
    DEFAULT_PATH,
    USERS_ENV,
    Users,
    UsersError,
    UsersFileError,
    load,
    users_path,
)
from tests.child_lines import ChildLines

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
BY = "root (command line)"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "users.json"


@pytest.fixture
def users(path: Path) -> Users:
    """A file with an admin (password) and a field office user (OIDC)."""
    users = load(path)
    users.add("a.admin", "admin", password=PASSWORD, by=BY)
    users.add("Kim@Mission.org", "field_office", office=" Kalondo ", oidc=True, by=BY)
    return users


def test_the_file_is_poc_users_or_data_users_json(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(USERS_ENV, raising=False)
    assert users_path() == DEFAULT_PATH == Path("data/users.json")
    monkeypatch.setenv(USERS_ENV, str(tmp_path / "elsewhere.json"))
    assert users_path() == tmp_path / "elsewhere.json"
    assert load().path == tmp_path / "elsewhere.json"


def test_a_missing_file_has_no_users(path) -> None:
    users = load(path)
    assert users.list() == [] and not users.configured()
    assert users.verify("a.admin", PASSWORD) is None
    assert not path.exists()


def test_add_list_verify_remove_round_trip(users, path) -> None:
    again = load(path)
    assert again.configured()
    listed = {u.name: u.public() for u in again.list()}
    assert listed["a.admin"]["role"] == "admin" and listed["a.admin"]["sign_in"] == "password"
    assert listed["Kim@Mission.org"] == {
        "name": "Kim@Mission.org",
        "role": "field_office",
        "office": "Kalondo",
        "sign_in": "oidc",
        "added_at": listed["Kim@Mission.org"]["added_at"],
        "added_by": BY,
    }
    assert again.verify("a.admin", PASSWORD) == Caller("a.admin", "admin", None)
    removed = again.remove("a.admin", by=BY)
    assert removed.name == "a.admin"
    assert load(path).verify("a.admin", PASSWORD) is None
    assert [u.name for u in load(path).list()] == ["Kim@Mission.org"]


def test_added_at_is_utc_and_added_by_is_kept(users) -> None:
    user = users.list()[0]
    assert user.added_at.endswith("+00:00") and user.added_by == BY
    caller_by = users.add(
        "b.analyst", "analyst", password=PASSWORD, by=users.verify("a.admin", PASSWORD)
    )
    assert caller_by.added_by == "a.admin (admin)"


def test_names_match_in_any_case_and_the_stored_name_is_returned(users) -> None:
    assert users.verify("A.ADMIN", PASSWORD) == Caller("a.admin", "admin", None)


def test_a_wrong_password_an_unknown_user_and_an_oidc_user_all_fail_alike(users) -> None:
    assert users.verify("a.admin", PASSWORD + "!") is None
    assert users.verify("a.admin", "") is None
    assert users.verify("nobody", PASSWORD) is None
    assert users.verify("Kim@Mission.org", PASSWORD) is None
    assert users.verify("Kim@Mission.org", "") is None
    assert users.verify("not a valid name/", PASSWORD) is None
    assert users.verify(None, None) is None  # type: ignore[arg-type]


def test_oidc_lookup_is_case_insensitive_and_only_for_oidc_users(users) -> None:
    kim = Caller("Kim@Mission.org", "field_office", "Kalondo")
    assert users.for_oidc("kim@mission.org") == kim
    assert users.for_oidc("  KIM@MISSION.ORG ") == kim
    assert users.for_oidc("a.admin") is None  # a password user
    assert users.for_oidc("someone@mission.org") is None


def test_set_password_replaces_the_old_one(users, path) -> None:
    before = users.list()[0]
    changed = users.set_password("a.admin", "a brand new passphrase", by=BY)
    assert (changed.added_at, changed.added_by) == (before.added_at, before.added_by)
    again = load(path)
    assert again.verify("a.admin", PASSWORD) is None
    assert again.verify("a.admin", "a brand new passphrase") == Caller("a.admin", "admin")


def test_a_running_reader_sees_a_user_removed_elsewhere(users, path) -> None:
    assert users.verify("a.admin", PASSWORD) is not None
    load(path).remove("a.admin", by=BY)
    assert users.verify("a.admin", PASSWORD) is None
    assert [u.name for u in users.list()] == ["Kim@Mission.org"]


def test_other_roles_may_have_an_office(path) -> None:
    users = load(path)
    user = users.add("v.viewer", "viewer", office="Kalondo", password=PASSWORD, by=BY)
    assert user.caller() == Caller("v.viewer", "viewer", "Kalondo")
    assert users.add("w.viewer", "viewer", office="  ", password=PASSWORD, by=BY).office is None


def test_the_file_is_private_and_never_holds_a_clear_password(users, path) -> None:
    users.set_password("a.admin", "the second passphrase", by=BY)
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and "the second passphrase" not in text
    assert "$argon2id$" in text
    assert PASSWORD not in repr(users.list())  # nor the hash, in a repr
    assert "$argon2" not in repr(users.list()) and "$argon2" not in str(users.list()[0].public())
    # the lock file beside it is the only other file left
    assert sorted(p.name for p in path.parent.iterdir()) == ["users.json", "users.json.lock"]
    document = json.loads(text)
    assert document["version"] == 1
    assert set(document["users"][0]) == {
        "name", "role", "office", "password_hash", "oidc", "added_at", "added_by",
    }  # fmt: skip


# --- refusals ----------------------------------------------------------------------

REFUSED_ADDS = {
    "an unknown role": (
        {"name": "b", "role": "boss", "password": PASSWORD},
        ["'boss'", "viewer, field_office, analyst, admin"],
    ),
    "a field office without an office": (
        {"name": "b", "role": "field_office", "password": PASSWORD},
        ["'b'", "field_office", "needs an office"],
    ),
    "a field office with a blank office": (
        {"name": "b", "role": "field_office", "office": "  ", "password": PASSWORD},
        ["needs an office"],
    ),
    "an empty name": ({"name": "", "role": "viewer", "password": PASSWORD}, ["''", "1 to 64"]),
    "a name of 65 characters": (
        {"name": "x" * 65, "role": "viewer", "password": PASSWORD},
        ["'" + "x" * 65 + "'", "1 to 64 ASCII letters, digits and . - _ @"],
    ),
    "a name with a space": ({"name": "a b", "role": "viewer", "password": PASSWORD}, ["'a b'"]),
    "a name with a slash": ({"name": "a/b", "role": "viewer", "password": PASSWORD}, ["'a/b'"]),
    "a name with an accent": ({"name": "josé", "role": "viewer", "password": PASSWORD}, ["'josé'"]),
    "a name with a newline": (
        {"name": "ab\n", "role": "viewer", "password": PASSWORD},
        ["1 to 64"],
    ),
    "a taken name": (
        {"name": "a.admin", "role": "viewer", "password": PASSWORD},
        ["'a.admin' is already", "remove it first", "set-password"],
    ),
    "a taken name in another case": (
        {"name": "A.Admin", "role": "viewer", "password": PASSWORD},
        ["'a.admin' is already"],
    ),
    "a short password": (
        {"name": "b", "role": "viewer", "password": "elevenchars"},
        ["'b'", "11 characters", "at least 12"],
    ),
    "no password for a password user": (
        {"name": "b", "role": "viewer"},
        ["no password", "at least 12", "OIDC"],
    ),
    "a password too long": (
        {"name": "b", "role": "viewer", "password": "x" * 1025},
        ["at most 1024"],
    ),
    "a password for an OIDC user": (
        {"name": "b@m.org", "role": "viewer", "password": PASSWORD, "oidc": True},
        ["'b@m.org'", "OIDC", "no password"],
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED_ADDS))
def test_add_refuses_with_a_message_naming_file_value_and_rule(users, path, case) -> None:
    before = path.read_bytes()
    arguments, words = REFUSED_ADDS[case]
    name, role = arguments.pop("name"), arguments.pop("role")
    with pytest.raises(UsersError) as refused:
        users.add(name, role, by=BY, **arguments)
    message = str(refused.value)
    assert str(path) in message
    for word in words:
        assert word in message
    assert PASSWORD not in message
    assert path.read_bytes() == before


def test_check_add_refuses_before_any_password(users, path) -> None:
    with pytest.raises(UsersError, match="already"):
        users.check_add("a.admin", "viewer")
    with pytest.raises(UsersError, match="needs an office"):
        users.check_add("b", "field_office")
    users.check_add("b", "field_office", office="Kalondo")


def test_removing_an_unknown_user_refuses(users, path) -> None:
    with pytest.raises(UsersError) as refused:
        users.remove("nobody", by=BY)
    assert "'nobody'" in str(refused.value) and str(path) in str(refused.value)
    assert len(load(path).list()) == 2


def test_set_password_refuses_unknown_oidc_and_short(users, path) -> None:
    before = path.read_bytes()
    with pytest.raises(UsersError, match="no user 'nobody'"):
        users.set_password("nobody", PASSWORD, by=BY)
    with pytest.raises(UsersError, match="signs in through OIDC and has no password"):
        users.set_password("kim@mission.org", PASSWORD, by=BY)
    with pytest.raises(UsersError, match="3 characters; at least 12"):
        users.set_password("a.admin", "abc", by=BY)
    with pytest.raises(UsersError, match="OIDC"):
        users.check_set_password("Kim@Mission.org")
    assert path.read_bytes() == before


@pytest.mark.parametrize("by", ["", "   "])
def test_every_change_names_who_made_it(users, by) -> None:
    with pytest.raises(UsersError, match="`by` is empty"):
        users.add("b", "viewer", password=PASSWORD, by=by)
    with pytest.raises(UsersError, match="`by` is empty"):
        users.remove("a.admin", by=by)
    with pytest.raises(UsersError, match="`by` is empty"):
        users.set_password("a.admin", PASSWORD, by=by)


# --- a malformed file --------------------------------------------------------------


def _with_second_entry(path: Path, changes: dict) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    entry = {**document["users"][0], "name": "bob", **changes}
    for key in [k for k, v in changes.items() if v is KeyError]:
        del entry[key]
    document["users"].append(entry)
    path.write_text(json.dumps(document), encoding="utf-8")


BAD_ENTRIES = {
    "an unknown role": ({"role": "boss"}, "the role 'boss' is not one of viewer"),
    "a missing key": ({"oidc": KeyError}, "exactly the keys"),
    "an extra key": ({"password": "hunter2"}, "exactly the keys"),
    "a bad name": ({"name": "b o b"}, "the name 'b o b'"),
    "no argon2 hash": ({"password_hash": "plain text"}, "not an argon2 hash"),
    "a null hash for a password user": ({"password_hash": None}, "not an argon2 hash"),
    "an OIDC user with a hash": ({"oidc": True}, "OIDC user has a password_hash"),
    "oidc not a boolean": ({"oidc": "yes"}, "oidc is 'yes'"),
    "a field office without an office": ({"role": "field_office"}, "needs an office"),
    "a bad date": ({"added_at": "yesterday"}, "added_at 'yesterday'"),
    "no added_by": ({"added_by": ""}, "added_by"),
    "a repeated name": ({"name": "A.ADMIN"}, "repeats the user 'A.ADMIN'"),
}


@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_a_bad_entry_names_the_file_and_the_entry(users, path, case) -> None:
    changes, problem = BAD_ENTRIES[case]
    _with_second_entry(path, changes)
    before = path.read_bytes()
    with pytest.raises(UsersFileError) as bad:
        load(path)
    message = str(bad.value)
    assert str(path) in message and "entry 3" in message and problem in message
    # changes refuse too, and leave the file as it was
    with pytest.raises(UsersFileError):
        users.add("c.viewer", "viewer", password=PASSWORD, by=BY)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "is not valid JSON"),
        ("", "is not valid JSON"),
        ('{"version": 2, "users": []}', "has version 2 but this pocmap reads version 1"),
        ('{"users": []}', "has version None"),
        ("[]", "has version None"),
        ('{"version": 1, "users": {}}', "a list under 'users'"),
        ('{"version": 1, "users": ["alice"]}', "entry 1 of the users file"),
    ],
)
def test_a_malformed_file_is_an_error_naming_it(path, text, problem) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsersFileError) as bad:
        load(path)
    assert str(path) in str(bad.value) and problem in str(bad.value)


# --- many processes at once --------------------------------------------------------

CHILD = """
import sys
from pathlib import Path
from access.users import load
path, prefix = Path(sys.argv[1]), sys.argv[2]
print("ready", flush=True)
sys.stdin.readline()  # "go", sent to every child at once
users = load(path)
for n in range(3):
    users.add(f"{prefix}-{n}", "analyst", password="a long enough password", by=prefix)
print("done")
"""


def test_processes_adding_users_at_once_all_keep_theirs(path) -> None:
    children = [
        ChildLines(
            subprocess.Popen(
                [sys.executable, "-c", CHILD, str(path), f"p{n}"],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
            f"child p{n}",
        )
        for n in range(6)
    ]
    for lines in children:  # every one started and waiting
        lines.wait_for("ready", 120)
    for lines in children:
        lines.child.stdin.write("go\n")
        lines.child.stdin.flush()
    for lines in children:
        said = lines.rest(120)
        lines.child.stdin.close()
        assert lines.child.wait(120) == 0, lines.child.stderr.read()
        assert said == ["done"]
    names = sorted(u.name for u in load(path).list())
    assert names == sorted(f"p{n}-{i}" for n in range(6) for i in range(3))
    assert path.stat().st_mode & 0o777 == 0o600
    assert load(path).verify("p3-2", "a long enough password") == Caller("p3-2", "analyst")
