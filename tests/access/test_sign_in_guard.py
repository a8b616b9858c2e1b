"""The sign-in guard's policy, on a clock the test moves (no store, no sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from access.sign_in_guard import (
    ADDRESS_RULE,
    NAME_RULE,
    Event,
    Rule,
    decide,
    describe_wait,
    lockouts,
    name_key,
)

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)
MIN = timedelta(minutes=1)


def failures(name, count, *, start=T0, every=S, address=None):
    return [Event(start + i * every, "failure", name, address) for i in range(count)]


def test_the_stated_waits_per_name_and_per_address():
    assert [NAME_RULE.wait(n).total_seconds() for n in range(1, 9)] == [
        0, 0, 2, 4, 15 * 60, 30 * 60, 60 * 60, 120 * 60,
    ]  # fmt: skip
    assert NAME_RULE.wait(1000) == timedelta(hours=24)
    assert [ADDRESS_RULE.wait(n).total_seconds() for n in (10, 11, 12, 15, 16, 19)] == [
        0, 2, 4, 32, 60, 60,
    ]  # fmt: skip
    locks = [ADDRESS_RULE.wait(n) for n in (20, 21, 22, 40)]
    assert locks == [15 * MIN, 30 * MIN, 60 * MIN, 60 * MIN]


def test_a_rule_whose_lockout_outlasts_its_memory_is_refused():
    with pytest.raises(ValueError, match="lookback"):
        Rule(2, 5, S, MIN, timedelta(hours=2), timedelta(hours=1))


def test_five_failures_lock_the_name_for_15_minutes_then_it_opens():
    events = failures("ana", 5, every=10 * S)
    last = events[-1].at
    during = decide(events, "ana", None, last + 14 * MIN)
    assert not during.allowed and during.locked and during.by == "name"
    assert during.message() == "Too many sign-in attempts: try again in 60 seconds."
    assert decide(events, "ana", None, last + 15 * MIN).allowed


def test_each_failure_after_a_lockout_doubles_it():
    events = failures("ana", 5)
    events.append(Event(events[-1].at + 15 * MIN, "failure", "ana"))  # 6th, after the lock
    decision = decide(events, "ana", None, events[-1].at + S)
    assert decision.failures == 6 and decision.wait == 30 * MIN - S
    assert decision.message() == "Too many sign-in attempts: try again in 30 minutes."


def test_short_delays_before_the_lockout():
    events = failures("ana", 3)
    decision = decide(events, "ana", None, events[-1].at + S)
    assert not decision.allowed and not decision.locked and decision.wait == S
    assert decision.message() == "Too many sign-in attempts: try again in 1 second."
    assert decide(events, "ana", None, events[-1].at + 2 * S).allowed


def test_names_are_compared_trimmed_and_in_any_case():
    assert name_key("  Ana ") == name_key("ANA") == "ana"
    events = failures(" ANA", 5)
    assert not decide(events, "ana  ", None, events[-1].at + MIN).allowed
    assert decide(events, "bob", None, events[-1].at + MIN).allowed


def test_a_success_or_an_unlock_clears_the_name():
    events = failures("ana", 2)
    events.append(Event(T0 + MIN, "success", "Ana"))
    events += failures("ana", 2, start=T0 + 2 * MIN)
    assert decide(events, "ana", None, events[-1].at).allowed  # 2 since the success: free
    locked = failures("ana", 6)
    assert not decide(locked, "ana", None, T0 + 5 * MIN).allowed
    unlocked = [*locked, Event(T0 + 5 * MIN, "unlock", "ANA")]
    assert decide(unlocked, "ana", None, T0 + 5 * MIN + S).allowed


def test_failures_older_than_the_lookback_do_not_count():
    events = failures("ana", 4, every=5 * MIN)
    assert decide(events, "ana", None, events[-1].at + 5 * S).allowed  # 4th: 4 s delay
    old = failures("ana", 4, start=T0 - 25 * timedelta(hours=1))
    assert decide([*old, *failures("ana", 1)], "ana", None, T0 + S).allowed


def test_many_names_from_one_address_lock_the_address_not_the_names():
    # Password spraying: one try each for 20 names, from one address.
    events = [Event(T0 + i * 70 * S, "failure", f"user{i}", "10.0.0.9") for i in range(20)]
    last = events[-1].at
    decision = decide(events, "someone.else", "10.0.0.9", last + MIN)
    assert not decision.allowed and decision.locked and decision.by == "address"
    assert decide(events, "someone.else", "10.0.0.8", last + MIN).allowed
    assert decide(events, "someone.else", "10.0.0.9", last + 15 * MIN).allowed
    # A success does not clear an address; an admin's unlock of the address does.
    assert not decide([*events, Event(last, "success", "x")], "y", "10.0.0.9", last + MIN).allowed
    lifted = [*events, Event(last + S, "unlock", None, "10.0.0.9")]
    assert decide(lifted, "y", "10.0.0.9", last + MIN).allowed


def test_the_longer_wait_of_the_two_counters_is_the_answer():
    events = failures("ana", 5, address="10.0.0.9")
    events += [Event(T0 + i * S, "failure", f"n{i}", "10.0.0.9") for i in range(10, 25)]
    decision = decide(events, "ana", "10.0.0.9", T0 + MIN)
    # The name's lockout ends 15 min after T0+4 s, the address's 15 min after T0+24 s.
    assert decision.by == "address" and decision.wait == 15 * MIN + 24 * S - MIN


def test_unknown_and_known_names_get_the_same_answer():
    # The guard never looks at the users file: the name is only a key.
    events = failures("ana", 5) + failures("nobody.at.all", 5)
    known = decide(events, "ana", None, T0 + MIN)
    unknown = decide(events, "nobody.at.all", None, T0 + MIN)
    assert known == unknown and known.message() == unknown.message()


def test_lockouts_lists_locked_names_and_addresses_not_short_delays():
    events = failures("ana", 5) + failures("bob", 3)
    events += [Event(T0 + i * S, "failure", None, "10.0.0.9") for i in range(20)]
    found = lockouts(events, T0 + MIN)
    assert [(lock.kind, lock.key, lock.failures) for lock in found] == [
        ("name", "ana", 5),
        ("address", "10.0.0.9", 20),
    ]
    assert found[0].until == T0 + 4 * S + 15 * MIN
    assert lockouts(events, T0 + timedelta(hours=2)) == []


def test_waits_are_written_rounded_up():
    assert describe_wait(timedelta(0)) == "1 second"
    assert describe_wait(timedelta(seconds=59.2)) == "60 seconds"
    assert describe_wait(timedelta(seconds=91)) == "2 minutes"
    assert describe_wait(timedelta(minutes=15)) == "15 minutes"
