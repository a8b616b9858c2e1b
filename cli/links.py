"""``pocmap links``: reports of one event from several sources, and the analyst's queue.

``pocmap links`` lists the links waiting for an analyst, both reports side by side;
``pocmap links confirm|split|queue LINK --reason ...`` decides on one (the counts follow at
once); ``pocmap links --relink`` looks again (after changing ``POCMAP_LINK_DAYS``,
``POCMAP_LINK_KM`` or ``POCMAP_SOURCE_PRIORITY``). ``--all`` lists every link, ``--json``
writes them for machines.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.session import DEFAULT_NAME, cli_session

OK, REFUSED = 0, 1
_DECISIONS = {"confirm": "confirmed", "split": "split", "queue": "queued"}


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``links`` on the ``pocmap`` parser."""
    links = commands.add_parser(
        "links",
        help="reports of one event from several sources: the queue, and decisions on links",
    )
    links.add_argument(
        "decision",
        nargs="?",
        choices=sorted(_DECISIONS),
        help="confirm (the same event), split (two events) or queue (undecided again)",
    )
    links.add_argument("link_id", nargs="?", type=int, help="the link's number (as listed)")
    links.add_argument("--reason", help="why, for the record (required with a decision)")
    links.add_argument("--all", action="store_true", help="every link, not only the queue")
    links.add_argument("--relink", action="store_true", help="look for links again now")
    links.add_argument("--json", action="store_true")
    links.add_argument("--by", default=DEFAULT_NAME)
    links.set_defaults(run=run_links)


def run_links(args: argparse.Namespace) -> int:
    from access.policy import Denied
    from ingest.relink import SIDE_BY_SIDE, side_by_side
    from store.base import StoreError

    session = cli_session(args.by)
    try:
        if args.decision:
            return _decide(session, args)
        if args.relink:
            from ingest.relink import relink

            print(relink(session, by=session.caller).summary())
            return OK
    except (Denied, StoreError, ValueError) as err:
        print(f"pocmap links: {err}", file=sys.stderr)
        return REFUSED
    links = session.links(None if args.all else "queued")
    rows = side_by_side(links, session.layer("incidents"))
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
        return OK
    counts = session.links()["status"].value_counts()
    print(
        f"{int(counts.get('linked', 0)):,} linked, {int(counts.get('confirmed', 0)):,} "
        f"confirmed, {int(counts.get('split', 0)):,} split, {int(counts.get('queued', 0)):,} "
        "waiting for an analyst"
    )
    for row in rows:
        print(
            f"\nlink {row['link_id']} ({row['status']}, score {row['score']:.2f}): {row['reason']}"
        )
        for side in ("a", "b"):
            report = row[side]
            print(f"  {report['incident_id']}: " + ", ".join(
                f"{k} {report[k]}" for k in SIDE_BY_SIDE if report.get(k) not in (None, "")
            ))  # fmt: skip
    if rows and not args.all:
        print(
            "\ndecide with `pocmap links confirm N --reason ...` (the same event) or "
            "`pocmap links split N --reason ...` (two events)"
        )
    return OK


def _decide(session: Any, args: argparse.Namespace) -> int:
    if args.link_id is None or not (args.reason or "").strip():
        print(
            f"pocmap links {args.decision}: give the link's number and --reason "
            f'(e.g. `pocmap links {args.decision} 12 --reason "same victims named"`)',
            file=sys.stderr,
        )
        return REFUSED
    link = session.decide_link(args.link_id, _DECISIONS[args.decision], reason=args.reason)
    print(f"link {args.link_id} ({link['a']} and {link['b']}): {link['status']}")
    return OK
