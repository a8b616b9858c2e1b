"""The coding queue: which not-yet-assessed incident an analyst codes next.

Pure values and functions, so the page only keeps a :class:`Position` in its session and
asks what to show. The queue is rebuilt from the store on every page run
(:func:`build`), so an incident coded elsewhere meanwhile (another analyst, a bulk
coding, the command line) leaves it at once, and the position moves on past it.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

UNKNOWN = "unknown"
"""The motivation of an incident not yet assessed (``schema.incidents.MOTIVATIONS``)."""


@dataclass(frozen=True)
class Queue:
    """The incidents of the current filter in queue order, and which of them wait.

    ``ordered`` holds every incident of the filter (coded ones too), so a position on an
    incident coded since still knows where it stood; ``pending`` those not yet assessed.
    """

    ordered: tuple[str, ...]
    pending: frozenset[str]

    @functools.cached_property
    def rank(self) -> dict[str, int]:
        """Each incident's place in :attr:`ordered`."""
        return {incident: at for at, incident in enumerate(self.ordered)}


@dataclass(frozen=True)
class Position:
    """Where an analyst is in the queue (kept across page runs).

    ``current``: the incident shown; ``trail``: those shown before it, for *previous*;
    ``skipped``: passed over this session, offered again only once nothing else waits;
    ``revisiting``: ``current`` was reached with *previous*, so it stays shown even when
    it is coded (to correct it).
    """

    current: str | None = None
    trail: tuple[str, ...] = ()
    skipped: frozenset[str] = frozenset()
    revisiting: bool = False


def build(incidents: pd.DataFrame) -> Queue:
    """The queue of ``incidents`` (``incident_id``, ``date``, ``motivation``): newest
    first, then by id, so the latest violence is coded first and the order is stable."""
    if not len(incidents):
        return Queue((), frozenset())
    ordered = incidents.assign(_id=incidents["incident_id"].astype(str)).sort_values(
        ["date", "_id"], ascending=[False, True], kind="stable", na_position="last"
    )
    ids = tuple(ordered["_id"].tolist())
    waiting = ordered["_id"][ordered["motivation"].astype(str).eq(UNKNOWN).to_numpy()]
    return Queue(ids, frozenset(waiting.tolist()))


def waiting(queue: Queue, position: Position) -> list[str]:
    """The incidents still to code, in order, skipped ones left out."""
    return [i for i in queue.ordered if i in queue.pending and i not in position.skipped]


def left(queue: Queue) -> int:
    """How many incidents of the filter are not yet assessed (skipped ones included)."""
    return len(queue.pending)


def _after(queue: Queue, position: Position, incident: str | None) -> str | None:
    """The first waiting incident after ``incident`` in the order, wrapping round to the
    start; ``None`` when nothing waits but ``incident`` itself."""
    candidates = [i for i in waiting(queue, position) if i != incident]
    if not candidates:
        return None
    rank = queue.rank.get(incident, -1) if incident is not None else -1
    return next((i for i in candidates if queue.rank[i] > rank), candidates[0])


def settle(queue: Queue, position: Position) -> Position:
    """``position`` made valid for ``queue``: an incident that left the filter, was coded
    elsewhere or skipped gives way to the next waiting one (a revisited incident stays)."""
    current = position.current
    if current is not None and current in queue.rank:
        if position.revisiting or (current in queue.pending and current not in position.skipped):
            return position
    return dataclasses.replace(position, current=_after(queue, position, current), revisiting=False)


def forward(queue: Queue, position: Position) -> Position:
    """After a save or *next*: the next waiting incident, the one left kept for *previous*."""
    position = settle(queue, position)
    trail = position.trail + ((position.current,) if position.current is not None else ())
    return Position(
        current=_after(queue, position, position.current),
        trail=trail,
        skipped=position.skipped,
        revisiting=False,
    )


def skip(queue: Queue, position: Position) -> Position:
    """Pass over the incident shown: it waits until nothing else does."""
    position = settle(queue, position)
    if position.current is None:
        return position
    skipped = position.skipped | {position.current}
    return Position(
        current=_after(queue, dataclasses.replace(position, skipped=skipped), position.current),
        trail=(*position.trail, position.current),
        skipped=skipped,
        revisiting=False,
    )


def back(queue: Queue, position: Position) -> Position:
    """The incident shown before (still shown if coded since, to correct it); the same
    position when there is none, or when it has left the filter."""
    trail = list(position.trail)
    while trail:
        previous = trail.pop()
        if previous in queue.rank and previous != position.current:
            return dataclasses.replace(
                position, current=previous, trail=tuple(trail), revisiting=True
            )
    return position


def again(position: Position) -> Position:
    """Offer the skipped incidents again."""
    return dataclasses.replace(position, skipped=frozenset(), current=None, revisiting=False)


def first_ids(ids: Iterable[str]) -> list[str]:
    """``ids`` once each, in their first order (a selection may name an incident twice)."""
    return list(dict.fromkeys(str(i) for i in ids))
