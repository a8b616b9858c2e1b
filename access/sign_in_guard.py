"""Whether a password sign-in may be tried now: progressive delay, then a lockout.

Pure: it decides from the recent sign-in events it is given (failures, successes, an
admin's unlock) and the time it is told; it reads no clock, no file and no store, so the
same events give the same answer in every app instance. :mod:`access.sign_ins` reads the
events from the store's audit log (shared by every instance) and records new ones.

Two counters, each with its own :class:`Rule`:

- per **name** (trimmed and case-folded, whether or not such a user exists, so the answer
  never tells which names exist): failures since the name's last successful sign-in or
  admin unlock, over the last 24 hours;
- per **client address**: failures over the last hour, whatever the names tried (spraying
  one password over many names); a success does not reset it, or an attacker holding any
  account could clear their own address.

The wait after the ``n``-th counted failure, from the moment of that failure, is (see
:meth:`Rule.wait`): nothing up to ``free`` failures; then ``2 ** (n - free)`` seconds,
at most ``max_delay``, while ``n < lock_after``; from ``lock_after`` on a lockout of
``first_lock * 2 ** (n - lock_after)``, at most ``max_lock``. An attempt refused for
waiting is not itself a failure (nobody's password was checked), so hammering a locked
name does not lengthen its lockout.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from languages import _, ngettext

EventKind = Literal["failure", "success", "unlock"]


@dataclass(frozen=True)
class Rule:
    """How many failures a counter allows and how long it then makes people wait."""

    free: int
    """Failures with no wait at all after them."""
    lock_after: int
    """From this many failures on, the wait is a lockout (minutes, doubling)."""
    max_delay: timedelta
    """The longest delay before ``lock_after`` is reached."""
    first_lock: timedelta
    """The lockout after ``lock_after`` failures; each further failure doubles it."""
    max_lock: timedelta
    """The longest lockout."""
    lookback: timedelta
    """Failures older than this no longer count (at least ``max_lock``)."""

    def __post_init__(self) -> None:
        if not 0 <= self.free < self.lock_after:
            raise ValueError(f"free ({self.free}) must be >= 0 and below lock_after")
        if self.lookback < self.max_lock:
            # Else the failure that set a lockout would stop counting before it ends.
            raise ValueError(f"lookback ({self.lookback}) must be at least max_lock")

    def wait(self, failures: int) -> timedelta:
        """How long after the ``failures``-th counted failure the next attempt may come."""
        if failures <= self.free:
            return timedelta(0)
        if failures < self.lock_after:
            return min(timedelta(seconds=2 ** (failures - self.free)), self.max_delay)
        doublings = min(failures - self.lock_after, 32)  # 2**32 locks: far past any cap
        return min(self.first_lock * 2**doublings, self.max_lock)


NAME_RULE = Rule(
    free=2,
    lock_after=5,
    max_delay=timedelta(seconds=60),
    first_lock=timedelta(minutes=15),
    max_lock=timedelta(hours=24),
    lookback=timedelta(hours=24),
)
"""Per name: 3rd failure 2 s, 4th 4 s, 5th locks 15 min, 6th 30 min, 7th 1 h … 24 h."""

ADDRESS_RULE = Rule(
    free=10,
    lock_after=20,
    max_delay=timedelta(seconds=60),
    first_lock=timedelta(minutes=15),
    max_lock=timedelta(hours=1),
    lookback=timedelta(hours=1),
)
"""Per client address (an office behind one gateway shares it, hence more room): 11th
failure 2 s, doubling to 60 s, 20th locks 15 min, 21st 30 min, then 1 h."""

LOOKBACK = max(NAME_RULE.lookback, ADDRESS_RULE.lookback)
"""How far back :func:`decide` needs events (what to read from the audit log)."""


@dataclass(frozen=True)
class Event:
    """One past sign-in event: a failure (wrong password or unknown name), a successful
    password sign-in, or an admin lifting a lockout (of a ``name``, or of an ``address``
    when ``name`` is ``None``). ``name`` is as typed or stored (:func:`name_key` compares
    them); ``None`` on a failure whose name was not a valid name."""

    at: datetime
    kind: EventKind
    name: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Decision:
    """The answer for one attempt: may it proceed, and if not, for how long not."""

    allowed: bool
    wait: timedelta = timedelta(0)
    by: Literal["name", "address"] | None = None
    """Which counter refused (for the audit log; never shown to the person)."""
    failures: int = 0
    """Failures counted by that counter."""
    locked: bool = False
    """Whether the wait is a lockout rather than a short delay."""

    def message(self) -> str:
        """What the person signing in reads: the same for every name, known or not."""
        return _("Too many sign-in attempts: try again in {wait}.", wait=describe_wait(self.wait))


def name_key(name: object) -> str | None:
    """A name as the counters compare it: trimmed, case-folded; ``None`` when empty or not
    text."""
    if not isinstance(name, str) or not name.strip():
        return None
    return name.strip().casefold()


def describe_wait(wait: timedelta) -> str:
    """``"12 seconds"``, ``"15 minutes"``, ``"1 minute"``: rounded up, never "0"."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 90:
        return ngettext("{n} second", "{n} seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("{n} minute", "{n} minutes", minutes)


def _pending(failures: list[datetime], rule: Rule, now: datetime) -> tuple[timedelta, int]:
    """The wait still to run from now, and the failures counted, for one counter."""
    counted = sorted(at for at in failures if now - rule.lookback < at <= now)
    if not counted:
        return timedelta(0), 0
    until = counted[-1] + rule.wait(len(counted))
    return max(until - now, timedelta(0)), len(counted)


def _since_reset(mine: list[Event], resets: tuple[str, ...]) -> list[datetime]:
    """The failures among ``mine`` after the last event of a kind in ``resets``."""
    since = max((e.at for e in mine if e.kind in resets), default=None)
    return [e.at for e in mine if e.kind == "failure" and (since is None or e.at > since)]


def _name_failures(events: list[Event], key: str) -> list[datetime]:
    """Failures of this name since its last successful sign-in or unlock."""
    mine = [e for e in events if name_key(e.name) == key]
    return _since_reset(mine, ("success", "unlock"))


def _address_failures(events: list[Event], address: str) -> list[datetime]:
    """Failures from this address since an admin last lifted its lockout (a success does
    not count: anyone with an account could otherwise clear their own address)."""
    mine = [e for e in events if e.address == address and (e.kind != "unlock" or not e.name)]
    return _since_reset(mine, ("unlock",))


def decide(events: Iterable[Event], name: object, address: str | None, now: datetime) -> Decision:
    """Whether a sign-in as ``name`` from ``address`` may be checked at ``now``.

    Parameters
    ----------
    events : the sign-in events of at least the last :data:`LOOKBACK` (older are ignored).
    name : the name typed (any case, surrounding spaces), known to the users file or not.
    address : the client address, ``None`` when unknown (then only the name counts).
    now : the time of the attempt (timezone-aware, as the events).

    Returns
    -------
    Decision
        allowed, or refused with the longer of the two counters' waits.
    """
    events = list(events)
    answers: list[Decision] = []
    key = name_key(name)
    if key is not None:
        wait, count = _pending(_name_failures(events, key), NAME_RULE, now)
        locked = count >= NAME_RULE.lock_after
        answers.append(Decision(wait <= timedelta(0), wait, "name", count, locked))
    if address:
        wait, count = _pending(_address_failures(events, address), ADDRESS_RULE, now)
        locked = count >= ADDRESS_RULE.lock_after
        answers.append(Decision(wait <= timedelta(0), wait, "address", count, locked))
    refused = [a for a in answers if not a.allowed]
    if not refused:
        return Decision(True)
    return max(refused, key=lambda a: a.wait)


@dataclass(frozen=True)
class Lockout:
    """A name or an address locked out now (for an admin's list)."""

    kind: Literal["name", "address"]
    key: str
    until: datetime
    failures: int


def lockouts(events: Iterable[Event], now: datetime) -> list[Lockout]:
    """Every name and address in a lockout (not a short delay) at ``now``, soonest end
    first."""
    events = list(events)
    found: list[Lockout] = []
    for key in sorted({k for e in events if (k := name_key(e.name)) is not None}):
        wait, count = _pending(_name_failures(events, key), NAME_RULE, now)
        if count >= NAME_RULE.lock_after and wait > timedelta(0):
            found.append(Lockout("name", key, now + wait, count))
    for address in sorted({e.address for e in events if e.address and e.kind == "failure"}):
        wait, count = _pending(_address_failures(events, address), ADDRESS_RULE, now)
        if count >= ADDRESS_RULE.lock_after and wait > timedelta(0):
            found.append(Lockout("address", address, now + wait, count))
    return sorted(found, key=lambda lock: lock.until)
