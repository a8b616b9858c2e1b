"""Links between reports of the same event from different sources, kept and audited.

A link says that two stored incidents (by ``incident_id``) report one event: ACLED and
UCDP GED, or a field office and ACLED, often report the same killing. The machine
proposes links (``ingest.linking``); each is *linked* (certain enough to count the event
once without asking) or *queued* (an analyst confirms or splits it). An analyst's
decision (*confirmed*, *split*) is kept whatever the machine later finds, and can itself
be reversed; every change is an audit entry. Links are never what the sources sent:
they live in their own table, and the incidents' ``event_group``/``counted`` columns are
derived from the links in force.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Final

import pandas as pd

from languages import _
from store import sql
from store.base import StoreError, actor_of

LINKED: Final = "linked"
QUEUED: Final = "queued"
CONFIRMED: Final = "confirmed"
SPLIT: Final = "split"
LINK_STATUSES = (LINKED, QUEUED, CONFIRMED, SPLIT)
"""``linked``/``queued``: the machine's; ``confirmed``/``split``: an analyst's decision."""
MACHINE = (LINKED, QUEUED)
IN_FORCE = (LINKED, CONFIRMED)
"""The links that make two reports one event."""

LINK_COLUMNS = (
    "link_id", "a", "b", "score", "certain", "reason", "status", "found_at",
    "decided_by", "decided_at", "decision_reason",
)  # fmt: skip
FOUND_COLUMNS = ("a", "b", "score", "certain", "reason")
"""What the machine says of a link (``ingest.linking.candidate_links`` gives these)."""


class LinkRecords:
    """The store's links: read them, replace the machine's, record an analyst's decision.

    Mixed into :class:`store.sql_store.SqlStore`, whose connections it uses.
    """

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def links(self, status: str | tuple[str, ...] | None = None) -> pd.DataFrame:
        """The links (:data:`LINK_COLUMNS`), oldest first; only those with ``status``."""
        statuses = (status,) if isinstance(status, str) else status
        where, params = "", []
        if statuses:
            where = f"WHERE status IN ({', '.join('?' for _ in statuses)})"
            params = list(statuses)
        names = ", ".join(LINK_COLUMNS)
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {names} FROM event_links {where} ORDER BY link_id", params
            ).fetchall()
        frame = pd.DataFrame(rows, columns=list(LINK_COLUMNS), dtype=object)
        frame["certain"] = frame["certain"].astype(bool)
        frame["score"] = frame["score"].astype(float)
        return frame

    def replace_found_links(self, found: pd.DataFrame, *, by: Any) -> dict[str, int]:
        """Make the machine's links the ones in ``found`` (:data:`FOUND_COLUMNS`).

        A pair an analyst decided on keeps its decision; a machine link no longer found
        (a batch withdrawn, tolerances changed) is removed; new and changed ones are
        written, certain ones as ``linked``, the others ``queued``. One audit entry says
        how many of each. Returns those counts.
        """
        actor = actor_of(by)
        wanted = {
            (str(a), str(b)): (float(score), bool(certain), str(reason))
            for a, b, score, certain, reason in found[list(FOUND_COLUMNS)].itertuples(index=False)
        }
        with self._writing() as conn:
            at = sql.utc_now()
            held = {
                (a, b): (link_id, status, score, certain, reason)
                for link_id, a, b, status, score, certain, reason in conn.execute(
                    "SELECT link_id, a, b, status, score, certain, reason FROM event_links"
                ).fetchall()
            }
            gone = [(v[0],) for k, v in held.items() if v[1] in MACHINE and k not in wanted]
            conn.executemany("DELETE FROM event_links WHERE link_id = ?", gone)
            added, changed = [], []
            for pair, (score, certain, reason) in wanted.items():
                status = LINKED if certain else QUEUED
                if pair not in held:
                    added.append((*pair, score, int(certain), reason, status, at))
                    continue
                link_id, was, old_score, old_certain, _old_reason = held[pair]
                # The reason is words about the same facts the score weighs, in the language
                # of whoever's import found the link: a search run again in another language
                # rewrites nothing (nor the time it was found) unless the facts changed.
                if was in MACHINE and (was, old_score, bool(old_certain)) != (
                    status,
                    score,
                    certain,
                ):
                    changed.append((score, int(certain), reason, status, at, link_id))
            conn.executemany(
                "INSERT INTO event_links (a, b, score, certain, reason, status, found_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                added,
            )
            conn.executemany(
                "UPDATE event_links SET score = ?, certain = ?, reason = ?, status = ?, "
                "found_at = ? WHERE link_id = ?",
                changed,
            )
            counts = {
                "added": len(added),
                "changed": len(changed),
                "removed": len(gone),
                "linked": sum(1 for _, c, _ in wanted.values() if c),
                "queued": sum(1 for _, c, _ in wanted.values() if not c),
            }
            if added or changed or gone:
                sql.audit(conn, "link", actor, "event links", counts, at=at)
        return counts

    def decide_link(self, link_id: int, decision: str, *, by: Any, reason: str) -> dict[str, Any]:
        """An analyst's decision on link ``link_id``: ``confirmed`` (the same event),
        ``split`` (two events) or ``queued`` (undecided again). Returns the link as now.

        Raises
        ------
        StoreError
            when there is no such link, the decision is not one of those, or the reason
            is empty.
        """
        if decision not in (CONFIRMED, SPLIT, QUEUED):
            raise StoreError(
                _(
                    "the decision was {decision} but a link can be confirmed, split or queued",
                    decision=repr(decision),
                )
            )
        if not reason.strip():
            raise StoreError(_("the reason is empty but a decision on a link must say why"))
        actor = actor_of(by)
        with self._writing() as conn:
            row = conn.execute(
                "SELECT a, b, status FROM event_links WHERE link_id = ?", (int(link_id),)
            ).fetchone()
            if row is None:
                raise StoreError(
                    _("there is no link {link}; `pocmap links` lists them", link=link_id)
                )
            a, b, before = row
            at = sql.utc_now()
            undecided = decision == QUEUED
            conn.execute(
                "UPDATE event_links SET status = ?, decided_by = ?, decided_at = ?, "
                "decision_reason = ? WHERE link_id = ?",
                (
                    decision,
                    None if undecided else actor.name,
                    None if undecided else at,
                    None if undecided else reason.strip(),
                    int(link_id),
                ),
            )
            sql.audit(
                conn,
                "link-decision",
                actor,
                f"link {link_id}",
                {"a": a, "b": b, "before": before, "after": decision, "reason": reason.strip()},
                at=at,
            )
        return dict(self.links().set_index("link_id").loc[int(link_id)]) | {"link_id": link_id}


def pairs(frame: pd.DataFrame) -> Iterator[tuple[str, str]]:
    """The ``(a, b)`` pairs of a links frame."""
    return zip(frame["a"].astype(str), frame["b"].astype(str), strict=True)
