"""``pocmap users locked`` and ``pocmap users unlock``: an admin sees and lifts sign-in
lockouts (kept in the store's audit log) from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from access import sign_ins
from access.users import USERS_ENV, load
from cli import main
from store import open_store

PASSWORD = "correct horse battery staple"


@pytest.fixture
def store(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(USERS_ENV, str(tmp_path / "users.json"))
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "pocmap.gpkg"))
    load(tmp_path / "users.json").add("Ana", "analyst", password=PASSWORD, by="test")
    return open_store(tmp_path / "pocmap.gpkg")


def _lock(store, name: str | None = "ana", address: str | None = None, times: int = 5) -> None:
    for _ in range(times):
        sign_ins.record_refused(store, name, address, sign_ins.WRONG_PASSWORD)


def test_locked_lists_names_and_addresses_then_unlock_lifts_one(store, capsys):
    assert main(["users", "locked"]) == 0
    assert "no name or address is locked out" in capsys.readouterr().out
    _lock(store)
    _lock(store, "someone", "198.51.100.4", times=20)
    assert main(["users", "locked", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(row["kind"], row["locked"], row["failures"]) for row in listed] == [
        ("name", "ana", 5),  # 15 minutes
        ("address", "198.51.100.4", 20),  # 15 minutes, from a later failure
        ("name", "someone", 20),  # doubled 15 times: the longest, 24 hours
    ]
    assert main(["users", "unlock", "ANA", "--by", "it.officer"]) == 0
    assert "lifted the sign-in lockout of the name ANA" in capsys.readouterr().out
    users = load()
    assert sign_ins.attempt(store, users, "ana", PASSWORD, None).caller is not None
    assert main(["users", "unlock", "--address", "198.51.100.4", "--by", "it.officer"]) == 0
    assert "lockout of the address 198.51.100.4" in capsys.readouterr().out
    assert main(["users", "locked"]) == 0
    out = capsys.readouterr().out
    assert "name someone: locked until" in out and "after 20 failed sign-ins" in out
    assert "ana" not in out and "198.51.100.4" not in out
    log = store.audit_log()
    unlocks = log[log["action"] == sign_ins.UNLOCKED]
    assert unlocks[["actor", "target"]].values.tolist() == [
        ["it.officer", "user ANA"],
        ["it.officer", ""],
    ]


def test_unlock_refuses_what_is_not_locked_or_not_a_name(store, capsys):
    assert main(["users", "unlock", "ana"]) == 0
    assert "the name ana is not locked out (locked names: none); nothing done" in (
        capsys.readouterr().out
    )
    assert main(["users", "unlock"]) == 2
    assert "give a NAME or --address ADDRESS" in capsys.readouterr().err
    assert main(["users", "unlock", "no spaces allowed"]) == 2
    assert "is not a name: a name is 1 to 64 ASCII" in capsys.readouterr().err
    assert sign_ins.UNLOCKED not in set(store.audit_log()["action"])
