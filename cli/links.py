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
from collections.abc import Mapping
from typing import Any

from cli.session import DEFAULT_NAME, cli_session
from languages import N_, Labels, _, format_number

OK, REFUSED = 0, 1
_DECISIONS = {"confirm": "confirmed", "split": "split", "queue": "queued"}
STATUSES = Labels(
    {
        "linked": N_("linked"),
        "confirmed": N_("confirmed"),
        "split": N_("split"),
        "queued": N_("waiting for an analyst"),
    }
)
"""A link's status as a person reads it (``--json`` keeps the codes)."""
FIELDS = Labels(
    {
        "date": N_("date"),
        "date_precision": N_("date precision"),
        "incident_type": N_("incident type"),
        "perpetrator_type": N_("perpetrator type"),
        "perpetrator_name": N_("perpetrator name"),
        "fatalities": N_("fatalities"),
        "admin1": N_("admin1"),
        "admin2": N_("admin2"),
        "location_precision": N_("location precision"),
        "source": N_("source"),
    }
)
"""The fields of two linked reports an analyst compares, as a person reads them."""
PRECISIONS = Labels(
    {
        "exact": N_("exact"),
        "approximate": N_("approximate"),
        "admin2": N_("admin2"),
        "admin1": N_("admin1"),
        "country": N_("country"),
        "day": N_("day"),
        "week": N_("week"),
        "month": N_("month"),
        "year": N_("year"),
    }
)
"""Location and date precisions (codes, which English shows as they are)."""


def _value(field: str, value: Any) -> str:
    """A report's value as a person reads it: a code's label, in the current language."""
    from schema.incidents import INCIDENT_TYPE_LABELS, PERPETRATOR_LABELS

    labels: Mapping[str, str] = {
        "incident_type": INCIDENT_TYPE_LABELS,
        "perpetrator_type": PERPETRATOR_LABELS,
        "location_precision": PRECISIONS,
        "date_precision": PRECISIONS,
    }.get(field, {})
    if field == "fatalities" and isinstance(value, int | float):
        return format_number(value)
    # _() of a label a Labels mapping already translated leaves it as it is.
    return _(labels[value]) if isinstance(value, str) and value in labels else str(value)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``links`` on the ``pocmap`` parser."""
    links = commands.add_parser(
        "links",
        help=_("reports of one event from several sources: the queue, and decisions on links"),
    )
    links.add_argument(
        "decision",
        nargs="?",
        choices=sorted(_DECISIONS),
        help=_("confirm (the same event), split (two events) or queue (undecided again)"),
    )
    links.add_argument(
        "link_id",
        nargs="?",
        type=int,
        metavar=_("LINK"),
        help=_("the link's number (as listed)"),
    )
    links.add_argument(
        "--reason", metavar=_("REASON"), help=_("why, for the record (required with a decision)")
    )
    links.add_argument("--all", action="store_true", help=_("every link, not only the queue"))
    links.add_argument("--relink", action="store_true", help=_("look for links again now"))
    links.add_argument("--json", action="store_true", help=_("print them as JSON"))
    links.add_argument(
        "--by",
        default=DEFAULT_NAME,
        metavar=_("NAME"),
        help=_("who makes the change, for the record"),
    )
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
        print(_("pocmap links: {error}", error=err), file=sys.stderr)
        return REFUSED
    links = session.links(None if args.all else "queued")
    rows = side_by_side(links, session.layer("incidents"))
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
        return OK
    counts = session.links()["status"].value_counts()
    print(
        _(
            "{linked} linked, {confirmed} confirmed, {split} split, {queued} waiting for an "
            "analyst",
            linked=format_number(int(counts.get("linked", 0))),
            confirmed=format_number(int(counts.get("confirmed", 0))),
            split=format_number(int(counts.get("split", 0))),
            queued=format_number(int(counts.get("queued", 0))),
        )
    )
    for row in rows:
        print(
            "\n"
            + _(
                "link {link} ({status}, score {score}): {reason}",
                link=row["link_id"],
                status=STATUSES.get(row["status"], row["status"]),
                score=format_number(row["score"], digits=2),
                reason=row["reason"],
            )
        )
        for side in ("a", "b"):
            report = row[side]
            print(f"  {report['incident_id']}: " + ", ".join(
                f"{FIELDS.get(k, k)} {_value(k, report[k])}"
                for k in SIDE_BY_SIDE
                if report.get(k) not in (None, "")
            ))  # fmt: skip
    if rows and not args.all:
        print(
            "\n"
            + _(
                "decide with `pocmap links confirm N --reason ...` (the same event) or "
                "`pocmap links split N --reason ...` (two events)"
            )
        )
    return OK


def _decide(session: Any, args: argparse.Namespace) -> int:
    if args.link_id is None or not (args.reason or "").strip():
        print(
            _(
                "pocmap links {decision}: give the link's number and --reason "
                '(e.g. `pocmap links {decision} 12 --reason "same victims named"`)',
                decision=args.decision,
            ),
            file=sys.stderr,
        )
        return REFUSED
    link = session.decide_link(args.link_id, _DECISIONS[args.decision], reason=args.reason)
    print(
        _(
            "link {link} ({a} and {b}): {status}",
            link=args.link_id,
            a=link["a"],
            b=link["b"],
            status=STATUSES.get(link["status"], link["status"]),
        )
    )
    return OK
