"""``pocmap users ...`` run as a person runs them: real files, real hashes, real stdin."""

from __future__ import annotations

import getpass
import io
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from access.roles import Caller
from access.users import USERS_ENV, load
from cli import main

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
POCMAP_CODE = "import sys; from cli import main; sys.exit(main())"
POCMAP = [sys.executable, "-c", POCMAP_CODE]


def run(*argv: str) -> int:
    """``pocmap ARGV`` in this process."""
    return main(list(argv))


@pytest.fixture
def path(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "data" / "users.json"
    monkeypatch.setenv(USERS_ENV, str(path))
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "data" / "pocmap.gpkg"))
    return path


def test_changes_of_users_are_in_the_audit_log(path, stdin) -> None:
    from store import open_store

    stdin(PASSWORD + "\n")
    assert run("users", "add", "ana", "--role", "analyst", "--password-stdin", "--by", "it") == 0
    assert run("users", "remove", "ana", "--by", "it") == 0
    log = open_store().audit_log()
    assert log[["action", "actor", "target"]].values.tolist() == [
        ["user_add", "it", "user ana"],
        ["user_remove", "it", "user ana"],
    ]
    assert "analyst" in log["details"].iloc[0]


@pytest.fixture
def stdin(monkeypatch):
    """Set what the command reads from stdin."""

    def feed(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))

    return feed


def _add(stdin, name: str = "a.admin", role: str = "admin", *more: str) -> int:
    stdin(PASSWORD + "\n")
    return run("users", "add", name, "--role", role, "--password-stdin", *more)


def test_add_list_remove_with_password_stdin(path, stdin, capsys) -> None:
    assert _add(stdin) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"added a.admin (admin; password sign-in) to {path}"
    assert load(path).verify("a.admin", PASSWORD) == Caller("a.admin", "admin")
    assert run("users", "add", "kim@mission.org", "--role", "field_office", "--office",
               "Kalondo", "--oidc") == 0  # fmt: skip
    assert "kim@mission.org (field_office, Kalondo; oidc sign-in)" in capsys.readouterr().out

    assert run("users", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["name", "role", "office", "sign-in", "added", "at", "added", "by"]
    assert lines[1].split()[:4] == ["a.admin", "admin", "-", "password"]
    assert lines[2].split()[:4] == ["kim@mission.org", "field_office", "Kalondo", "oidc"]

    assert run("users", "remove", "a.admin") == 0
    assert "removed a.admin (admin)" in capsys.readouterr().out
    assert [u.name for u in load(path).list()] == ["kim@mission.org"]


def test_list_json_never_shows_hashes(path, stdin, capsys) -> None:
    _add(stdin)
    capsys.readouterr()
    assert run("users", "list", "--json") == 0
    out = capsys.readouterr().out
    assert "argon2" not in out and "password_hash" not in out and PASSWORD not in out
    [user] = json.loads(out)
    assert user["name"] == "a.admin" and user["sign_in"] == "password"
    assert set(user) == {"name", "role", "office", "sign_in", "added_at", "added_by"}


def test_an_empty_file_says_how_to_add_the_first_user(path, capsys) -> None:
    assert run("users", "list") == 0
    assert "no users" in capsys.readouterr().out
    assert run("users", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_by_defaults_to_the_os_user_on_the_command_line(path, stdin, capsys) -> None:
    _add(stdin)
    _add(stdin, "b.analyst", "analyst", "--by", "j.doe (help desk)")
    by = {u.name: u.added_by for u in load(path).list()}
    assert by == {
        "a.admin": f"{getpass.getuser()} (command line)",
        "b.analyst": "j.doe (help desk)",
    }


def test_set_password_from_stdin(path, stdin, capsys) -> None:
    _add(stdin)
    stdin("a brand new passphrase\r\n")
    assert run("users", "set-password", "a.admin", "--password-stdin") == 0
    assert capsys.readouterr().out.strip().endswith(f"changed the password of a.admin in {path}")
    assert load(path).verify("a.admin", PASSWORD) is None
    assert load(path).verify("a.admin", "a brand new passphrase") is not None


def _refused(capsys, code: int, *words: str) -> str:
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    for word in words:
        assert word in lines[0]
    assert PASSWORD not in captured.err + captured.out
    return lines[0]


def test_refusals_are_one_line_on_stderr_and_exit_2(path, stdin, capsys) -> None:
    _add(stdin)
    _add(stdin, "kim@mission.org", "viewer", "--oidc")  # refused: a password for OIDC
    _refused(capsys, 2, "pocmap users add:", "OIDC", "--password-stdin")
    run("users", "add", "kim@mission.org", "--role", "viewer", "--oidc")
    capsys.readouterr()

    _refused(capsys, _add(stdin, "b", "boss"), "'boss'", "viewer, field_office, analyst, admin")
    _refused(capsys, _add(stdin, "b", "field_office"), "needs an office", str(path))
    _refused(capsys, _add(stdin, "A.ADMIN"), "already", "remove it first", "set-password")
    _refused(capsys, _add(stdin, "not ok!"), "'not ok!'", "1 to 64")
    stdin("too short\n")
    code = run("users", "add", "b", "--role", "viewer", "--password-stdin")
    _refused(capsys, code, "9 characters", "at least 12")
    stdin("two lines of a\npassword here\n")
    code = run("users", "add", "b", "--role", "viewer", "--password-stdin")
    _refused(capsys, code, "more than one")
    _refused(capsys, run("users", "remove", "nobody"), "pocmap users remove:", "'nobody'")
    stdin(PASSWORD)
    code = run("users", "set-password", "kim@mission.org", "--password-stdin")
    _refused(capsys, code, "pocmap users set-password:", "OIDC")
    stdin(PASSWORD)
    code = run("users", "set-password", "nobody", "--password-stdin")
    _refused(capsys, code, "'nobody'")
    assert sorted(u.name for u in load(path).list()) == ["a.admin", "kim@mission.org"]


def test_a_malformed_file_is_refused_by_every_command(path, stdin, capsys) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "users": [{"name": "x"}]}', encoding="utf-8")
    _refused(capsys, run("users", "list"), str(path), "entry 1 ('x')")
    _refused(capsys, _add(stdin), str(path), "entry 1")
    _refused(capsys, run("users", "remove", "x"), str(path), "entry 1")


def test_a_real_process_reads_the_password_from_stdin(path) -> None:
    env = {**os.environ, USERS_ENV: str(path), "PYTHONPATH": str(ROOT)}
    added = subprocess.run(
        [*POCMAP, "users", "add", "a.admin", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    assert load(path).verify("a.admin", PASSWORD) == Caller("a.admin", "admin")
    assert path.stat().st_mode & 0o777 == 0o600
    assert PASSWORD not in path.read_text(encoding="utf-8")


# --- the prompt, on a real terminal ------------------------------------------------

# The child makes the pseudo-terminal on its stdin its controlling terminal, which
# getpass reads from, as it does in a person's shell.
ON_A_TERMINAL = "import fcntl, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n" + POCMAP_CODE


def _read_until(fd: int, text: str, seconds: float = 30) -> str:
    seen = b""
    deadline = time.monotonic() + seconds
    while text.encode() not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"no {text!r} on the terminal; it showed {seen!r}")
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            raise AssertionError(f"the terminal closed before {text!r}; it showed {seen!r}")
        seen += chunk
    return seen.decode()


def _prompted(path: Path, first: str, second: str) -> tuple[int, str]:
    master, slave = os.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", ON_A_TERMINAL, "users", "add", "a.admin", "--role", "admin"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env={**os.environ, USERS_ENV: str(path), "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    os.close(slave)
    try:
        shown = _read_until(master, "password for a.admin")
        os.write(master, first.encode() + b"\n")
        shown += _read_until(master, "again")
        os.write(master, second.encode() + b"\n")
        code = child.wait(timeout=60)
        try:
            while chunk := os.read(master, 1024):
                shown += chunk.decode()
        except OSError:
            pass
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
    return code, shown


def test_the_prompt_asks_twice_and_never_echoes(path) -> None:
    code, shown = _prompted(path, PASSWORD, PASSWORD)
    assert code == 0, shown
    assert "added a.admin" in shown and PASSWORD not in shown
    assert load(path).verify("a.admin", PASSWORD) is not None


def test_two_different_passwords_at_the_prompt_are_refused(path) -> None:
    code, shown = _prompted(path, PASSWORD, PASSWORD + "x")
    assert code == 2, shown
    assert "not the same" in shown and PASSWORD not in shown
    assert not load(path).configured()
