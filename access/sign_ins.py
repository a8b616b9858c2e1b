"""Password sign-ins checked against the guard, and every refused sign-in audited.

The failures the guard (:mod:`access.sign_in_guard`) counts live in the store's audit log,
as the ``sign_in_refused`` entries this module writes: every app instance sharing one
store (PostGIS, or the GeoPackage file) sees the same failures, a restart forgets none,
and no new table or schema migration is needed. Only the last day of the log is read
(:func:`store.recent_audit.entries_since`).

A refused entry is written against :data:`NOT_SIGNED_IN` (nobody signed in made the
attempt) with the name tried as its target and the client address and reason in its
details; never the password. Nothing here imports streamlit.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from access.roles import Caller
from access.sign_in_guard import LOOKBACK, Decision, Event, Lockout, decide, lockouts
from access.users import NAME_PATTERN, Users
from languages import N_, _
from store.recent_audit import entries_since

if TYPE_CHECKING:
    from store.sql_store import SqlStore

REFUSED = "sign_in_refused"
SIGNED_IN = "sign_in"
UNLOCKED = "sign_in_unlock"
NOT_SIGNED_IN = "(not signed in)"
"""The actor of a refused sign-in: who tried is not known, only the name they typed."""
INVALID_NAME = "(not a valid name)"
"""The target recorded instead of a typed name that no user can have: it may well be a
password typed in the wrong field."""

WRONG = N_("Wrong name or password.")

WRONG_PASSWORD = "wrong password"
UNKNOWN_NAME = "unknown name"
NOT_A_PASSWORD_USER = "signs in through OIDC"
NOT_A_NAME = "not a valid name"
TOO_MANY = "too many attempts"
NO_ROLE = "no role in pocmap"
COUNTED = frozenset({WRONG_PASSWORD, UNKNOWN_NAME, NOT_A_PASSWORD_USER, NOT_A_NAME})
"""Reasons that are failures for the guard: a password was checked and did not match.
An attempt refused for waiting checks nothing, so it does not lengthen a lockout."""

# One attempt at a time per process: check, verify, record. Without it, many parallel
# attempts could all pass the check before any failure is recorded. Across instances the
# overshoot is at most one attempt per instance.
_GATE = threading.Lock()


@dataclass(frozen=True)
class Outcome:
    """The caller signed in, or the message to show (and nobody signed in)."""

    caller: Caller | None
    message: str | None = None


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def target_of(name: object) -> str:
    """The audit target of a name tried: ``user NAME``, or :data:`INVALID_NAME`."""
    text = name.strip() if isinstance(name, str) else ""
    return f"user {text}" if NAME_PATTERN.fullmatch(text) else f"user {INVALID_NAME}"


def _event(entry: dict[str, Any]) -> Event | None:
    """An audit entry as a guard event, or ``None`` when it is not one."""
    try:
        details = json.loads(entry["details"] or "{}")
        at = datetime.fromisoformat(str(entry["at"]))
    except (TypeError, ValueError):
        return None
    action, target = entry["action"], str(entry["target"] or "")
    name = target.removeprefix("user ") if target.startswith("user ") else None
    name = None if name == INVALID_NAME else name
    if action == REFUSED and details.get("method") == "password":
        if details.get("reason") in COUNTED:
            return Event(at, "failure", name, details.get("address"))
    elif action == SIGNED_IN and details.get("method") == "password":
        return Event(at, "success", str(entry["actor"]))
    elif action == UNLOCKED:
        return Event(at, "unlock", name, None if name else details.get("address"))
    return None


def events(store: SqlStore, now: datetime | None = None) -> list[Event]:
    """The guard's events of the last :data:`~access.sign_in_guard.LOOKBACK`, oldest first."""
    entries = entries_since(store, _now(now) - LOOKBACK, (REFUSED, SIGNED_IN, UNLOCKED))
    return [event for entry in entries if (event := _event(entry)) is not None]


def record_refused(
    store: SqlStore,
    name: object,
    address: str | None,
    reason: str,
    *,
    method: str = "password",
    extra: dict[str, Any] | None = None,
) -> None:
    """Audit one refused sign-in: the name tried, the client address, the reason.

    The password is not a parameter, so it cannot be written. An OIDC email comes from the
    identity provider, not from a form, and is recorded as given.
    """
    target = f"user {str(name).strip()}" if method == "oidc" else target_of(name)
    details = {"reason": reason, "address": address or "", "method": method, **(extra or {})}
    store.record(REFUSED, by=NOT_SIGNED_IN, target=target, details=details)


def check(
    store: SqlStore, name: object, address: str | None, now: datetime | None = None
) -> Decision:
    """Whether a sign-in as ``name`` from ``address`` may be tried now (nothing recorded)."""
    moment = _now(now)
    return decide(events(store, moment), name, address, moment)


def attempt(
    store: SqlStore,
    users: Users,
    name: object,
    password: object,
    address: str | None,
    *,
    now: datetime | None = None,
) -> Outcome:
    """Try a password sign-in: refused while the name or the address must wait (even with
    the right password), else checked against the users file; every refusal audited.

    Parameters
    ----------
    store : the store whose audit log keeps the failures (shared by every instance).
    users : the users file.
    name, password : as typed.
    address : the client address, ``None`` when not known (only the name then counts).
    now : the moment of the attempt (tests move it forward; default: the clock).

    Returns
    -------
    Outcome
        the caller, or a message that never says whether the name exists: ``Wrong name or
        password.`` for any failed check, ``Too many sign-in attempts: try again in N
        minutes.`` while waiting.
    """
    with _GATE:
        decision = check(store, name, address, now)
        if not decision.allowed:
            extra = {
                "wait_seconds": round(decision.wait.total_seconds()),
                "counter": decision.by,
                "failures": decision.failures,
            }
            record_refused(store, name, address, TOO_MANY, extra=extra)
            return Outcome(None, decision.message())
        caller = users.verify(name, password)  # type: ignore[arg-type]
        if caller is not None:
            return Outcome(caller)
        record_refused(store, name, address, _why(users, name))
        return Outcome(None, _(WRONG))


def _why(users: Users, name: object) -> str:
    """Why a checked sign-in failed, for the audit log (admins may know who exists)."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name.strip()):
        return NOT_A_NAME
    kind = users.sign_in_kind(name)
    return {None: UNKNOWN_NAME, "oidc": NOT_A_PASSWORD_USER}.get(kind, WRONG_PASSWORD)


def current_lockouts(store: SqlStore, now: datetime | None = None) -> list[Lockout]:
    """The names and addresses locked out now, soonest end first."""
    moment = _now(now)
    return lockouts(events(store, moment), moment)


def unlock(
    store: SqlStore, *, by: Any, name: str | None = None, address: str | None = None
) -> None:
    """Lift the lockout of a name or an address (its earlier failures stop counting); the
    unlock is itself an audit entry.

    Raises
    ------
    ValueError
        unless exactly one of ``name`` and ``address`` is given.
    """
    if (name is None) == (address is None):
        raise ValueError("unlock takes a name or an address, not both and not neither")
    if name is not None:
        store.record(UNLOCKED, by=by, target=target_of(name), details={"name": name.strip()})
    else:
        store.record(UNLOCKED, by=by, target="", details={"address": str(address).strip()})
