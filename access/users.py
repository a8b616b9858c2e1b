"""The local users file: who may sign in, with which role and office (issue #7).

The embedded deployment signs people in with a name and a password checked here; an OIDC
deployment (streamlit's ``st.login``) signs them in elsewhere and looks up their role and
office here by email. The file is JSON::

    {"version": 1, "users": [{"name": "a.officer", "role": "field_office",
      "office": "Kalondo", "password_hash": "$argon2id$...", "oidc": false,
      "added_at": "2025-01-31T09:00:00+00:00", "added_by": "root (command line)"}]}

Passwords are kept only as argon2 hashes. Every change takes a lock file beside the users
file, reads the file again, and replaces it atomically (mode 0600), so two processes adding
users at once both keep their user. Nothing here imports streamlit.
"""

from __future__ import annotations

import builtins
import contextlib
import fcntl
import functools
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

from access.roles import FIELD_OFFICE, ROLES, Caller
from languages import N_, _, ngettext

USERS_ENV = "POCMAP_USERS"
DEFAULT_PATH = Path("data") / "users.json"
VERSION = 1
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
NAME_PATTERN = re.compile(r"[A-Za-z0-9._@-]{1,64}")
NAME_RULE = N_("1 to 64 ASCII letters, digits and . - _ @")
KEYS = ("name", "role", "office", "password_hash", "oidc", "added_at", "added_by")

_HASHER = PasswordHasher()


class UsersError(ValueError):
    """A change to the users file was refused; the message says why and what is accepted."""


class UsersFileError(UsersError):
    """The users file cannot be read as a users file; the message names the file and entry."""


@dataclass(frozen=True)
class User:
    """One entry of the users file. ``password_hash`` is never shown (``repr``, :meth:`public`)."""

    name: str
    role: str
    office: str | None
    password_hash: str | None = field(repr=False)
    oidc: bool
    added_at: str
    added_by: str

    @property
    def sign_in(self) -> str:
        """``"oidc"`` (the identity provider) or ``"password"`` (this file)."""
        return "oidc" if self.oidc else "password"

    def caller(self) -> Caller:
        """The identity this user's queries carry."""
        return Caller(self.name, self.role, self.office)

    def public(self) -> dict[str, Any]:
        """Name, role, office, sign-in kind, added at and by: everything but the hash."""
        return {
            "name": self.name,
            "role": self.role,
            "office": self.office,
            "sign_in": self.sign_in,
            "added_at": self.added_at,
            "added_by": self.added_by,
        }


def users_path() -> Path:
    """Where the users file is: ``$POCMAP_USERS``, else ``data/users.json`` (working dir)."""
    return Path(os.environ.get(USERS_ENV) or DEFAULT_PATH)


def load(path: str | Path | None = None) -> Users:
    """The users in ``path`` (default :func:`users_path`); see :meth:`Users.load`."""
    return Users.load(path)


class Users:
    """The users file: read it, check a sign-in against it, change it.

    Reads follow the file: when another process has replaced it since it was last read,
    :meth:`list`, :meth:`verify`, :meth:`for_oidc` and :meth:`configured` read it again, so
    a user removed on the command line can no longer sign in to a running app.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._users: list[User] = []
        self._seen: tuple[int, int, int] | None = None

    @classmethod
    def load(cls, path: str | Path | None = None) -> Users:
        """Read the users file; a file that does not exist yet holds no users.

        Raises
        ------
        UsersFileError
            when the file is not JSON, has another version, or has an entry that is not
            a valid user (the message names the file and the entry).
        """
        users = cls(Path(path) if path is not None else users_path())
        users._refresh()
        return users

    # --- reading -------------------------------------------------------------------

    def list(self) -> list[User]:
        """Every user, in the order they were added."""
        self._refresh()
        return list(self._users)

    def configured(self) -> bool:
        """Whether the file has any user at all (else nobody can sign in)."""
        self._refresh()
        return bool(self._users)

    def verify(self, name: str, password: str) -> Caller | None:
        """The caller whose name and password these are, else ``None``.

        An unknown name, an OIDC user and a wrong password all give ``None`` after the same
        single argon2 verification (a dummy hash stands in), so neither the answer nor the
        time it takes tells whether a name exists.
        """
        self._refresh()
        user = self._find(name) if isinstance(name, str) else None
        stored = user.password_hash if user is not None and not user.oidc else None
        given = password if isinstance(password, str) else ""
        try:
            matched: bool = _HASHER.verify(stored or _dummy_hash(), given)
        except (VerificationError, InvalidHashError):
            matched = False
        return user.caller() if matched and user is not None and stored else None

    def for_name(self, name: str) -> Caller | None:
        """The caller a password user of this name is now (role and office as the file
        says today), else ``None``: a signed-in page checks it is still so."""
        self._refresh()
        user = self._find(name) if isinstance(name, str) else None
        return user.caller() if user is not None and not user.oidc else None

    def sign_in_kind(self, name: str) -> str | None:
        """``"password"`` or ``"oidc"`` for a user of this name (any case), ``None`` when
        there is none: why a sign-in failed, for the audit log only (never shown to the
        person signing in)."""
        self._refresh()
        user = self._find(name) if isinstance(name, str) else None
        return user.sign_in if user is not None else None

    def for_oidc(self, email: str) -> Caller | None:
        """The caller for an email the identity provider signed in (any case), else ``None``.

        Only entries added with ``oidc`` true match: a password user's name is not an
        identity the provider can claim.
        """
        self._refresh()
        if not isinstance(email, str):
            return None
        wanted = email.strip().casefold()
        for user in self._users:
            if user.oidc and user.name.casefold() == wanted:
                return user.caller()
        return None

    # --- changing ------------------------------------------------------------------

    def check_add(self, name: str, role: str, *, office: str | None = None) -> None:
        """Refuse now what :meth:`add` would refuse, before anyone types a password.

        Raises
        ------
        UsersError
            when the name, role or office is not accepted, or the name is taken.
        """
        self._refresh()
        self._check_new(name, role, office)

    def add(
        self,
        name: str,
        role: str,
        *,
        office: str | None = None,
        password: str | None = None,
        oidc: bool = False,
        by: str | Caller,
    ) -> User:
        """Add a user: a password user (``password``) or an OIDC user (``oidc=True``).

        Raises
        ------
        UsersError
            when the name is not accepted or already taken, the role is not one of
            :data:`access.roles.ROLES`, a field office user has no office, a password user's
            password is too short, or an OIDC user is given a password.
        """
        added_by, office = _by(by), _office(office)
        self._check_new(name, role, office)
        if oidc and password is not None:
            raise UsersError(
                _(
                    "user {name} signs in through OIDC and takes no password in {file}; "
                    "add it without a password, or without oidc to sign in with one",
                    name=repr(name),
                    file=self.path,
                )
            )
        hashed = None if oidc else self._hash(name, password)
        user = User(name, role, office, hashed, bool(oidc), _now(), added_by)
        with self._changing() as users:
            self._check_new(name, role, office)  # another process may have added it
            users.append(user)
        return user

    def remove(self, name: str, *, by: str | Caller) -> User:
        """Remove a user; returns the entry removed.

        ``by`` is checked but not kept in the file (the entry is gone): record the removal
        in the store's audit log if it should be kept.

        Raises
        ------
        UsersError
            when there is no such user.
        """
        _by(by)
        with self._changing() as users:
            user = self._existing(name)
            users.remove(user)
        return user

    def set_password(self, name: str, password: str, *, by: str | Caller) -> User:
        """Give a password user a new password; returns the changed entry.

        Raises
        ------
        UsersError
            when there is no such user, it signs in through OIDC, or the password is too
            short.
        """
        _by(by)
        self.check_set_password(name)
        hashed = self._hash(name, password)
        with self._changing() as users:
            user = self._password_user(name)  # another process may have changed it
            changed = replace(user, password_hash=hashed)
            users[users.index(user)] = changed
        return changed

    def check_set_password(self, name: str) -> None:
        """Refuse now what :meth:`set_password` would refuse, before anyone types a password.

        Raises
        ------
        UsersError
            when there is no such user or it signs in through OIDC.
        """
        self._refresh()
        self._password_user(name)

    # --- inside --------------------------------------------------------------------

    def _password_user(self, name: str) -> User:
        user = self._existing(name)
        if user.oidc:
            raise UsersError(
                _(
                    "user {name} in {file} signs in through OIDC and has no "
                    "password; remove it and add it again without oidc to give it one",
                    name=repr(user.name),
                    file=self.path,
                )
            )
        return user

    def _find(self, name: str) -> User | None:
        # Only a possible name can match: case folding maps some other letters onto
        # ASCII (U+017F long s onto "s", the Kelvin sign onto "k"), which would give a
        # user a second name that the sign-in guard counts apart.
        if not NAME_PATTERN.fullmatch(name.strip()):
            return None
        wanted = name.strip().casefold()
        return next((u for u in self._users if u.name.casefold() == wanted), None)

    def _existing(self, name: str) -> User:
        user = self._find(name) if isinstance(name, str) else None
        if user is None:
            raise UsersError(
                _(
                    "there is no user {name} in {file} (names match in any case); "
                    "`pocmap users list` shows who is there",
                    name=repr(name),
                    file=self.path,
                )
            )
        return user

    def _check_new(self, name: str, role: str, office: str | None) -> None:
        if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
            raise UsersError(
                _(
                    "user name {name} for {file} is expected to be {rule}",
                    name=repr(name),
                    file=self.path,
                    rule=_(NAME_RULE),
                )
            )
        if role not in ROLES:
            raise UsersError(
                _(
                    "role {role} for user {name} in {file} is not one of {roles}",
                    role=repr(role),
                    name=repr(name),
                    file=self.path,
                    roles=", ".join(ROLES),
                )
            )
        if role == FIELD_OFFICE and _office(office) is None:
            raise UsersError(
                _(
                    "user {name} in {file} is a field_office user and needs an office "
                    "(the field office whose data it sends and sees)",
                    name=repr(name),
                    file=self.path,
                )
            )
        taken = self._find(name)
        if taken is not None:
            raise UsersError(
                _(
                    "user {name} is already in {file}; remove it first "
                    "(pocmap users remove {plain}) or change its password "
                    "(pocmap users set-password {plain})",
                    name=repr(taken.name),
                    file=self.path,
                    plain=taken.name,
                )
            )

    def _hash(self, name: str, password: str | None) -> str:
        if not isinstance(password, str) or len(password) < MIN_PASSWORD:
            size = (
                ngettext("{n} character", "{n} characters", len(password))
                if isinstance(password, str)
                else _("no password")
            )
            raise UsersError(
                _(
                    "the password for user {name} in {file} has {size}; at least "
                    "{minimum} characters are needed (or make it an OIDC user)",
                    name=repr(name),
                    file=self.path,
                    size=size,
                    minimum=MIN_PASSWORD,
                )
            )
        if len(password) > MAX_PASSWORD:
            raise UsersError(
                _(
                    "the password for user {name} in {file} has {size} characters; at most "
                    "{maximum} are accepted",
                    name=repr(name),
                    file=self.path,
                    size=len(password),
                    maximum=MAX_PASSWORD,
                )
            )
        return _HASHER.hash(password)

    def _refresh(self) -> None:
        """Read the file again when it has been replaced since it was last read."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            self._users, self._seen = [], None
            return
        seen = (info.st_ino, info.st_mtime_ns, info.st_size)
        if seen != self._seen:
            self._users = _read(self.path)
            self._seen = seen

    @contextlib.contextmanager
    def _changing(self) -> Iterator[builtins.list[User]]:  # `list` is a method here
        """Lock, read the file afresh, let the caller change the list, write it back."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._seen = None
            self._refresh()
            users = list(self._users)
            yield users
            _write(self.path, users)
            self._users, self._seen = users, None
        finally:
            os.close(lock)  # closing releases the lock


@functools.cache
def _dummy_hash() -> str:
    """A hash with the hasher's own parameters, verified in place of an unknown user's."""
    return _HASHER.hash(os.urandom(16).hex())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _office(office: str | None) -> str | None:
    return office.strip() if isinstance(office, str) and office.strip() else None


def _by(by: str | Caller) -> str:
    text = by.describe() if isinstance(by, Caller) else by
    if not isinstance(text, str) or not text.strip():
        raise UsersError(_("`by` is empty but every change to the users file names who made it"))
    return text.strip()


def _read(path: Path) -> list[User]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsersFileError(
            _(
                "the users file {file} is not valid JSON ({error}); no user was read: "
                "fix it or restore it from a backup",
                file=path,
                error=err,
            )
        ) from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        version = document.get("version") if isinstance(document, dict) else None
        example = f'{{"version": {VERSION}, "users": [...]}}'
        raise UsersFileError(
            _(
                "the users file {file} has version {version} but this pocmap reads version "
                "{expected} ({example})",
                file=path,
                version=repr(version),
                expected=VERSION,
                example=example,
            )
        )
    entries = document.get("users")
    if not isinstance(entries, list):
        raise UsersFileError(
            _("the users file {file} is expected to have a list under 'users'", file=path)
        )
    users: list[User] = []
    for number, entry in enumerate(entries, start=1):
        user = _entry(path, number, entry)
        if any(u.name.casefold() == user.name.casefold() for u in users):
            raise UsersFileError(
                _(
                    "entry {number} of the users file {file} repeats the user {name}",
                    number=number,
                    file=path,
                    name=repr(user.name),
                )
            )
        users.append(user)
    return users


def _entry(path: Path, number: int, entry: Any) -> User:
    """One entry as a :class:`User`, or an error naming the file, the entry and the problem."""
    named = isinstance(entry, dict) and isinstance(entry.get("name"), str)

    def bad(problem: str) -> UsersFileError:
        if named:
            text = _(
                "entry {number} ({name}) of the users file {file}: {problem}; no user was read",
                number=number,
                name=repr(entry["name"]),
                file=path,
                problem=problem,
            )
        else:
            text = _(
                "entry {number} of the users file {file}: {problem}; no user was read",
                number=number,
                file=path,
                problem=problem,
            )
        return UsersFileError(text)

    if not isinstance(entry, dict) or set(entry) != set(KEYS):
        keys = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
        raise bad(
            _(
                "has {keys} but an entry has exactly the keys {expected}",
                keys=keys,
                expected=", ".join(KEYS),
            )
        )
    name, role, office = entry["name"], entry["role"], entry["office"]
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise bad(_("the name {name} is expected to be {rule}", name=repr(name), rule=_(NAME_RULE)))
    if role not in ROLES:
        raise bad(
            _("the role {role} is not one of {roles}", role=repr(role), roles=", ".join(ROLES))
        )
    if office is not None and not (isinstance(office, str) and office.strip()):
        raise bad(_("the office {office} is expected to be null or a name", office=repr(office)))
    if role == FIELD_OFFICE and office is None:
        raise bad(_("a field_office user needs an office"))
    if not isinstance(entry["oidc"], bool):
        raise bad(
            _("oidc is {value} but is expected to be true or false", value=repr(entry["oidc"]))
        )
    hashed = entry["password_hash"]
    if entry["oidc"] and hashed is not None:
        raise bad(_("an OIDC user has a password_hash but is expected to have null"))
    if not entry["oidc"]:
        try:
            extract_parameters(hashed if isinstance(hashed, str) else "")
        except InvalidHashError:
            raise bad(_("a password user's password_hash is not an argon2 hash")) from None
    try:
        datetime.fromisoformat(entry["added_at"])
    except (TypeError, ValueError):
        raise bad(
            _("added_at {value} is not an ISO date and time", value=repr(entry["added_at"]))
        ) from None
    if not isinstance(entry["added_by"], str) or not entry["added_by"].strip():
        raise bad(_("added_by is expected to name who added the user"))
    return User(**{key: entry[key] for key in KEYS})


def _write(path: Path, users: list[User]) -> None:
    """Replace the file atomically: a temp file (0600) beside it, synced, then renamed."""
    text = json.dumps(
        {"version": VERSION, "users": [asdict(u) for u in users]}, ensure_ascii=False, indent=2
    )
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
