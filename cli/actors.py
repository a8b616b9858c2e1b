"""``pocmap actors``: the actor dictionary in effect, and applied again to what is stored."""

from __future__ import annotations

import argparse
import json
import sys

from cli.session import DEFAULT_NAME, cli_session
from languages import _, format_number, ngettext

OK, REFUSED = 0, 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``actors`` on the ``pocmap`` parser."""
    actors = commands.add_parser(
        "actors",
        help=_(
            "the actor dictionary (actor name -> perpetrator type): list it, or apply it "
            "again to the stored incidents"
        ),
        description=_(
            "The actor dictionary: the mission's rules (POCMAP_ACTORS) before "
            "pocmap's defaults; the first rule whose pattern is in an actor's name decides its "
            "perpetrator type (docs/codebook.md)."
        ),
    )
    what = actors.add_mutually_exclusive_group(required=True)
    what.add_argument("--list", action="store_true", help=_("print the rules in effect"))
    what.add_argument(
        "--apply",
        action="store_true",
        help=_(
            "apply the dictionary again to the stored incidents (each change kept in their "
            "history; types an office gave or an analyst set by hand are kept)"
        ),
    )
    actors.add_argument(
        "--dry-run",
        action="store_true",
        help=_("with --apply: say what would change, change none"),
    )
    actors.add_argument("--json", action="store_true", help=_("print it as JSON"))
    actors.add_argument(
        "--by",
        default=DEFAULT_NAME,
        metavar=_("NAME"),
        help=_("who makes the change, for the record"),
    )
    actors.set_defaults(run=run_actors)


def run_actors(args: argparse.Namespace) -> int:
    from ingest.actors import ActorDictionaryError, current, table

    if args.dry_run and not args.apply:
        print(_("pocmap actors: --dry-run goes with --apply"), file=sys.stderr)
        return REFUSED
    try:
        dictionary = current()
    except ActorDictionaryError as err:
        print(_("pocmap actors: {error}", error=err), file=sys.stderr)
        return REFUSED
    if args.list:
        rows = table(dictionary)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
            return OK
        print(
            ngettext(
                "{n} rule, tried in this order (first match decides):",
                "{n} rules, tried in this order (first match decides):",
                len(rows),
            )
        )
        for r in rows:
            country = r["country"] or _("any")
            print(
                f"{r['rule']:>4}  {country:<4} {r['pattern']!r:<52} -> {r['perpetrator_type']:<22}"
                f" {r['from']}"
            )
        return OK
    return _apply(args, dictionary)


def _apply(args: argparse.Namespace, dictionary: object) -> int:
    from ingest.actors import stored
    from store import StoreError

    session = cli_session(args.by)
    try:
        planned = stored.plan(session, dictionary)  # type: ignore[arg-type]
        made = 0 if args.dry_run else stored.apply(session, planned.changes)
    except (StoreError, KeyError, ValueError) as err:
        print(_("pocmap actors: {error}", error=err), file=sys.stderr)
        return REFUSED
    if args.json:
        print(
            json.dumps(
                {
                    "rows_seen": planned.rows_seen,
                    "changes": [c.__dict__ for c in planned.changes],
                    "changed": made,
                    "dry_run": bool(args.dry_run),
                    "kept_by_hand": planned.kept_by_hand,
                    "notes": planned.notes,
                },
                ensure_ascii=False,
            )
        )
        return OK
    for c in planned.changes:
        print(f"{c.incident_id}  {c.before} -> {c.after}  ({c.name}; {c.reason})")
    changes, seen = len(planned.changes), format_number(planned.rows_seen)
    if args.dry_run:
        print(
            ngettext(
                "{n} of {seen} stored incident(s) would change",
                "{n} of {seen} stored incident(s) would change",
                changes,
                seen=seen,
            )
        )
    else:
        print(
            ngettext(
                "{n} of {seen} stored incident(s) changed; `pocmap history INCIDENT` shows "
                "each change",
                "{n} of {seen} stored incident(s) changed; `pocmap history INCIDENT` shows "
                "each change",
                changes,
                seen=seen,
            )
        )
    if planned.kept_by_hand:
        print(
            ngettext(
                "{n} incident(s) kept as an analyst recoded them by hand: {incidents}",
                "{n} incident(s) kept as an analyst recoded them by hand: {incidents}",
                len(planned.kept_by_hand),
                incidents=", ".join(planned.kept_by_hand[:10])
                + (" ..." if len(planned.kept_by_hand) > 10 else ""),
            )
        )
    for note in planned.notes:
        print(note)
    return OK
