"""``pocmap places``: incidents' admin areas and field offices from the map."""

from __future__ import annotations

import argparse
import json
import sys

from cli.session import DEFAULT_NAME, cli_session
from languages import _, format_number, ngettext

OK, REFUSED = 0, 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``places`` on the ``pocmap`` parser."""
    places = commands.add_parser(
        "places",
        help=_(
            "incidents' admin areas and field offices from the loaded boundaries and areas "
            "of responsibility; --refresh places every stored incident again"
        ),
    )
    places.add_argument(
        "--refresh",
        action="store_true",
        help=_(
            "place every stored incident again (done by itself when boundaries or areas "
            "of responsibility are imported, accepted, withdrawn or restored)"
        ),
    )
    places.add_argument(
        "--by",
        default=DEFAULT_NAME,
        metavar=_("NAME"),
        help=_("who makes the change, for the record"),
    )
    places.add_argument("--json", action="store_true", help=_("print it as JSON"))
    places.set_defaults(run=run_places)


def run_places(args: argparse.Namespace) -> int:
    from ingest.replace import replace_all

    session = cli_session(args.by)
    if args.refresh:
        placement = replace_all(session, by=session.caller, reason="pocmap places --refresh")
        if placement is None:
            print(_("pocmap places: no incident is stored; nothing to place"), file=sys.stderr)
            return OK
        counts = {
            "incidents": len(placement.values),
            "placed": placement.placed,
            "disagreed": placement.disagreed,
            "outside_boundaries": placement.outside,
            "outside_areas": placement.outside_areas,
        }
        print(json.dumps(counts) if args.json else placement.summary())
        return OK
    incidents = session.layer("incidents")
    notes = incidents["place_note"].dropna().value_counts() if len(incidents) else None
    shown = {} if notes is None else {str(k): int(v) for k, v in notes.head(20).items()}
    if args.json:
        print(json.dumps({"incidents": len(incidents), "place_notes": shown}, ensure_ascii=False))
        return OK
    print(
        ngettext(
            "{n} incident(s) in analysis; place notes (most frequent first):",
            "{n} incident(s) in analysis; place notes (most frequent first):",
            len(incidents),
        )
    )
    for note, count in shown.items():
        print(f"{format_number(count):>8}  {note}")
    if not shown:
        print("       " + _("none"))
    return OK
